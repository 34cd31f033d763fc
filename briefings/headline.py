"""The briefing's five headline numbers, read from a snapshot: one list for the cover, the
publish e-mail and the week-on-week changes."""

from __future__ import annotations

from typing import Any


def headline_numbers(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The five numbers a CTO reads first, from ``snapshot["headline"]`` (``briefing_snapshot``).

    Each is ``{"key", "label", "value", "note"}``: ``key`` names the headline
    field, ``value`` is an int or float, ``note`` one line of context. For all
    five, a higher value is worse (more behind, later, bigger gap or debt).
    """
    h = snapshot["headline"]
    debt_weeks = snapshot["tech_debt"]["trend_weeks"]
    overdue_note = (
        f"oldest {h['oldest_overdue_days']} days late" if h["overdue_actions"] else "none late"
    )
    return [
        {
            "key": "key_results_behind",
            "label": "Key results quietly behind",
            "value": h["key_results_behind"],
            "note": f"of {h['key_results_total']} this quarter",
        },
        {
            "key": "overdue_actions",
            "label": "Overdue actions",
            "value": h["overdue_actions"],
            "note": overdue_note,
        },
        {
            "key": "open_escalations",
            "label": "Open escalations",
            "value": h["open_escalations"],
            "note": f"{h['awaiting_cto']} awaiting the CTO, {h['sla_breached']} past SLA",
        },
        {
            "key": "headcount_gap",
            "label": "Headcount gap to plan",
            "value": h["headcount_gap"],
            "note": f"{h['headcount_filled']} filled of {h['headcount_planned']} planned",
        },
        {
            "key": "debt_effort_days",
            "label": "Tech-debt effort, engineer-days",
            "value": h["debt_effort_days"],
            "note": f"{h['debt_effort_change']:+g} vs {debt_weeks} weeks earlier",
        },
    ]
