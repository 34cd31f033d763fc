"""The briefing's OKR section: key results per team, the ones quietly behind and the ones
reported off track (the rule: ``briefings.rules``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from briefings.models import KeyResult, KeyResultCheckIn, key_result_progress
from briefings.rules import (
    CONFIDENCE_READINGS,
    BehindThresholds,
    CheckInReading,
    key_result_verdict,
)
from briefings.sections.common import json_number
from cto_office.models import person_from_row

#: The ``values()`` fields of a key result that the briefing and the check-ins page show.
KEY_RESULT_FIELDS = (
    "pk",
    "title",
    "unit",
    "start_value",
    "target_value",
    "current_value",
    "team__name",
    "objective__title",
    "objective__quarter",
)


def _elapsed(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> float:
    """Share (0–1) of an inclusive period gone by the end of ``as_of``."""
    days = (period_end - period_start).days + 1
    gone = (as_of - period_start).days + 1
    return min(1.0, max(0.0, gone / days))


def okrs_section(
    *, as_of: dt.date, is_current: bool, list_limit: int, thresholds: BehindThresholds
) -> dict[str, Any]:
    """Key results of the periods containing ``as_of``, per team, with the quietly-behind ones (2 queries).

    ``as_of`` is the office date figures are taken on; ``is_current`` says the
    week has not ended, so a key result's live ``current_value`` counts (a past
    week reads the last check-in by ``as_of``). Progress is
    ``key_result_progress``; "quietly behind" and "off track" are
    ``briefings.rules.key_result_verdict`` with ``thresholds``. Both lists are
    cut to ``list_limit``, most behind first; ``behind_ids`` keeps every
    quietly-behind key result's id (for next week's "what changed").
    """
    in_period = Q(objective__period_start__lte=as_of, objective__period_end__gte=as_of)
    key_results = list(  # query 1
        KeyResult.objects.filter(in_period)
        .order_by("team__name", "objective_id", "pk")
        .values(
            *KEY_RESULT_FIELDS,
            "objective__period_start",
            "objective__period_end",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "team_id",
        )
    )
    # The last few check-ins per key result, picked in the database (query 2):
    # at scale a year of weekly check-ins for ~400 key results is ~20,000 rows.
    check_ins = (
        KeyResultCheckIn.objects.filter(
            Q(date__lte=as_of),
            key_result__objective__period_start__lte=as_of,
            key_result__objective__period_end__gte=as_of,
        )
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("key_result_id")],
                order_by=[F("date").desc(), F("pk").desc()],
            )
        )
        .filter(rn__lte=CONFIDENCE_READINGS)
        .values("key_result_id", "date", "value", "confidence", "rn")
    )
    latest: dict[int, list[dict]] = defaultdict(list)
    for row in check_ins:
        latest[row["key_result_id"]].append(row)

    teams: dict[str, dict[str, Any]] = {}
    behind: list[dict[str, Any]] = []
    off_track: list[dict[str, Any]] = []
    quarters: dict[tuple, int] = defaultdict(int)
    for kr in key_results:
        rows = sorted(latest.get(kr["pk"], []), key=lambda r: r["date"])  # oldest first
        # The current week reads the live value; a past week the last check-in by then.
        value = kr["current_value"] if is_current or not rows else rows[-1]["value"]
        progress = key_result_progress(
            start=kr["start_value"], target=kr["target_value"], value=value
        )
        elapsed = _elapsed(kr["objective__period_start"], kr["objective__period_end"], as_of)
        confidences = [float(r["confidence"]) for r in rows]
        verdict = key_result_verdict(
            progress=progress,
            elapsed=elapsed,
            period_start=kr["objective__period_start"],
            as_of=as_of,
            check_ins=[CheckInReading(r["date"], float(r["confidence"])) for r in rows],
            thresholds=thresholds,
        )
        team_name = kr["team__name"]
        quarters[
            (kr["objective__quarter"], kr["objective__period_start"], kr["objective__period_end"])
        ] += 1
        team = teams.setdefault(
            team_name,
            {
                "team": team_name,
                "team_id": kr["team_id"],
                "key_results": 0,
                "behind": 0,
                "off_track": 0,
                "_progress": 0.0,
                "_elapsed": 0.0,
                "_confidence": [],
            },
        )
        team["key_results"] += 1
        team["_progress"] += progress
        team["_elapsed"] += elapsed
        if confidences:
            team["_confidence"].append(confidences[-1])
        if verdict.state != "on_track":
            team["behind" if verdict.state == "quietly_behind" else "off_track"] += 1
            (behind if verdict.state == "quietly_behind" else off_track).append(
                {
                    "pk": kr["pk"],
                    "team": team_name,
                    "objective": kr["objective__title"],
                    "key_result": kr["title"],
                    "owner": person_from_row(kr, "owner__"),
                    "start": json_number(kr["start_value"]),
                    "target": json_number(kr["target_value"]),
                    "value": json_number(value),
                    "unit": kr["unit"],
                    "progress": round(progress, 4),
                    "elapsed": round(elapsed, 4),
                    "confidence": confidences[-1] if confidences else None,
                    "reasons": verdict.reasons,
                }
            )
    team_rows = []
    for team in teams.values():
        n = team["key_results"]
        conf = team.pop("_confidence")
        team_rows.append(
            {
                "team": team["team"],
                "team_id": team["team_id"],
                "key_results": n,
                "behind": team["behind"],
                "off_track": team["off_track"],
                "on_track": n - team["behind"] - team["off_track"],
                "progress": round(team.pop("_progress") / n, 4),
                "expected": round(team.pop("_elapsed") / n, 4),
                "confidence": round(sum(conf) / len(conf), 2) if conf else None,
            }
        )
    # Teams with most key results in trouble first, then furthest behind time: the PDF
    # shows the top of this table (``briefings.lists.PDF_TOP``).
    team_rows.sort(
        key=lambda t: (-(t["behind"] + t["off_track"]), t["progress"] - t["expected"], t["team"])
    )
    periods = [
        {
            "quarter": q,
            "start": s.isoformat(),
            "end": e.isoformat(),
            "key_results": n,
            "elapsed": round(_elapsed(s, e, as_of), 4),
        }
        for (q, s, e), n in sorted(quarters.items(), key=lambda item: -item[1])
    ]
    # Most behind first: the gap between time gone and progress made.
    for rows in (behind, off_track):
        rows.sort(key=lambda b: (-(b["elapsed"] - b["progress"]), b["team"], b["key_result"]))
    return {
        "thresholds": {
            "margin_start": thresholds.margin_start,
            "margin_end": thresholds.margin_end,
            "stale_weeks": thresholds.stale_weeks,
            "off_track_confidence": thresholds.off_track_confidence,
        },
        "periods": periods,
        "total": len(key_results),
        "behind_count": len(behind),
        "teams": team_rows,
        "behind": behind[:list_limit],
        "behind_ids": sorted(b["pk"] for b in behind),
        "off_track_count": len(off_track),
        "off_track": off_track[:list_limit],
        "list_limit": list_limit,
    }
