"""The action register, action detail, escalation list and escalation detail pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, Escalation, EscalationEvent
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("actions:register"),
        reverse("actions:action_detail", args=[1]),
        reverse("actions:escalations"),
        reverse("actions:escalation_detail", args=[1]),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Register


def test_register_lists_only_the_actions_the_user_may_see(client, staff):
    mine = factories.ActionItemFactory(owner=staff, title="Mine")
    theirs = factories.ActionItemFactory(title="Someone else's")
    client.force_login(staff)
    html = _text(client.get(reverse("actions:register")))
    assert mine.key in html and "Mine" in html
    assert theirs.key not in html and "Someone else" not in html


def test_register_highlights_overdue_actions_with_days_overdue(client, cos):
    factories.ActionItemFactory(due_date=TODAY() - dt.timedelta(days=5))
    client.force_login(cos)
    html = _text(client.get(reverse("actions:register")))
    assert 'class="is-overdue"' in html
    assert "5 days overdue" in html


def test_register_shows_open_actions_by_default_and_all_on_request(client, cos):
    open_action = factories.ActionItemFactory(title="Still open")
    done = factories.ActionItemFactory(title="Finished", status=ActionItem.Status.DONE)
    client.force_login(cos)
    html = _text(client.get(reverse("actions:register")))
    assert open_action.key in html and done.key not in html
    html = _text(client.get(reverse("actions:register"), {"status": "all"}))
    assert open_action.key in html and done.key in html


def test_register_filters_by_status_team_owner_and_overdue(client, cos):
    team = factories.TeamFactory(name="Payments")
    blocked = factories.ActionItemFactory(status=ActionItem.Status.BLOCKED)
    in_team = factories.ActionItemFactory(team=team)
    by_cos = factories.ActionItemFactory(owner=cos)
    overdue = factories.ActionItemFactory(due_date=TODAY() - dt.timedelta(days=1))
    client.force_login(cos)

    def keys(**params) -> set[str]:
        response = client.get(reverse("actions:register"), params)
        return {a.key for a in response.context["page"]}

    assert keys(status="blocked") == {blocked.key}
    assert keys(team=team.pk) == {in_team.key}
    assert keys(owner="me") == {by_cos.key}
    assert keys(owner=overdue.owner_id) == {overdue.key}
    assert keys(overdue="1") == {overdue.key}


def test_register_ignores_nonsense_filters(client, cos):
    action = factories.ActionItemFactory()
    client.force_login(cos)
    response = client.get(
        reverse("actions:register"), {"status": "bogus", "team": "x", "owner": "y", "page": "z"}
    )
    assert response.status_code == 200
    assert action.key in _text(response)


@pytest.mark.parametrize(
    ("office_tz", "overdue"), [("Pacific/Auckland", True), ("Europe/London", False)]
)
def test_register_counts_overdue_by_the_offices_today_not_the_servers(
    client, cos, office_in, office_tz, overdue
):
    office_in(office_tz)  # the 11th in Auckland, still the 10th on the server (London)
    due_10th = factories.ActionItemFactory(due_date=dt.date(2026, 3, 10))
    factories.ActionItemFactory(due_date=dt.date(2026, 3, 11))  # today in Auckland: never overdue
    client.force_login(cos)
    response = client.get(reverse("actions:register"), {"overdue": "1"})
    assert {a.key for a in response.context["page"]} == ({due_10th.key} if overdue else set())
    html = _text(client.get(reverse("actions:register")))
    assert ("1 day overdue" in html) is overdue


def test_register_ignores_a_team_or_owner_that_does_not_exist(client, cos):
    """The filter form validates ids by loading them; an unknown one is ignored like any bad value."""
    action = factories.ActionItemFactory()
    client.force_login(cos)
    response = client.get(reverse("actions:register"), {"team": 999999, "owner": 999999})
    assert [a.key for a in response.context["page"]] == [action.key]
    assert response.context["filters"]["team"] is None
    assert response.context["owner_filtered"] is None


def test_register_paginates(client, cos):
    for _ in range(55):
        factories.ActionItemFactory(owner=cos)
    client.force_login(cos)
    first = client.get(reverse("actions:register"))
    assert len(first.context["page"]) == 50
    assert "1–50 of 55" in _text(first)
    second = client.get(reverse("actions:register"), {"page": 2})
    assert len(second.context["page"]) == 5


def test_register_htmx_request_gets_only_the_rows(client, cos):
    action = factories.ActionItemFactory()
    client.force_login(cos)
    response = client.get(reverse("actions:register"), {"status": "all"}, HTTP_HX_REQUEST="true")
    html = _text(response)
    assert html.lstrip().startswith('<div id="action-rows"')
    assert action.key in html
    assert "<html" not in html and 'class="filters"' not in html
    assert "HX-Request" in response["Vary"]


def test_register_full_page_also_varies_on_hx_request(client, cos):
    client.force_login(cos)
    response = client.get(reverse("actions:register"))
    assert "<html" in _text(response)
    assert "HX-Request" in response["Vary"]


def test_register_history_restore_gets_the_full_page(client, cos):
    client.force_login(cos)
    response = client.get(
        reverse("actions:register"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in _text(response)


def test_register_runs_a_fixed_number_of_queries(client, cos, django_assert_max_num_queries):
    teams = [factories.TeamFactory() for _ in range(5)]
    owners = [factories.UserFactory() for _ in range(8)]
    for i in range(60):
        factories.ActionItemFactory(
            owner=owners[i % 8], team=teams[i % 5], due_date=TODAY() - dt.timedelta(days=i - 20)
        )
    client.force_login(cos)
    # session, user, role groups, office settings (its time zone gives today), count, page,
    # header counts (the team filter is a search box: no team list)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("actions:register")).status_code == 200
    # the rows partial has no header counts
    with django_assert_max_num_queries(6):
        assert client.get(reverse("actions:register"), HTTP_HX_REQUEST="true").status_code == 200
    # + the filtered team, loaded by the form to validate it, and the teams below it
    with django_assert_max_num_queries(9):
        response = client.get(reverse("actions:register"), {"team": teams[0].pk})
    assert len(response.context["page"]) == 12


def test_register_for_a_team_lead_runs_a_fixed_number_of_queries(
    client, lead, django_assert_max_num_queries
):
    team = lead.led_teams.get()
    subs = [factories.TeamFactory(parent=team) for _ in range(4)]
    for i in range(40):
        factories.ActionItemFactory(team=subs[i % 4])
    for _ in range(5):
        factories.ActionItemFactory(owner=lead)
    client.force_login(lead)
    # + the led team tree (2) + the filtered owner (1, the form validates the id and names them)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("actions:register"), {"owner": lead.pk})
    assert len(response.context["page"]) == 5
    with django_assert_max_num_queries(9):
        response = client.get(reverse("actions:register"))
    assert len(response.context["page"]) == 45


# Action detail


def test_action_detail_shows_key_and_history(client, staff):
    action = factories.ActionItemFactory(owner=staff, title="Migrate CI")
    factories.ActionUpdateFactory(
        action=action,
        from_status=ActionItem.Status.OPEN,
        to_status=ActionItem.Status.IN_PROGRESS,
        note="Runners ordered.",
    )
    factories.ActionUpdateFactory(
        action=action,
        old_due_date=TODAY(),
        new_due_date=TODAY() + dt.timedelta(days=7),
        reason="Vendor delay",
        note="",
    )
    client.force_login(staff)
    response = client.get(reverse("actions:action_detail", args=[action.pk]))
    html = _text(response)
    assert response.status_code == 200
    assert action.key in html and "Migrate CI" in html
    assert "Runners ordered." in html and "In progress" in html
    assert "Vendor delay" in html


def test_action_detail_is_404_for_someone_elses_action(client, staff):
    action = factories.ActionItemFactory(title="Not yours")
    client.force_login(staff)
    response = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert response.status_code == 404
    assert "Not yours" not in _text(response)


def test_action_detail_does_not_leak_a_confidential_source_escalation_to_a_team_lead(client):
    """The team lead sees the action through their team, but only the action's owner (and the
    office) may see the confidential escalation it was made from."""
    escalation = factories.EscalationFactory(confidential=True, title="Harassment complaint")
    team = factories.TeamFactory()
    lead = factories.team_lead(team)
    action = factories.ActionItemFactory(
        team=team, source=ActionItem.Source.ESCALATION, source_escalation=escalation
    )
    client.force_login(lead)
    html = _text(client.get(reverse("actions:action_detail", args=[action.pk])))
    assert action.title in html
    assert "Harassment complaint" not in html
    assert escalation.key not in html


def test_the_owner_of_an_action_made_from_a_confidential_escalation_sees_it(client, staff):
    escalation = factories.EscalationFactory(confidential=True, title="Harassment complaint")
    action = factories.ActionItemFactory(
        owner=staff, source=ActionItem.Source.ESCALATION, source_escalation=escalation
    )
    client.force_login(staff)
    html = _text(client.get(reverse("actions:action_detail", args=[action.pk])))
    assert "Harassment complaint" in html


def test_action_detail_links_a_visible_source_escalation(client, staff):
    escalation = factories.EscalationFactory(title="Slow builds")
    action = factories.ActionItemFactory(owner=staff, source_escalation=escalation)
    client.force_login(staff)
    html = _text(client.get(reverse("actions:action_detail", args=[action.pk])))
    assert reverse("actions:escalation_detail", args=[escalation.pk]) in html


def test_action_detail_runs_a_fixed_number_of_queries(client, cos, django_assert_max_num_queries):
    action = factories.ActionItemFactory(source_escalation=factories.EscalationFactory())
    for _ in range(15):
        factories.ActionUpdateFactory(action=action, author=factories.UserFactory())
    client.force_login(cos)
    # session, user, role groups, action, office settings (today), source escalation, updates,
    # chase notices
    with django_assert_max_num_queries(8):
        assert client.get(reverse("actions:action_detail", args=[action.pk])).status_code == 200


# Escalations


def test_escalation_list_marks_confidential_items(client, cos):
    confidential = factories.EscalationFactory(confidential=True)
    client.force_login(cos)
    html = _text(client.get(reverse("actions:escalations")))
    assert confidential.key in html
    assert "badge-confidential" in html


def test_escalation_list_shows_open_by_default_and_filters(client, cos):
    team = factories.TeamFactory()
    new = factories.EscalationFactory(severity=Escalation.Severity.CRITICAL)
    resolved = factories.EscalationFactory(state=Escalation.State.RESOLVED)
    security = factories.EscalationFactory(category=Escalation.Category.SECURITY, team=team)
    client.force_login(cos)

    def keys(**params) -> set[str]:
        return {e.key for e in client.get(reverse("actions:escalations"), params).context["page"]}

    assert keys() == {new.key, security.key}
    assert keys(state="all") == {new.key, resolved.key, security.key}
    assert keys(state="resolved") == {resolved.key}
    assert keys(severity="critical") == {new.key}
    assert keys(category="security") == {security.key}
    assert keys(team=team.pk) == {security.key}


def test_escalation_list_flags_breached_sla(client, cos):
    now = timezone.now()
    factories.EscalationFactory(
        created_at=now - dt.timedelta(days=4), sla_due_at=now - dt.timedelta(days=1)
    )
    client.force_login(cos)
    assert "SLA breached" in _text(client.get(reverse("actions:escalations")))


def test_escalation_list_htmx_request_gets_only_the_rows(client, staff):
    escalation = factories.EscalationFactory()
    client.force_login(staff)
    response = client.get(reverse("actions:escalations"), HTTP_HX_REQUEST="true")
    html = _text(response)
    assert html.lstrip().startswith('<div id="escalation-rows"')
    assert escalation.key in html
    assert "HX-Request" in response["Vary"]


def test_escalation_list_runs_a_fixed_number_of_queries(client, cos, django_assert_max_num_queries):
    teams = [factories.TeamFactory() for _ in range(4)]
    raisers = [factories.UserFactory() for _ in range(6)]
    for i in range(45):
        factories.EscalationFactory(
            raised_by=raisers[i % 6],
            team=teams[i % 4],
            assignee=raisers[(i + 1) % 6],
            confidential=i % 7 == 0,
        )
    client.force_login(cos)
    # session, user, role groups, counters, count, page, team list, assignee list
    # +1: the office's time zone, read by OfficeTimeZoneMiddleware
    with django_assert_max_num_queries(9):
        response = client.get(reverse("actions:escalations"))
    assert len(response.context["page"]) == 45


def test_escalation_detail_shows_actions_made_from_it(client, cos):
    escalation = factories.EscalationFactory(title="Database saturation", description="CPU at 95%")
    action = factories.ActionItemFactory(source_escalation=escalation, title="Add read replica")
    client.force_login(cos)
    html = _text(client.get(reverse("actions:escalation_detail", args=[escalation.pk])))
    assert escalation.key in html and "CPU at 95%" in html
    assert action.key in html and "Add read replica" in html


def test_escalation_detail_hides_actions_the_viewer_may_not_see(client, staff):
    escalation = factories.EscalationFactory(raised_by=staff)
    hidden = factories.ActionItemFactory(source_escalation=escalation, title="Someone else's fix")
    client.force_login(staff)
    html = _text(client.get(reverse("actions:escalation_detail", args=[escalation.pk])))
    assert hidden.key not in html


def test_escalation_detail_is_404_when_missing(client, staff):
    client.force_login(staff)
    assert client.get(reverse("actions:escalation_detail", args=[999999])).status_code == 404


def test_escalation_detail_runs_a_fixed_number_of_queries(
    client, cos, django_assert_max_num_queries
):
    escalation = factories.EscalationFactory(
        assignee=factories.UserFactory(), team=factories.TeamFactory()
    )
    for _ in range(10):
        factories.ActionItemFactory(source_escalation=escalation)
    for i in range(10):
        factories.EscalationFactory(
            duplicate_of=escalation, state="duplicate", resolved_at=timezone.now()
        )
        EscalationEvent.objects.create(
            escalation=escalation, actor=cos, to_state="new", kind="raised"
        )
    client.force_login(cos)
    # session, user, role groups, escalation, events, actions, duplicates
    # +1: the office's time zone, read by OfficeTimeZoneMiddleware
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("actions:escalation_detail", args=[escalation.pk])).status_code
            == 200
        )


@pytest.mark.parametrize("name", ["actions:register", "actions:escalations"])
def test_list_pages_refuse_post(client, staff, name):
    client.force_login(staff)
    assert client.post(reverse(name)).status_code == 405


def test_escalation_description_markdown_is_rendered_and_sanitised(client, cos):
    escalation = factories.EscalationFactory(
        description="**Urgent**\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    client.force_login(cos)
    html = _text(client.get(reverse("actions:escalation_detail", args=[escalation.pk])))
    assert "<strong>Urgent</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "<img" not in html
