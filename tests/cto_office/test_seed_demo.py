"""``manage.py seed_demo``: the demo organisation and its generated quarter."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections import Counter
from itertools import pairwise

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from actions.models import ActionItem, ChaseNotice, Escalation
from briefings.models import (
    Briefing,
    HeadcountSnapshot,
    HealthIndicator,
    KeyResultCheckIn,
    Objective,
    Requisition,
    TechDebtSnapshot,
)
from briefings.rules import BehindThresholds
from briefings.sections.okrs import okrs_section
from briefings.selectors import briefing_week_on
from briefings.services import HISTORY_WEEKS
from cadence.models import CarryOverReview, Decision, Meeting, PreReadAcknowledgement
from cto_office import access
from cto_office.demo.derive import real_names
from cto_office.demo.loader import DEMO_PASSWORD, demo_logins, load_data
from cto_office.demo.okrs import QUIET_WEEKS, okr_quarter
from cto_office.demo.organisation import Organisation, reporting_units
from cto_office.demo.seed import row_counts, seed_demo
from cto_office.management.commands.derive_demo_data import DEFAULT_SOURCE
from cto_office.models import Membership, OfficeSettings, Team
from tests.conftest import require_service

LONDON = zoneinfo.ZoneInfo("Europe/London")
#: A Wednesday at noon: this week's Monday staff meeting is over, Thursday's review is ahead.
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture
def seeded(db):
    report = seed_demo(now=NOW)
    assert report.created
    return report


def test_seeding_twice_creates_nothing_new(seeded):
    before = row_counts()
    again = seed_demo(now=NOW + dt.timedelta(days=3))
    assert not again.created
    assert row_counts() == before


def test_command_prints_the_logins_on_every_run(db):
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert "Seeded the demo organisation" in first.getvalue()
    assert "already exists" in second.getvalue()
    for username, _role in demo_logins():
        assert username in first.getvalue() and username in second.getvalue()
    assert second.getvalue().count(DEMO_PASSWORD) == 5


def test_reset_reseeds_to_the_same_counts(db):
    call_command("seed_demo", stdout=io.StringIO())
    before = row_counts()
    call_command("seed_demo", reset=True, stdout=io.StringIO())
    assert row_counts() == before


def test_demo_logins_authenticate_with_their_roles(seeded, rf):
    logins = demo_logins()
    assert [role for _, role in logins] == [
        access.CHIEF_OF_STAFF,
        access.CTO,
        access.TEAM_LEAD,
        access.TEAM_LEAD,
        "Staff",
    ]
    for username, role in logins:
        # django-axes (login throttling) needs the request to know who is signing in.
        user = authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert access.role_label(user) == role
    cos = get_user_model().objects.get(username=logins[0][0])
    assert cos.is_staff
    assert cos.membership.title == "Chief of Staff to the CTO"
    assert cos.membership.manager.username == logins[1][0]


def test_everyone_else_has_an_unusable_password(seeded):
    login_names = {username for username, _ in demo_logins()}
    others = get_user_model().objects.exclude(username__in=login_names)
    assert others.count() == len(load_data()["people"]) + 1 - len(login_names)
    assert not any(user.has_usable_password() for user in others)


def test_organisation_comes_from_the_data_file(seeded):
    data = load_data()
    assert Team.objects.count() == len(data["teams"])
    assert Membership.objects.count() == len(data["people"]) + 1  # and the Chief of Staff
    assert Requisition.objects.filter(state=Requisition.State.OPEN).count() == len(
        data["vacancies"]
    )
    assert HealthIndicator.objects.count() == len(data["indicators"])
    leads = get_user_model().objects.filter(led_teams__isnull=False).distinct()
    cto = get_user_model().objects.get(groups__name=access.CTO)
    assert all(access.is_team_lead(user) for user in leads if user != cto)
    assert Team.objects.get(slug="engineering").lead == cto


def test_there_are_past_and_upcoming_meetings_with_agendas_and_pre_reads(seeded):
    past = Meeting.objects.filter(start__lt=NOW)
    upcoming = Meeting.objects.filter(start__gte=NOW)
    assert past.filter(state=Meeting.State.MINUTES_PUBLISHED).exists()
    assert past.filter(state=Meeting.State.HELD).exists()
    assert past.filter(state=Meeting.State.CANCELLED).exists()
    assert upcoming.filter(state=Meeting.State.AGENDA_PUBLISHED).exists()
    assert min(m.start for m in past) < NOW - dt.timedelta(weeks=7)
    assert max(m.start for m in upcoming) > NOW + dt.timedelta(weeks=2)
    assert {m.kind for m in Meeting.objects.all()} >= {"staff", "mbr", "offsite", "board_prep"}
    for meeting in Meeting.objects.exclude(state=Meeting.State.CANCELLED).prefetch_related(
        "agenda_items"
    ):
        assert (
            sum(item.time_box_minutes for item in meeting.agenda_items.all())
            <= meeting.duration_minutes
        )
    acknowledged = (
        PreReadAcknowledgement.objects.values_list("pre_read", flat=True).distinct().count()
    )
    assert 0 < PreReadAcknowledgement.objects.count()
    assert acknowledged > 0
    # Some attendees have not read: fewer acknowledgements than (pre-read, attendee) pairs.
    pairs = sum(
        p.meeting.attendees.count()
        for p in Meeting.objects.get(
            state=Meeting.State.AGENDA_PUBLISHED, kind="staff"
        ).pre_reads.all()
    )
    assert (
        PreReadAcknowledgement.objects.filter(
            pre_read__meeting__kind="staff", pre_read__meeting__start__gte=NOW
        ).count()
        < pairs
    )


def test_the_latest_held_staff_meeting_reviewed_its_carry_over(seeded):
    latest = Meeting.objects.filter(kind="staff", state="held").latest("start")
    reviews = CarryOverReview.objects.filter(meeting=latest)
    assert reviews.filter(decision__isnull=False).exists()
    assert reviews.filter(action__isnull=False).exists()
    assert not CarryOverReview.objects.exclude(meeting__state__in=["held", "minutes_published"])


def test_decisions_are_taken_in_held_meetings_including_this_week(seeded):
    assert Decision.objects.exclude(meeting__state__in=["held", "minutes_published"]).count() == 0
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    assert Decision.objects.filter(decided_on__gte=monday, decided_on__lte=TODAY).exists()


def test_every_action_status_appears_and_some_are_overdue_and_chased(seeded):
    assert set(ActionItem.objects.values_list("status", flat=True)) == set(ActionItem.Status.values)
    assert set(ActionItem.objects.values_list("source", flat=True)) == set(ActionItem.Source.values)
    overdue = ActionItem.objects.overdue(TODAY)
    assert overdue.count() >= 10
    assert ChaseNotice.objects.filter(action__in=overdue).exists()
    assert not ChaseNotice.objects.filter(sent_on__gt=TODAY).exists()
    for action in ActionItem.objects.prefetch_related("updates")[:50]:
        updates = list(action.updates.all())
        assert updates[0].to_status == "open"
        assert action.version == len(updates)
        assert all(u.created_at <= NOW for u in updates)


def test_demo_logins_own_actions_and_attend_meetings(seeded):
    User = get_user_model()
    for username, _ in demo_logins():
        user = User.objects.get(username=username)
        assert ActionItem.objects.filter(owner=user).exists(), username
        assert access.meetings_for(user).exists(), username


def test_escalations_cover_every_category_severity_and_state(seeded):
    assert set(Escalation.objects.values_list("category", flat=True)) == set(
        Escalation.Category.values
    )
    assert set(Escalation.objects.values_list("severity", flat=True)) == set(
        Escalation.Severity.values
    )
    assert set(Escalation.objects.values_list("state", flat=True)) == set(Escalation.State.values)
    assert Escalation.objects.filter(confidential=True).exists()
    assert not Escalation.objects.filter(category="people", confidential=False).exists()
    assert any(e.sla_breached(NOW) for e in Escalation.objects.filter(state="new"))
    assert ActionItem.objects.filter(source="escalation", source_escalation__isnull=False).exists()


def test_no_action_title_repeats_a_confidential_escalation_title(seeded):
    """Team leads read action titles on the home page and in the register."""
    confidential = Escalation.objects.filter(confidential=True)
    follow_ups = ActionItem.objects.filter(source_escalation__in=confidential)
    assert follow_ups.exists()
    titles = list(ActionItem.objects.values_list("title", flat=True))
    for escalation in confidential:
        assert not [title for title in titles if escalation.title in title], escalation.key
    for action in follow_ups.select_related("source_escalation"):
        assert action.title == f"Follow up confidential escalation {action.source_escalation.key}"
    plain_follow_up = ActionItem.objects.filter(
        source_escalation__confidential=False, source="escalation"
    ).select_related("source_escalation")[0]
    escalation = plain_follow_up.source_escalation
    assert plain_follow_up.title == f"Follow up {escalation.key}: {escalation.title}"


def test_sla_due_times_follow_the_office_rule(seeded):
    office = OfficeSettings.load()
    for escalation in Escalation.objects.all():
        assert escalation.sla_due_at == office.sla_due_at(
            severity=escalation.severity, raised_at=escalation.created_at
        )


def test_completed_at_is_set_exactly_for_done_actions(seeded):
    done = ActionItem.objects.filter(status="done")
    assert done.exists() and not done.filter(completed_at__isnull=True).exists()
    assert not ActionItem.objects.exclude(status="done").filter(completed_at__isnull=False).exists()
    for action in done.prefetch_related("updates")[:20]:
        assert action.completed_at == list(action.updates.all())[-1].created_at


def test_staff_login_sees_their_own_confidential_escalation_and_no_other(seeded):
    staff = get_user_model().objects.get(username=demo_logins()[4][0])
    visible = access.escalations_for(staff)
    assert visible.filter(confidential=True, raised_by=staff).exists()
    assert not visible.filter(confidential=True).exclude(raised_by=staff).exists()


def test_check_ins_span_about_twelve_weeks(seeded):
    dates = KeyResultCheckIn.objects.values_list("date", flat=True)
    assert (max(dates) - min(dates)).days >= 11 * 7
    assert max(dates) <= TODAY
    per_kr = Counter(KeyResultCheckIn.objects.values_list("key_result", flat=True))
    assert set(per_kr.values()) == {12, 12 - QUIET_WEEKS}  # one key result has gone quiet
    label, start, end = okr_quarter(TODAY)
    assert set(Objective.objects.values_list("quarter", "period_start", "period_end")) == {
        (label, start, end)
    }


def test_a_handful_of_key_results_are_quietly_behind_each_for_a_reason(seeded):
    """The briefing's rule (briefings.rules) on the demo: a handful, not a quarter of them."""
    section = okrs_section(
        as_of=TODAY, is_current=True, list_limit=50, thresholds=BehindThresholds()
    )
    assert 3 <= section["behind_count"] <= 0.10 * section["total"]
    reasons = " ".join(r for b in section["behind"] for r in b["reasons"])
    for reason in ("progress", "confidence", "no check-in for"):
        assert reason in reasons
    assert section["off_track_count"] == 2  # reported openly, listed apart


def test_the_archive_holds_the_weeks_before_the_first_briefing(seeded):
    """So the briefing ``make run`` generates says what changed and draws twelve weeks."""
    first = briefing_week_on(TODAY, weekday=OfficeSettings.load().briefing_weekday)
    weeks = [b.week for b in Briefing.objects.order_by("iso_year", "iso_week")]
    assert len(weeks) == HISTORY_WEEKS - 1 and weeks[-1] == first.previous()
    assert all(b.state == Briefing.State.PUBLISHED for b in Briefing.objects.all())


def test_snapshots_are_weekly_per_reporting_unit(seeded):
    units = reporting_units_from_db()
    assert 10 <= len(units) <= 30
    for model in (TechDebtSnapshot, HeadcountSnapshot):
        assert set(model.objects.values_list("team__slug", flat=True)) == units
        dates = sorted(set(model.objects.values_list("date", flat=True)))
        assert len(dates) == 12
        assert all((b - a).days == 7 for a, b in pairwise(dates))
        assert dates[-1] <= TODAY


def reporting_units_from_db() -> set[str]:
    data = load_data()
    return set(
        reporting_units(Organisation(data=data, users={}, teams={}, person_team={}, leads={}))
    )


def test_no_real_name_from_the_source_is_in_the_database(seeded):
    require_service(
        "The handbook snapshot",
        (DEFAULT_SOURCE / "data").is_dir(),
        f"put ../shared beside the project ({DEFAULT_SOURCE})",
    )
    names = real_names(DEFAULT_SOURCE)
    users = get_user_model().objects.all()
    assert not [u for u in users if u.get_full_name().lower() in names]
    text = " ".join(
        [
            *Escalation.objects.values_list("title", flat=True),
            *Meeting.objects.values_list("minutes", flat=True),
            *ActionItem.objects.values_list("title", flat=True),
            *Decision.objects.values_list("summary", flat=True),
        ]
    ).lower()
    assert [name for name in names if name in text] == []


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 11, 16, 8, 0, tzinfo=LONDON),  # a Monday before the staff meeting
        dt.datetime(2026, 3, 29, 23, 30, tzinfo=LONDON),  # the Sunday clocks go forward
        dt.datetime(2027, 1, 1, 0, 5, tzinfo=LONDON),  # New Year, just after midnight
    ],
)
def test_seed_works_on_awkward_days(db, now):
    report = seed_demo(now=now)
    assert report.created
    today = now.date()
    assert (
        Meeting.objects.filter(start__lt=now).exists()
        and Meeting.objects.filter(start__gte=now).exists()
    )
    assert ActionItem.objects.overdue(today).exists()
    assert set(Escalation.objects.values_list("state", flat=True)) == set(Escalation.State.values)
    assert not ActionItem.objects.filter(created_at__gt=now).exists()
    assert not Escalation.objects.filter(created_at__gt=now).exists()
