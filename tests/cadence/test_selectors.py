"""The weekly briefing's decisions and meetings sections, gathered by ``cadence.selectors``."""

import datetime as dt

from cadence.models import Meeting
from cadence.selectors import briefing_decisions_section, briefing_meetings_section
from cto_office.clock import IsoWeek
from cto_office.models import person_name
from tests import factories
from tests.briefings import dataset

WEEK = IsoWeek(*dataset.WEEK)  # Monday 17 – Sunday 23 November 2025


def test_decisions_of_the_week_oldest_first_with_who_decided(db, django_assert_num_queries):
    cto = factories.UserFactory(first_name="Grace", last_name="Hopper")
    meeting = factories.MeetingFactory(title="CTO staff meeting")
    factories.DecisionFactory(
        meeting=meeting, summary="Adopt Pods", decided_on=WEEK.sunday, decided_by=cto
    )
    factories.DecisionFactory(meeting=meeting, summary="Freeze Fridays", decided_on=WEEK.monday)
    factories.DecisionFactory(
        meeting=meeting, summary="Last week", decided_on=dt.date(2025, 11, 16)
    )
    factories.DecisionFactory(
        meeting=meeting, summary="Next week", decided_on=dt.date(2025, 11, 24)
    )

    with django_assert_num_queries(1):
        decisions = briefing_decisions_section(week=WEEK)

    assert [d["summary"] for d in decisions] == ["Freeze Fridays", "Adopt Pods"]
    assert decisions[1]["decided_by"] == "Grace Hopper" == person_name(cto)
    assert decisions[1]["decided_label"] == "Sun 23 Nov"
    assert decisions[0]["decided_by"] == "—"  # nobody recorded
    assert decisions[0]["meeting"] == "CTO staff meeting"


def test_meetings_of_a_week_with_pre_read_status_among_attendees(db, django_assert_num_queries):
    next_week = WEEK.next()
    people = factories.UserFactory.create_batch(3)
    outsider = factories.UserFactory()
    start = dataset.local(next_week.day(1), 14)  # Tuesday 25 November, 14:00 London
    meeting = factories.MeetingFactory(
        title="Architecture review", start=start, end=start + dt.timedelta(minutes=90)
    )
    meeting.attendees.set(people)
    pre_read = factories.PreReadFactory(meeting=meeting, title="Pods design", due_by=start)
    factories.PreReadAcknowledgementFactory(pre_read=pre_read, user=people[0])
    factories.PreReadAcknowledgementFactory(pre_read=pre_read, user=outsider)  # not an attendee
    cancelled_start = dataset.local(next_week.day(2), 10)
    factories.MeetingFactory(
        title="Cancelled",
        start=cancelled_start,
        end=cancelled_start + dt.timedelta(hours=1),
        state=Meeting.State.CANCELLED,
    )
    this_week = dataset.local(WEEK.day(3), 10)
    factories.MeetingFactory(
        title="This week", start=this_week, end=this_week + dt.timedelta(hours=1)
    )

    with django_assert_num_queries(4):
        meetings = briefing_meetings_section(week=next_week, tz=dataset.LONDON)

    assert [m["title"] for m in meetings] == ["Architecture review"]
    (row,) = meetings
    assert row["when_label"] == "Tue 25 Nov, 14:00–15:30"
    assert row["attendees"] == 3
    assert row["pre_reads"] == [
        {"title": "Pods design", "due_label": "25 Nov 14:00", "read": 1, "attendees": 3}
    ]


def test_meetings_query_count_does_not_grow(db, django_assert_num_queries):
    next_week = WEEK.next()
    for day in range(5):
        start = dataset.local(next_week.day(day), 11)
        meeting = factories.MeetingFactory(start=start, end=start + dt.timedelta(hours=1))
        meeting.attendees.set(factories.UserFactory.create_batch(2))
        factories.PreReadAcknowledgementFactory(
            pre_read=factories.PreReadFactory(meeting=meeting), user=meeting.attendees.first()
        )
    with django_assert_num_queries(4):
        meetings = briefing_meetings_section(week=next_week, tz=dataset.LONDON)
    assert len(meetings) == 5
    assert all(m["pre_reads"][0]["read"] == 1 for m in meetings)
