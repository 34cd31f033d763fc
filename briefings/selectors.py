"""Reads for the weekly CTO briefing, each built for a fixed number of queries.

``briefing_snapshot`` gathers everything the briefing shows for one ISO week
into a JSON-serialisable dict (dates as ISO strings, Decimals as floats), which
is stored on ``Briefing.snapshot`` and rendered by ``briefings/briefing.html``.

The number of queries is fixed (see ``SNAPSHOT_QUERIES``): every section is
one or two ``values()`` queries (window functions pick the latest snapshot per
team and the last check-ins per key result inside the database), and per-team
and per-owner figures are computed in Python from those rows. No query runs
per team, per key result or per meeting.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from actions.models import ActionItem, Escalation
from briefings.models import (
    Briefing,
    HeadcountSnapshot,
    HealthIndicator,
    KeyResult,
    KeyResultCheckIn,
    Requisition,
    TechDebtSnapshot,
)
from cadence.models import Decision, Meeting, MeetingKind, PreRead, PreReadAcknowledgement
from cto_office.clock import office_settings

#: A key result is "quietly behind" when its progress trails the share of its
#: period already elapsed by more than this (0.15 = 15 percentage points).
BEHIND_MARGIN = 0.15
#: ... or when the owner's confidence fell over this many latest check-ins.
CONFIDENCE_CHECK_INS = 3
#: Tech-debt trend: compare the latest snapshot with the one this many weeks earlier.
DEBT_TREND_WEEKS = 4
#: Lists that could run to hundreds of rows at scale are cut to this many in
#: the document (the counts and per-team/per-owner tables always cover all).
LIST_LIMIT = 15
#: Queries ``briefing_snapshot`` runs, whatever the amount of data (tests pin it).
SNAPSHOT_QUERIES = 17

SNAPSHOT_VERSION = 1
NO_TEAM = "No team"


# Small helpers -------------------------------------------------------------


def _num(value: Decimal | float | None) -> float | None:
    """A JSON number: ints stay ints, Decimals become floats (or ints when whole)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else round(as_float, 4)


def _person(first: str | None, last: str | None, username: str | None) -> str:
    full = f"{first or ''} {last or ''}".strip()
    return full or username or "—"


def _day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _local(value: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return value.astimezone(tz)


def week_bounds(
    iso_year: int, iso_week: int, tz: zoneinfo.ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 and the next Monday 00:00 of the ISO week, as aware datetimes in ``tz``.

    Built with ``datetime.combine`` on each date, not by adding 7 days to an
    aware datetime, so a daylight-saving change inside the week is handled by
    the zone (the week is then 167 or 169 hours long).
    """
    monday = dt.date.fromisocalendar(iso_year, iso_week, 1)
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=tz)
    return start, end


def briefing_week_for(today: dt.date) -> tuple[int, int]:
    """The ISO (year, week) containing ``today`` (a date in the office's time zone)."""
    iso = today.isocalendar()
    return iso.year, iso.week


def briefing_due_week(*, now: dt.datetime | None = None) -> tuple[int, int] | None:
    """The ISO week whose briefing should be generated now, or None (two queries).

    Due when, in the office's time zone, this week's ``briefing_weekday`` at
    ``briefing_hour`` has passed and no briefing for the week is in ``draft``
    or ``published`` state yet. A ``pending`` or ``failed`` one counts as not
    done, so the hourly tick also retries a run that died or failed.
    """
    office = office_settings()
    local_now = (now or timezone.now()).astimezone(office.tz)
    iso_year, iso_week = briefing_week_for(local_now.date())
    due_day = dt.date.fromisocalendar(iso_year, iso_week, office.briefing_weekday + 1)
    due_at = dt.datetime.combine(due_day, dt.time(office.briefing_hour), tzinfo=office.tz)
    if local_now < due_at:
        return None
    done = Briefing.objects.filter(
        iso_year=iso_year,
        iso_week=iso_week,
        state__in=[Briefing.State.DRAFT, Briefing.State.PUBLISHED],
    ).exists()
    return None if done else (iso_year, iso_week)


# The snapshot ---------------------------------------------------------------


def briefing_snapshot(
    *, iso_year: int, iso_week: int, today: dt.date | None = None
) -> dict[str, Any]:
    """Everything the briefing for ISO week ``iso_year``-W``iso_week`` shows, as JSON-ready data.

    The week runs from Monday 00:00 to the next Monday 00:00 in the office's
    time zone (``OfficeSettings.time_zone``); "this week" events (actions
    completed, escalations opened or resolved, decisions) fall in that range.
    Point-in-time figures (overdue actions, open escalations, latest
    snapshots) are taken "as of" the end of the week, or now if the week has
    not ended yet (``today``, a date in the office's time zone, defaults to
    today). For a past week, open-at-the-time is reconstructed from
    ``completed_at`` and ``resolved_at``; a dropped action or a triaged
    escalation carries no time of the change, so those use today's state.

    Runs ``SNAPSHOT_QUERIES`` queries whatever the amount of data.

    Raises ``ValueError`` for a week that does not exist (e.g. 2026-W54).
    """
    office = office_settings()  # 1
    tz = office.tz
    start, end = week_bounds(iso_year, iso_week, tz)
    monday, sunday = start.date(), end.date() - dt.timedelta(days=1)
    now = timezone.now()
    today = today or now.astimezone(tz).date()
    as_of_date = min(today, sunday)
    # The moment for point-in-time figures: now, or the end of as_of_date if that is earlier.
    as_of_dt = min(
        now, dt.datetime.combine(as_of_date + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    )
    is_current = today <= sunday

    okrs = _okrs(as_of_date, is_current)  # 2
    debt = _tech_debt(sunday)  # 3
    headcount = _headcount(monday, sunday)  # 3
    actions = _actions(start, end, as_of_date, as_of_dt)  # 2
    escalations = _escalations(start, end, as_of_dt, tz)  # 1
    decisions = _decisions(monday, sunday)  # 1
    meetings = _next_week_meetings(end, tz)  # 4

    headline = {
        "key_results_behind": okrs["behind_count"],
        "key_results_total": okrs["total"],
        "overdue_actions": actions["overdue_count"],
        "oldest_overdue_days": actions["oldest_overdue_days"],
        "open_escalations": escalations["open_count"],
        "awaiting_cto": escalations["awaiting_cto_count"],
        "sla_breached": escalations["sla_breached_count"],
        "headcount_gap": headcount["totals"]["gap"],
        "headcount_filled": headcount["totals"]["filled"],
        "headcount_planned": headcount["totals"]["planned"],
        "debt_effort_days": debt["totals"]["effort_days"],
        "debt_effort_change": debt["totals"]["effort_change"],
    }
    return {
        "version": SNAPSHOT_VERSION,
        "week": {
            "iso_year": iso_year,
            "iso_week": iso_week,
            "label": f"{iso_year}-W{iso_week:02d}",
            "start": monday.isoformat(),
            "end": sunday.isoformat(),
            "range_label": _range_label(monday, sunday),
            "as_of": as_of_date.isoformat(),
            "as_of_label": f"{as_of_date:%A} {_day_label(as_of_date)} {as_of_date.year}",
            "is_current": is_current,
            "time_zone": office.time_zone,
            "organisation": office.organisation_name,
        },
        "headline": headline,
        "okrs": okrs,
        "tech_debt": debt,
        "headcount": headcount,
        "actions": actions,
        "escalations": escalations,
        "decisions": decisions,
        "meetings": meetings,
    }


def _range_label(monday: dt.date, sunday: dt.date) -> str:
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B %Y}"
    if monday.year == sunday.year:
        return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B %Y}"
    return f"{monday.day} {monday:%B %Y} – {sunday.day} {sunday:%B %Y}"


# (a) OKRs


def quietly_behind_reasons(
    *, progress: float, elapsed: float, confidences: list[float], margin: float = BEHIND_MARGIN
) -> list[str]:
    """Why a key result is quietly behind (DESIGN.md §2); an empty list means on track.

    ``progress`` and ``elapsed`` are fractions 0–1 (progress towards target;
    share of the period gone). ``confidences`` are the latest check-ins'
    confidences, oldest first. Two rules, each adding a reason:

    - progress below ``elapsed - margin``;
    - confidence falling over the last ``CONFIDENCE_CHECK_INS`` check-ins:
      never rising from one to the next, and the latest below the first.
    """
    reasons = []
    if progress < elapsed - margin:
        reasons.append(
            f"progress {progress:.0%} with {elapsed:.0%} of the period gone "
            f"({(elapsed - progress) * 100:.0f} pts behind)"
        )
    last = confidences[-CONFIDENCE_CHECK_INS:]
    if (
        len(last) == CONFIDENCE_CHECK_INS
        and all(a >= b for a, b in pairwise(last))
        and last[-1] < last[0]
    ):
        reasons.append("confidence falling " + " → ".join(f"{c:.2f}" for c in last))
    return reasons


def _progress(start: Decimal, target: Decimal, value: Decimal) -> float:
    span = float(target - start)
    return min(1.0, max(0.0, float(value - start) / span)) if span else 0.0


def _elapsed(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> float:
    days = (period_end - period_start).days + 1
    gone = (as_of - period_start).days + 1
    return min(1.0, max(0.0, gone / days))


def _okrs(as_of: dt.date, is_current: bool) -> dict[str, Any]:
    """Key results of the periods containing ``as_of``, per team, with the quietly-behind ones (2 queries)."""
    in_period = Q(objective__period_start__lte=as_of, objective__period_end__gte=as_of)
    key_results = list(  # query 1
        KeyResult.objects.filter(in_period)
        .order_by("team__name", "objective_id", "pk")
        .values(
            "pk",
            "title",
            "unit",
            "start_value",
            "target_value",
            "current_value",
            "team__name",
            "objective__title",
            "objective__quarter",
            "objective__period_start",
            "objective__period_end",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
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
        .filter(rn__lte=CONFIDENCE_CHECK_INS)
        .values("key_result_id", "date", "value", "confidence", "rn")
    )
    latest: dict[int, list[dict]] = defaultdict(list)
    for row in check_ins:
        latest[row["key_result_id"]].append(row)

    teams: dict[str, dict[str, Any]] = {}
    behind: list[dict[str, Any]] = []
    quarters: dict[tuple, int] = defaultdict(int)
    for kr in key_results:
        rows = sorted(latest.get(kr["pk"], []), key=lambda r: r["date"])  # oldest first
        # The current week reads the live value; a past week the last check-in by then.
        value = kr["current_value"] if is_current or not rows else rows[-1]["value"]
        progress = _progress(kr["start_value"], kr["target_value"], value)
        elapsed = _elapsed(kr["objective__period_start"], kr["objective__period_end"], as_of)
        confidences = [float(r["confidence"]) for r in rows]
        reasons = quietly_behind_reasons(
            progress=progress, elapsed=elapsed, confidences=confidences
        )
        team_name = kr["team__name"]
        quarters[
            (kr["objective__quarter"], kr["objective__period_start"], kr["objective__period_end"])
        ] += 1
        team = teams.setdefault(
            team_name,
            {
                "team": team_name,
                "key_results": 0,
                "behind": 0,
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
        if reasons:
            team["behind"] += 1
            behind.append(
                {
                    "team": team_name,
                    "objective": kr["objective__title"],
                    "key_result": kr["title"],
                    "owner": _person(
                        kr["owner__first_name"], kr["owner__last_name"], kr["owner__username"]
                    ),
                    "start": _num(kr["start_value"]),
                    "target": _num(kr["target_value"]),
                    "value": _num(value),
                    "unit": kr["unit"],
                    "progress": round(progress, 4),
                    "elapsed": round(elapsed, 4),
                    "confidence": confidences[-1] if confidences else None,
                    "reasons": reasons,
                }
            )
    team_rows = []
    for team in teams.values():
        n = team["key_results"]
        conf = team.pop("_confidence")
        team_rows.append(
            {
                "team": team["team"],
                "key_results": n,
                "behind": team["behind"],
                "on_track": n - team["behind"],
                "progress": round(team.pop("_progress") / n, 4),
                "expected": round(team.pop("_elapsed") / n, 4),
                "confidence": round(sum(conf) / len(conf), 2) if conf else None,
            }
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
    behind.sort(key=lambda b: (-(b["elapsed"] - b["progress"]), b["team"], b["key_result"]))
    return {
        "margin": BEHIND_MARGIN,
        "periods": periods,
        "total": len(key_results),
        "behind_count": len(behind),
        "teams": team_rows,
        "behind": behind[:LIST_LIMIT],
        "list_limit": LIST_LIMIT,
    }


# (b) Tech debt


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


def _latest_per_team(model, on_or_before: dt.date, fields: Iterable[str]):
    """The latest row per team dated on or before a day: one query, the window function picks it."""
    return (
        model.objects.filter(date__lte=on_or_before)
        .annotate(rn=Window(RowNumber(), partition_by=[F("team_id")], order_by=[F("date").desc()]))
        .filter(rn=1)
        .values("team_id", *fields)
    )


def _tech_debt(week_end: dt.date) -> dict[str, Any]:
    """Latest tech-debt snapshot per team at week end vs ``DEBT_TREND_WEEKS`` earlier, and unhealthy indicators (3 queries)."""
    now_rows = list(_latest_per_team(TechDebtSnapshot, week_end, _DEBT_FIELDS))
    earlier_day = week_end - dt.timedelta(weeks=DEBT_TREND_WEEKS)
    earlier = {
        r["team_id"]: r
        for r in _latest_per_team(TechDebtSnapshot, earlier_day, ("items_open", "effort_days"))
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
            "date_label": _day_label(r["date"]),
            "items_open": r["items_open"],
            "effort_days": _num(r["effort_days"]),
            "critical": r["critical"],
            "high": r["high"],
            "medium": r["medium"],
            "low": r["low"],
            "capacity_share": _num(r["capacity_share"]),
            "effort_before": _num(before["effort_days"]) if before else None,
            "effort_change": _num(round(effort - float(before["effort_days"]), 1))
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
    totals["effort_change"] = _num(round(totals["effort_days"] - totals["effort_before"], 1))
    totals["effort_days"] = _num(round(totals["effort_days"], 1))
    totals["effort_before"] = _num(round(totals["effort_before"], 1))
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
    return {
        "trend_weeks": DEBT_TREND_WEEKS,
        "compared_with": earlier_day.isoformat(),
        "teams": teams,
        "totals": totals,
        "indicators": indicators,
        "problem_count": problem_count,
        "attention_count": len(unhealthy) - problem_count,
        "attention_not_shown": len(unhealthy) - len(shown),
    }


# (c) Headcount


def _headcount(monday: dt.date, sunday: dt.date) -> dict[str, Any]:
    """Latest headcount per team at week end, starters/leavers in the week, open requisitions (3 queries).

    Per-team figures (filled, planned, open requisitions) all come from the
    team's latest ``HeadcountSnapshot``; ``requisitions`` lists the open
    ``Requisition`` rows themselves, whichever team they are filed on.
    """
    latest = list(
        _latest_per_team(
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
                "opened_label": _day_label(r["opened_on"]) + f" {r['opened_on']:%Y}",
                "days_open": (sunday - r["opened_on"]).days,
                "hiring_manager": _person(
                    r["hiring_manager__first_name"],
                    r["hiring_manager__last_name"],
                    r["hiring_manager__username"],
                ),
            }
            for r in requisitions
        ],
    }


# (d) Actions


_ACTION_FIELDS = (
    "pk",
    "title",
    "due_date",
    "priority",
    "status",
    "team__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _action_row(a: dict, as_of: dt.date | None = None) -> dict[str, Any]:
    row = {
        "key": f"{ActionItem.KEY_PREFIX}-{a['pk']}",
        "title": a["title"],
        "owner": _person(a["owner__first_name"], a["owner__last_name"], a["owner__username"]),
        "team": a["team__name"] or NO_TEAM,
        "due_date": a["due_date"].isoformat(),
        "due_label": _day_label(a["due_date"]),
        "priority": f"P{a['priority']}",
        "status": ActionItem.Status(a["status"]).label,
    }
    if as_of is not None:
        row["days_overdue"] = (as_of - a["due_date"]).days
    return row


def _actions(
    start: dt.datetime, end: dt.datetime, as_of: dt.date, as_of_dt: dt.datetime
) -> dict[str, Any]:
    """Actions completed in the week, and open-and-overdue at ``as_of`` by team and owner (2 queries)."""
    completed = [
        _action_row(a)
        for a in ActionItem.objects.filter(
            status=ActionItem.Status.DONE, completed_at__gte=start, completed_at__lt=end
        )
        .order_by("team__name", "pk")
        .values(*_ACTION_FIELDS)
    ]
    # Open at as_of: open now, or done after as_of (a past week). Overdue: due before as_of.
    overdue = [
        _action_row(a, as_of)
        for a in ActionItem.objects.filter(
            Q(status__in=ActionItem.OPEN_STATUSES)
            | Q(status=ActionItem.Status.DONE, completed_at__gte=as_of_dt),
            created_at__lt=as_of_dt,
            due_date__lt=as_of,
        )
        .order_by("due_date", "priority", "pk")
        .values(*_ACTION_FIELDS)
    ]
    completed_by_team: dict[str, int] = defaultdict(int)
    for a in completed:
        completed_by_team[a["team"]] += 1

    def group(key: str) -> list[dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {}
        for a in overdue:
            g = groups.setdefault(a[key], {key: a[key], "count": 0, "max_days": 0, "_days": 0})
            g["count"] += 1
            g["max_days"] = max(g["max_days"], a["days_overdue"])
            g["_days"] += a["days_overdue"]
        rows = []
        for g in groups.values():
            g["average_days"] = round(g.pop("_days") / g["count"], 1)
            rows.append(g)
        return sorted(rows, key=lambda g: (-g["count"], -g["max_days"], g[key]))

    by_team = group("team")
    by_owner = group("owner")
    for row in by_team:
        row["completed"] = completed_by_team.get(row["team"], 0)
    return {
        "as_of": as_of.isoformat(),
        "completed_count": len(completed),
        "completed": completed[:LIST_LIMIT],
        "completed_by_team": [
            {"team": t, "count": n}
            for t, n in sorted(completed_by_team.items(), key=lambda i: (-i[1], i[0]))
        ],
        "overdue_count": len(overdue),
        "oldest_overdue_days": max((a["days_overdue"] for a in overdue), default=0),
        # Most overdue first; the full set is in the per-team and per-owner tables.
        "overdue": sorted(overdue, key=lambda a: (-a["days_overdue"], a["priority"], a["key"]))[
            :LIST_LIMIT
        ],
        "overdue_by_team": by_team,
        "overdue_by_owner": by_owner[:LIST_LIMIT],
        "owners_with_overdue": len(by_owner),
        "list_limit": LIST_LIMIT,
    }


# (e) Escalations


def _escalations(
    start: dt.datetime, end: dt.datetime, as_of: dt.datetime, tz: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    """Escalations opened, open, raised to the CTO, resolved and past SLA in the week (1 query).

    One query fetches every escalation alive at some point of the week (created
    before its end and not closed before its start); the groups are cut in
    Python. "SLA breached" follows ``Escalation.sla_breached``: still ``new``
    after ``sla_due_at``, at ``as_of``.
    """
    rows = list(
        Escalation.objects.filter(
            Q(resolved_at__isnull=True) | Q(resolved_at__gte=start), created_at__lt=end
        )
        .order_by("created_at", "pk")
        .values(
            "pk",
            "title",
            "category",
            "severity",
            "state",
            "confidential",
            "team__name",
            "created_at",
            "sla_due_at",
            "raised_to_cto_at",
            "resolved_at",
            "raised_by__first_name",
            "raised_by__last_name",
            "raised_by__username",
        )
    )
    severity_rank = {
        label: i for i, label in enumerate(Escalation.Severity.labels)
    }  # critical first

    def row(e: dict) -> dict[str, Any]:
        created = _local(e["created_at"], tz)
        open_days = ((e["resolved_at"] or as_of) - e["created_at"]).total_seconds() / 86400
        return {
            "key": f"{Escalation.KEY_PREFIX}-{e['pk']}",
            "title": e["title"],
            "category": Escalation.Category(e["category"]).label,
            "severity": Escalation.Severity(e["severity"]).label,
            "state": Escalation.State(e["state"]).label,
            "confidential": e["confidential"],
            "team": e["team__name"] or NO_TEAM,
            "raised_by": _person(
                e["raised_by__first_name"], e["raised_by__last_name"], e["raised_by__username"]
            ),
            "created_at": created.isoformat(),
            "created_label": f"{_day_label(created.date())} {created:%H:%M}",
            "age_days": max(0, int(open_days)),
            "sla_breached": Escalation.breaches_sla(
                state=e["state"], sla_due_at=e["sla_due_at"], now=as_of
            ),
        }

    def by_severity(items: list[dict]) -> list[dict]:
        return sorted(items, key=lambda e: (severity_rank[e["severity"]], e["created_at"]))

    opened, open_now, raised, resolved, breached = [], [], [], [], []
    for e in rows:
        is_open = e["created_at"] < as_of and (
            e["resolved_at"] is None or e["resolved_at"] >= as_of
        )
        if start <= e["created_at"] < end:
            opened.append(e)
        if is_open:
            open_now.append(e)
            if Escalation.breaches_sla(state=e["state"], sla_due_at=e["sla_due_at"], now=as_of):
                breached.append(e)
        if e["raised_to_cto_at"] and start <= e["raised_to_cto_at"] < end:
            raised.append(e)
        if (
            e["resolved_at"]
            and start <= e["resolved_at"] < end
            and e["state"] == Escalation.State.RESOLVED
        ):
            resolved.append(e)
    awaiting_cto = [e for e in open_now if e["state"] == Escalation.State.RAISED_TO_CTO]
    severity_counts = {label: 0 for label in Escalation.Severity.labels}
    for e in open_now:
        severity_counts[Escalation.Severity(e["severity"]).label] += 1
    return {
        "opened_count": len(opened),
        "open_count": len(open_now),
        "raised_to_cto_count": len(raised),
        "awaiting_cto_count": len(awaiting_cto),
        "resolved_count": len(resolved),
        "sla_breached_count": len(breached),
        "open_by_severity": [{"severity": s, "count": n} for s, n in severity_counts.items()],
        "opened": by_severity([row(e) for e in opened])[:LIST_LIMIT],
        "awaiting_cto": by_severity([row(e) for e in awaiting_cto]),
        "raised_to_cto": by_severity([row(e) for e in raised])[:LIST_LIMIT],
        "resolved": [row(e) for e in resolved][:LIST_LIMIT],
        "sla_breached": by_severity([row(e) for e in breached])[:LIST_LIMIT],
        "list_limit": LIST_LIMIT,
    }


# (f) Decisions


def _decisions(monday: dt.date, sunday: dt.date) -> list[dict[str, Any]]:
    """Decisions of the week, oldest first (1 query)."""
    return [
        {
            "summary": d["summary"],
            "meeting": d["meeting__title"],
            "decided_on": d["decided_on"].isoformat(),
            "decided_label": f"{d['decided_on']:%a} {_day_label(d['decided_on'])}",
            "decided_by": _person(
                d["decided_by__first_name"], d["decided_by__last_name"], d["decided_by__username"]
            ),
        }
        for d in Decision.objects.filter(decided_on__range=(monday, sunday))
        .order_by("decided_on", "pk")
        .values(
            "summary",
            "meeting__title",
            "decided_on",
            "decided_by__first_name",
            "decided_by__last_name",
            "decided_by__username",
        )
    ]


# (g) Next week's meetings


def _next_week_meetings(next_monday: dt.datetime, tz: zoneinfo.ZoneInfo) -> list[dict[str, Any]]:
    """Meetings of the following week with each pre-read's read count among attendees (4 queries)."""
    next_end = dt.datetime.combine(next_monday.date() + dt.timedelta(days=7), dt.time(0), tzinfo=tz)
    in_range = Q(start__gte=next_monday, start__lt=next_end)
    meetings = list(
        Meeting.objects.filter(in_range)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("start", "pk")
        .values("pk", "title", "kind", "start", "end", "state", "location")
    )
    in_meetings = Q(meeting__start__gte=next_monday, meeting__start__lt=next_end)
    attendees: dict[int, set[int]] = defaultdict(set)
    for meeting_id, user_id in Meeting.attendees.through.objects.filter(in_meetings).values_list(
        "meeting_id", "user_id"
    ):
        attendees[meeting_id].add(user_id)
    pre_reads: dict[int, list[dict]] = defaultdict(list)
    for p in (
        PreRead.objects.filter(in_meetings)
        .order_by("pk")
        .values("pk", "meeting_id", "title", "due_by")
    ):
        pre_reads[p["meeting_id"]].append(p)
    readers: dict[int, set[int]] = defaultdict(set)
    for pre_read_id, user_id in PreReadAcknowledgement.objects.filter(
        pre_read__meeting__start__gte=next_monday, pre_read__meeting__start__lt=next_end
    ).values_list("pre_read_id", "user_id"):
        readers[pre_read_id].add(user_id)

    result = []
    for m in meetings:
        people = attendees.get(m["pk"], set())
        start = _local(m["start"], tz)
        end = _local(m["end"], tz)
        result.append(
            {
                "title": m["title"],
                "kind": MeetingKind(m["kind"]).label,
                "state": Meeting.State(m["state"]).label,
                "start": start.isoformat(),
                "when_label": f"{start:%a} {_day_label(start.date())}, {start:%H:%M}–{end:%H:%M}",
                "location": m["location"],
                "attendees": len(people),
                "pre_reads": [
                    {
                        "title": p["title"],
                        "due_label": (
                            f"{_day_label(_local(p['due_by'], tz).date())} {_local(p['due_by'], tz):%H:%M}"
                            if p["due_by"]
                            else ""
                        ),
                        "read": len(readers.get(p["pk"], set()) & people),
                        "attendees": len(people),
                    }
                    for p in pre_reads.get(m["pk"], [])
                ],
            }
        )
    return result
