"""The demo's data file and its five logins; no database access.

``load_data`` reads ``gitlab_engineering.json`` (see ``derive``). The five demo
logins (``demo_logins``: the Chief of Staff, the CTO, two team leads and one
staff member) share the password ``DEMO_PASSWORD``; every other demo user has
an unusable password (``organisation.load_organisation``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cto_office import access
from cto_office.demo import DATA_FILE

DEMO_PASSWORD = "cto-office-demo"

#: The Chief of Staff is not in GitLab's data; this invented person reports to the CTO.
CHIEF_OF_STAFF = {
    "id": "cos",
    "first_name": "Tamsin",
    "last_name": "Okafor-Lindqvist",
    "username": "tamsin.okafor-lindqvist",
    "title": "Chief of Staff to the CTO",
}

#: The teams whose leads are the two demo team leads: a sub-department and one
#: of its product groups, so one sees a whole section and the other one team.
DEMO_LEAD_TEAMS = ("dev-sub-department", "verify-pipeline-execution")

#: The staff login is the first member (by id) of this team who leads nothing.
DEMO_STAFF_TEAM = "verify-pipeline-execution"


@cache
def _load_cached(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_data(path: Path = DATA_FILE) -> dict:
    """The parsed data file (cached per path and modification time; do not mutate)."""
    return _load_cached(str(path), path.stat().st_mtime)


@dataclass(frozen=True)
class DemoLogin:
    """One demo login: the person's id in the data file, username, role label and job title."""

    person_id: str
    username: str
    role: str
    title: str


def demo_login_people(data: dict) -> list[DemoLogin]:
    """The five demo logins, in display order: CoS, CTO, two team leads, one staff member."""
    people = {p["id"]: p for p in data["people"]}
    teams = {t["slug"]: t for t in data["teams"]}
    leads = {t["lead"] for t in data["teams"] if t["lead"]}
    logins = [
        DemoLogin(
            "cos", CHIEF_OF_STAFF["username"], access.CHIEF_OF_STAFF, CHIEF_OF_STAFF["title"]
        ),
        DemoLogin(
            data["cto"], people[data["cto"]]["username"], access.CTO, people[data["cto"]]["title"]
        ),
    ]
    for slug in DEMO_LEAD_TEAMS:
        lead = people[teams[slug]["lead"]]
        logins.append(DemoLogin(lead["id"], lead["username"], access.TEAM_LEAD, lead["title"]))
    staff = next(
        p
        for p in data["people"]
        if p["team"] == DEMO_STAFF_TEAM and p["id"] not in leads and not p["inferred"]
    )
    logins.append(DemoLogin(staff["id"], staff["username"], "Staff", staff["title"]))
    return logins


def demo_logins() -> list[tuple[str, str]]:
    """``[(username, role), …]`` of the five demo logins; all use ``DEMO_PASSWORD``. No database access."""
    return [(login.username, login.role) for login in demo_login_people(load_data())]


def format_logins() -> str:
    """The demo logins as a plain-text table (username, role, password)."""
    rows = [("username", "role", "password")] + [(u, r, DEMO_PASSWORD) for u, r in demo_logins()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
