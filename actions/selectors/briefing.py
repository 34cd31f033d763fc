"""The weekly briefing's actions and escalations sections.

They count the whole office, not scoped to a user: the briefing is a document
only the Chief of Staff and the CTO see (``access.can_see_briefings`` guards it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q

from actions.models import ActionItem, Escalation
from cto_office.models import person_from_row

# The weekly briefing's sections (the whole office, not scoped to a user)

#: How the briefing names an action or escalation that has no team.
NO_TEAM = "No team"

_BRIEFING_ACTION_FIELDS = (
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


def _day_label(day: dt.date) -> str:
    """``23 Nov``: how the briefing writes a day."""
    return f"{day.day} {day:%b}"


def _briefing_action_row(a: dict, as_of: dt.date | None = None) -> dict[str, Any]:
    """One action of the briefing as JSON-ready data; with ``as_of``, its days overdue then."""
    row = {
        "key": ActionItem.key_of(a["pk"]),
        "title": a["title"],
        "owner": person_from_row(a, "owner__"),
        "team": a["team__name"] or NO_TEAM,
        "due_date": a["due_date"].isoformat(),
        "due_label": _day_label(a["due_date"]),
        "priority": f"P{a['priority']}",
        "status": ActionItem.Status(a["status"]).label,
    }
    if as_of is not None:
        # The query kept only actions open at ``as_of`` (a past week's may be done by now),
        # so the overdue rule is asked about the action as it stood then: open.
        then = ActionItem(status=ActionItem.Status.OPEN, due_date=a["due_date"])
        row["days_overdue"] = then.days_overdue(as_of)
    return row


def briefing_actions_section(
    *,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.date,
    as_of_dt: dt.datetime,
    list_limit: int,
) -> dict[str, Any]:
    """The briefing's actions section: completed in the week, overdue at ``as_of`` (2 queries).

    ``start``/``end`` are the week's bounds (aware, ``[start, end)``, office
    time zone); ``as_of`` the office date point-in-time figures are taken on
    and ``as_of_dt`` the moment (the end of that day, or now). Overdue follows
    ``ActionItem.overdue_q``: open and due before ``as_of``; for a past week an
    action done since ``as_of_dt`` still counts as open then. Completed and
    overdue are grouped by team and owner in Python; lists that could run long
    are cut to ``list_limit`` rows (the counts cover all). JSON-ready: dates
    are ISO strings.
    """
    completed = [
        _briefing_action_row(a)
        for a in ActionItem.objects.filter(
            status=ActionItem.Status.DONE, completed_at__gte=start, completed_at__lt=end
        )
        .order_by("team__name", "pk")
        .values(*_BRIEFING_ACTION_FIELDS)
    ]
    # Open at as_of: open now, or done after as_of (a past week). Overdue: due before as_of.
    overdue = [
        _briefing_action_row(a, as_of)
        for a in ActionItem.objects.filter(
            ActionItem.overdue_q(as_of)
            | Q(status=ActionItem.Status.DONE, completed_at__gte=as_of_dt, due_date__lt=as_of),
            created_at__lt=as_of_dt,
        )
        .order_by("due_date", "priority", "pk")
        .values(*_BRIEFING_ACTION_FIELDS)
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
        "completed": completed[:list_limit],
        "completed_by_team": [
            {"team": t, "count": n}
            for t, n in sorted(completed_by_team.items(), key=lambda i: (-i[1], i[0]))
        ],
        "overdue_count": len(overdue),
        "oldest_overdue_days": max((a["days_overdue"] for a in overdue), default=0),
        # Most overdue first; the full set is in the per-team and per-owner tables.
        "overdue": sorted(overdue, key=lambda a: (-a["days_overdue"], a["priority"], a["key"]))[
            :list_limit
        ],
        "overdue_by_team": by_team,
        "overdue_by_owner": by_owner[:list_limit],
        "owners_with_overdue": len(by_owner),
        "list_limit": list_limit,
    }


def briefing_escalations_section(
    *,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime,
    tz: dt.tzinfo,
    list_limit: int,
) -> dict[str, Any]:
    """The briefing's escalations section: opened, open, raised to the CTO, resolved and past
    SLA in the week (1 query).

    One query fetches every escalation alive at some point of the week (created
    before ``end`` and not closed before ``start``); the groups are cut in
    Python. "SLA breached" is ``Escalation.breaches_sla`` (still ``new`` after
    ``sla_due_at``) at ``as_of``, an aware datetime; times are shown in ``tz``
    (the office's zone). Lists are cut to ``list_limit`` rows, the counts cover all.
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

    def breached(e: dict) -> bool:
        return Escalation.breaches_sla(state=e["state"], sla_due_at=e["sla_due_at"], now=as_of)

    def row(e: dict) -> dict[str, Any]:
        created = e["created_at"].astimezone(tz)
        open_days = ((e["resolved_at"] or as_of) - e["created_at"]).total_seconds() / 86400
        return {
            "key": Escalation.key_of(e["pk"]),
            "title": e["title"],
            "category": Escalation.Category(e["category"]).label,
            "severity": Escalation.Severity(e["severity"]).label,
            "state": Escalation.State(e["state"]).label,
            "confidential": e["confidential"],
            "team": e["team__name"] or NO_TEAM,
            "raised_by": person_from_row(e, "raised_by__"),
            "created_at": created.isoformat(),
            "created_label": f"{_day_label(created.date())} {created:%H:%M}",
            "age_days": max(0, int(open_days)),
            "sla_breached": breached(e),
        }

    def by_severity(items: list[dict]) -> list[dict]:
        return sorted(items, key=lambda e: (severity_rank[e["severity"]], e["created_at"]))

    opened, open_now, raised, resolved, breaches = [], [], [], [], []
    for e in rows:
        is_open = e["created_at"] < as_of and (
            e["resolved_at"] is None or e["resolved_at"] >= as_of
        )
        if start <= e["created_at"] < end:
            opened.append(e)
        if is_open:
            open_now.append(e)
            if breached(e):
                breaches.append(e)
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
        "sla_breached_count": len(breaches),
        "open_by_severity": [{"severity": s, "count": n} for s, n in severity_counts.items()],
        "opened": by_severity([row(e) for e in opened])[:list_limit],
        "awaiting_cto": by_severity([row(e) for e in awaiting_cto]),
        "raised_to_cto": by_severity([row(e) for e in raised])[:list_limit],
        "resolved": [row(e) for e in resolved][:list_limit],
        "sla_breached": by_severity([row(e) for e in breaches])[:list_limit],
        "list_limit": list_limit,
    }
