"""Performance indicators of the engineering handbook files, as the teams' health signals."""

from __future__ import annotations

import re
from pathlib import Path

from cto_office.demo.derive.people import load_yaml
from cto_office.demo.derive.text import strip_html

#: The performance-indicator files used as health signals → the department they describe.
INDICATOR_FILES = {
    "engineering_function": None,  # the division itself
    "development_department": "Development",
    "infrastructure_department": "Infrastructure",
    "quality_department": "Quality",
    "security_department": "Security",
    "ux_department": "UX",
}


def _anchor(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_indicators(source: Path, team_for_department: dict[str | None, str]) -> list[dict]:
    """Performance indicators of the engineering files as health signals.

    ``health`` is the handbook's level (0 unknown, 1 problem, 2 attention, 3 okay);
    the few ``-1`` levels (not yet measured) become 0. Definitions and reasons
    lose their HTML; a duplicate name within one team keeps the first.
    """
    out = []
    for stem, department in INDICATOR_FILES.items():
        team = team_for_department.get(department)
        if team is None:
            continue
        seen: set[str] = set()
        for item in load_yaml(source / f"data/performance_indicators/{stem}.yml") or []:
            name = strip_html(item.get("name"))[:200]
            if not name or name in seen:
                continue
            seen.add(name)
            health = item.get("health") or {}
            level = health.get("level")
            base = item.get("base_path") or ""
            out.append(
                {
                    "team": team,
                    "name": name,
                    "definition": strip_html(item.get("definition")),
                    "target": strip_html(str(item.get("target") or ""))[:300],
                    "health": level if level in (0, 1, 2, 3) else 0,
                    "reasons": [
                        r for r in (strip_html(str(x)) for x in health.get("reasons") or []) if r
                    ],
                    "is_key": bool(item.get("is_key")),
                    "url": f"https://about.gitlab.com{base}#{_anchor(name)}"
                    if base.startswith("/")
                    else "",
                }
            )
    return out
