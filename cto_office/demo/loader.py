"""Build the demo organisation from ``gitlab_engineering.json`` and generate its quarter.

``seed_demo`` is what ``manage.py seed_demo`` runs: users, role groups, teams,
memberships and office settings from the data file (``load_organisation``),
then a quarter of activity around "today" (``cto_office.demo.activity``). It
is idempotent: when the demo organisation already exists it creates nothing.

The five demo logins (``demo_logins``) share the password ``DEMO_PASSWORD``;
every other demo user has an unusable password.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cto_office import access
from cto_office.demo import DATA_FILE
from cto_office.models import Membership, OfficeSettings, Team
from cto_office.roles import ensure_role_groups

DEMO_PASSWORD = "cto-office-demo"

#: The random seed of everything generated; the same day gives the same data.
SEED = 2026

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


# Building the organisation


@dataclass
class Organisation:
    """The loaded organisation: users by person id (``"cos"`` for the Chief of Staff), teams by slug."""

    data: dict
    users: dict[str, object]
    teams: dict[str, Team]
    person_team: dict[str, str]  # person id → team slug
    leads: dict[str, str | None]  # team slug → person id
    cto: object = None
    cos: object = None
    children: dict[str, list[str]] = field(default_factory=dict)

    def subtree(self, slug: str) -> list[str]:
        """``slug`` and every team slug below it."""
        out, frontier = [], [slug]
        while frontier:
            current = frontier.pop()
            out.append(current)
            frontier.extend(self.children.get(current, []))
        return out

    def members(self, slug: str) -> list[str]:
        """Person ids of everyone in the team or below it, in id order."""
        slugs = set(self.subtree(slug))
        return sorted(pid for pid, team in self.person_team.items() if team in slugs)

    def lead_user(self, slug: str):
        pid = self.leads.get(slug)
        return self.users[pid] if pid else self.cto


def demo_organisation_exists() -> bool:
    """True when the root team and the demo Chief of Staff are both present."""
    User = get_user_model()
    return (
        Team.objects.filter(slug="engineering").exists()
        and User.objects.filter(username=CHIEF_OF_STAFF["username"]).exists()
    )


def load_organisation(data: dict) -> Organisation:
    """Create users, role groups, teams and memberships from ``data``; return them.

    Users get unusable passwords except the five demo logins. Every team lead
    (other than the CTO) joins the ``Team lead`` group; the Chief of Staff is
    ``is_staff`` so they can use Django admin. Uses bulk inserts: a few dozen
    queries in all.
    """
    User = get_user_model()
    ensure_role_groups()
    groups = {g.name: g for g in Group.objects.filter(name__in=access.ROLE_GROUPS)}
    logins = demo_login_people(data)
    login_ids = {login.person_id for login in logins}
    # One PBKDF2 hash shared by the five logins: hashing is the slowest step of the
    # seed, and the password is published in the README anyway.
    demo_hash = make_password(DEMO_PASSWORD)

    people = [CHIEF_OF_STAFF | {"manager": data["cto"], "team": "engineering"}]
    people += data["people"]
    users = [
        User(
            username=p["username"],
            first_name=p["first_name"],
            last_name=p["last_name"],
            email=f"{p['username']}@example.com",
            password=demo_hash if p["id"] in login_ids else make_password(None),
            is_staff=p["id"] == "cos",
        )
        for p in people
    ]
    User.objects.bulk_create(users)
    by_username = {
        u.username: u for u in User.objects.filter(username__in=[p["username"] for p in people])
    }
    user_by_id = {p["id"]: by_username[p["username"]] for p in people}

    teams: dict[str, Team] = {}
    for t in data["teams"]:  # parents come first in the file
        teams[t["slug"]] = Team.objects.create(
            slug=t["slug"],
            name=t["name"],
            function=t["function"],
            parent=teams[t["parent"]] if t["parent"] else None,
            lead=user_by_id[t["lead"]] if t["lead"] else None,
        )

    Membership.objects.bulk_create(
        Membership(
            user=user_by_id[p["id"]],
            team=teams[p["team"]],
            title=p["title"],
            manager=user_by_id[p["manager"]] if p.get("manager") else None,
        )
        for p in people
    )

    Through = User.groups.through
    role_rows = [Through(user_id=user_by_id["cos"].pk, group_id=groups[access.CHIEF_OF_STAFF].pk)]
    role_rows.append(Through(user_id=user_by_id[data["cto"]].pk, group_id=groups[access.CTO].pk))
    lead_ids = sorted({t["lead"] for t in data["teams"] if t["lead"] and t["lead"] != data["cto"]})
    role_rows += [
        Through(user_id=user_by_id[pid].pk, group_id=groups[access.TEAM_LEAD].pk)
        for pid in lead_ids
    ]
    Through.objects.bulk_create(role_rows)

    children: dict[str, list[str]] = {}
    for t in data["teams"]:
        if t["parent"]:
            children.setdefault(t["parent"], []).append(t["slug"])
    return Organisation(
        data=data,
        users=user_by_id,
        teams=teams,
        person_team={p["id"]: p["team"] for p in people},
        leads={t["slug"]: t["lead"] for t in data["teams"]},
        cto=user_by_id[data["cto"]],
        cos=user_by_id["cos"],
        children=children,
    )


@dataclass
class SeedReport:
    created: bool
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def seed_demo(*, now: dt.datetime | None = None, data: dict | None = None) -> SeedReport:
    """Create the demo organisation and its quarter, unless it already exists.

    ``now`` (aware; default ``timezone.now()``) anchors everything generated:
    meetings ~8 weeks back and ~3 weeks ahead, the OKR quarter, snapshots and
    due dates, all in the office time zone. Runs in one transaction.
    """
    from cto_office.demo.activity import generate_activity

    started = time.perf_counter()
    if demo_organisation_exists():
        return SeedReport(created=False, seconds=time.perf_counter() - started)
    data = data or load_data()
    now = now or timezone.now()
    with transaction.atomic():
        office = OfficeSettings.load()
        if office.organisation_name == OfficeSettings._meta.get_field("organisation_name").default:
            office.organisation_name = "Engineering (demo, from GitLab's handbook)"
            office.save(update_fields=["organisation_name"])
        org = load_organisation(data)
        counts = generate_activity(org=org, office=office, now=now, rng=random.Random(SEED))
    return SeedReport(created=True, seconds=time.perf_counter() - started, counts=counts)
