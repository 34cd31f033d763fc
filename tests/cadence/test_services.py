"""The cadence's write services: recurrence across DST, one occurrence moved or cancelled,
the meeting's state machine (and the moves it refuses), agenda order, pre-reads, decisions."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadence import services
from cadence.models import AgendaItem, Meeting, MeetingState
from cadence.recurrence import Recurrence, describe
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
#: Friday 20 March 2026: the UK clocks go forward on Sunday 29 March.
BEFORE_DST = dt.datetime(2026, 3, 20, 10, 0, tzinfo=LONDON)


def _series(cos, **kwargs):
    defaults = dict(
        by=cos,
        title="CTO staff meeting",
        owner=cos,
        rrule=Recurrence(weekdays=(4,)).rrule(),
        time_zone="Europe/London",
        first_start=BEFORE_DST,
        duration_minutes=60,
        agenda_template=[
            {"title": "Metrics", "minutes": 10, "kind": "information"},
            {"title": "Hiring", "minutes": 20},
        ],
        now=BEFORE_DST - dt.timedelta(days=1),
    )
    defaults.update(kwargs)
    return services.series_create(**defaults)


def test_recurrence_form_builds_rrules():
    assert Recurrence(weekdays=(0, 3)).rrule() == "FREQ=WEEKLY;BYDAY=MO,TH"
    assert (
        Recurrence(interval=2, weekdays=(1,), count=6).rrule()
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6"
    )
    assert (
        Recurrence(
            freq="monthly", weekdays=(0,), month_week=-1, until=dt.date(2026, 12, 31)
        ).rrule()
        == "FREQ=MONTHLY;BYDAY=-1MO;UNTIL=20261231T235959"
    )
    with pytest.raises(ValueError):
        Recurrence(weekdays=()).rrule()
    with pytest.raises(ValueError):
        Recurrence(count=3, until=dt.date(2026, 1, 1)).rrule()


@pytest.mark.parametrize(
    "rrule, words",
    [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "Every 2 weeks on Monday and Thursday"),
        ("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=3", "Every month on the third Thursday"),
        (
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20191230T090000Z",
            "Every month on the last Friday, until 30 Dec 2019",
        ),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", "Every day on weekdays, 10 times"),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),  # kept exact
    ],
)
def test_a_rule_is_described_in_words_or_left_exact(rrule, words):
    assert describe(rrule) == words


def test_series_keeps_ten_oclock_london_across_the_clock_change(cos):
    series = _series(cos)
    meetings = list(series.meetings.order_by("start")[:3])
    local = [m.start.astimezone(LONDON) for m in meetings]
    assert [d.date() for d in local] == [
        dt.date(2026, 3, 20),
        dt.date(2026, 3, 27),
        dt.date(2026, 4, 3),
    ]
    assert {(d.hour, d.minute) for d in local} == {(10, 0)}
    # In UTC the hour moves: 10:00 GMT, then 09:00 UTC once BST starts.
    assert [m.start.astimezone(dt.UTC).hour for m in meetings] == [10, 10, 9]


def test_series_meetings_get_the_template_and_attendees(cos, staff):
    series = _series(cos, attendees=[cos, staff])
    meeting = series.meetings.order_by("start").first()
    assert set(meeting.attendees.all()) == {cos, staff}
    assert [(i.title, i.time_box_minutes, i.position) for i in meeting.agenda_items.all()] == [
        ("Metrics", 10, 0),
        ("Hiring", 20, 1),
    ]
    assert meeting.state == MeetingState.DRAFT
    assert meeting.original_start == meeting.start


def test_scheduling_twice_creates_nothing_new(cos):
    series = _series(cos)
    count = series.meetings.count()
    assert count == 13  # weekly over the 91-day horizon
    assert services.series_schedule(series=series, now=BEFORE_DST - dt.timedelta(days=1)) == []
    assert series.meetings.count() == count


def test_rescheduling_one_occurrence_leaves_the_others(cos):
    series = _series(cos)
    first, second, third = series.meetings.order_by("start")[:3]
    new_start = second.start + dt.timedelta(days=1, hours=2)
    services.meeting_reschedule(
        meeting=second, by=cos, start=new_start, end=new_start + dt.timedelta(hours=1)
    )
    second.refresh_from_db()
    assert second.start == new_start
    assert second.sequence == 1
    assert second.original_start == BEFORE_DST + dt.timedelta(days=7)
    assert Meeting.objects.get(pk=first.pk).start == first.start
    assert Meeting.objects.get(pk=third.pk).start == third.start
    # The scheduler does not recreate the moved occurrence at its old time.
    assert services.series_schedule(series=series, now=BEFORE_DST - dt.timedelta(days=1)) == []


def test_cancelling_one_occurrence_leaves_the_others(cos):
    series = _series(cos)
    first, second = series.meetings.order_by("start")[:2]
    services.meeting_cancel(meeting=second, by=cos)
    assert Meeting.objects.get(pk=second.pk).state == MeetingState.CANCELLED
    assert Meeting.objects.get(pk=first.pk).state == MeetingState.DRAFT
    assert services.series_schedule(series=series, now=BEFORE_DST - dt.timedelta(days=1)) == []


def test_series_update_rebuilds_untouched_drafts_only(cos, staff):
    series = _series(cos)
    moved = series.meetings.order_by("start")[1]
    services.meeting_reschedule(
        meeting=moved,
        by=cos,
        start=moved.start + dt.timedelta(hours=1),
        end=moved.end + dt.timedelta(hours=1),
    )
    # The CoS has started next-but-two's agenda: the series' change must not lose it.
    planned = series.meetings.order_by("start")[2]
    services.agenda_item_add(meeting=planned, by=cos, title="Hiring plan", time_box_minutes=10)
    services.series_update(
        series=series,
        by=cos,
        title="Staff sync",
        owner=cos,
        rrule=Recurrence(weekdays=(0,)).rrule(),
        time_zone="Europe/London",
        first_start=BEFORE_DST + dt.timedelta(days=3),
        duration_minutes=45,
        kind="staff",
        attendees=[staff],
        agenda_template=[{"title": "Round table", "minutes": 15}],
        now=BEFORE_DST - dt.timedelta(days=1),
    )
    titles = set(series.meetings.values_list("title", flat=True))
    assert titles == {"Staff sync", "CTO staff meeting"}  # the moved one kept its title
    assert Meeting.objects.filter(pk__in=[moved.pk, planned.pk]).count() == 2
    assert [i.title for i in planned.agenda_items.all()][-1] == "Hiring plan"
    mondays = series.meetings.filter(title="Staff sync")
    assert {m.start.astimezone(LONDON).weekday() for m in mondays} == {0}


def test_the_state_machine_runs_in_order(cos, staff):
    meeting = factories.MeetingFactory()
    meeting.attendees.add(cos, staff)
    services.agenda_item_add(meeting=meeting, by=cos, title="Roadmap", time_box_minutes=20)
    services.agenda_publish(meeting=meeting, by=cos)
    services.meeting_go_live(meeting=meeting, by=cos)
    assert meeting.is_live
    services.meeting_mark_held(meeting=meeting, by=cos)
    services.minutes_save(meeting=meeting, by=cos, minutes="We agreed.")
    services.minutes_publish(meeting=meeting, by=cos)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_PUBLISHED
    assert meeting.agenda_items.get().ended_at is not None


@pytest.mark.parametrize(
    "state, service",
    [
        (MeetingState.DRAFT, "minutes_publish"),
        (MeetingState.DRAFT, "meeting_mark_held"),
        (MeetingState.DRAFT, "meeting_go_live"),
        (MeetingState.AGENDA_PUBLISHED, "agenda_publish"),
        (MeetingState.AGENDA_PUBLISHED, "minutes_publish"),
        (MeetingState.HELD, "meeting_cancel"),
        (MeetingState.MINUTES_PUBLISHED, "agenda_publish"),
        (MeetingState.CANCELLED, "agenda_publish"),
        (MeetingState.CANCELLED, "meeting_cancel"),
    ],
)
def test_out_of_order_transitions_are_refused(cos, state, service):
    meeting = factories.MeetingFactory(state=state, minutes="Notes")
    factories.AgendaItemFactory(meeting=meeting)
    with pytest.raises(services.MeetingStateError, match="Cannot"):
        getattr(services, service)(meeting=meeting, by=cos)
    assert Meeting.objects.get(pk=meeting.pk).state == state


def test_publishing_needs_an_agenda_and_minutes(cos):
    meeting = factories.MeetingFactory()
    with pytest.raises(services.CadenceInvalid, match="agenda item"):
        services.agenda_publish(meeting=meeting, by=cos)
    held = factories.MeetingFactory(state=MeetingState.HELD)
    with pytest.raises(services.CadenceInvalid, match="Write the minutes"):
        services.minutes_publish(meeting=held, by=cos)


def test_agenda_item_move_renumbers(cos):
    meeting = factories.MeetingFactory()
    a, b, c = (
        services.agenda_item_add(meeting=meeting, by=cos, title=t, time_box_minutes=5)
        for t in "ABC"
    )
    services.agenda_item_move(item=c, by=cos, position=0)
    assert list(meeting.agenda_items.values_list("title", "position")) == [
        ("C", 0),
        ("A", 1),
        ("B", 2),
    ]
    services.agenda_item_move(item=c, by=cos, position=99)
    assert [i.title for i in AgendaItem.objects.filter(meeting=meeting)] == ["A", "B", "C"]
    services.agenda_item_remove(item=a, by=cos)
    assert list(meeting.agenda_items.values_list("title", "position")) == [("B", 0), ("C", 1)]


def test_live_mode_advances_the_item_timers(cos):
    meeting = factories.MeetingFactory(state=MeetingState.AGENDA_PUBLISHED)
    first = factories.AgendaItemFactory(meeting=meeting, position=0)
    second = factories.AgendaItemFactory(meeting=meeting, position=1)
    t0 = dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC)
    services.meeting_go_live(meeting=meeting, by=cos, now=t0)
    services.agenda_item_advance(meeting=meeting, by=cos, now=t0 + dt.timedelta(minutes=12))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.started_at, first.ended_at) == (t0, t0 + dt.timedelta(minutes=12))
    assert second.started_at == t0 + dt.timedelta(minutes=12) and second.ended_at is None


def test_pre_read_upload_is_checked_by_content(cos):
    meeting = factories.MeetingFactory()
    renamed_exe = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(services.CadenceInvalid, match="judged by its content"):
        services.pre_read_add(meeting=meeting, by=cos, title="Plan", file=renamed_exe)
    svg = SimpleUploadedFile(
        "notes.md", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    with pytest.raises(services.CadenceInvalid):
        services.pre_read_add(meeting=meeting, by=cos, title="Notes", file=svg)
    assert not meeting.pre_reads.exists()
    pdf = SimpleUploadedFile("anything.bin", b"%PDF-1.7\n% plan\n")
    pre_read = services.pre_read_add(meeting=meeting, by=cos, title="Plan", file=pdf)
    assert pre_read.file.read().startswith(b"%PDF")
    assert pre_read.due_by == meeting.start


def test_pre_read_upload_size_limit(cos, settings):
    settings.PRE_READ_MAX_BYTES = 1024
    meeting = factories.MeetingFactory()
    big = SimpleUploadedFile("big.md", b"a" * 1025)
    with pytest.raises(services.CadenceInvalid, match="at most"):
        services.pre_read_add(meeting=meeting, by=cos, title="Big", file=big)


def test_pre_read_needs_content_and_acknowledgement_is_idempotent(cos, staff):
    meeting = factories.MeetingFactory()
    with pytest.raises(services.CadenceInvalid, match="Attach a file"):
        services.pre_read_add(meeting=meeting, by=cos, title="Empty")
    pre_read = services.pre_read_add(meeting=meeting, by=cos, title="Memo", body="# Memo")
    first = services.pre_read_acknowledge(pre_read=pre_read, by=staff)
    again = services.pre_read_acknowledge(pre_read=pre_read, by=staff)
    assert first.pk == again.pk and pre_read.acknowledgements.count() == 1


def test_decision_needs_a_running_or_held_meeting(cos):
    draft = factories.MeetingFactory()
    with pytest.raises(services.MeetingStateError):
        services.decision_record(meeting=draft, by=cos, summary="Adopt Rust")
    held = factories.MeetingFactory(state=MeetingState.HELD)
    item = factories.AgendaItemFactory(meeting=held)
    decision = services.decision_record(
        meeting=held, by=cos, summary="Adopt  Rust", agenda_item=item, decided_by=cos
    )
    assert decision.summary == "Adopt Rust"
    assert decision.decided_on == held.start.astimezone(zoneinfo.ZoneInfo("Europe/London")).date()


def test_rating_is_for_attendees_of_held_meetings(cos, staff):
    meeting = factories.MeetingFactory(state=MeetingState.HELD)
    meeting.attendees.add(staff)
    with pytest.raises(services.CadenceInvalid, match="Only attendees"):
        services.meeting_rate(meeting=meeting, by=cos, score=7)
    services.meeting_rate(meeting=meeting, by=staff, score=7)
    services.meeting_rate(meeting=meeting, by=staff, score=9)
    assert list(meeting.ratings.values_list("score", flat=True)) == [9]
    with pytest.raises(services.CadenceInvalid):
        services.meeting_rate(meeting=meeting, by=staff, score=11)


def test_carry_over_review_accepts_only_what_is_carried_over(cos):
    series = factories.MeetingSeriesFactory()
    earlier = factories.MeetingFactory(series=series, start=BEFORE_DST)
    later = factories.MeetingFactory(series=series, start=BEFORE_DST + dt.timedelta(days=7))
    carried = factories.ActionItemFactory(source_meeting=earlier)
    decision = factories.DecisionFactory(meeting=earlier)
    elsewhere = factories.ActionItemFactory(source_meeting=factories.MeetingFactory())
    services.carry_over_review(meeting=later, by=cos, action_id=carried.pk)
    services.carry_over_review(meeting=later, by=cos, action_id=carried.pk)  # idempotent
    services.carry_over_review(meeting=later, by=cos, decision_id=decision.pk)
    assert later.carry_over_reviews.count() == 2
    with pytest.raises(services.CadenceInvalid, match="not carried over"):
        services.carry_over_review(meeting=later, by=cos, action_id=elsewhere.pk)
    with pytest.raises(services.CadenceInvalid):
        services.carry_over_review(meeting=earlier, by=cos, decision_id=decision.pk)
