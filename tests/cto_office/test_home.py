"""The home page ("My week") per role (``cto_office.home``): panels, links, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, Escalation
from briefings.models import Briefing
from tests import factories
from tests.pages import page_stat, page_text

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


# Home: everyone


@pytest.fixture
def my_week(staff):
    """For ``staff``: two meetings this fortnight (one with an unread pre-read), one far off,
    one overdue and one due-soon action, one action due later, and an escalation raised."""
    now = timezone.now()
    soon = factories.MeetingFactory(title="Architecture review", start=now + dt.timedelta(hours=2))
    soon.attendees.add(staff)
    unread = factories.PreReadFactory(meeting=soon, title="RFC: event bus")
    read = factories.PreReadFactory(meeting=soon, title="Last quarter's numbers")
    factories.PreReadAcknowledgementFactory(pre_read=read, user=staff)
    far = factories.MeetingFactory(title="Offsite", start=now + dt.timedelta(days=40))
    far.attendees.add(staff)
    not_mine = factories.MeetingFactory(title="Board prep")
    factories.PreReadFactory(meeting=not_mine, title="Board deck")
    overdue = factories.ActionItemFactory(
        owner=staff, title="Renew certs", due_date=TODAY() - dt.timedelta(days=3)
    )
    due_soon = factories.ActionItemFactory(
        owner=staff, title="Write RFC", due_date=TODAY() + dt.timedelta(days=2)
    )
    later = factories.ActionItemFactory(
        owner=staff, title="Plan Q3", due_date=TODAY() + dt.timedelta(days=30)
    )
    done = factories.ActionItemFactory(
        owner=staff,
        title="Old thing",
        due_date=TODAY() - dt.timedelta(days=9),
        status=ActionItem.Status.DONE,
    )
    raised = factories.EscalationFactory(raised_by=staff, title="Flaky CI", confidential=True)
    return locals()


def test_home_shows_my_week(client, staff, my_week):
    client.force_login(staff)
    response = client.get(reverse("home"))
    html = page_text(response)
    assert "Architecture review" in html
    assert "Offsite" not in html  # beyond next week
    assert "Board prep" not in html and "Board deck" not in html  # not an attendee
    assert "RFC: event bus" in html
    assert "Last quarter&#x27;s numbers" not in html  # already read
    assert "Renew certs" in html and "3 days overdue" in html
    assert my_week["overdue"].key in html
    assert "Write RFC" in html
    assert "Plan Q3" not in html and "Old thing" not in html
    assert my_week["raised"].key in html and "Flaky CI" in html
    # Staff get no office panels.
    assert (
        "Escalation inbox" not in html and "Raised to you" not in html and "Your teams" not in html
    )


def test_home_for_staff_runs_a_fixed_number_of_queries(
    client, staff, my_week, django_assert_max_num_queries
):
    for i in range(15):
        factories.ActionItemFactory(owner=staff, due_date=TODAY() - dt.timedelta(days=i))
        factories.EscalationFactory(raised_by=staff)
        meeting = factories.MeetingFactory(start=timezone.now() + dt.timedelta(days=1, hours=i))
        meeting.attendees.add(staff)
        factories.PreReadFactory(meeting=meeting)
    client.force_login(staff)
    # session, user, office settings (today and the week), role groups; meetings, actions,
    # pre-reads, escalations
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).status_code == 200


# Home: Chief of Staff


@pytest.fixture
def office_data(lead):
    now = timezone.now()
    team = lead.led_teams.get()
    factories.EscalationFactory(state=Escalation.State.NEW)
    factories.EscalationFactory(
        state=Escalation.State.NEW,
        created_at=now - dt.timedelta(days=5),
        sla_due_at=now - dt.timedelta(days=2),
    )
    factories.EscalationFactory(
        state=Escalation.State.RAISED_TO_CTO, title="Vendor lock-in", raised_to_cto_at=now
    )
    factories.EscalationFactory(state=Escalation.State.TRIAGED, confidential=True)
    factories.EscalationFactory(state=Escalation.State.RESOLVED, confidential=True)
    factories.EscalationFactory(state=Escalation.State.TRIAGED, team=team, title="Pager load")
    factories.ActionItemFactory(
        team=team, due_date=TODAY() - dt.timedelta(days=2), title="Fix backups"
    )
    factories.ActionItemFactory(
        team=team, status=ActionItem.Status.BLOCKED, title="Waiting on legal"
    )
    factories.ActionItemFactory(due_date=TODAY() - dt.timedelta(days=1))
    factories.ActionItemFactory()
    factories.ActionItemFactory(
        status=ActionItem.Status.DONE, due_date=TODAY() - dt.timedelta(days=10)
    )
    meeting = factories.MeetingFactory(start=now - dt.timedelta(hours=3))
    factories.DecisionFactory(meeting=meeting, summary="Adopt Postgres 17", decided_on=TODAY())
    factories.DecisionFactory(
        meeting=meeting, summary="Old call", decided_on=TODAY() - dt.timedelta(days=20)
    )


def test_home_for_chief_of_staff_shows_inbox_and_register_counts(client, cos, office_data):
    iso = TODAY().isocalendar()
    factories.BriefingFactory(iso_year=iso.year, iso_week=iso.week, state=Briefing.State.DRAFT)
    client.force_login(cos)
    response = client.get(reverse("home"))
    assert page_stat(response, "stat-inbox-new") == 2
    assert page_stat(response, "stat-inbox-breached") == 1
    assert page_stat(response, "stat-inbox-raised") == 1
    assert page_stat(response, "stat-inbox-confidential") == 1
    assert page_stat(response, "stat-register-open") == 4
    assert page_stat(response, "stat-register-overdue") == 2
    assert page_stat(response, "stat-register-blocked") == 1
    html = page_text(response)
    assert "Draft" in html
    assert reverse("admin:actions_escalation_changelist") in html


def test_home_for_chief_of_staff_links_this_weeks_briefing_and_the_archive(client, cos):
    iso = TODAY().isocalendar()
    factories.BriefingFactory(iso_year=iso.year, iso_week=iso.week, state=Briefing.State.DRAFT)
    client.force_login(cos)
    html = page_text(client.get(reverse("home")))
    assert reverse("briefings:detail", kwargs={"year": iso.year, "week": iso.week}) in html
    assert "Review the draft" in html
    assert reverse("briefings:archive") in html


def test_home_for_chief_of_staff_without_a_briefing_says_so(client, cos):
    client.force_login(cos)
    assert "Not generated yet this week" in page_text(client.get(reverse("home")))


@pytest.mark.parametrize(
    ("office_tz", "overdue", "today"),
    [
        ("Pacific/Auckland", 1, "Wednesday 11 March 2026"),
        ("Europe/London", 0, "Tuesday 10 March 2026"),
    ],
)
def test_home_counts_overdue_by_the_offices_today_not_the_servers(
    client, cos, office_in, office_tz, overdue, today
):
    office_in(office_tz)  # the 11th in Auckland, still the 10th on the server (London)
    factories.ActionItemFactory(owner=cos, due_date=dt.date(2026, 3, 10), title="Renew certs")
    factories.ActionItemFactory(due_date=dt.date(2026, 3, 11))  # today in Auckland: never overdue
    client.force_login(cos)
    response = client.get(reverse("home"))
    html = page_text(response)
    assert today in html
    assert page_stat(response, "stat-register-overdue") == overdue
    assert ("1 day overdue" in html) is bool(overdue)  # "My actions due"


def test_home_for_chief_of_staff_runs_a_fixed_number_of_queries(
    client, cos, office_data, django_assert_max_num_queries
):
    for _ in range(20):
        factories.EscalationFactory()
        factories.ActionItemFactory(owner=cos, due_date=TODAY())
    client.force_login(cos)
    # 8 for everyone + inbox counts, register counts, this week's briefing
    with django_assert_max_num_queries(11):
        assert client.get(reverse("home")).status_code == 200


# Home: CTO


def test_home_for_cto_shows_escalations_raised_decisions_and_overdue(client, cto, office_data):
    published = factories.BriefingFactory(
        iso_year=2026, iso_week=3, state=Briefing.State.PUBLISHED, published_at=timezone.now()
    )
    factories.BriefingFactory(iso_year=2026, iso_week=4, state=Briefing.State.DRAFT)
    client.force_login(cto)
    response = client.get(reverse("home"))
    html = page_text(response)
    assert "Vendor lock-in" in html
    assert "Adopt Postgres 17" in html and "Old call" not in html
    assert page_stat(response, "stat-cto-overdue") == 2
    assert published.label in html and "2026-W04" not in html
    assert "Escalation inbox" not in html  # the CoS's panel


def test_home_for_cto_runs_a_fixed_number_of_queries(
    client, cto, office_data, django_assert_max_num_queries
):
    meeting = factories.MeetingFactory()
    for _ in range(15):
        factories.EscalationFactory(
            state=Escalation.State.RAISED_TO_CTO, raised_to_cto_at=timezone.now()
        )
        factories.DecisionFactory(meeting=meeting)
    client.force_login(cto)
    # 8 for everyone + raised to me, decisions, overdue count, latest briefing
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


# Home: team lead


def test_home_for_team_lead_shows_their_teams_overdue_blocked_and_escalations(
    client, lead, office_data
):
    sub_team = factories.TeamFactory(parent=lead.led_teams.get())
    factories.ActionItemFactory(
        team=sub_team, due_date=TODAY() - dt.timedelta(days=6), title="Rotate keys"
    )
    client.force_login(lead)
    response = client.get(reverse("home"))
    html = page_text(response)
    assert page_stat(response, "stat-team-overdue") == 2
    assert page_stat(response, "stat-team-blocked") == 1
    assert "Fix backups" in html and "Waiting on legal" in html and "Rotate keys" in html
    assert "6 days overdue" in html
    assert "Pager load" in html
    assert "Vendor lock-in" not in html  # not about their teams, not raised to them
    assert "Escalation inbox" not in html


def test_home_for_team_lead_runs_a_fixed_number_of_queries(
    client, lead, office_data, django_assert_max_num_queries
):
    team = lead.led_teams.get()
    for i in range(20):
        factories.ActionItemFactory(
            team=factories.TeamFactory(parent=team), due_date=TODAY() - dt.timedelta(days=i)
        )
        factories.EscalationFactory(team=team)
    client.force_login(lead)
    # 8 for everyone + led teams (2, read once: cached on the user), counts, list, escalations
    with django_assert_max_num_queries(13):
        assert client.get(reverse("home")).status_code == 200
