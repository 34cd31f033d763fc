"""The weekly check-in reminder, to a real SMTP server: owners who have not checked in, once a week."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from briefings import tasks
from briefings.models import CheckInReminder, KeyResult
from briefings.services.check_ins import key_result_check_in
from briefings.services.reminders import check_in_reminder_due, check_in_reminders_send

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = zoneinfo.ZoneInfo("Europe/London")
#: The Thursday of the week after the dataset's: nobody has checked in yet that week.
THURSDAY = dt.date(2025, 11, 27)


def test_owners_without_a_check_in_this_week_get_one_reminder(week_data, smtp_sink):
    diligent = week_data.teams[0]
    for kr in KeyResult.objects.filter(team=diligent):
        key_result_check_in(
            key_result=kr,
            value=kr.current_value,
            confidence=Decimal("0.7"),
            note="",
            day=THURSDAY - dt.timedelta(days=2),
            by=diligent.lead,
        )
    assert check_in_reminders_send(today=THURSDAY) == len(week_data.teams) - 1
    assert check_in_reminders_send(today=THURSDAY) == 0  # a second tick reminds nobody twice
    recipients = sorted(m["X-Envelope-To"] for m in smtp_sink.messages)
    assert recipients == sorted(t.lead.email for t in week_data.teams[1:])
    [mail] = smtp_sink.to(week_data.teams[1].lead.email)
    assert mail["Subject"] == "Check in your key results for 2025-W48"
    text, html = smtp_sink.parts(mail)
    for kr in KeyResult.objects.filter(team=week_data.teams[1]):
        assert kr.title in text and kr.title in html
    assert "/briefings/check-ins/" in text
    assert CheckInReminder.objects.filter(iso_year=2025, iso_week=48).count() == 5


def test_the_reminder_is_due_the_day_before_the_briefing_from_the_chase_hour(week_data):
    # The dataset's office: briefing on Friday, chase hour 9, London.
    thursday_9 = dt.datetime(2025, 11, 27, 9, 0, tzinfo=LONDON)
    assert check_in_reminder_due(now=thursday_9) == THURSDAY
    assert check_in_reminder_due(now=thursday_9 - dt.timedelta(minutes=1)) is None
    assert check_in_reminder_due(now=thursday_9 + dt.timedelta(days=1)) is None


def test_the_hourly_tick_sends_nothing_when_not_due(week_data, smtp_sink, monkeypatch):
    monkeypatch.setattr(tasks, "check_in_reminder_due", lambda: None)
    assert tasks.send_check_in_reminders() == 0
    assert smtp_sink.messages == []
