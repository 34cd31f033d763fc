"""The cadence's mails against a real SMTP sink: agenda, pre-read reminder, minutes recap,
each once per meeting and person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadence import services, tasks
from cadence.models import MeetingMail
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(db):
    cos = factories.chief_of_staff(username="cos", email="cos@example.com")
    meeting = factories.MeetingFactory(
        title="Staff meeting", start=timezone.now() + dt.timedelta(hours=10)
    )
    ada = factories.UserFactory(username="ada", email="ada@example.com")
    bob = factories.UserFactory(username="bob", email="bob@example.com")
    meeting.attendees.add(cos, ada, bob)
    services.agenda_item_add(meeting=meeting, by=cos, title="Roadmap", time_box_minutes=20)
    services.pre_read_add(
        meeting=meeting, by=cos, title="Roadmap memo", url="https://example.com/m"
    )
    meeting.cos = cos
    return meeting


def test_agenda_mail_goes_once_to_each_attendee(smtp_sink, settings, meeting):
    settings.SITE_URL = "https://cto.example.com"
    tasks.agenda_publish_and_mail(meeting=meeting, by=meeting.cos)
    assert sorted(m["X-Envelope-To"] for m in smtp_sink.messages) == [
        "ada@example.com",
        "bob@example.com",
        "cos@example.com",
    ]
    [message] = smtp_sink.to("ada@example.com")
    assert message["Subject"].strip().startswith("Agenda: Staff meeting")
    text, html = smtp_sink.parts(message)
    assert "1. Roadmap (20 min)" in text and "https://example.com/m" in text
    assert f'href="https://cto.example.com/meetings/{meeting.pk}/"' in html
    # The task running again (a redelivery) sends nothing more.
    for user in meeting.attendees.all():
        assert tasks.send_meeting_mail(meeting.pk, user.pk, "agenda") == 0
    assert len(smtp_sink.messages) == 3
    assert MeetingMail.objects.filter(meeting=meeting, sent_at__isnull=False).count() == 3


def test_the_constraint_refuses_a_second_row_per_person(meeting):
    user = meeting.attendees.first()
    MeetingMail.objects.create(meeting=meeting, user=user, kind="agenda")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingMail.objects.create(meeting=meeting, user=user, kind="agenda")


def test_reminder_goes_only_to_those_who_have_not_read(smtp_sink, meeting):
    tasks.agenda_publish_and_mail(meeting=meeting, by=meeting.cos)
    smtp_sink.messages.clear()
    services.pre_read_acknowledge(
        pre_read=meeting.pre_reads.get(), by=meeting.attendees.get(username="ada")
    )
    # 24 hours by default: the meeting, 10 hours away, is due a reminder.
    assert tasks.send_pre_read_reminders() == 2
    assert sorted(m["X-Envelope-To"] for m in smtp_sink.messages) == [
        "bob@example.com",
        "cos@example.com",
    ]
    assert (
        smtp_sink.messages[0]["Subject"].strip().startswith("Reminder: pre-reads for Staff meeting")
    )
    assert tasks.send_pre_read_reminders() == 0  # once per meeting and person


def test_no_reminder_outside_the_configured_hours(smtp_sink, meeting):
    factories.OfficeSettingsFactory(pre_read_reminder_hours=6)
    tasks.agenda_publish_and_mail(meeting=meeting, by=meeting.cos)
    assert tasks.send_pre_read_reminders() == 0


def test_minutes_recap_lists_decisions_actions_and_carry_over(smtp_sink, meeting):
    cos = meeting.cos
    tasks.agenda_publish_and_mail(meeting=meeting, by=cos)
    smtp_sink.messages.clear()
    services.meeting_go_live(meeting=meeting, by=cos)
    services.decision_record(meeting=meeting, by=cos, summary="Ship the new pipeline")
    factories.ActionItemFactory(
        source_meeting=meeting, title="Write the migration guide", owner=cos
    )
    services.meeting_mark_held(meeting=meeting, by=cos)
    services.minutes_save(meeting=meeting, by=cos, minutes="**Agreed** to ship.")
    tasks.minutes_publish_and_mail(meeting=meeting, by=cos)
    assert len(smtp_sink.messages) == 3
    [message] = smtp_sink.to("cos@example.com")
    text, html = smtp_sink.parts(message)
    assert message["Subject"].strip().startswith("Minutes: Staff meeting")
    assert "Ship the new pipeline" in text and "Write the migration guide" in text
    assert "<strong>Agreed</strong>" in html


def test_a_real_worker_sends_each_agenda_once_despite_a_duplicate_task(
    smtp_sink, meeting, redis_worker
):
    tasks.agenda_publish_and_mail(meeting=meeting, by=meeting.cos)
    smtp_sink.wait_for(3)
    # A redelivered or duplicated task for a person already mailed sends nothing.
    ada = meeting.attendees.get(username="ada")
    results = [
        tasks.send_meeting_mail.apply_async((meeting.pk, ada.pk, "agenda"), ignore_result=False)
        for _ in range(2)
    ]
    assert [r.get(timeout=60) for r in results] == [0, 0]
    assert len(smtp_sink.messages) == 3 and len(smtp_sink.to("ada@example.com")) == 1


def test_recap_of_a_series_meeting_lists_the_carried_over_actions_still_open(smtp_sink):
    cos = factories.chief_of_staff(username="cos", email="cos@example.com")
    series = factories.MeetingSeriesFactory()
    earlier = factories.MeetingFactory(
        series=series, start=timezone.now() - dt.timedelta(days=7), state="minutes_published"
    )
    factories.ActionItemFactory(source_meeting=earlier, title="Still open thing", owner=cos)
    factories.ActionItemFactory(
        source_meeting=earlier, title="Finished thing", owner=cos, status="done"
    )
    meeting = factories.MeetingFactory(series=series, start=timezone.now())
    meeting.attendees.add(cos)
    services.agenda_item_add(meeting=meeting, by=cos, title="Round table", time_box_minutes=10)
    services.agenda_publish(meeting=meeting, by=cos)
    services.meeting_mark_held(meeting=meeting, by=cos)
    services.minutes_save(meeting=meeting, by=cos, minutes="Short one.")
    tasks.minutes_publish_and_mail(meeting=meeting, by=cos)
    [message] = smtp_sink.to("cos@example.com")
    text, html = smtp_sink.parts(message)
    carried = text.split("Carried-over actions still open:")[1]
    assert "Still open thing" in carried and "Finished thing" not in text
    assert "Still open thing" in html
