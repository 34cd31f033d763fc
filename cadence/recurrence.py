"""Recurrence rules: the plain form's fields as an RFC 5545 RRULE, and its expansion.

A series keeps its rule as an RRULE value (``FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH``)
and its first start as a wall-clock time in its own IANA time zone. Expansion
runs python-dateutil on naive local times and localises each occurrence
afterwards, so a 10:00 Europe/London meeting stays at 10:00 local time across
the clock change (RFC 5545 §3.3.10: the recurrence follows local time).

A helper module with no models: ``cadence.models`` and the forms both use it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from dateutil.rrule import rrulestr

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Values of "monthly on the Nth weekday": 1–4 or -1 (the last one).
MONTH_WEEKS = ((1, "first"), (2, "second"), (3, "third"), (4, "fourth"), (-1, "last"))


@dataclass(frozen=True)
class Recurrence:
    """What the series form asks, as one value.

    ``freq`` "weekly" (on ``weekdays``, 0 = Monday, every ``interval`` weeks) or
    "monthly" (on the ``month_week``-th ``weekdays[0]``, every ``interval``
    months); it ends on ``until`` (a date, inclusive, in the series' zone) or
    after ``count`` occurrences, or never.
    """

    freq: str = "weekly"
    interval: int = 1
    weekdays: tuple[int, ...] = field(default=(0,))
    month_week: int = 1
    until: dt.date | None = None
    count: int | None = None

    def rrule(self) -> str:
        """The RFC 5545 RRULE value (without the ``RRULE:`` prefix). ``ValueError`` when
        the fields do not make a rule (no weekday, a bad interval, both until and count)."""
        if self.interval < 1:
            raise ValueError("Repeat every 1 or more.")
        if not self.weekdays:
            raise ValueError("Choose at least one weekday.")
        if self.until and self.count:
            raise ValueError("End on a date or after a number of meetings, not both.")
        if self.freq == "weekly":
            days = ",".join(WEEKDAY_CODES[d] for d in sorted(set(self.weekdays)))
            parts = ["FREQ=WEEKLY", f"BYDAY={days}"]
        elif self.freq == "monthly":
            if self.month_week not in dict(MONTH_WEEKS):
                raise ValueError("Choose the first to fourth, or the last, weekday of the month.")
            parts = ["FREQ=MONTHLY", f"BYDAY={self.month_week}{WEEKDAY_CODES[self.weekdays[0]]}"]
        else:
            raise ValueError(f"Unknown frequency {self.freq!r}.")
        if self.interval > 1:
            parts.insert(1, f"INTERVAL={self.interval}")
        if self.until:
            # A floating local UNTIL matches a floating DTSTART (RFC 5545 §3.3.10).
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        if self.count:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def expand(
    rrule: str,
    *,
    first_start: dt.datetime,
    time_zone: str,
    start: dt.datetime,
    end: dt.datetime,
    exdates: frozenset[dt.datetime] = frozenset(),
    limit: int | None = None,
) -> list[dt.datetime]:
    """Aware start times of ``rrule`` from ``first_start`` in ``[start, end)``, in ``time_zone``.

    ``first_start``, ``start`` and ``end`` are aware datetimes (any zone);
    ``exdates`` are naive local wall-clock times to leave out (iCalendar EXDATE);
    ``limit`` stops after that many occurrences. ``ValueError`` for a rule
    python-dateutil cannot parse.
    """
    tz = zoneinfo.ZoneInfo(time_zone)
    local_first = first_start.astimezone(tz).replace(tzinfo=None)
    rule = rrulestr(rrule.removeprefix("RRULE:"), dtstart=local_first, ignoretz=True)
    naive_start = start.astimezone(tz).replace(tzinfo=None)
    result: list[dt.datetime] = []
    for naive in rule.xafter(naive_start, inc=True):
        aware = naive.replace(tzinfo=tz)
        if aware >= end or (limit is not None and len(result) >= limit):
            break
        if naive not in exdates and aware >= start:
            result.append(aware)
    return result


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_KNOWN = {"FREQ", "INTERVAL", "BYDAY", "BYSETPOS", "BYMONTHDAY", "UNTIL", "COUNT", "WKST"}


def describe(rrule: str) -> str:
    """An RRULE in words for the Chief of Staff: "Every 2 weeks on Monday and Thursday",
    "Every month on the last Friday, until 30 Dec 2019", "Every day on weekdays, 10 times".
    A rule with parts beyond these (BYHOUR, BYMONTH, several ordinals…) is returned as
    it is: an RRULE is still exact where a half-translation would mislead."""
    try:
        parts = dict(part.split("=", 1) for part in rrule.removeprefix("RRULE:").split(";"))
        unit = _UNITS[parts["FREQ"]]
        interval = int(parts.get("INTERVAL", 1))
        days = [
            (int(day[:-2]) if day[:-2] else None, WEEKDAY_CODES.index(day[-2:]))
            for day in filter(None, parts.get("BYDAY", "").split(","))
        ]
        setpos = int(parts["BYSETPOS"]) if "BYSETPOS" in parts else None
    except (KeyError, ValueError):
        return rrule
    if set(parts) - _KNOWN or (setpos is not None and len(days) != 1):
        return rrule
    text = f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"
    ordinals = {n for n, _ in days} | ({setpos} if setpos is not None else set())
    ordinals.discard(None)
    if days and ordinals:
        if len(ordinals) > 1 or len(days) > 1 or ordinals - set(_ORDINALS):
            return rrule
        text += f" on the {_ORDINALS[ordinals.pop()]} {WEEKDAY_NAMES[days[0][1]]}"
    elif sorted(d for _, d in days) == [0, 1, 2, 3, 4]:
        text += " on weekdays"
    elif days:
        names = [WEEKDAY_NAMES[d] for _, d in sorted(days, key=lambda day: day[1])]
        text += " on " + (" and ".join(names) if len(names) < 3 else ", ".join(names))
    if "BYMONTHDAY" in parts:
        text += f" on day {parts['BYMONTHDAY']}"
    if "UNTIL" in parts:
        until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d")
        text += f", until {until.day} {until:%b %Y}"
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    return text
