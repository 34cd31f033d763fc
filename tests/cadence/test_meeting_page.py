"""The meeting page's changes (htmx and plain POST), denied cases, the pre-read file view,
and the page's query ceiling as the agenda grows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import ActionItem
from cadence import services
from cadence.models import Meeting, MeetingState
from tests import factories

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(cos, lead):
    meeting = factories.MeetingFactory(title="Staff meeting")
    meeting.attendees.add(cos, lead)
    return meeting


def _url(name, *args):
    return reverse(f"cadence:{name}", args=args)


def test_staff_who_does_not_attend_gets_404_for_meeting_and_pre_read(client, staff, meeting, cos):
    pre_read = services.pre_read_add(
        meeting=meeting, by=cos, title="Plan", file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n")
    )
    client.force_login(staff)
    assert client.get(_url("meeting_detail", meeting.pk)).status_code == 404
    assert client.get(_url("pre_read_download", pre_read.pk)).status_code == 404
    assert (
        client.post(_url("pre_read_acknowledge", meeting.pk), {"pre_read": pre_read.pk}).status_code
        == 404
    )
    assert client.post(_url("agenda_publish", meeting.pk)).status_code == 404


def test_attendee_who_is_not_cos_cannot_change_the_meeting(client, lead, meeting):
    factories.AgendaItemFactory(meeting=meeting)
    client.force_login(lead)
    assert client.post(_url("agenda_publish", meeting.pk), **HX).status_code == 403
    assert client.post(_url("agenda_item_add", meeting.pk), {"title": "X"}).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.DRAFT


def test_pre_read_file_is_served_as_an_attachment_with_nosniff(client, lead, meeting, cos):
    pre_read = services.pre_read_add(
        meeting=meeting,
        by=cos,
        title="Plan",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\nplan"),
    )
    client.force_login(lead)
    response = client.get(_url("pre_read_download", pre_read.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plan')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_media_url_is_not_served(client, lead, meeting, cos):
    pre_read = services.pre_read_add(
        meeting=meeting, by=cos, title="Plan", file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n")
    )
    client.force_login(lead)
    assert client.get("/media/" + pre_read.file.name).status_code == 404


def test_upload_of_a_renamed_executable_is_refused_with_input_kept(client, cos, meeting):
    client.force_login(cos)
    response = client.post(
        _url("pre_read_add", meeting.pk),
        {"title": "Budget", "file": SimpleUploadedFile("budget.pdf", b"MZ\x90\x00binary")},
        **HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "judged by its content" in html
    assert 'value="Budget"' in html
    assert not meeting.pre_reads.exists()


def test_adding_an_agenda_item_swaps_the_body_with_the_running_total(client, cos, meeting):
    client.force_login(cos)
    response = client.post(
        _url("agenda_item_add", meeting.pk),
        {"title": "Hiring plan", "time_box_minutes": 70, "kind": "discussion"},
        **HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="meeting-body"')
    assert "Hiring plan" in html
    assert "70 of 60 min planned" in html
    assert "agenda-bar is-over" in html and "Over by 10 min" in html


def test_an_invalid_agenda_item_is_422_with_the_message(client, cos, meeting):
    client.force_login(cos)
    response = client.post(
        _url("agenda_item_add", meeting.pk), {"title": "Hiring", "time_box_minutes": 0}, **HX
    )
    assert response.status_code == 422
    assert 'value="Hiring"' in response.content.decode()
    assert not meeting.agenda_items.exists()


def test_keyboard_move_and_publish_without_javascript(client, cos, meeting):
    first = factories.AgendaItemFactory(meeting=meeting, title="First", position=0)
    factories.AgendaItemFactory(meeting=meeting, title="Second", position=1)
    client.force_login(cos)
    response = client.post(_url("agenda_item_move", meeting.pk), {"item": first.pk, "position": 1})
    assert response.status_code == 302
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Second", "First"]
    client.post(_url("agenda_publish", meeting.pk))
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.AGENDA_PUBLISHED


def test_out_of_order_transition_is_409_with_the_reason(client, cos, meeting):
    client.force_login(cos)
    response = client.post(_url("minutes_publish", meeting.pk), **HX)
    assert response.status_code == 409
    assert "Cannot publish the minutes" in response.content.decode()


def test_live_capture_of_a_decision(client, cos, lead, meeting):
    item = factories.AgendaItemFactory(meeting=meeting, title="Vendor choice")
    services.agenda_publish(meeting=meeting, by=cos)
    client.force_login(cos)
    html = client.post(_url("meeting_go_live", meeting.pk), **HX).content.decode()
    assert "data-timer-elapsed" in html and "Record decision" in html
    response = client.post(
        _url("decision_record", meeting.pk),
        {"summary": "Pick vendor B", "decided_by": lead.pk, "agenda_item": item.pk},
        **HX,
    )
    assert response.status_code == 200
    decision = meeting.decisions.get()
    assert (decision.summary, decision.agenda_item, decision.decided_by) == (
        "Pick vendor B",
        item,
        lead,
    )
    assert "Pick vendor B" in response.content.decode()


def test_attendee_marks_a_pre_read_read_and_rates_the_held_meeting(client, cos, lead, meeting):
    pre_read = services.pre_read_add(meeting=meeting, by=cos, title="Memo", body="Text")
    client.force_login(lead)
    html = client.post(
        _url("pre_read_acknowledge", meeting.pk), {"pre_read": pre_read.pk}, **HX
    ).content.decode()
    assert "You have read this" in html
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    html = client.post(_url("meeting_rate", meeting.pk), {"score": 8}, **HX).content.decode()
    assert "Average <strong>8.0</strong>" in html


def test_one_off_meeting_form(client, cos, lead):
    client.force_login(cos)
    response = client.post(
        _url("meeting_create"),
        {
            "title": "Vendor review",
            "kind": "other",
            "start": "2026-12-01T14:00",
            "duration_minutes": 45,
            "attendees": [cos.pk, lead.pk],
            "agenda_template": "Context, 10\nOptions, 20, decision",
        },
    )
    meeting = Meeting.objects.get(title="Vendor review")
    assert response.status_code == 302
    assert meeting.duration_minutes == 45
    assert [(i.title, i.kind) for i in meeting.agenda_items.all()] == [
        ("Context", "discussion"),
        ("Options", "decision"),
    ]
    bad = client.post(_url("meeting_create"), {"title": "X", "agenda_template": "Oops"})
    assert bad.status_code == 422
    client.force_login(lead)
    assert client.get(_url("meeting_create")).status_code == 403


def _series_meeting(viewers, items: int) -> Meeting:
    """A running meeting of a series with ``items`` agenda items, each with a presenter,
    a pre-read (read by some), a decision and an action carried over from the last meeting."""
    series = factories.MeetingSeriesFactory()
    people = [factories.UserFactory() for _ in range(6)]
    earlier = factories.MeetingFactory(series=series, start=timezone.now() - dt.timedelta(days=7))
    factories.DecisionFactory(meeting=earlier)
    meeting = factories.MeetingFactory(series=series, state=MeetingState.AGENDA_PUBLISHED)
    meeting.attendees.add(*viewers, *people)
    for i in range(items):
        item = factories.AgendaItemFactory(meeting=meeting, presenter=people[i % 6])
        pre_read = factories.PreReadFactory(meeting=meeting, agenda_item=item)
        factories.PreReadAcknowledgementFactory(pre_read=pre_read, user=people[i % 6])
        factories.DecisionFactory(meeting=meeting, agenda_item=item)
        factories.ActionItemFactory(source_meeting=earlier, owner=people[i % 6])
        factories.ActionItemFactory(source_meeting=meeting, owner=people[i % 6])
    services.meeting_go_live(meeting=meeting, by=viewers[0])
    return meeting


#: The meeting page's ceiling, whatever the agenda's length: session, user, role groups,
#: office settings, the meeting, attendees, agenda, escalations, pre-reads and their
#: acknowledgements, decisions, actions, ratings, and the series' carry-over (4); a team
#: lead's actions also read the teams they lead (2).
MEETING_PAGE_QUERIES = {"cos": 17, "lead": 19, "staff": 17}


@pytest.mark.parametrize("viewer", ["cos", "lead", "staff"])
def test_meeting_page_queries_do_not_grow_with_the_agenda(
    client, cos, lead, staff, viewer, django_assert_max_num_queries
):
    user = {"cos": cos, "lead": lead, "staff": staff}[viewer]
    short, long = _series_meeting([cos, lead, staff], 5), _series_meeting([cos, lead, staff], 40)
    client.force_login(user)
    counts = []
    for meeting in (short, long):
        for headers in ({}, HX):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(_url("meeting_detail", meeting.pk), **headers)
            assert response.status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3]  # 5 items cost what 40 cost
    with django_assert_max_num_queries(MEETING_PAGE_QUERIES[viewer]):
        client.get(_url("meeting_detail", long.pk))


def test_meeting_pack_pdf_has_agenda_and_markdown_pre_reads(client, cos, lead, staff, meeting):
    factories.AgendaItemFactory(meeting=meeting, title="Quarterly roadmap")
    services.pre_read_add(meeting=meeting, by=cos, title="Memo", body="## Context\n\nWe grow.")
    services.pre_read_add(
        meeting=meeting, by=cos, title="Deck", file=SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n")
    )
    client.force_login(lead)
    response = client.get(_url("meeting_pack", meeting.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Quarterly roadmap" in text and "We grow." in text and "deck" in text
    client.force_login(staff)
    assert client.get(_url("meeting_pack", meeting.pk)).status_code == 404


def test_live_capture_of_an_action_through_the_action_register(client, cos, lead, meeting):
    item = factories.AgendaItemFactory(meeting=meeting, title="Hiring")
    services.agenda_publish(meeting=meeting, by=cos)
    services.meeting_go_live(meeting=meeting, by=cos)
    client.force_login(cos)
    response = client.post(
        _url("action_capture", meeting.pk),
        {
            "title": "Draft the hiring plan",
            "owner": lead.pk,
            "due_date": "2030-01-10",
            "agenda_item": item.pk,
        },
        **HX,
    )
    assert response.status_code == 200
    action = ActionItem.objects.get(source_meeting=meeting)
    assert (action.title, action.owner, action.source) == ("Draft the hiring plan", lead, "meeting")
    assert "Hiring" in action.description
    assert action.updates.count() == 1  # the register's own history starts
    assert action.key in response.content.decode()
    bad = client.post(_url("action_capture", meeting.pk), {"title": "No owner"}, **HX)
    assert bad.status_code == 422 and 'value="No owner"' in bad.content.decode()


def test_next_meeting_of_a_series_carries_over_open_actions_and_last_decisions(client, cos):
    series = factories.MeetingSeriesFactory()
    earlier = factories.MeetingFactory(
        series=series, start=timezone.now() - dt.timedelta(days=7), state=MeetingState.HELD
    )
    factories.ActionItemFactory(
        source_meeting=earlier, title="Finished thing", status=ActionItem.Status.DONE
    )
    open_action = factories.ActionItemFactory(source_meeting=earlier, title="Still open thing")
    factories.DecisionFactory(meeting=earlier, summary="Last week's call")
    meeting = factories.MeetingFactory(series=series)
    client.force_login(cos)
    html = client.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert "Still open thing" in html and "Finished thing" not in html
    assert "Last week&#x27;s call" in html or "Last week's call" in html
    html = client.post(
        _url("carry_over_review", meeting.pk), {"action": open_action.pk}, **HX
    ).content.decode()
    assert html.count("Reviewed</span>") == 1


def test_agenda_item_edit_sets_presenter_and_outcome(client, cos, lead, meeting):
    item = factories.AgendaItemFactory(meeting=meeting, title="Budget")
    client.force_login(cos)
    response = client.post(
        _url("agenda_item_update", meeting.pk),
        {
            "item": item.pk,
            "title": "Budget 2027",
            "time_box_minutes": 25,
            "kind": "decision",
            "presenter": lead.pk,
            "notes": "Approved with changes.",
        },
        **HX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.title, item.time_box_minutes, item.kind, item.presenter, item.notes) == (
        "Budget 2027",
        25,
        "decision",
        lead,
        "Approved with changes.",
    )
    bad = client.post(
        _url("agenda_item_update", meeting.pk),
        {"item": item.pk, "title": "", "time_box_minutes": 0, "kind": "decision"},
        **HX,
    )
    assert bad.status_code == 422 and "Agenda item" in bad.content.decode()


def test_meeting_details_edit_bumps_the_calendar_sequence(client, cos, lead, meeting):
    client.force_login(cos)
    response = client.post(
        _url("meeting_edit", meeting.pk),
        {"title": "Renamed", "kind": "staff", "location": "Room 4", "attendees": [lead.pk]},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location, meeting.sequence) == ("Renamed", "Room 4", 1)
    assert list(meeting.attendees.all()) == [lead]
    client.force_login(lead)
    assert client.get(_url("meeting_edit", meeting.pk)).status_code == 403


def test_escalation_raised_on_an_agenda_item_shows_to_those_who_may_see_it(
    client, cos, lead, meeting
):
    item = factories.AgendaItemFactory(meeting=meeting, title="Escalations raised to the CTO")
    open_one = factories.EscalationFactory(title="Vendor outage", agenda_item=item)
    factories.EscalationFactory(title="Secret matter", agenda_item=item, confidential=True)
    client.force_login(lead)
    html = client.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert open_one.key in html and "Vendor outage" in html
    assert "Secret matter" not in html
    client.force_login(cos)
    assert "Secret matter" in client.get(_url("meeting_detail", meeting.pk)).content.decode()
