"""The demo organisation in the database: users, role groups, teams and memberships.

``load_organisation`` builds them from the data file with bulk inserts and
returns an ``Organisation``, the in-memory map every other generator of the
demo works from (users by person id, teams by slug, the team tree).
``reporting_units`` names the teams the briefing compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cto_office import access
from cto_office.demo.loader import CHIEF_OF_STAFF, DEMO_PASSWORD, demo_login_people
from cto_office.models import Membership, Team
from cto_office.roles import ensure_role_groups


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
    _members: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def subtree(self, slug: str) -> list[str]:
        """``slug`` and every team slug below it."""
        out, frontier = [], [slug]
        while frontier:
            current = frontier.pop()
            out.append(current)
            frontier.extend(self.children.get(current, []))
        return out

    def members(self, slug: str) -> list[str]:
        """Person ids of everyone in the team or below it, in id order (computed once per team)."""
        if slug not in self._members:
            slugs = set(self.subtree(slug))
            self._members[slug] = sorted(
                pid for pid, team in self.person_team.items() if team in slugs
            )
        return self._members[slug]

    def lead_user(self, slug: str):
        """The lead of team ``slug``, or the CTO when the team has none."""
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

    # Two queries for the tree: every team in file order (so primary keys follow
    # the file), then each one's parent.
    teams = {
        t["slug"]: Team(
            slug=t["slug"],
            name=t["name"],
            function=t["function"],
            lead=user_by_id[t["lead"]] if t["lead"] else None,
        )
        for t in data["teams"]
    }
    Team.objects.bulk_create(teams.values())
    below_root = [t for t in data["teams"] if t["parent"]]
    for t in below_root:
        teams[t["slug"]].parent = teams[t["parent"]]
    Team.objects.bulk_update([teams[t["slug"]] for t in below_root], ["parent"])

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


def reporting_units(org: Organisation) -> list[str]:
    """Team slugs that get weekly snapshots, in file order.

    Development's sub-departments (Dev, Ops, Sec, …) and every other
    department: the level at which a CTO compares teams (14 units here; the
    87 teams below them are too small for a briefing table).
    """
    return [
        team["slug"]
        for team in org.data["teams"]
        if (team["level"] == "department" and team["slug"] != "development")
        or (team["level"] == "sub-department" and team["parent"] == "development")
    ]
