"""The database itself refuses meeting rows that break a rule."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cadence.models import Meeting
from tests import factories
from tests.constraints import refused


def test_meeting_must_end_after_it_starts(db):
    start = timezone.now()
    refused(lambda: Meeting.objects.create(title="Backwards", start=start, end=start))
    refused(
        lambda: Meeting.objects.create(
            title="Backwards", start=start, end=start - dt.timedelta(hours=1)
        )
    )


def test_state_outside_the_choices_is_refused(db):
    meeting = factories.MeetingFactory()
    refused(lambda: Meeting.objects.filter(pk=meeting.pk).update(state="bogus"))
