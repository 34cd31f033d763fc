"""What changed since last week: the week's snapshot compared with the previous week's stored one.

Pure functions over two snapshots (``briefings.selectors.briefing_snapshot``
dicts): nothing is re-queried, so the comparison is with what last week's
briefing said, not with a reconstruction of the past. The generation service
stores the result in ``snapshot["changes"]``.
"""

from __future__ import annotations

from typing import Any

from briefings.headline import headline_numbers
from cto_office.clock import IsoWeek

#: How many items the first page's "moved most" list shows.
MOVED_LIMIT = 8

#: Per-section figures compared week on week: (section, label, path into the snapshot).
SECTION_FIGURES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "okrs": [
        ("quietly behind", ("okrs", "behind_count")),
        ("reported off track", ("okrs", "off_track_count")),
    ],
    "escalations": [
        ("open", ("escalations", "open_count")),
        ("awaiting the CTO", ("escalations", "awaiting_cto_count")),
        ("past triage SLA", ("escalations", "sla_breached_count")),
    ],
    "actions": [
        ("overdue", ("actions", "overdue_count")),
        ("completed in the week", ("actions", "completed_count")),
    ],
    "tech_debt": [
        ("open debt items", ("tech_debt", "totals", "items_open")),
        ("effort, engineer-days", ("tech_debt", "totals", "effort_days")),
    ],
    "headcount": [
        ("filled", ("headcount", "totals", "filled")),
        ("gap to plan", ("headcount", "totals", "gap")),
    ],
}


def _get(snapshot: dict, path: tuple[str, ...]) -> Any:
    value: Any = snapshot
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _delta(now: Any, before: Any) -> dict[str, Any]:
    """``{"now", "before", "delta", "arrow"}``; delta and arrow are None without a previous value."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return {"now": now, "before": None, "delta": None, "arrow": ""}
    delta = round(now - before, 1)
    delta = int(delta) if float(delta).is_integer() else delta
    return {
        "now": now,
        "before": before,
        "delta": delta,
        "arrow": "▲" if delta > 0 else "▼" if delta < 0 else "=",
    }


def briefing_changes(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """The week's changes against ``previous`` (last week's snapshot, or None for the first briefing).

    Returns ``{"compared_with", "previous_week", "headline": {key: ...}, "sections": {name: [...]}, "moved": [...]}``:
    each headline (by ``headline_numbers`` key) and section figure with ``now``, ``before``, ``delta`` and an
    arrow (▲ up, ▼ down, = same; for every figure here, up is worse except
    "completed" and "filled"); ``moved`` lists the few things that moved most,
    each ``{"kind", "text"}``: key results that turned quietly behind or
    recovered, teams whose overdue actions or headcount gap grew most, and new
    critical escalations. ``compared_with`` is the label of the week before;
    ``previous_week`` is None and everything empty when it has no snapshot.
    """
    week = current["week"]
    compared_with = IsoWeek(week["iso_year"], week["iso_week"]).previous().label
    if not previous:
        return {
            "compared_with": compared_with,
            "previous_week": None,
            "headline": {},
            "sections": {},
            "moved": [],
        }
    before = {n["key"]: n["value"] for n in headline_numbers(previous)}
    headline = {
        n["key"]: {"label": n["label"], **_delta(n["value"], before.get(n["key"]))}
        for n in headline_numbers(current)
    }
    sections = {
        name: [
            {"label": label, **_delta(_get(current, path), _get(previous, path))}
            for label, path in figures
        ]
        for name, figures in SECTION_FIGURES.items()
    }
    return {
        "compared_with": compared_with,
        "previous_week": previous["week"]["label"],
        "headline": headline,
        "sections": sections,
        "moved": _moved(current, previous)[:MOVED_LIMIT],
    }


def _moved(current: dict, previous: dict) -> list[dict[str, str]]:
    """The things that moved most, most telling first (see ``briefing_changes``)."""
    moved: list[dict[str, str]] = []
    now_ids = set(_get(current, ("okrs", "behind_ids")) or [])
    before_ids = set(_get(previous, ("okrs", "behind_ids")) or [])
    shown = {b["pk"]: b for b in _get(current, ("okrs", "behind")) or [] if "pk" in b}
    for pk in sorted(now_ids - before_ids):
        b = shown.get(pk)
        if b:
            moved.append(
                {
                    "kind": "turned quietly behind",
                    "text": f"{b['key_result']} ({b['team']}): {'; '.join(b['reasons'])}",
                }
            )
    recovered = len(before_ids - now_ids)
    if recovered:
        moved.append(
            {
                "kind": "recovered",
                "text": f"{recovered} key result{'s' if recovered != 1 else ''} no longer quietly behind",
            }
        )
    moved.extend(
        {"kind": "critical escalation", "text": f"{e['key']} {e['title']} ({e['team']})"}
        for e in _get(current, ("escalations", "opened")) or []
        if e["severity"] == "Critical"
    )
    moved.extend(
        _grew(current, previous, ("actions", "overdue_by_team"), "count", "overdue actions")
    )
    moved.extend(_grew(current, previous, ("headcount", "teams"), "gap", "headcount gap"))
    return moved


def _grew(
    current: dict, previous: dict, path: tuple[str, ...], field: str, what: str
) -> list[dict[str, str]]:
    """Teams whose ``field`` in the per-team rows at ``path`` grew to above zero, biggest growth
    first (top 3). A gap going from -1 (over plan) to 0 is not news."""
    before = {r["team"]: r[field] for r in _get(previous, path) or []}
    growth = [
        (r[field] - before.get(r["team"], 0), r["team"], before.get(r["team"], 0), r[field])
        for r in _get(current, path) or []
    ]
    growth = sorted((g for g in growth if g[0] > 0 and g[3] > 0), key=lambda g: (-g[0], g[1]))[:3]
    return [
        {"kind": f"{what} grew", "text": f"{team}: {was} → {now}"} for _, team, was, now in growth
    ]
