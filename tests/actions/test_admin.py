"""Admin for actions, escalations and chase notices: key search, scoping, history, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, Escalation
from cto_office import access
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(db):
    """A staff user with every admin permission of the product's apps but no office role."""
    user = factories.UserFactory(is_staff=True, username="clerk")
    group = Group.objects.create(name="Admin clerks")
    group.permissions.set(Group.objects.get(name=access.CHIEF_OF_STAFF).permissions.all())
    user.groups.add(group)
    return user


def _results(response) -> list:
    return list(response.context["cl"].result_list)


def test_action_admin_finds_an_action_by_key(client, cos):
    wanted = factories.ActionItemFactory(title="Rotate secrets")
    factories.ActionItemFactory(title=f"Mentions ACT-{wanted.pk} in passing")
    client.force_login(cos)
    response = client.get(reverse("admin:actions_actionitem_changelist"), {"q": f"act-{wanted.pk}"})
    assert _results(response) == [wanted]


def test_action_admin_still_searches_titles(client, cos):
    wanted = factories.ActionItemFactory(title="Rotate secrets")
    factories.ActionItemFactory(title="Hire SRE")
    client.force_login(cos)
    response = client.get(reverse("admin:actions_actionitem_changelist"), {"q": "secrets"})
    assert _results(response) == [wanted]


def test_action_admin_changelist_runs_a_fixed_number_of_queries(
    client, cos, django_assert_max_num_queries
):
    teams = [factories.TeamFactory() for _ in range(4)]
    for i in range(40):
        factories.ActionItemFactory(team=teams[i % 4])
    client.force_login(cos)
    # the admin's own queries (session, user, permissions, filters, counts, date hierarchy) and one page: none per row
    # +1: the office's time zone, read by OfficeTimeZoneMiddleware
    with django_assert_max_num_queries(13):
        response = client.get(reverse("admin:actions_actionitem_changelist"))
    assert len(_results(response)) == 40


def test_action_admin_shows_history_read_only(client, cos):
    action = factories.ActionItemFactory()
    factories.ActionUpdateFactory(action=action, note="Kicked off")
    client.force_login(cos)
    response = client.get(reverse("admin:actions_actionitem_change", args=[action.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kicked off" in html
    assert 'name="updates-0-note"' not in html


def _edit_action(client, action: ActionItem, version: int, **changes):
    data = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "team": action.team_id or "",
        "due_date": action.due_date.isoformat(),
        "priority": action.priority,
        "status": action.status,
        "reason": "",
        "note": "",
        "seen_version": version,
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
        **changes,
    }
    return client.post(reverse("admin:actions_actionitem_change", args=[action.pk]), data)


def test_action_admin_edit_goes_through_the_services_and_records_history(client, cos):
    action = factories.ActionItemFactory()
    new_owner = factories.UserFactory()
    later = action.due_date + dt.timedelta(days=3)
    client.force_login(cos)
    response = _edit_action(
        client,
        action,
        1,
        title="Renamed",
        owner=new_owner.pk,
        status=ActionItem.Status.DONE,
        due_date=later.isoformat(),
        reason="Vendor late",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.title, action.owner, action.status) == ("Renamed", new_owner, "done")
    assert action.completed_at is not None and action.due_date == later
    assert action.version == 4  # reassigned, edited, updated: one version each
    reassign, edit, update = ActionUpdate.objects.filter(action=action).order_by("pk")
    assert (reassign.new_owner, edit.note) == (new_owner, "Changed the title.")
    assert (update.from_status, update.to_status, update.reason) == ("open", "done", "Vendor late")
    assert {reassign.author, edit.author, update.author} == {cos}


def test_the_second_of_two_admin_action_saves_gets_the_conflict_with_input_kept(client, cos):
    action = factories.ActionItemFactory(title="Old")
    client.force_login(cos)
    assert _edit_action(client, action, 1, status="in_progress").status_code == 302
    response = _edit_action(client, action, 1, title="Second save")
    assert response.status_code == 200
    form = response.context["adminform"].form
    errors = str(form.non_field_errors())
    assert "changed while you were looking at it" in errors and "in progress" in errors
    assert form["title"].value() == "Second save"
    action.refresh_from_db()
    assert (action.title, action.status, action.version) == ("Old", "in_progress", 2)


def test_action_admin_refuses_a_later_due_date_without_reason_and_saves_nothing(client, cos):
    action = factories.ActionItemFactory(title="Old")
    client.force_login(cos)
    later = action.due_date + dt.timedelta(days=7)
    response = _edit_action(client, action, 1, title="New", due_date=later.isoformat())
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("needs a reason" in m for m in messages)
    action.refresh_from_db()
    assert (action.title, action.version) == ("Old", 1)  # the title edit rolled back too
    assert not action.updates.exists()


def test_action_admin_add_creates_it_through_the_service(client, cos):
    owner = factories.UserFactory()
    client.force_login(cos)
    due = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("admin:actions_actionitem_add"),
        {
            "title": "From admin",
            "description": "",
            "owner": owner.pk,
            "team": "",
            "due_date": due.isoformat(),
            "priority": 2,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    action = ActionItem.objects.get()
    assert (action.owner, action.created_by, action.source, action.priority) == (
        owner,
        cos,
        "manual",
        2,
    )
    assert action.updates.get().to_status == "open"


def test_escalation_admin_finds_an_escalation_by_key(client, cos):
    wanted = factories.EscalationFactory()
    factories.EscalationFactory()
    client.force_login(cos)
    response = client.get(reverse("admin:actions_escalation_changelist"), {"q": wanted.key})
    assert _results(response) == [wanted]


def test_escalation_admin_hides_confidential_from_staff_without_an_office_role(client, clerk):
    visible = factories.EscalationFactory()
    confidential = factories.EscalationFactory(confidential=True, title="Manager conduct")
    client.force_login(clerk)
    response = client.get(reverse("admin:actions_escalation_changelist"))
    assert _results(response) == [visible]
    assert b"Manager conduct" not in response.content
    # Its change page redirects to the admin index with "doesn't exist" (never shows it).
    change = client.get(reverse("admin:actions_escalation_change", args=[confidential.pk]))
    assert change.status_code == 302
    search = client.get(reverse("admin:actions_escalation_changelist"), {"q": confidential.key})
    assert _results(search) == []


def test_escalation_autocomplete_hides_confidential_from_staff_without_an_office_role(
    client, clerk
):
    factories.EscalationFactory(confidential=True, title="Manager conduct")
    client.force_login(clerk)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "actions",
            "model_name": "actionitem",
            "field_name": "source_escalation",
            "term": "Manager",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_action_admin_shows_a_confidential_source_escalation_by_key_only(client, clerk):
    escalation = factories.EscalationFactory(confidential=True, title="Manager conduct")
    action = factories.ActionItemFactory(source_escalation=escalation)
    client.force_login(clerk)
    html = client.get(reverse("admin:actions_actionitem_change", args=[action.pk])).content.decode()
    assert escalation.key in html
    assert "Manager conduct" not in html


@pytest.mark.parametrize("role", ["cos", "cto"])
def test_escalation_admin_shows_confidential_to_the_office(client, request, role):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    if role == "cto":  # the CTO has no admin permissions of their own; give them the CoS's
        user.groups.add(_cos_perms_group())
    confidential = factories.EscalationFactory(confidential=True)
    client.force_login(user)
    response = client.get(reverse("admin:actions_escalation_changelist"))
    assert confidential in _results(response)


def _cos_perms_group() -> Group:
    group = Group.objects.create(name="Admin for the CTO")
    group.permissions.set(Group.objects.get(name=access.CHIEF_OF_STAFF).permissions.all())
    return group


def test_escalation_admin_changelist_runs_a_fixed_number_of_queries(
    client, cos, django_assert_max_num_queries
):
    teams = [factories.TeamFactory() for _ in range(4)]
    for i in range(40):
        factories.EscalationFactory(team=teams[i % 4], confidential=i % 5 == 0)
    client.force_login(cos)
    # session, user, permissions (2), role groups, team filter, counts (2), the sidebar's
    # office-settings check, the page, and the date hierarchy (2): none per row
    # +1: the office's time zone, read by OfficeTimeZoneMiddleware
    with django_assert_max_num_queries(13):
        response = client.get(reverse("admin:actions_escalation_changelist"))
    assert len(_results(response)) == 40


def _edit(client, escalation: Escalation, version: int, **changes):
    data = {
        "title": escalation.title,
        "description": escalation.description,
        "category": escalation.category,
        "severity": escalation.severity,
        "seen_version": version,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        **changes,
    }
    return client.post(reverse("admin:actions_escalation_change", args=[escalation.pk]), data)


def test_escalation_admin_edit_goes_through_the_service_and_records_an_event(client, cos):
    escalation = factories.EscalationFactory(title="Old")
    client.force_login(cos)
    response = _edit(client, escalation, 1, title="New title", severity="high")
    assert response.status_code == 302, response.context["adminform"].form.errors
    escalation.refresh_from_db()
    assert (escalation.title, escalation.severity, escalation.version) == ("New title", "high", 2)
    [event] = escalation.events.all()
    assert (event.kind, event.actor, event.note) == ("edited", cos, "Changed severity, title.")


def test_the_second_of_two_admin_saves_gets_the_conflict_with_input_kept(client, cos):
    escalation = factories.EscalationFactory(title="Old")
    client.force_login(cos)
    assert _edit(client, escalation, 1, title="First save").status_code == 302
    response = _edit(client, escalation, 1, title="Second save")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "changed while you were looking at it" in str(form.non_field_errors())
    assert form["title"].value() == "Second save"
    escalation.refresh_from_db()
    assert escalation.title == "First save"


def test_escalation_admin_add_raises_it_as_the_signed_in_user(client, cos):
    client.force_login(cos)
    response = client.post(
        reverse("admin:actions_escalation_add"),
        {"title": "From admin", "category": "vendor", "severity": "low", "description": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    escalation = Escalation.objects.get()
    assert (escalation.raised_by, escalation.state) == (cos, "new")
    assert escalation.events.get().kind == "raised"


def test_chase_notice_admin_is_view_only_and_searchable_by_key(client, cos):
    notice = factories.ChaseNoticeFactory()
    factories.ChaseNoticeFactory()
    client.force_login(cos)
    response = client.get(reverse("admin:actions_chasenotice_changelist"), {"q": notice.action.key})
    assert _results(response) == [notice]
    assert client.get(reverse("admin:actions_chasenotice_add")).status_code == 403
    page = client.get(reverse("admin:actions_chasenotice_change", args=[notice.pk]))
    assert page.status_code == 200
    assert b'name="level"' not in page.content


def test_action_update_admin_is_append_only(client, cos):
    update = factories.ActionUpdateFactory()
    client.force_login(cos)
    assert client.get(reverse("admin:actions_actionupdate_changelist")).status_code == 200
    assert client.get(reverse("admin:actions_actionupdate_add")).status_code == 403
    assert (
        client.get(reverse("admin:actions_actionupdate_delete", args=[update.pk])).status_code
        == 403
    )
