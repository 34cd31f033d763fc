"""The office's clock: its time zone, "now" and "today", day and week bounds, the ISO week.

"Today" is always the office's day: the date in ``OfficeSettings.time_zone``
(DESIGN.md §2: the organisation's time zone), never the server's ``TIME_ZONE``.
During a request ``OfficeTimeZoneMiddleware`` makes that zone current, so a
view takes ``timezone.localtime()`` once and passes it down; tasks and
commands, which run outside a request, ask ``office_now()`` or
``office_today()`` (one query each for the settings row).

Part of the base of ``cto_office``: it imports ``cto_office.models`` and no app.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from cto_office.models import OfficeSettings


def office_settings() -> OfficeSettings:
    """The settings row, read without writing (one query); unsaved defaults if there is no row yet.

    Pages and the hourly tick read settings through this, not ``OfficeSettings.load()``,
    which creates the row (a write on a GET).
    """
    return OfficeSettings.objects.filter(pk=1).first() or OfficeSettings()


def office_tz() -> zoneinfo.ZoneInfo:
    """The office's time zone (``OfficeSettings.time_zone``, an IANA zone; one query)."""
    return office_settings().tz


def office_now(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: the current time) as an aware datetime in the office's time zone.

    One query. ``.date()`` is the office's today and ``.tzinfo`` its zone, so a
    caller that needs both reads the settings once.
    """
    return (now or timezone.now()).astimezone(office_tz())


def office_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in the office's time zone (one query for the settings)."""
    return office_now(now).date()


def start_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """Midnight at the start of ``day`` in ``tz``, as an aware datetime.

    Built with ``datetime.combine`` on the date, never by adding hours to an
    aware datetime, so a daylight-saving change is the zone's business: a day
    is then 23 or 25 hours long (Python docs, "zoneinfo": wall-time arithmetic).
    """
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of ``day`` in ``tz``: this midnight and the next (DST-safe)."""
    return start_of_day(day, tz), start_of_day(day + dt.timedelta(days=1), tz)


def monday_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


_WEEK_RE = re.compile(r"\s*(\d{4})-?[Ww](\d{1,2})\s*")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week: ``year`` is the ISO year (which may differ from the calendar
    year around New Year), ``week`` 1–52 or 53.

    Construct with ``IsoWeek.of(date)`` or ``IsoWeek.parse("2026-W48")``; both
    and the constructor raise ``ValueError`` for a week that does not exist
    (W00, or W53 of a 52-week year). Ordered, hashable, and ``str()`` is its label.
    """

    year: int
    week: int

    def __post_init__(self) -> None:
        # fromisocalendar raises ValueError for W00 or W53 in a 52-week year.
        dt.date.fromisocalendar(self.year, self.week, 1)

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        """The ISO week that contains ``day`` (a date, not a datetime: pass the office's date)."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``"2026-W48"`` (also ``2026W48``, any case, surrounding blanks) → ``IsoWeek(2026, 48)``.

        Raises ``ValueError`` with a message for a user when the text is not an
        ISO week label or names a week that does not exist.
        """
        match = _WEEK_RE.fullmatch(text or "")
        if not match:
            raise ValueError(f"{text!r} is not an ISO week like 2026-W47.")
        try:
            return cls(int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise ValueError(f"{text!r} is not a week of {match.group(1)}.") from None

    @property
    def label(self) -> str:
        """ISO 8601 week label, e.g. ``2026-W48``."""
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def monday(self) -> dt.date:
        """The first day of the week."""
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        """The last day of the week (inclusive)."""
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def day(self, weekday: int) -> dt.date:
        """The date of ``weekday`` in this week (0 = Monday, as ``date.weekday()``)."""
        return self.monday + dt.timedelta(days=weekday)

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """``[Monday 00:00, next Monday 00:00)`` in ``tz`` as aware datetimes.

        DST-safe (see ``start_of_day``): a week with a clock change is 167 or 169 hours long.
        """
        return start_of_day(self.monday, tz), start_of_day(self.next().monday, tz)

    def next(self) -> IsoWeek:
        """The week after this one."""
        return IsoWeek.of(self.monday + dt.timedelta(days=7))

    def previous(self) -> IsoWeek:
        """The week before this one."""
        return IsoWeek.of(self.monday - dt.timedelta(days=7))
