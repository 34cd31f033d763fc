"""The briefing's headcount section: filled against plan per team, starters and leavers, open
requisitions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from briefings.models import HeadcountSnapshot, Requisition
from briefings.sections.common import day_label, latest_per_team
from cto_office.models import person_from_row


def headcount_section(*, monday: dt.date, sunday: dt.date) -> dict[str, Any]:
    """Latest headcount per team at week end, starters/leavers in the week, open requisitions (3 queries).

    ``monday`` and ``sunday`` are the week's first and last days (inclusive).

    Per-team figures (filled, planned, open requisitions) all come from the
    team's latest ``HeadcountSnapshot``; ``requisitions`` lists the open
    ``Requisition`` rows themselves, whichever team they are filed on.
    """
    latest = list(
        latest_per_team(
            HeadcountSnapshot,
            sunday,
            ("team__name", "date", "filled", "planned", "open_requisitions"),
        )
    )
    # Snapshots count starters/leavers since the previous one: sum those dated in the week.
    movers: dict[str, dict[str, int]] = defaultdict(lambda: {"starters": 0, "leavers": 0})
    for r in HeadcountSnapshot.objects.filter(date__range=(monday, sunday)).values(
        "team__name", "starters", "leavers"
    ):
        movers[r["team__name"]]["starters"] += r["starters"]
        movers[r["team__name"]]["leavers"] += r["leavers"]
    requisitions = list(
        Requisition.objects.filter(state=Requisition.State.OPEN, opened_on__lte=sunday)
        .order_by("opened_on", "pk")
        .values(
            "title",
            "team__name",
            "opened_on",
            "hiring_manager__first_name",
            "hiring_manager__last_name",
            "hiring_manager__username",
        )
    )
    teams = []
    totals = {
        "filled": 0,
        "planned": 0,
        "gap": 0,
        "starters": 0,
        "leavers": 0,
        "open_requisitions": 0,
    }
    for r in latest:
        name = r["team__name"]
        row = {
            "team": name,
            "date": r["date"].isoformat(),
            "filled": r["filled"],
            "planned": r["planned"],
            "gap": r["planned"] - r["filled"],
            "starters": movers[name]["starters"],
            "leavers": movers[name]["leavers"],
            # From the snapshot, like filled and planned: a unit's HRIS figure
            # covers the teams below it, which the requisition rows do not say.
            "open_requisitions": r["open_requisitions"],
        }
        teams.append(row)
        for key in ("filled", "planned", "gap", "starters", "leavers", "open_requisitions"):
            totals[key] += row[key]
    teams.sort(key=lambda t: (-t["gap"], t["team"]))
    return {
        "teams": teams,
        "totals": totals,
        "requisitions": [
            {
                "team": r["team__name"],
                "title": r["title"],
                "opened_on": r["opened_on"].isoformat(),
                "opened_label": day_label(r["opened_on"]) + f" {r['opened_on']:%Y}",
                "days_open": (sunday - r["opened_on"]).days,
                "hiring_manager": person_from_row(r, "hiring_manager__"),
            }
            for r in requisitions
        ],
    }
