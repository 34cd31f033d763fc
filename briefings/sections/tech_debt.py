"""The briefing's tech-debt section: debt per team and its trend, and unhealthy health indicators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncWeek

from briefings.models import HealthIndicator, TechDebtSnapshot
from briefings.sections.common import day_label, json_number, latest_per_team

#: Tech-debt trend: compare the latest snapshot with the one this many weeks earlier.
DEBT_TREND_WEEKS = 4
#: Weeks of the tech-debt chart (``briefings.charts.debt_trend_chart``).
DEBT_CHART_WEEKS = 12

_DEBT_FIELDS = (
    "team__name",
    "date",
    "items_open",
    "effort_days",
    "critical",
    "high",
    "medium",
    "low",
    "capacity_share",
)


def tech_debt_section(*, week_end: dt.date) -> dict[str, Any]:
    """Latest tech-debt snapshot per team at ``week_end`` (a Sunday) vs ``DEBT_TREND_WEEKS``
    earlier, the weekly total over ``DEBT_CHART_WEEKS`` weeks, and the unhealthy health
    indicators (4 queries).

    ``trend`` sums the effort of the snapshots dated in each ISO week (imports
    and the demo file one snapshot per team a week), keyed by the week's Monday;
    each team row's ``trend`` is its own effort per week, oldest first (its sparkline).

    Every indicator at Problem is listed, but only key indicators at Attention.
    """
    now_rows = list(latest_per_team(TechDebtSnapshot, week_end, _DEBT_FIELDS))
    earlier_day = week_end - dt.timedelta(weeks=DEBT_TREND_WEEKS)
    earlier = {
        r["team_id"]: r
        for r in latest_per_team(TechDebtSnapshot, earlier_day, ("items_open", "effort_days"))
    }
    teams = []
    totals = {
        "items_open": 0,
        "effort_days": 0.0,
        "critical": 0,
        "high": 0,
        "effort_before": 0.0,
        "capacity_share": None,
        "teams": 0,
    }
    shares = []
    for r in sorted(now_rows, key=lambda r: -r["effort_days"]):
        before = earlier.get(r["team_id"])
        effort = float(r["effort_days"])
        row = {
            "team": r["team__name"],
            "date": r["date"].isoformat(),
            "date_label": day_label(r["date"]),
            "items_open": r["items_open"],
            "effort_days": json_number(r["effort_days"]),
            "critical": r["critical"],
            "high": r["high"],
            "medium": r["medium"],
            "low": r["low"],
            "capacity_share": json_number(r["capacity_share"]),
            "effort_before": json_number(before["effort_days"]) if before else None,
            "effort_change": json_number(round(effort - float(before["effort_days"]), 1))
            if before
            else None,
            "items_change": r["items_open"] - before["items_open"] if before else None,
        }
        teams.append(row)
        totals["items_open"] += r["items_open"]
        totals["effort_days"] += effort
        totals["critical"] += r["critical"]
        totals["high"] += r["high"]
        totals["effort_before"] += float(before["effort_days"]) if before else effort
        shares.append(float(r["capacity_share"]))
    totals["teams"] = len(teams)
    totals["capacity_share"] = round(sum(shares) / len(shares), 4) if shares else None
    totals["effort_change"] = json_number(round(totals["effort_days"] - totals["effort_before"], 1))
    totals["effort_days"] = json_number(round(totals["effort_days"], 1))
    totals["effort_before"] = json_number(round(totals["effort_before"], 1))
    unhealthy = list(
        HealthIndicator.objects.filter(
            health__in=[HealthIndicator.Health.PROBLEM, HealthIndicator.Health.ATTENTION]
        )
        .order_by("health", "-is_key", "team__name", "name")
        .values("team__name", "name", "health", "target", "reasons", "is_key")
    )
    problem_count = sum(1 for i in unhealthy if i["health"] == HealthIndicator.Health.PROBLEM)
    # Every Problem, but only the key indicators at Attention: GitLab's handbook
    # alone has ~50 at Attention, pages of text nobody reads in a weekly briefing.
    shown = [i for i in unhealthy if i["health"] == HealthIndicator.Health.PROBLEM or i["is_key"]]
    indicators = [
        {
            "team": i["team__name"],
            "name": i["name"],
            "health": HealthIndicator.Health(i["health"]).label,
            "target": i["target"],
            "reasons": [str(reason) for reason in (i["reasons"] or [])],
            "is_key": i["is_key"],
        }
        for i in shown
    ]
    first_monday = week_end - dt.timedelta(weeks=DEBT_CHART_WEEKS, days=-1)
    # Effort per team and week in one query: the weekly total for the chart, and each
    # team's own weeks for its sparkline in the table.
    weekly = (
        TechDebtSnapshot.objects.filter(date__range=(first_monday, week_end))
        .annotate(week=TruncWeek("date"))
        .values("week", "team__name")
        .annotate(effort=Sum("effort_days"))
        .order_by("week")
    )
    totals_by_week: dict[dt.date, float] = {}
    team_weeks: dict[str, list[float]] = {}
    for r in weekly:
        totals_by_week[r["week"]] = totals_by_week.get(r["week"], 0.0) + float(r["effort"])
        team_weeks.setdefault(r["team__name"], []).append(json_number(r["effort"]))
    for row in teams:
        row["trend"] = team_weeks.get(row["team"], [])
    return {
        "trend": [
            {"date": week.isoformat(), "effort_days": json_number(round(effort, 1))}
            for week, effort in sorted(totals_by_week.items())
        ],
        "trend_weeks": DEBT_TREND_WEEKS,
        "compared_with": earlier_day.isoformat(),
        "teams": teams,
        "totals": totals,
        "indicators": indicators,
        "problem_count": problem_count,
        "attention_count": len(unhealthy) - problem_count,
        "attention_not_shown": len(unhealthy) - len(shown),
    }
