"""The five recurring meetings of the CTO's office, planned around today's week.

Staff meeting (weekly, Mondays), monthly business review (first Tuesday),
architecture review (fortnightly, Thursdays), leadership offsite (quarterly,
six weeks ago) and board prep (quarterly, in two weeks), with their RRULEs
(RFC 5545), attendees (person ids) and agenda templates from ``content``.
At a large scale every reporting unit also has its own three
(``plan_unit_series``): a weekly leadership meeting, a monthly business review
and a fortnightly architecture review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cadence.models import MeetingKind
from cto_office.demo import content
from cto_office.demo.context import WEEK, Context


def agenda_items(template: list[tuple[str, int, str]]) -> list[dict]:
    """``content``'s ``(title, minutes, kind)`` items as the series' ``agenda_template`` dicts."""
    return [{"title": title, "minutes": minutes, "kind": kind} for title, minutes, kind in template]


@dataclass
class SeriesPlan:
    """A series to create, with its default attendees (person ids) and agenda template."""

    title: str
    kind: str
    rrule: str
    first_start: dt.datetime
    duration: int
    attendees: list[str]  # person ids
    template: list[dict]
    video_url: str = ""
    location: str = ""


def leads_of(ctx: Context, slugs: list[str]) -> list[str]:
    out = []
    for slug in slugs:
        pid = ctx.org.leads.get(slug)
        if pid and pid not in out:
            out.append(pid)
    return out


def plan_series(ctx: Context, login_ids: list[str]) -> list[SeriesPlan]:
    """The five recurring meetings of the CTO's office, anchored on today's week."""
    data = ctx.org.data
    cto, cos = data["cto"], "cos"
    departments = [t["slug"] for t in data["teams"] if t["level"] == "department"]
    department_leads = leads_of(ctx, departments)
    unit_leads = leads_of(ctx, ctx.units)
    lead1, lead2, staff = login_ids[2], login_ids[3], login_ids[4]
    senior_ics = [
        p["id"]
        for p in data["people"]
        if any(
            word in p["title"] for word in ("Distinguished", "Principal", "Staff Backend", "Fellow")
        )
    ][:4]
    monday = ctx.this_monday
    year_ago = monday - 52 * WEEK

    def unique(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(i for i in ids if i))

    offsite_day = monday - 6 * WEEK + dt.timedelta(days=2)  # a Wednesday six weeks ago
    board_day = monday + 2 * WEEK + dt.timedelta(days=3)  # a Thursday in two weeks
    mbr_first = dt.date(year_ago.year, year_ago.month, 1)
    return [
        SeriesPlan(
            "CTO staff meeting",
            MeetingKind.STAFF,
            "FREQ=WEEKLY;BYDAY=MO",
            ctx.local(year_ago, 10),
            60,
            unique([cto, cos, *department_leads, lead1]),
            agenda_items(content.STAFF_TEMPLATE),
            video_url="https://meet.example.com/cto-staff",
        ),
        SeriesPlan(
            "Engineering monthly business review",
            MeetingKind.MBR,
            "FREQ=MONTHLY;BYDAY=+1TU",
            ctx.local(mbr_first, 15),
            120,
            unique([cto, cos, *department_leads, *unit_leads]),
            agenda_items(content.MBR_TEMPLATE),
            video_url="https://meet.example.com/eng-mbr",
        ),
        SeriesPlan(
            "Architecture review",
            MeetingKind.ARCHITECTURE,
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            ctx.local(year_ago + dt.timedelta(days=3), 16),
            45,
            unique(
                [
                    cto,
                    cos,
                    *leads_of(ctx, ["development", "infrastructure"]),
                    lead2,
                    staff,
                    *senior_ics,
                ]
            ),
            agenda_items(content.ARCHITECTURE_TEMPLATE),
            video_url="https://meet.example.com/arch-review",
        ),
        SeriesPlan(
            "Quarterly leadership offsite",
            MeetingKind.OFFSITE,
            "FREQ=WEEKLY;INTERVAL=13;BYDAY=WE",
            ctx.local(offsite_day - 52 * WEEK, 9),
            7 * 60,
            unique([cto, cos, *department_leads, lead1]),
            agenda_items(content.OFFSITE_TEMPLATE),
            location="Offsite venue (to be confirmed)",
        ),
        SeriesPlan(
            "Board prep",
            MeetingKind.BOARD_PREP,
            "FREQ=WEEKLY;INTERVAL=13;BYDAY=TH",
            ctx.local(board_day - 52 * WEEK, 14),
            90,
            unique([cto, cos, *leads_of(ctx, ["development", "infrastructure", "security"])]),
            agenda_items(content.BOARD_PREP_TEMPLATE),
            video_url="https://meet.example.com/board-prep",
        ),
    ]


#: The weekdays (RFC 5545) the units' meetings rotate over, so they do not all fall on one day.
UNIT_DAYS = ("TU", "WE", "TH", "FR")


def plan_unit_series(ctx: Context) -> list[SeriesPlan]:
    """Each reporting unit's weekly leadership meeting, monthly review and fortnightly design review.

    Attendees: the unit's lead and the leads of the teams directly below it
    (person ids); the Chief of Staff joins the monthly reviews. Weekdays and
    hours rotate over the units; first occurrences are a year back.
    """
    year_ago = ctx.this_monday - 52 * WEEK
    short_names = {t["slug"]: t["short_name"] for t in ctx.org.data["teams"]}
    plans = []
    for n, unit in enumerate(ctx.units):
        leads = leads_of(ctx, [unit, *ctx.org.children.get(unit, [])]) or [ctx.org.data["cto"]]
        day = UNIT_DAYS[n % len(UNIT_DAYS)]
        offset = dt.timedelta(days=1 + n % len(UNIT_DAYS))  # Monday + 1..4: that weekday
        name, link = short_names[unit], f"https://meet.example.com/{unit}"
        plans += [
            SeriesPlan(
                f"{name} leadership meeting",
                MeetingKind.STAFF,
                f"FREQ=WEEKLY;BYDAY={day}",
                ctx.local(year_ago + offset, 9 + n % 4),
                45,
                leads,
                agenda_items(content.UNIT_STAFF_TEMPLATE),
                video_url=f"{link}-leads",
            ),
            SeriesPlan(
                f"{name} monthly business review",
                MeetingKind.MBR,
                f"FREQ=MONTHLY;BYDAY=+2{day}",
                ctx.local(dt.date(year_ago.year, year_ago.month, 1), 14),
                90,
                [*leads, "cos"],
                agenda_items(content.MBR_TEMPLATE),
                video_url=f"{link}-mbr",
            ),
            SeriesPlan(
                f"{name} architecture review",
                MeetingKind.ARCHITECTURE,
                f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
                ctx.local(year_ago + offset, 15 + n % 3),
                45,
                leads[:6],
                agenda_items(content.ARCHITECTURE_TEMPLATE),
                video_url=f"{link}-architecture",
            ),
        ]
    return plans
