"""The office's clock (``cto_office.clock``): settings, now and today, days and ISO weeks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from cto_office.clock import (
    IsoWeek,
    day_bounds,
    monday_of,
    office_now,
    office_settings,
    office_today,
    start_of_day,
)
from cto_office.models import OfficeSettings

LONDON = zoneinfo.ZoneInfo("Europe/London")
HOUR = dt.timedelta(hours=1)


def _elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Real time between two aware datetimes. Subtracting two datetimes that share a tzinfo
    gives wall-clock time (Python docs, "datetime": same-tzinfo arithmetic ignores offsets)."""
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


@pytest.mark.django_db
def test_office_settings_without_a_row_are_the_defaults_and_nothing_is_written(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        office = office_settings()
    assert office.time_zone == "Europe/London"
    assert not OfficeSettings.objects.exists()


@pytest.mark.parametrize(
    ("time_zone", "today"),
    [("Pacific/Auckland", dt.date(2026, 3, 11)), ("Europe/London", dt.date(2026, 3, 10))],
)
@pytest.mark.django_db
def test_office_today_is_the_date_in_the_office_time_zone(office_in, time_zone, today):
    instant = office_in(time_zone)  # the server's time zone stays Europe/London
    assert office_today() == office_today(instant) == today
    local = office_now()
    assert local == instant and str(local.tzinfo) == time_zone


# Days


def test_start_of_day_and_day_bounds_follow_the_zone_across_a_clock_change():
    # 29 March 2026: London's clocks go forward at 01:00 GMT, so the day has 23 hours.
    start, end = day_bounds(dt.date(2026, 3, 29), LONDON)
    assert start == start_of_day(dt.date(2026, 3, 29), LONDON)
    assert (start.hour, start.utcoffset(), end.utcoffset()) == (0, dt.timedelta(0), HOUR)
    assert _elapsed(start, end) == 23 * HOUR


def test_monday_of_is_the_monday_of_the_iso_week():
    assert monday_of(dt.date(2026, 11, 29)) == dt.date(2026, 11, 23)  # a Sunday
    assert monday_of(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)  # a Monday


# ISO weeks


@pytest.mark.parametrize(
    ("day", "year", "week"),
    [
        (dt.date(2026, 11, 23), 2026, 48),
        (dt.date(2024, 12, 30), 2025, 1),  # a Monday of December in the next ISO year
        (dt.date(2027, 1, 3), 2026, 53),  # a Sunday of January in the previous ISO year
        (dt.date(2021, 1, 1), 2020, 53),
    ],
)
def test_iso_week_of_a_date_uses_the_iso_year(day, year, week):
    assert IsoWeek.of(day) == IsoWeek(year, week)
    assert IsoWeek.of(day).monday <= day <= IsoWeek.of(day).sunday


@pytest.mark.parametrize("text", ["2026-W48", "2026W48", " 2026-w48 ", "2026-W48"])
def test_iso_week_parse_reads_the_label_forms(text):
    assert IsoWeek.parse(text) == IsoWeek(2026, 48)


def test_iso_week_parse_accepts_w53_of_a_53_week_year_only():
    assert IsoWeek.parse("2026-W53").monday == dt.date(2026, 12, 28)
    with pytest.raises(ValueError, match="is not a week of 2025"):
        IsoWeek.parse("2025-W53")


@pytest.mark.parametrize("text", ["", "2026", "2026-48", "W48", "2026-W", "2026-W480", "26-W48"])
def test_iso_week_parse_rejects_what_is_not_a_week_label(text):
    with pytest.raises(ValueError, match="is not an ISO week like"):
        IsoWeek.parse(text)


@pytest.mark.parametrize("text", ["2026-W00", "2026-W54", "2026-W99"])
def test_iso_week_parse_rejects_a_week_that_does_not_exist(text):
    with pytest.raises(ValueError, match="is not a week of 2026"):
        IsoWeek.parse(text)


def test_iso_week_label_is_zero_padded_and_round_trips():
    week = IsoWeek(2026, 7)
    assert week.label == str(week) == "2026-W07"
    assert IsoWeek.parse(week.label) == week


def test_iso_week_days_next_and_previous_cross_the_year():
    week = IsoWeek(2026, 53)
    assert (week.monday, week.sunday) == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    assert week.day(3) == dt.date(2026, 12, 31)
    assert week.next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == week
    assert IsoWeek(2026, 1) < IsoWeek(2026, 2) < IsoWeek(2027, 1)


@pytest.mark.parametrize(
    ("week", "hours", "offsets"),
    [
        # Clocks go forward on Sunday 29 March 2026: GMT at the start, BST at the end.
        (IsoWeek(2026, 13), 167, (dt.timedelta(0), HOUR)),
        # Clocks go back on Sunday 25 October 2026: BST at the start, GMT at the end.
        (IsoWeek(2026, 43), 169, (HOUR, dt.timedelta(0))),
        (IsoWeek(2026, 48), 168, (dt.timedelta(0), dt.timedelta(0))),
    ],
)
def test_iso_week_bounds_are_local_midnights_across_a_dst_change_in_london(week, hours, offsets):
    start, end = week.bounds(LONDON)
    assert (start.date(), end.date()) == (week.monday, week.next().monday)
    assert (start.hour, start.minute, end.hour, end.minute) == (0, 0, 0, 0)
    assert (start.utcoffset(), end.utcoffset()) == offsets
    assert _elapsed(start, end) == hours * HOUR
