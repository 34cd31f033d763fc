"""The access rules of cto_office/access.py, and that the pages obey them (a 404, never a 403)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cto_office import access
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def confidential(staff):
    """A confidential escalation raised by ``staff``."""
    return factories.EscalationFactory(raised_by=staff, confidential=True, title="Manager conduct")


# Escalations


def test_team_lead_cannot_see_confidential_escalation_they_did_not_raise(
    client, lead, confidential
):
    assert confidential not in access.escalations_for(lead)
    client.force_login(lead)
    response = client.get(reverse("actions:escalation_detail", args=[confidential.pk]))
    assert response.status_code == 404
    assert b"Manager conduct" not in response.content


def test_team_lead_does_not_find_confidential_escalation_in_the_list(client, lead, confidential):
    open_one = factories.EscalationFactory(title="Build farm is slow")
    client.force_login(lead)
    response = client.get(reverse("actions:escalations"))
    assert open_one.key.encode() in response.content
    assert confidential.key.encode() not in response.content
    assert b"Manager conduct" not in response.content


def test_raiser_sees_their_confidential_escalation(client, staff, confidential):
    assert confidential in access.escalations_for(staff)
    client.force_login(staff)
    response = client.get(reverse("actions:escalation_detail", args=[confidential.pk]))
    assert response.status_code == 200
    assert b"Confidential" in response.content


@pytest.mark.parametrize("role", ["cos", "cto"])
def test_office_sees_confidential_escalations(client, request, role, confidential):
    user = request.getfixturevalue(role)
    assert confidential in access.escalations_for(user)
    client.force_login(user)
    assert (
        client.get(reverse("actions:escalation_detail", args=[confidential.pk])).status_code == 200
    )


def test_everyone_sees_non_confidential_escalations(lead, staff):
    escalation = factories.EscalationFactory()
    assert escalation in access.escalations_for(lead)
    assert escalation in access.escalations_for(staff)


def test_anonymous_sees_nothing():
    factories.EscalationFactory()
    factories.ActionItemFactory()
    factories.MeetingFactory()
    anonymous = AnonymousUser()
    assert not access.escalations_for(anonymous).exists()
    assert not access.actions_for(anonymous).exists()
    assert not access.meetings_for(anonymous).exists()
    assert not access.briefings_for(anonymous).exists()


# Actions


def test_staff_sees_only_their_own_actions(staff):
    mine = factories.ActionItemFactory(owner=staff)
    other = factories.ActionItemFactory()
    visible = set(access.actions_for(staff))
    assert visible == {mine}
    assert other not in visible


def test_team_lead_sees_their_teams_and_sub_teams_actions(lead):
    team = lead.led_teams.get()
    sub_team = factories.TeamFactory(parent=team)
    sub_sub_team = factories.TeamFactory(parent=sub_team)
    own = factories.ActionItemFactory(owner=lead)
    in_team = factories.ActionItemFactory(team=team)
    in_sub = factories.ActionItemFactory(team=sub_team)
    in_sub_sub = factories.ActionItemFactory(team=sub_sub_team)
    sibling = factories.ActionItemFactory(team=factories.TeamFactory())
    visible = set(access.actions_for(lead))
    assert visible == {own, in_team, in_sub, in_sub_sub}
    assert sibling not in visible


def test_team_lead_gets_404_for_another_teams_action(client, lead):
    other = factories.ActionItemFactory(team=factories.TeamFactory())
    client.force_login(lead)
    assert client.get(reverse("actions:action_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role", ["cos", "cto"])
def test_office_sees_all_actions(request, role):
    user = request.getfixturevalue(role)
    actions = {factories.ActionItemFactory() for _ in range(3)}
    assert set(access.actions_for(user)) == actions


# Meetings


def test_meetings_are_visible_to_attendees_only(staff, lead):
    attended = factories.MeetingFactory()
    attended.attendees.add(staff)
    not_attended = factories.MeetingFactory()
    not_attended.attendees.add(lead)
    assert list(access.meetings_for(staff)) == [attended]
    assert list(access.meetings_for(lead)) == [not_attended]


def test_meetings_for_does_not_duplicate_rows(staff, lead):
    meeting = factories.MeetingFactory()
    meeting.attendees.add(staff, lead)
    assert list(access.meetings_for(staff)) == [meeting]


@pytest.mark.parametrize("role", ["cos", "cto"])
def test_office_sees_every_meeting(request, role):
    user = request.getfixturevalue(role)
    meetings = {factories.MeetingFactory() for _ in range(2)}
    assert set(access.meetings_for(user)) == meetings


def test_non_attendee_gets_404_for_a_meeting(client, staff):
    meeting = factories.MeetingFactory(title="Board prep")
    client.force_login(staff)
    response = client.get(reverse("cadence:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 404
    assert b"Board prep" not in response.content


# Briefings and roles


def test_briefings_are_for_the_office_only(cos, cto, lead, staff):
    briefing = factories.BriefingFactory()
    assert list(access.briefings_for(cos)) == [briefing]
    assert list(access.briefings_for(cto)) == [briefing]
    assert not access.briefings_for(lead).exists()
    assert not access.briefings_for(staff).exists()


def test_role_labels(cos, cto, lead, staff):
    assert [access.role_label(u) for u in (cos, cto, lead, staff)] == [
        "Chief of Staff",
        "CTO",
        "Team lead",
        "Staff",
    ]


def test_superuser_counts_as_chief_of_staff():
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    assert access.is_chief_of_staff(admin)
    assert access.role_label(admin) == "Chief of Staff"


# Scopes the pages say aloud (no role test in a template)


def test_action_and_meeting_scopes_follow_the_roles(cos, cto, lead, staff):
    assert [access.action_scope(u) for u in (cos, cto, lead, staff, AnonymousUser())] == [
        "all",
        "all",
        "led_teams",
        "own",
        "own",
    ]
    assert [access.meeting_scope(u) for u in (cos, cto, lead, staff)] == [
        "all",
        "all",
        "attended",
        "attended",
    ]


@pytest.mark.parametrize(
    ("who", "subtitle"),
    [
        ("cos", "Every action in the register."),
        ("lead", "Your actions and those of the teams you lead."),
        ("staff", "The actions you own."),
    ],
)
def test_the_register_says_what_it_lists_from_the_access_scope(client, request, who, subtitle):
    client.force_login(request.getfixturevalue(who))
    assert subtitle in client.get(reverse("actions:register")).content.decode()


@pytest.mark.parametrize(
    ("who", "subtitle"),
    [("cto", "Every meeting of the cadence."), ("staff", "The meetings you attend.")],
)
def test_the_meeting_list_says_what_it_lists_from_the_access_scope(client, request, who, subtitle):
    client.force_login(request.getfixturevalue(who))
    assert subtitle in client.get(reverse("cadence:meetings")).content.decode()


def test_admin_is_offered_to_active_staff_only(cos, staff):
    assert access.can_use_admin(cos)
    assert not access.can_use_admin(staff)
    assert not access.can_use_admin(AnonymousUser())
    cos.is_active = False
    assert not access.can_use_admin(cos)


# Decisions


def test_decisions_follow_their_meetings(cos, staff):
    attended = factories.DecisionFactory(summary="Adopt the event bus")
    attended.meeting.attendees.add(staff)
    elsewhere = factories.DecisionFactory(summary="Freeze hiring in Platform")
    assert set(access.decisions_for(staff)) == {attended}
    assert set(access.decisions_for(cos)) == {attended, elsewhere}
    assert not access.decisions_for(AnonymousUser()).exists()


def test_action_page_names_its_source_decision_only_to_who_may_see_its_meeting(client, cto, staff):
    decision = factories.DecisionFactory(summary="Freeze hiring in Platform")
    action = factories.ActionItemFactory(
        owner=staff, source_decision=decision, title="Tell the Platform leads"
    )
    url = reverse("actions:action_detail", args=[action.pk])
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "Tell the Platform leads" in html
    assert "Freeze hiring in Platform" not in html
    assert reverse("cadence:meeting_detail", args=[decision.meeting_id]) not in html
    client.force_login(cto)
    assert "Decision: Freeze hiring in Platform" in client.get(url).content.decode()
