"""Weekly snapshots per reporting unit (tech debt, headcount), indicators and requisitions.

Health indicators and open requisitions come straight from the data file
(GitLab's handbook performance indicators and vacancies); tech-debt and
headcount snapshots are generated for the ``HISTORY_WEEKS`` Mondays up to
this week's, per reporting unit (``organisation.reporting_units``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from briefings.models import (
    HeadcountSnapshot,
    HealthIndicator,
    Requisition,
    TechDebtSnapshot,
)
from cto_office.demo.context import HISTORY_WEEKS, WEEK, Context
from cto_office.demo.okrs import to_decimal


def seed_indicators(ctx: Context) -> None:
    """The handbook's engineering performance indicators as health signals on their teams."""
    HealthIndicator.objects.bulk_create(
        HealthIndicator(
            team=ctx.org.teams[item["team"]],
            name=item["name"],
            definition=item["definition"],
            target=item["target"],
            health=item["health"],
            reasons=item["reasons"],
            is_key=item["is_key"],
            url=item["url"],
        )
        for item in ctx.org.data["indicators"]
    )


def seed_requisitions(ctx: Context) -> None:
    """The handbook's open vacancies as open requisitions, opened 2–20 weeks ago."""
    Requisition.objects.bulk_create(
        Requisition(
            team=ctx.org.teams[v["team"]],
            title=v["title"],
            hiring_manager=ctx.user(v["hiring_manager"]) if v["hiring_manager"] else None,
            opened_on=ctx.today - dt.timedelta(days=ctx.rng.randint(14, 140)),
            state=Requisition.State.OPEN,
        )
        for v in ctx.org.data["vacancies"]
    )


def seed_snapshots(ctx: Context, profiles: dict[str, str]) -> None:
    """12 weekly tech-debt and headcount snapshots (Mondays) per reporting unit.

    Headcount ends at the unit's real size from the data file, planned at
    filled + open vacancies + 0–2; earlier weeks are reconstructed backwards
    from random starters and leavers. Tech debt grows in units whose key
    results are behind and in a few others, and shrinks or holds elsewhere.
    """
    rng, org = ctx.rng, ctx.org
    dates = [ctx.this_monday - WEEK * k for k in range(HISTORY_WEEKS)]  # newest first
    vacancies_by_team: dict[str, int] = defaultdict(int)
    for v in org.data["vacancies"]:
        vacancies_by_team[v["team"]] += 1
    behind_units = {
        ctx.unit_of(slug)
        for slug, p in profiles.items()
        if p != "on_track" and slug != "engineering"
    }
    growing = behind_units | set(rng.sample(ctx.units, 2))
    headcounts, debts = [], []
    for unit in ctx.units:
        team = org.teams[unit]
        filled = len(org.members(unit))
        open_reqs = sum(vacancies_by_team[s] for s in org.subtree(unit))
        planned = filled + open_reqs + rng.randint(0, 2)
        attrition = rng.random() < 0.25
        for day in dates:
            starters = 1 if rng.random() < min(0.5, filled / 60) else 0
            leavers = 1 if rng.random() < (0.25 if attrition else 0.08) else 0
            headcounts.append(
                HeadcountSnapshot(
                    team=team,
                    date=day,
                    filled=max(filled, 0),
                    planned=planned,
                    open_requisitions=open_reqs,
                    starters=starters,
                    leavers=leavers,
                )
            )
            # Step one week back: undo this week's movements.
            filled = max(0, filled - starters + leavers)
            open_reqs = max(0, open_reqs + starters - (1 if rng.random() < 0.1 else 0))

        trend = rng.uniform(0.02, 0.05) if unit in growing else rng.uniform(-0.04, 0.005)
        items = max(8.0, len(org.members(unit)) * rng.uniform(2.0, 4.5))
        share = rng.uniform(0.12, 0.22) + (0.08 if unit in growing else 0.0)
        effort_per_item = rng.uniform(1.0, 2.5)
        for k, day in enumerate(dates):
            count = max(1, round(items * (1 + trend) ** (-k) * rng.uniform(0.97, 1.03)))
            critical = max(0, round(count * rng.uniform(0.02, 0.08)))
            high = round(count * rng.uniform(0.15, 0.25))
            medium = round(count * rng.uniform(0.35, 0.5))
            low = max(0, count - critical - high - medium)
            debts.append(
                TechDebtSnapshot(
                    team=team,
                    date=day,
                    items_open=count,
                    effort_days=to_decimal(count * effort_per_item, 1),
                    critical=critical,
                    high=high,
                    medium=medium,
                    low=low,
                    capacity_share=to_decimal(
                        min(0.95, max(0.02, share * (1 + trend) ** (-k) + rng.uniform(-0.01, 0.01)))
                    ),
                )
            )
    HeadcountSnapshot.objects.bulk_create(headcounts)
    TechDebtSnapshot.objects.bulk_create(debts)
