"""The meetings list and the meeting page: agenda time boxes, pre-read status, decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "url", [reverse("cadence:meetings"), reverse("cadence:meeting_detail", args=[1])]
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_meetings_lists_only_meetings_the_user_attends(client, staff):
    mine = factories.MeetingFactory(title="Guild sync")
    mine.attendees.add(staff)
    factories.MeetingFactory(title="Board prep")
    client.force_login(staff)
    html = _text(client.get(reverse("cadence:meetings")))
    assert "Guild sync" in html
    assert "Board prep" not in html


def test_meetings_splits_upcoming_and_past(client, cos):
    now = timezone.now()
    factories.MeetingFactory(title="Next week", start=now + dt.timedelta(days=7))
    factories.MeetingFactory(title="Last month", start=now - dt.timedelta(days=30))
    client.force_login(cos)
    upcoming = _text(client.get(reverse("cadence:meetings")))
    past = _text(client.get(reverse("cadence:meetings"), {"when": "past"}))
    assert "Next week" in upcoming and "Last month" not in upcoming
    assert "Last month" in past and "Next week" not in past


@pytest.mark.parametrize(
    ("office_tz", "listed_as"), [("Pacific/Auckland", "past"), ("Europe/London", "upcoming")]
)
def test_meetings_split_at_the_start_of_the_offices_day(
    client, cos, office_in, office_tz, listed_as
):
    now = office_in(office_tz)  # 00:30 on the 11th in Auckland, 11:30 on the 10th in London
    # 23:45 on the 10th in Auckland (yesterday there), 10:45 on the 10th in London (today).
    factories.MeetingFactory(title="Ops review", start=now - dt.timedelta(minutes=45))
    client.force_login(cos)
    upcoming = _text(client.get(reverse("cadence:meetings")))
    past = _text(client.get(reverse("cadence:meetings"), {"when": "past"}))
    assert ("Ops review" in upcoming) is (listed_as == "upcoming")
    assert ("Ops review" in past) is (listed_as == "past")


def test_meetings_htmx_request_gets_only_the_rows(client, cos):
    factories.MeetingFactory(title="Ops review")
    client.force_login(cos)
    response = client.get(reverse("cadence:meetings"), HTTP_HX_REQUEST="true")
    html = _text(response)
    assert html.lstrip().startswith('<div id="meeting-rows"')
    assert "Ops review" in html
    assert "HX-Request" in response["Vary"]


def test_meetings_runs_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    series = factories.MeetingSeriesFactory()
    now = timezone.now()
    for i in range(40):
        meeting = factories.MeetingFactory(
            series=series if i % 2 else None, start=now + dt.timedelta(days=i, hours=1)
        )
        meeting.attendees.add(staff, factories.UserFactory())
    client.force_login(staff)
    # session, user, office settings (where today starts), role groups, count, page
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cadence:meetings"))
    assert len(response.context["page"]) == 40


@pytest.fixture
def meeting(staff, lead):
    """A 60-minute meeting with a 70-minute agenda, two pre-reads (one read by staff), a decision and an action."""
    meeting = factories.MeetingFactory(title="CTO staff meeting", location="Room 4")
    meeting.attendees.add(staff, lead)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Incidents", time_box_minutes=15)
    factories.AgendaItemFactory(
        meeting=meeting, position=2, title="Hiring plan", time_box_minutes=30
    )
    factories.AgendaItemFactory(
        meeting=meeting, position=3, title="Platform roadmap", time_box_minutes=25
    )
    read = factories.PreReadFactory(meeting=meeting, title="Incident report")
    factories.PreReadFactory(meeting=meeting, title="Roadmap draft")
    factories.PreReadAcknowledgementFactory(pre_read=read, user=staff)
    factories.DecisionFactory(meeting=meeting, summary="Freeze hiring in Q3", rationale="Budget")
    factories.ActionItemFactory(owner=staff, source_meeting=meeting, title="Draft the freeze memo")
    factories.ActionItemFactory(source_meeting=meeting, title="Someone else's follow-up")
    return meeting


def test_meeting_page_shows_agenda_with_running_total_against_length(client, staff, meeting):
    client.force_login(staff)
    response = client.get(reverse("cadence:meeting_detail", args=[meeting.pk]))
    html = _text(response)
    assert response.status_code == 200
    assert [(i.title, i.ends_at) for i in response.context["agenda"]] == [
        ("Incidents", 15),
        ("Hiring plan", 45),
        ("Platform roadmap", 70),
    ]
    assert "70 of 60 min planned" in html
    assert "longer than the 60-minute meeting" in html
    assert [i.over_time for i in response.context["agenda"]] == [False, False, True]


def test_meeting_page_shows_pre_read_status(client, staff, meeting):
    client.force_login(staff)
    response = client.get(reverse("cadence:meeting_detail", args=[meeting.pk]))
    status = {p.title: (p.read_by_me, p.readers_count) for p in response.context["pre_reads"]}
    assert status == {"Incident report": (True, 1), "Roadmap draft": (False, 0)}
    html = _text(response)
    assert "You have read this" in html and "Mark as read" in html
    assert "read by 1 of 2" in html


def test_meeting_page_shows_decisions_and_only_visible_actions(client, staff, meeting):
    client.force_login(staff)
    html = _text(client.get(reverse("cadence:meeting_detail", args=[meeting.pk])))
    assert "Freeze hiring in Q3" in html and "Budget" in html
    assert "Draft the freeze memo" in html
    assert "Someone else&#x27;s follow-up" not in html


def test_meeting_page_is_404_for_a_non_attendee(client, meeting):
    outsider = factories.UserFactory()
    client.force_login(outsider)
    assert client.get(reverse("cadence:meeting_detail", args=[meeting.pk])).status_code == 404


def test_office_opens_any_meeting(client, cto, meeting):
    client.force_login(cto)
    response = client.get(reverse("cadence:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Not read by you" not in _text(response)  # the CTO is not an attendee here


def test_meeting_page_runs_a_fixed_number_of_queries(client, cos, django_assert_max_num_queries):
    meeting = factories.MeetingFactory(state=Meeting.State.AGENDA_PUBLISHED)
    people = [factories.UserFactory() for _ in range(12)]
    meeting.attendees.add(*people)
    items = [factories.AgendaItemFactory(meeting=meeting, presenter=people[i]) for i in range(8)]
    for i in range(6):
        pre_read = factories.PreReadFactory(meeting=meeting, agenda_item=items[i])
        for person in people[: i * 2]:
            factories.PreReadAcknowledgementFactory(pre_read=pre_read, user=person)
        factories.DecisionFactory(meeting=meeting, agenda_item=items[i], decided_by=people[i])
        factories.ActionItemFactory(source_meeting=meeting, owner=people[i])
    client.force_login(cos)
    # session, user, role groups, meeting, attendees, agenda, escalations, pre-reads,
    # acknowledgements, decisions, actions, ratings; +1: the office's time zone (middleware)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("cadence:meeting_detail", args=[meeting.pk])).status_code == 200
