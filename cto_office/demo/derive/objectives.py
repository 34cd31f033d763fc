"""Engineering objectives and key results from the handbook's OKR pages.

``measure`` is ``{"start", "target", "unit"}`` when the key result's text
states numbers (``parse_measure``), else null (a milestone).
"""

from __future__ import annotations

import re
from pathlib import Path

from cto_office.demo.derive.text import strip_markdown

#: Owners of engineering OKRs in the function-level pages → the team (by name) they map to.
#: ``None`` means "the team of the objective this one is nested under".
OKR_OWNER_TEAMS = [
    (r"^(Chief Technology Officer|CTO)$", "Engineering"),
    (r"^(Sr |Senior )?Director of Development$|^VP of Development$", "Development"),
    (r"^Director of Engineering, Dev$", "Dev sub-department"),
    (r"^Director of Engineering, (Ops|CI/CD)$", "Ops sub-department"),
    (r"^Director of Engineering, (Secure|Defend)$", "Sec sub-department"),
    (r"^Director of Engineering, Enablement$", "Enablement sub-department"),
    (r"^Director of Engineering, Growth$", "Growth sub-department"),
    (r"^(Engineering Fellow|Distinguished Engineer)$", None),
    (r"^Director of Quality$|^VP of Quality$", "Quality"),
    (r"^Enablement QE$", "Enablement & SaaS Platforms QE"),
    (r"^Dev QE$", "Dev QE"),
    (r"^Engineering Productivity$", "Engineering Productivity"),
    (r"^(Director of Customer Support|VP of Customer Support)$", "Customer Support"),
    (r"^VP of Security$", "Security"),
    (r"^(Interim )?VP of Infrastructure$", "Infrastructure"),
    (r"^Director of UX$", "UX"),
]

#: Company (CEO) key results of the latest quarters that engineering delivers → team name.
CEO_KR_TEAMS = [
    (r"Dedicated", "Infrastructure"),
    (r"FedRAMP|Yubikey", "Security"),
    (r"Fulfillment", "Fulfillment sub-department"),
    (r"usability|SUS", "UX"),
    (r"curated experience|Direction page", "Development"),
    (r"OKRs in GitLab", "Engineering"),
]

#: The latest quarters: company key results engineering delivers.
LATEST_OKR_PAGES = ("fy23-q3", "fy23-q4", "fy24-q1")
#: The latest page with function-level (CTO, VP, director) engineering OKRs.
FUNCTION_OKR_PAGE = "fy21-q1"

_MEASURE = re.compile(
    r"from (?:an? |approx(?:imately)? |topline goal of )?(\d+(?:\.\d+)?)\s*(%| minutes| days)?"
    r" to (\d+(?:\.\d+)?)\s*(%| minutes| days)?",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"^(?:Deliver|Close out|Complete|Review|Create|Certify|Activate|Resolve|Support/organize|Publish|Hire)"
    r" (?:at least |the top )?(\d+)\b",
    re.IGNORECASE,
)


def parse_measure(text: str) -> dict | None:
    """A key result's numbers when its text states them, else None (a milestone).

    ``"… from 72.3 minutes to 45 minutes"`` → ``{"start": 72.3, "target": 45, "unit": "minutes"}``;
    ``"Deliver 15 items …"`` → ``{"start": 0, "target": 15, "unit": "items"}``.
    """
    match = _MEASURE.search(text)
    if match:
        start, target = float(match.group(1)), float(match.group(3))
        unit = (match.group(4) or match.group(2) or "").strip()
        if start != target:
            return {"start": start, "target": target, "unit": unit}
    match = _COUNT.search(text)
    if match and int(match.group(1)) > 1:
        return {"start": 0, "target": int(match.group(1)), "unit": "items"}
    return None


def _owner_team(owner: str) -> tuple[bool, str | None]:
    for pattern, team in OKR_OWNER_TEAMS:
        if re.search(pattern, owner):
            return True, team
    return False, None


def _quarter_label(page: str) -> str:
    return page.upper()


def load_objectives(source: Path, team_slugs: dict[str, str]) -> list[dict]:
    """Engineering objectives and key results from the OKR pages, links stripped.

    Two sources: the company (CEO) key results of the latest quarters that
    engineering teams deliver (``CEO_KR_TEAMS``; the objective belongs to the
    division), and every objective owned by an engineering leader on the
    latest page that has function-level OKRs (``OKR_OWNER_TEAMS``), which
    nests them CEO → CTO → VP → director by indentation.
    """
    okr_dir = source / "sites/uncategorized/source/company/okrs"
    objectives: list[dict] = []

    for page in LATEST_OKR_PAGES:
        path = okr_dir / page / "index.html.md"
        if not path.exists():
            continue
        current = None
        for raw in path.read_text(encoding="utf-8").splitlines():
            heading = re.match(r"^###\s+\d+\.\s+CEO:\s*(.+)$", raw)
            if heading:
                current = {
                    "quarter": _quarter_label(page),
                    "owner_role": "CEO",
                    "title": strip_markdown(heading.group(1)),
                    "team": team_slugs["Engineering"],
                    "key_results": [],
                }
                objectives.append(current)
                continue
            kr = re.match(r"^\s*\d+\.\s+\*\*CEO KR:\*\*\s*(.+)$", raw)
            if kr and current is not None:
                text = strip_markdown(kr.group(1)).rstrip(".")
                if "internal only" in text.lower():
                    continue
                for pattern, team in CEO_KR_TEAMS:
                    if re.search(pattern, text):
                        current["key_results"].append(
                            {
                                "title": text,
                                "owner_role": "CEO",
                                "team": team_slugs[team],
                                "measure": parse_measure(text),
                            }
                        )
                        break

    path = okr_dir / FUNCTION_OKR_PAGE / "index.html.md"
    stack: list[tuple[int, dict | None]] = []  # (indent, objective or None for non-engineering)
    for raw in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\s*)\d+\.\s+(.*)$", raw.expandtabs(4))
        if not match:
            if raw.startswith("#"):
                stack = []
            continue
        indent, body = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        text = strip_markdown(body)
        text = re.sub(r"\s*=>.*$", "", text).strip().rstrip(".")
        kr = re.match(r"^(.+?) KR:\s*(.+)$", text)
        if kr:
            parent = next((o for _, o in reversed(stack) if o is not None), None)
            if parent is not None and stack and stack[-1][1] is parent:
                parent["key_results"].append(
                    {
                        "title": kr.group(2).strip(),
                        "owner_role": kr.group(1).strip(),
                        "team": parent["team"],
                        "measure": parse_measure(kr.group(2)),
                    }
                )
            continue
        if not body.lstrip().startswith("**"):
            continue
        objective = re.match(r"^([^:]+?):\s*(.+)$", text)
        if not objective:
            continue
        owner, title = objective.group(1).strip(), objective.group(2).strip()
        known, team = _owner_team(owner)
        parent = next((o for _, o in reversed(stack) if o is not None), None)
        if not known:
            stack.append((indent, None))
            continue
        team_slug = (
            team_slugs[team] if team else (parent["team"] if parent else team_slugs["Engineering"])
        )
        entry = {
            "quarter": _quarter_label(FUNCTION_OKR_PAGE),
            "owner_role": owner,
            "title": title,
            "team": team_slug,
            "key_results": [],
        }
        objectives.append(entry)
        stack.append((indent, entry))

    return [o for o in objectives if o["key_results"]]
