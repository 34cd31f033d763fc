"""The briefing's lists: how much of each the PDF shows, and every full list as one CSV.

The PDF stays a briefing whatever the size of the organisation (DESIGN.md §5:
at most 16 pages): it shows the top rows of each list (``PDF_TOP``: tall
rows, such as escalations, and short ones, such as a team's figures) and says
how many more there are. The browser view shows every row the snapshot holds,
and ``briefing_lists_csv`` writes the lists the snapshot holds in full
(``FULL_LISTS``) as one CSV file, linked from the PDF. Lists the snapshot
itself cuts (the most overdue actions, the escalations opened in the week)
are in full in the action register and the escalation inbox.

Pure functions over a stored snapshot: no queries.
"""

from __future__ import annotations

import csv
import io
from typing import Any

#: Rows of a list shown in the PDF: ``rows`` for lists of tall rows (escalations,
#: actions, indicators, requisitions), ``teams`` for one-line rows per team or owner.
PDF_TOP = {"rows": 10, "teams": 15}

#: The browser view's "cut": none (``|top`` shows every row when the limit is empty).
BROWSER_TOP = {"rows": None, "teams": None}

#: Lists the snapshot holds in full: CSV name → (title, path into the snapshot, columns).
#: The columns are the rows' fields in reading order (a stored snapshot is JSONB,
#: whose keys come back in PostgreSQL's order, not ours).
FULL_LISTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "key_results_per_team": (
        "Key results per team",
        ("okrs", "teams"),
        (
            "team",
            "key_results",
            "on_track",
            "behind",
            "off_track",
            "progress",
            "expected",
            "confidence",
        ),
    ),
    "escalations_awaiting_cto": (
        "Escalations awaiting the CTO",
        ("escalations", "awaiting_cto"),
        (
            "key",
            "title",
            "team",
            "severity",
            "category",
            "state",
            "confidential",
            "raised_by",
            "created_at",
            "age_days",
            "sla_breached",
        ),
    ),
    "overdue_actions_per_team": (
        "Overdue actions per team",
        ("actions", "overdue_by_team"),
        ("team", "count", "max_days", "average_days", "completed"),
    ),
    "completed_actions_per_team": (
        "Actions completed per team",
        ("actions", "completed_by_team"),
        ("team", "count"),
    ),
    "tech_debt_per_team": (
        "Tech debt per team",
        ("tech_debt", "teams"),
        (
            "team",
            "date",
            "items_open",
            "effort_days",
            "critical",
            "high",
            "medium",
            "low",
            "capacity_share",
            "effort_before",
            "effort_change",
            "items_change",
        ),
    ),
    "health_indicators": (
        "Health indicators needing attention",
        ("tech_debt", "indicators"),
        ("team", "name", "health", "is_key", "target", "reasons"),
    ),
    "headcount_per_team": (
        "Headcount per team",
        ("headcount", "teams"),
        ("team", "date", "filled", "planned", "gap", "starters", "leavers", "open_requisitions"),
    ),
    "open_requisitions": (
        "Open requisitions",
        ("headcount", "requisitions"),
        ("team", "title", "hiring_manager", "opened_on", "days_open"),
    ),
    "decisions": (
        "Decisions of the week",
        ("decisions",),
        ("decided_on", "summary", "meeting", "decided_by"),
    ),
    "next_week_meetings": (
        "Next week's meetings",
        ("meetings",),
        ("start", "title", "kind", "state", "location", "attendees", "pre_reads"),
    ),
}


def list_rows(snapshot: dict[str, Any], path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows at ``path`` in ``snapshot``, or [] when a section is missing."""
    value: Any = snapshot
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, list) else []


def _cell(value: Any) -> str:
    """A CSV cell: lists joined with "; ", nested rows as ``key: value`` pairs, None empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def briefing_lists_csv(snapshot: dict[str, Any]) -> str:
    """Every list of ``FULL_LISTS`` as one CSV text: per list a title row, a header row
    (its columns, named as in the snapshot), its rows, then a blank row. Empty lists keep their title
    and a "(none)" row, so the file always has the same blocks in the same order."""
    out = io.StringIO()
    writer = csv.writer(out)
    label = snapshot.get("week", {}).get("label", "")
    writer.writerow([f"Weekly CTO briefing {label}: full lists"])
    writer.writerow([])
    for title, path, columns in FULL_LISTS.values():
        rows = list_rows(snapshot, path)
        writer.writerow([title])
        if rows:
            writer.writerow(columns)
            writer.writerows([_cell(row.get(key)) for key in columns] for row in rows)
        else:
            writer.writerow(["(none)"])
        writer.writerow([])
    return out.getvalue()
