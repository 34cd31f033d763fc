"""Calendars: a person's secret feed token, and the import of events from an .ics file."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cadence.calendars import ImportedEvent
from cadence.models import CalendarFeed, Meeting, MeetingKind, MeetingSeries, MeetingState
from cadence.services.base import SCHEDULE_HORIZON, full_clean

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: A series' length must fit ``MeetingSeries.duration_minutes``' validators (5 min to 3 days).
_MIN_MINUTES, _MAX_MINUTES = 5, 60 * 24 * 3


def calendar_feed_rotate(*, by: User) -> CalendarFeed:
    """Give ``by`` a new secret feed token (256 bits, ``secrets.token_urlsafe``); the old
    URL, if any, stops working at once."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=by).delete()
        return CalendarFeed.objects.create(user=by, token=secrets.token_urlsafe(32))


def calendar_feed_revoke(*, by: User) -> None:
    """Revoke ``by``'s feed: its URL answers 404 from now on."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=by).delete()


@dataclass(frozen=True)
class ImportResult:
    series: int
    meetings: int
    cancelled: int


def import_window(
    *, now: dt.datetime, since: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The span an import makes meetings in (aware): from ``since``, by default ``now``
    (earlier occurrences are history, not meetings to run), to ``SCHEDULE_HORIZON``
    after ``now``, where the daily scheduler takes over."""
    return since or now, now + SCHEDULE_HORIZON


def calendar_import(
    *,
    by: User,
    events: list[ImportedEvent],
    now: dt.datetime | None = None,
    since: dt.datetime | None = None,
) -> ImportResult:
    """Create what ``events`` (``cadence.calendars.parse_calendar``) describe within
    ``import_window(now=now, since=since)``, all or nothing:

    - a recurring event becomes a ``MeetingSeries`` (owner and attendee ``by``, kind
      "other", its RRULE and zone) with one meeting per occurrence in the window (at
      most ``MAX_OCCURRENCES``): a moved instance at its new time (``original_start``
      kept), a cancelled one and each EXDATE as a cancelled meeting, so the scheduler
      never brings them back;
    - a single event becomes a one-off meeting;
    - an event with nothing in the window (a series that ended, a past one-off) is left out.

    Durations are clamped to 5 minutes – 3 days (the series' limits).
    """
    start, end = import_window(now=now or timezone.now(), since=since)
    series_count = meeting_count = cancelled_count = 0
    with transaction.atomic():
        for event in events:
            minutes = min(max(event.duration_minutes, _MIN_MINUTES), _MAX_MINUTES)
            occurrences = event.occurrences(start, end)
            excluded = [
                aware
                for aware in (x.replace(tzinfo=event.first_start.tzinfo) for x in event.exdates)
                if start <= aware < end
            ]
            if not occurrences and not excluded:
                continue
            series = None
            if event.rrule:
                series = MeetingSeries(
                    title=event.title[:200],
                    kind=MeetingKind.OTHER,
                    owner=by,
                    rrule=event.rrule,
                    time_zone=event.time_zone,
                    first_start=event.first_start,
                    duration_minutes=minutes,
                )
                full_clean(series)
                series.save()
                series.default_attendees.add(by)
                series_count += 1
            rows = [
                Meeting(
                    series=series,
                    title=occurrence.title[:200],
                    kind=MeetingKind.OTHER,
                    start=occurrence.start,
                    end=occurrence.start + dt.timedelta(minutes=minutes)
                    if occurrence.end <= occurrence.start
                    else occurrence.end,
                    location=event.location,
                    original_start=occurrence.original_start if series else None,
                    state=MeetingState.CANCELLED if occurrence.cancelled else MeetingState.DRAFT,
                )
                for occurrence in occurrences
            ]
            rows += [
                Meeting(
                    series=series,
                    title=event.title[:200],
                    start=exdate,
                    end=exdate + dt.timedelta(minutes=minutes),
                    original_start=exdate,
                    state=MeetingState.CANCELLED,
                )
                for exdate in (sorted(excluded) if series else ())
            ]
            created = Meeting.objects.bulk_create(rows)
            Meeting.attendees.through.objects.bulk_create(
                Meeting.attendees.through(meeting_id=m.pk, user_id=by.pk) for m in created
            )
            meeting_count += len(created)
            cancelled_count += sum(1 for m in created if m.state == MeetingState.CANCELLED)
    return ImportResult(series_count, meeting_count, cancelled_count)
