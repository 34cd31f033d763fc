"""``cto_office.demo.context``: the generators' clock and team helpers."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from cto_office.demo.context import Context
from cto_office.demo.loader import load_data
from cto_office.demo.organisation import Organisation, reporting_units
from cto_office.models import OfficeSettings

LONDON = zoneinfo.ZoneInfo("Europe/London")


def context(now: dt.datetime) -> Context:
    data = load_data()
    org = Organisation(data=data, users={}, teams={}, person_team={}, leads={})
    office = OfficeSettings(time_zone="Europe/London")
    return Context(
        org=org, office=office, now=now, rng=random.Random(1), units=reporting_units(org)
    )


def test_today_and_this_monday_are_the_office_s():
    # 23:30 UTC on Sunday 29 March 2026 is already Monday 30 March in London (BST).
    ctx = context(dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC))
    assert ctx.today == dt.date(2026, 3, 30)
    assert ctx.this_monday == dt.date(2026, 3, 30)
    assert context(dt.datetime(2026, 11, 22, 12, tzinfo=LONDON)).this_monday == dt.date(
        2026, 11, 16
    )


def test_local_is_wall_clock_time_on_a_clock_change_day():
    ctx = context(dt.datetime(2026, 3, 29, 12, tzinfo=LONDON))
    ten = ctx.local(dt.date(2026, 3, 29), 10)  # clocks went forward at 01:00 that morning
    assert (ten.hour, ten.minute, ten.utcoffset()) == (10, 0, dt.timedelta(hours=1))
    assert ctx.local_date(ten) == dt.date(2026, 3, 29)


def test_unit_of_climbs_to_the_nearest_reporting_unit():
    ctx = context(dt.datetime(2026, 11, 18, 12, tzinfo=LONDON))
    parents = {t["slug"]: t["parent"] for t in ctx.org.data["teams"]}
    for unit in ctx.units:
        assert ctx.unit_of(unit) == unit
    below = [slug for slug in parents if slug not in ctx.units and parents[slug] in ctx.units]
    assert below
    for slug in below:
        assert ctx.unit_of(slug) == parents[slug]
    assert ctx.unit_of("engineering") == "engineering"
