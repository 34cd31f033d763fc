"""iCalendar (RFC 5545) in and out, with the icalendar library.

Out: ``build_calendar`` writes meetings as a VCALENDAR that Google Calendar,
Outlook and Apple Calendar subscribe to: a VTIMEZONE for every zone used, a UID
per meeting that never changes (``meeting_uid``), SEQUENCE from the meeting
(bumped by every move or cancellation), ``STATUS:CANCELLED`` for a cancelled
occurrence (RFC 5545 §3.8.1.11), times in the office's zone.

In: ``parse_calendar`` reads an export from Google Calendar, Outlook/Exchange or
Apple Calendar into ``ImportedEvent`` values: the master events' RRULE with
EXDATE, overridden instances (RECURRENCE-ID: moved, retitled or
``STATUS:CANCELLED``), VTIMEZONE with IANA or Windows zone names ("Pacific
Standard Time", via icalendar's ``WINDOWS_TO_OLSON``), all-day events, and
DURATION instead of DTEND. ``ImportedEvent.occurrences`` expands with
``cadence.recurrence.expand`` (python-dateutil) in the event's zone; the tests
check it against recurring-ical-events over the same window. A file that
cannot be read raises ``CalendarError`` naming what and where. RDATE is not read.

A helper module with no models and no database access.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from cadence.recurrence import describe, expand

if TYPE_CHECKING:
    from cadence.models import Meeting

PRODID = "-//CTO Office//Cadence//EN"
#: Past this many occurrences per event the import stops (a rule with no end).
MAX_OCCURRENCES = 500
#: Rules refused: a meeting every second or minute is a mistake, and expanding one from a
#: start years back would take minutes.
_TOO_FREQUENT = {"SECONDLY", "MINUTELY"}


class CalendarError(ValueError):
    """A calendar file we cannot read; the message names the event and the property."""


def meeting_uid(meeting: Meeting, *, domain: str) -> str:
    """The meeting's iCalendar UID: stable for its life (built from its primary key)."""
    return f"meeting-{meeting.pk}@{domain}"


def build_calendar(
    meetings: Iterable[Meeting], *, name: str, tz: zoneinfo.ZoneInfo, domain: str, url_of
) -> bytes:
    """A VCALENDAR of ``meetings`` (times in ``tz``; ``url_of(meeting)`` an absolute link)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz.key)
    stamp = dt.datetime.now(dt.UTC)
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", meeting_uid(meeting, domain=domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.start.astimezone(tz))
        event.add("dtend", meeting.end.astimezone(tz))
        event.add("summary", meeting.title)
        event.add("sequence", meeting.sequence)
        event.add("status", "CANCELLED" if meeting.state == "cancelled" else "CONFIRMED")
        if meeting.location:
            event.add("location", meeting.location)
        link = url_of(meeting)
        event.add("url", link)
        event.add("description", f"Agenda and pre-reads: {link}")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


# Import


@dataclass(frozen=True)
class Occurrence:
    """One instance of an imported event: where the rule put it (``original_start``),
    where it is (``start``/``end``, moved by an override), and whether it is cancelled."""

    original_start: dt.datetime
    start: dt.datetime
    end: dt.datetime
    title: str
    cancelled: bool = False


@dataclass
class ImportedEvent:
    """A master VEVENT and its overrides. Times are aware, in ``time_zone`` (IANA); ``uid``
    is the event's UID ("" if the file gave none, which RFC 5545 does not allow)."""

    uid: str
    title: str
    location: str
    time_zone: str
    first_start: dt.datetime
    duration: dt.timedelta
    all_day: bool = False
    rrule: str = ""
    cancelled: bool = False
    exdates: frozenset[dt.datetime] = frozenset()
    overrides: dict[dt.datetime, Occurrence] = field(default_factory=dict)

    @property
    def repeats(self) -> str:
        """How it repeats, in words (``cadence.recurrence.describe``), or "Once"."""
        return describe(self.rrule) if self.rrule else "Once"

    @property
    def duration_minutes(self) -> int:
        return max(1, int(self.duration.total_seconds() // 60))

    def occurrences(self, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
        """Instances whose start (after overrides) lies in ``[start, end)``, in order, at most
        ``MAX_OCCURRENCES``. The rule is expanded over the window only (a daily series begun
        years ago still has this week's instances); an instance moved into the window from
        outside it is known from its override."""
        if self.rrule:
            originals = expand(
                self.rrule,
                first_start=self.first_start,
                time_zone=self.time_zone,
                start=start,
                end=end,
                exdates=self.exdates,
                limit=MAX_OCCURRENCES,
            )
        else:
            originals = [self.first_start]
        keys = {original.replace(tzinfo=None) for original in originals}
        result = [
            self.overrides.get(original.replace(tzinfo=None))
            or Occurrence(original, original, original + self.duration, self.title, self.cancelled)
            for original in originals
        ]
        result += [moved for key, moved in self.overrides.items() if key not in keys]
        return sorted((o for o in result if start <= o.start < end), key=lambda o: o.start)[
            :MAX_OCCURRENCES
        ]


def _where(component: icalendar.cal.Component) -> str:
    summary = str(component.get("SUMMARY", "")) or "(no title)"
    return f"event “{summary}” (UID {component.get('UID', '?')})"


def _zone_name(prop, fallback: str, where: str) -> str:
    """The IANA zone of a DTSTART/DTEND property: its TZID (IANA or a Windows name), a
    UTC time, or ``fallback`` (X-WR-TIMEZONE, else UTC) for a floating time or a date."""
    value = prop.dt
    tzid = prop.params.get("TZID")
    if tzid:
        tzid = str(tzid).strip('"')
        # IANA; a Windows name; a prefixed IANA name ("/mozilla.org/20050126_1/Europe/Berlin").
        for candidate in (tzid, WINDOWS_TO_OLSON.get(tzid), "/".join(tzid.split("/")[-2:])):
            if candidate:
                try:
                    zoneinfo.ZoneInfo(candidate)
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    continue
                return candidate
        raise CalendarError(f"{where}: unknown time zone “{tzid}” in DTSTART.")
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return "UTC"
    return fallback


def _aware(value: dt.date | dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A DTSTART-like value as an aware datetime in ``tz`` (dates at midnight; floating
    and TZID times keep their wall-clock time in ``tz``; UTC times are converted)."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), tzinfo=tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    if value.utcoffset() == dt.timedelta(0) and getattr(value.tzinfo, "key", "UTC") in (
        "UTC",
        "Etc/UTC",
    ):
        return value.astimezone(tz)
    return value.replace(tzinfo=None).replace(tzinfo=tz)


def _local_rrule(component: icalendar.cal.Component, tz: zoneinfo.ZoneInfo) -> str:
    """The RRULE with a UTC UNTIL turned into the local wall-clock time the expansion uses."""
    rule = component.get("RRULE")
    if isinstance(rule, list):
        rule = rule[0]
    rule = icalendar.vRecur(rule)
    until = rule.get("UNTIL")
    if until:
        value = until[0] if isinstance(until, list) else until
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            rule["UNTIL"] = [value.astimezone(tz).replace(tzinfo=None)]
    return rule.to_ical().decode()


def _exdates(component: icalendar.cal.Component, tz: zoneinfo.ZoneInfo) -> frozenset:
    props = component.get("EXDATE") or []
    if not isinstance(props, list):
        props = [props]
    found = set()
    for prop in props:
        for item in prop.dts:
            found.add(_aware(item.dt, tz).replace(tzinfo=None))
    return frozenset(found)


def _span(component, tz: zoneinfo.ZoneInfo, start: dt.datetime) -> dt.timedelta:
    if component.get("DTEND") is not None:
        end = _aware(component.decoded("DTEND"), tz)
        return end - start
    if component.get("DURATION") is not None:
        return component.decoded("DURATION")
    is_date = not isinstance(component.decoded("DTSTART"), dt.datetime)
    return dt.timedelta(days=1) if is_date else dt.timedelta(0)


def parse_calendar(data: bytes, *, name: str) -> list[ImportedEvent]:
    """Every event of the calendar file ``data`` (called ``name`` in messages), masters with
    their overrides attached, in file order. Raises ``CalendarError`` (nothing partial)."""
    try:
        cal = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise CalendarError(f"{name} is not an iCalendar file: {exc}") from exc
    if getattr(cal, "name", "") != "VCALENDAR":
        raise CalendarError(f"{name} is not an iCalendar file (no VCALENDAR).")
    fallback = str(cal.get("X-WR-TIMEZONE", "UTC"))
    try:
        zoneinfo.ZoneInfo(fallback)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        fallback = WINDOWS_TO_OLSON.get(fallback, "UTC")
    masters: dict[str, ImportedEvent] = {}
    overrides = []
    for component in cal.walk("VEVENT"):
        where = _where(component)
        if component.get("DTSTART") is None:
            raise CalendarError(f"{name}: {where} has no DTSTART.")
        if component.get("RECURRENCE-ID") is not None:
            overrides.append(component)
            continue
        try:
            zone = _zone_name(component["DTSTART"], fallback, where)
            tz = zoneinfo.ZoneInfo(zone)
            start = _aware(component.decoded("DTSTART"), tz)
            event = ImportedEvent(
                uid=str(component.get("UID", "")),
                title=" ".join(str(component.get("SUMMARY", "")).split()) or "(no title)",
                location=str(component.get("LOCATION", ""))[:200],
                time_zone=zone,
                first_start=start,
                duration=_span(component, tz, start),
                all_day=not isinstance(component.decoded("DTSTART"), dt.datetime),
                rrule=_local_rrule(component, tz) if component.get("RRULE") else "",
                cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
                exdates=_exdates(component, tz),
            )
            if event.rrule:
                freq = dict(part.split("=", 1) for part in event.rrule.split(";")).get("FREQ")
                if freq in _TOO_FREQUENT:
                    raise CalendarError(
                        f"{name}: {where} repeats {freq.lower()}: that is not a meeting series."
                    )
                expand(  # a rule dateutil cannot read fails here, naming the event
                    event.rrule,
                    first_start=start,
                    time_zone=zone,
                    start=start,
                    end=start + dt.timedelta(days=1),
                )
        except CalendarError:
            raise
        except (ValueError, TypeError, KeyError) as exc:
            raise CalendarError(f"{name}: {where} cannot be read: {exc}") from exc
        masters[event.uid or f"no UID {len(masters)}"] = event
    for component in overrides:
        uid = str(component.get("UID", ""))
        master = masters.get(uid)
        if master is None:
            continue  # an instance of a series not in this file
        tz = zoneinfo.ZoneInfo(master.time_zone)
        try:
            original = _aware(component.decoded("RECURRENCE-ID"), tz)
            start = _aware(component.decoded("DTSTART"), tz)
            span = _span(component, tz, start) or master.duration
        except (ValueError, TypeError, KeyError) as exc:
            raise CalendarError(f"{name}: {_where(component)} cannot be read: {exc}") from exc
        master.overrides[original.replace(tzinfo=None)] = Occurrence(
            original,
            start,
            start + span,
            " ".join(str(component.get("SUMMARY", master.title)).split()) or master.title,
            str(component.get("STATUS", "")).upper() == "CANCELLED",
        )
    return list(masters.values())
