"""Calendars: a person's secret feed token, and the import of events from an .ics file."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadence.calendars import ImportedEvent
from cadence.models import CalendarFeed, Meeting, MeetingKind, MeetingSeries, MeetingState
from cadence.selectors import imported_calendar_uids
from cadence.services.base import SCHEDULE_HORIZON, CadenceInvalid, full_clean

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
    """What an import created, and how many events it left alone as imported before."""

    series: int
    meetings: int
    cancelled: int
    already: int = 0


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
    - an event with nothing in the window (a series that ended, a past one-off) is left out,
      and so is one whose UID was imported before (``selectors.imported_calendar_uids``): importing the
      same export twice creates nothing new. Two imports of it at once: the second
      raises ``CadenceInvalid`` (the UID constraints), having written nothing.

    Durations are clamped to 5 minutes – 3 days (the series' limits).
    """
    start, end = import_window(now=now or timezone.now(), since=since)
    series_count = meeting_count = cancelled_count = already = 0
    try:
        with transaction.atomic():
            known = imported_calendar_uids(events)
            for event in events:
                if event.uid in known:
                    already += 1
                    continue
                series, created = _import_event(event, by=by, start=start, end=end)
                series_count += series is not None
                meeting_count += len(created)
                cancelled_count += sum(1 for m in created if m.state == MeetingState.CANCELLED)
    except IntegrityError as exc:
        raise CadenceInvalid(
            "These events were being imported at the same moment: nothing was imported twice."
        ) from exc
    return ImportResult(series_count, meeting_count, cancelled_count, already)


def _import_event(
    event: ImportedEvent, *, by: User, start: dt.datetime, end: dt.datetime
) -> tuple[MeetingSeries | None, list[Meeting]]:
    """One event's series (None for a one-off) and meetings in ``[start, end)``, saved;
    nothing for an event with nothing in the window."""
    minutes = min(max(event.duration_minutes, _MIN_MINUTES), _MAX_MINUTES)
    occurrences = event.occurrences(start, end)
    excluded = [
        aware
        for aware in (x.replace(tzinfo=event.first_start.tzinfo) for x in event.exdates)
        if start <= aware < end
    ]
    if not occurrences and not excluded:
        return None, []
    series = None
    if event.rrule:
        series = MeetingSeries(
            ical_uid=event.uid,
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
            ical_uid="" if series else event.uid,
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
    return series, created
