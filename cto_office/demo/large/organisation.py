"""The data file's organisation grown to about 2,000 people in about 230 teams, with no database access.

Every team at the ``team`` level (a product group such as ``Verify:Pipeline
Execution``, or a platform team such as ``Reliability``) gets the sub-teams its
function splits into (``SPLITS``): an engineering manager and 8–13 engineers
each, with GitLab's job titles. New people are named by recombining the first
and last names of the pseudonyms already in the file (never a name or
username already taken), so no one is "Name 2". Deterministic: the same data
file gives the same organisation.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from cto_office.demo.derive.text import ascii_fold

#: The random seed of the grown organisation.
SEED = 2000

#: Engineers per new sub-team, besides its manager (inclusive bounds).
TEAM_SIZE = (8, 13)


@dataclass(frozen=True)
class Split:
    """One sub-team a team splits into: the name's suffix, the manager's title, the engineers' role."""

    suffix: str
    manager: str
    role: str


#: How a team of each function splits (``Team.function``).
SPLITS: dict[str, tuple[Split, ...]] = {
    "engineering": (
        Split("Backend", "Backend Engineering Manager", "Backend Engineer"),
        Split("Frontend", "Frontend Engineering Manager", "Frontend Engineer"),
    ),
    "infrastructure": (
        Split("AMER", "Engineering Manager", "Site Reliability Engineer"),
        Split("EMEA", "Engineering Manager", "Site Reliability Engineer"),
        Split("APAC", "Engineering Manager", "Site Reliability Engineer"),
    ),
    "data": (
        Split("Modelling", "Machine Learning Engineering Manager", "Machine Learning Engineer"),
        Split("Data Platform", "Data Engineering Manager", "Data Engineer"),
    ),
    "quality": (
        Split("Test Automation", "Quality Engineering Manager", "Software Engineer in Test"),
        Split("Test Tooling", "Quality Engineering Manager", "Software Engineer in Test"),
    ),
    "security": (
        Split("AMER", "Security Manager", "Security Engineer"),
        Split("EMEA", "Security Manager", "Security Engineer"),
    ),
    "ux": (
        Split("Product Design", "Product Design Manager", "Product Designer"),
        Split("Research", "UX Research Manager", "UX Researcher"),
    ),
}

#: Teams whose function says too little about how they split.
TEAM_SPLITS: dict[str, tuple[Split, ...]] = {
    "technical-writing": (
        Split("Product Docs", "Technical Writing Manager", "Technical Writer"),
        Split("Developer Docs", "Technical Writing Manager", "Technical Writer"),
    ),
}

#: Seniority prefixes of engineers' titles and their weights.
LEVELS = (("", 4), ("Senior ", 5), ("Staff ", 1))


class Names:
    """Fresh (first name, last name, username) triples drawn from the file's own pseudonyms."""

    def __init__(self, people: list[dict], rng: random.Random):
        self._firsts = sorted({p["first_name"] for p in people})
        self._lasts = sorted({p["last_name"] for p in people})
        self._taken_names = {(p["first_name"], p["last_name"]) for p in people}
        self._taken_usernames = {p["username"] for p in people}
        self._rng = rng

    def __call__(self) -> tuple[str, str, str]:
        while True:
            first, last = self._rng.choice(self._firsts), self._rng.choice(self._lasts)
            username = re.sub(r"[^a-z0-9.-]", "", ascii_fold(f"{first}.{last}").lower())
            if (first, last) in self._taken_names or username in self._taken_usernames:
                continue
            self._taken_names.add((first, last))
            self._taken_usernames.add(username)
            return first, last, username


def scale_organisation(data: dict) -> dict:
    """``data`` (the parsed data file, not mutated) with every ``team``-level team split (``SPLITS``).

    Returns a new dict of the same shape: the original teams and people kept
    as they are (the demo logins among them), new teams below each split team
    (slug ``<team>-<suffix>``, level ``team``, the parent's function) and new
    people (ids ``x0001``…) managed by their sub-team's manager, who reports
    to the split team's lead.
    """
    rng = random.Random(SEED)
    names = Names(data["people"], rng)
    teams, people = list(data["teams"]), list(data["people"])
    lead_of = {t["slug"]: t["lead"] for t in data["teams"]}
    parent_of = {t["slug"]: t["parent"] for t in data["teams"]}

    def nearest_lead(slug: str | None) -> str:
        while slug and not lead_of.get(slug):
            slug = parent_of[slug]
        return lead_of[slug] if slug else data["cto"]

    def person(team: dict, title: str, manager: str) -> dict:
        first, last, username = names()
        new = {
            "first_name": first,
            "id": f"x{len(people) - len(data['people']) + 1:04d}",
            "inferred": False,
            "last_name": last,
            "manager": manager,
            "team": team["slug"],
            "title": title,
            "username": username,
        }
        people.append(new)
        return new

    for parent in [t for t in data["teams"] if t["level"] == "team"]:
        for split in TEAM_SPLITS.get(parent["slug"], SPLITS[parent["function"]]):
            short = f"{parent['short_name']} {split.suffix}"
            team = {
                "function": parent["function"],
                "lead": None,
                "level": "team",
                "name": f"{parent['name']} {split.suffix}",
                "parent": parent["slug"],
                "short_name": short,
                "slug": f"{parent['slug']}-{split.suffix.lower().replace(' ', '-')}",
            }
            manager = person(team, f"{split.manager}, {short}", nearest_lead(parent["slug"]))
            team["lead"] = manager["id"]
            teams.append(team)
            for _ in range(rng.randint(*TEAM_SIZE)):
                level = rng.choices([lv for lv, _ in LEVELS], [w for _, w in LEVELS])[0]
                person(team, f"{level}{split.role}, {parent['short_name']}", manager["id"])
    return {**data, "teams": teams, "people": people}
