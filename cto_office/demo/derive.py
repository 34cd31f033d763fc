"""Derive the demo organisation from GitLab's public handbook data.

Input: a ``git archive`` of gitlab-com/www-gitlab-com at
21d9eac6f53b96122ca5f6826a04dee00efb0fa3 (2022-11-10), laid out as in the
repository (``data/team_members/person/*/*.yml``, ``data/performance_indicators``,
``data/stages.yml``, ``sites/uncategorized/source/company/okrs/``).

Output: one JSON document (``derive_organisation`` → ``render_json``), the same
bytes for the same input. Its shape::

    {
      "source": {...},                        # repository, commit, date, licence
      "cto": "p0123",                         # person id of the Chief Technology Officer
      "teams": [{"slug", "name", "level", "function", "parent", "lead", "short_name"}],
      "people": [{"id", "first_name", "last_name", "username", "title",
                  "team", "manager", "inferred"}],
      "vacancies": [{"id", "title", "team", "hiring_manager"}],
      "indicators": [{"team", "name", "definition", "target", "health",
                      "reasons", "is_key", "url"}],
      "objectives": [{"quarter", "owner_role", "title", "team",
                      "key_results": [{"title", "owner_role", "team", "measure"}]}],
    }

``measure`` is ``{"start", "target", "unit"}`` when the key result's text
states numbers (``parse_measure``), else null (a milestone).

``teams`` lists parents before children; ``level`` is ``division``,
``department``, ``sub-department`` or ``team``. People are referred to only by
opaque ids (``p0001``); names are pseudonyms (``Pseudonyms``). Handles,
stories, pictures, locations and social links are not copied.

The rules, each a function below so the README can point at it:

- who: everyone whose ``departments`` contain "Engineering Function" (or its
  older spelling "Engineering Division", on 3 files; ``is_engineering``), plus
  every person they name in ``reports_to`` who has no person file in the
  snapshot (``inferred: true``; title from ``_inferred_title``).
- the CTO: the snapshot has no CTO person file; the CTO is the person most
  engineering VPs report to (one handle without a person file).
- where: ``place_person`` reads a person's ``departments`` list, which the
  handbook does not keep in order, by classifying each label as a
  department, sub-department (section), team, or noise (affinity groups such as
  "Merge Request Coach", stages, stable counterparts).
- team leads: ``choose_leads``.
- reporting lines: ``reports_to`` resolves against person file names first,
  then GitLab handles; a ``reports_to`` that names a vacancy (an open manager
  position) resolves to that vacancy's own ``reports_to`` (the acting manager).
"""

from __future__ import annotations

import collections
import hashlib
import html
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SOURCE = {
    "repository": "https://gitlab.com/gitlab-com/www-gitlab-com",
    "commit": "21d9eac6f53b96122ca5f6826a04dee00efb0fa3",
    "date": "2022-11-10",
    "licence": "CC BY-SA 4.0",
    "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
    "changes": (
        "Names replaced by generated pseudonyms; handles, stories, pictures, "
        "locations, pronouns and social links dropped; job titles stripped of HTML; "
        "departments normalised into a team tree; managers without a person file "
        "added with inferred titles; indicator and OKR text stripped of links."
    ),
}

ENGINEERING = "Engineering Function"
#: An older spelling of the same division label, still on a few person files.
ENGINEERING_ALIASES = (ENGINEERING, "Engineering Division")

#: Department labels (as written in ``departments``) → department name.
DEPARTMENT_LABELS = {
    "Development Department": "Development",
    "Development": "Development",
    "Infrastructure Department": "Infrastructure",
    "Quality Department": "Quality",
    "Security Department": "Security",
    "Security": "Security",
    "UX Department": "UX",
    "Incubation Engineering Department": "Incubation Engineering",
    "Customer Support": "Customer Support",
}

#: Department → ``cto_office.models.TeamFunction`` value.
DEPARTMENT_FUNCTIONS = {
    "Development": "engineering",
    "Infrastructure": "infrastructure",
    "Quality": "quality",
    "Security": "security",
    "UX": "ux",
    "Incubation Engineering": "engineering",
    "Customer Support": "support",
}

#: Sub-departments or teams whose function differs from their department's.
FUNCTION_OVERRIDES = {"Data Science": "data", "Engineering Analytics": "data"}

#: Labels that name affinity groups, roles or programmes rather than an org unit.
NOISE_LABELS = {
    *ENGINEERING_ALIASES,
    "Core Team",
    "Core Team Alumni",
    "Backend",
    "Frontend",
    "Fullstack",
    "Merge Request Coach",
    "Merge Request Buddy",
    "Parental Leave Reentry buddy",
    "Govern backend capability",
    "Govern frontend capability",
    "Package",
    "Monitor",
}

#: Two spellings of one sub-department.
SUBDEPARTMENT_ALIASES = {"CICD": "Ops", "SaaS Platform": "SaaS Platforms"}

#: ``stages.yml`` section key → sub-department name (used when a team's
#: members name no sub-department themselves).
SECTION_SUBDEPARTMENTS = {
    "dev": "Dev",
    "ops": "Ops",
    "sec": "Sec",
    "analytics": "Analytics",
    "growth": "Growth",
    "fulfillment": "Fulfillment",
    "enablement": "Enablement",
    "data-science": "Data Science",
    "platforms": "SaaS Platforms",
}

#: The performance-indicator files used as health signals → the department they describe.
INDICATOR_FILES = {
    "engineering_function": None,  # the division itself
    "development_department": "Development",
    "infrastructure_department": "Infrastructure",
    "quality_department": "Quality",
    "security_department": "Security",
    "ux_department": "UX",
}

#: Locales for pseudonyms: GitLab is all-remote, so the names are mixed too.
PSEUDONYM_LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "en_AU",
    "en_IN",
    "de_DE",
    "nl_NL",
    "fr_FR",
    "es_ES",
    "pt_BR",
    "it_IT",
    "pl_PL",
    "sv_SE",
)

_SUBDEPARTMENT_SUFFIX = re.compile(r"\s+(Section|Sub-department|Subdepartment)$")
_TEAM_SUFFIX = re.compile(r"\s+(?:(?:BE|FE|Fullstack)\s+)?(?:Team|Group|team|group)$")
_TEAM_TYPE_SUFFIX = re.compile(r"\s+(?:BE|FE|Fullstack)$")


# Text clean-up


def strip_html(text: str | None) -> str:
    """``<a href="…">Senior Backend Engineer, Create</a>`` → ``Senior Backend Engineer, Create``.

    Tags are removed, entities decoded and whitespace collapsed.
    """
    text = re.sub(r"<[^>]*>", "", text or "")
    return " ".join(html.unescape(text).split())


def strip_markdown(text: str) -> str:
    """Drop Markdown links (keeping their text), bold markers and kramdown attributes."""
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("\\", "")
    text = re.sub(r"\s+[\w.-]+(?:/[\w.-]+)*[&#]\d+\b", "", text)  # epic and issue references
    return " ".join(text.split())


def slugify(text: str) -> str:
    text = ascii_fold(text).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_EXTRA_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "œ": "oe",
    }
)


def ascii_fold(text: str) -> str:
    """``Łukasz Müller`` → ``Lukasz Muller`` (for usernames and slugs)."""
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return text.encode("ascii", "ignore").decode("ascii")


# Reading the source


#: libyaml's loader when PyYAML was built with it (several times faster); same results.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)  # a safe loader (CSafeLoader or SafeLoader)


def load_people(source: Path) -> dict[str, dict]:
    """Every person file, keyed by file name (``alex-h`` for ``person/a/alex-h.yml``)."""
    people = {}
    for path in sorted((source / "data/team_members/person").glob("*/*.yml")):
        record = _load_yaml(path) or {}
        record["_key"] = path.stem
        people[path.stem] = record
    return people


def load_vacancies(source: Path) -> dict[str, dict]:
    vacancies = {}
    for path in sorted((source / "data/team_members/vacancy").glob("*.yml")):
        record = _load_yaml(path) or {}
        record["_key"] = path.stem
        vacancies[path.stem] = record
    return vacancies


def is_engineering(record: dict) -> bool:
    """Whether a person (or vacancy) file belongs to the Engineering division."""
    return any(label in ENGINEERING_ALIASES for label in record.get("departments") or [])


def real_names(source: Path) -> set[str]:
    """Every real person's full name in the source (lower case), for the no-real-names check.

    From the person files, the executive group, the vacancy files (which name
    acting managers, e.g. ``New Vacancy (… - Acting Senior EM)``) and the people
    named in ``stages.yml`` and ``sections.yml``.
    """
    names: set[str] = set()
    role_words = re.compile(
        r"\b(engineer|manager|director|senior|team|channel|vacancy|tbd|lead|officer|counterpart|"
        r"security|marketing|success|analyst|specialist)\b|[#@,:/0-9()]",
        re.IGNORECASE,
    )

    def add(value: Any, strict: bool = False) -> None:
        """Add one name; ``strict`` (for role fields in stages.yml) keeps only name-like strings."""
        if isinstance(value, str):
            value = " ".join(re.sub(r"\([^)]*\)", " ", value).split())
            # Placeholders ("Senior Security Engineer") are not names.
            if role_words.search(value) or (strict and not 2 <= value.count(" ") + 1 <= 4):
                return
            if value and " " in value and value.lower() not in {"new vacancy", "tbd"}:
                names.add(value.lower())
        elif isinstance(value, list):
            for item in value:
                add(item, strict)

    for record in load_people(source).values():
        add(record.get("name"))
    for record in load_vacancies(source).values():
        name = record.get("name") or ""
        match = re.search(r"\(([^)]*)\)", name)
        add(match.group(1).split(" - ")[0] if match else name)
    egroup = _load_yaml(source / "data/team_egroup.yml")
    for speaker in egroup.get("speakers_block", {}).get("speakers", []):
        add(speaker.get("name"))
    person_keys = {
        "pm",
        "em",
        "pmm",
        "pdm",
        "sm",
        "cm",
        "qm",
        "rem",
        "ux",
        "uxr",
        "sets",
        "support",
        "tech_writer",
        "appsec_engineer",
        "backend_engineering_manager",
        "frontend_engineering_manager",
        "dri",
        "cs",
        "tam",
        "pe",
        "sre",
    }

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in person_keys:
                    add(value, strict=True)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(_load_yaml(source / "data/stages.yml"))
    walk(_load_yaml(source / "data/sections.yml"))
    return names


def handles(source: Path) -> set[str]:
    """Every person key, GitLab handle and ``reports_to`` value in the source (lower case)."""
    people, vacancies = load_people(source), load_vacancies(source)
    out = {key.lower() for key in people}
    for record in [*people.values(), *vacancies.values()]:
        for field_name in ("gitlab", "reports_to"):
            if record.get(field_name):
                out.add(str(record[field_name]).strip().lower())
    return out


# Placing people in the org tree


@dataclass(frozen=True)
class Placement:
    """Where one person sits: department, sub-department and team names (each optional)."""

    department: str | None
    subdepartment: str | None
    team: str | None


@dataclass
class StageGroups:
    """``stages.yml`` read as team-name lookups: normalised label → canonical name, and its section."""

    canonical: dict[str, str] = field(default_factory=dict)
    section: dict[str, str] = field(default_factory=dict)


def load_stage_groups(source: Path) -> StageGroups:
    """Canonical product-group names (``Create:Source Code``) and their sections from ``stages.yml``."""
    groups = StageGroups()
    stages = _load_yaml(source / "data/stages.yml")["stages"]
    for stage in stages.values():
        for group in (stage.get("groups") or {}).values():
            name = group.get("name") or ""
            canonical = name if ":" in name else f"{stage['display_name']}:{name}"
            keys = {canonical, name}
            for tag_key in ("be_team_tag", "fe_team_tag"):
                tag = group.get(tag_key)
                if tag and tag != "TBD":
                    keys.add(normalise_team_label(tag))
            for key in filter(None, keys):
                groups.canonical.setdefault(key.lower(), canonical)
            groups.section[canonical] = stage.get("section") or ""
    return groups


def normalise_team_label(label: str) -> str:
    """``Create:Source Code BE Team`` → ``Create:Source Code``; ``Dev QE team`` → ``Dev QE``."""
    label = " ".join(label.split())
    label = _TEAM_SUFFIX.sub("", label)
    return _TEAM_TYPE_SUFFIX.sub("", label)


def classify_label(label: str, stage_groups: StageGroups | None) -> tuple[str, str]:
    """One ``departments`` label → (kind, name), kind one of department/subdepartment/team/noise.

    With ``stage_groups`` (for people in Development) a team label is matched
    to its product group's canonical name: as written, then the part after the
    stage (``Analyze:Product Analytics`` → ``Analytics:Product Analytics``).
    """
    label = " ".join(label.split())
    if label in DEPARTMENT_LABELS:
        return "department", DEPARTMENT_LABELS[label]
    if (
        label in NOISE_LABELS
        or "Stable Counterpart" in label
        or label.endswith(" Stage")
        or label.startswith("Montitor")  # a misspelt stage label
    ):
        return "noise", label
    if _SUBDEPARTMENT_SUFFIX.search(label):
        name = _SUBDEPARTMENT_SUFFIX.sub("", label)
        return "subdepartment", SUBDEPARTMENT_ALIASES.get(name, name)
    name = normalise_team_label(label)
    if stage_groups is None:
        return "team", name
    canonical = stage_groups.canonical
    return "team", canonical.get(name.lower()) or canonical.get(name.split(":")[-1].lower()) or name


def place_person(departments: list[str], stage_groups: StageGroups) -> Placement:
    """Read a ``departments`` list (in any order) as department, sub-department and team.

    Of two department labels the one other than Development wins (people in
    UX or Quality sometimes also carry the broad "Development" label); a person
    with more than one sub-department and no team (a director over several)
    sits at department level; of several team labels the last, most specific, wins.
    """
    subdepartment = team = None
    found = [classify_label(label, None) for label in departments or []]
    named = [name for kind, name in found if kind == "department"]
    department = next((n for n in named if n != "Development"), named[0] if named else None)
    groups = stage_groups if department == "Development" else None
    subdepartments: list[str] = []
    teams: list[str] = []
    for label in departments or []:
        kind, name = classify_label(label, groups)
        if kind == "subdepartment" and name not in subdepartments:
            subdepartments.append(name)
        elif kind == "team":
            teams.append(name)
    if teams:
        team = teams[-1]
    if len(subdepartments) == 1 or (teams and subdepartments):
        subdepartment = subdepartments[0]
    return Placement(department, subdepartment, team)


# The team tree


@dataclass
class Node:
    slug: str
    name: str
    short_name: str
    level: str
    function: str
    parent: str | None
    members: list[str] = field(default_factory=list)  # person keys placed directly here


def build_tree(
    placements: dict[str, Placement], stage_groups: StageGroups
) -> tuple[dict[str, Node], dict[str, str]]:
    """Build the team tree and return it (slug → node, parents first) with each person's node slug.

    A team's department and sub-department are the ones most of its members
    name (ties: ``stages.yml``'s section, then alphabetical), so a few
    inconsistent person files do not split a team in two.
    """
    root = Node("engineering", "Engineering", "Engineering", "division", "engineering", None)
    nodes: dict[str, Node] = {root.slug: root}

    team_departments: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    team_subdepartments: dict[str, collections.Counter] = collections.defaultdict(
        collections.Counter
    )
    for placement in placements.values():
        if placement.team:
            team_departments[placement.team][placement.department] += 1
            if placement.subdepartment:
                team_subdepartments[placement.team][placement.subdepartment] += 1

    def majority(counter: collections.Counter, fallback: str | None = None) -> str | None:
        if not counter:
            return fallback
        best = max(counter.values())
        winners = sorted(k for k, v in counter.items() if v == best and k is not None)
        if fallback in winners:
            return fallback
        return winners[0] if winners else fallback

    def department_node(name: str | None) -> Node:
        if name is None:
            return root
        slug = slugify(name)
        if slug not in nodes:
            nodes[slug] = Node(
                slug, name, name, "department", DEPARTMENT_FUNCTIONS[name], root.slug
            )
        return nodes[slug]

    def subdepartment_node(department: Node, name: str | None) -> Node:
        if name is None or department is root:
            return department
        full = f"{name} sub-department"
        slug = slugify(full)
        if slug not in nodes:
            function = FUNCTION_OVERRIDES.get(name, department.function)
            nodes[slug] = Node(slug, full, name, "sub-department", function, department.slug)
        return nodes[slug]

    team_nodes: dict[str, Node] = {}
    for team in sorted(team_departments):
        department = department_node(majority(team_departments[team]))
        section = SECTION_SUBDEPARTMENTS.get(stage_groups.section.get(team, ""))
        fallback = section if department.name == "Development" else None
        parent = subdepartment_node(department, majority(team_subdepartments[team], fallback))
        slug = slugify(team)
        if slug in nodes:  # a team named like a department or sub-department
            slug = slugify(f"{team} team")
        function = FUNCTION_OVERRIDES.get(team, parent.function)
        node = Node(slug, team, team, "team", function, parent.slug)
        nodes[slug] = team_nodes[team] = node

    where: dict[str, str] = {}
    for key, placement in placements.items():
        if placement.team:
            node = team_nodes[placement.team]
        else:
            node = subdepartment_node(
                department_node(placement.department), placement.subdepartment
            )
        node.members.append(key)
        where[key] = node.slug

    ordered: dict[str, Node] = {}

    def visit(slug: str) -> None:
        ordered[slug] = nodes[slug]
        for child in sorted(
            (n for n in nodes.values() if n.parent == slug), key=lambda n: (n.level, n.name)
        ):
            visit(child.slug)

    visit(root.slug)
    return ordered, where


def subtree(nodes: dict[str, Node], slug: str) -> list[str]:
    """Slugs of ``slug`` and every node below it."""
    children: dict[str, list[str]] = collections.defaultdict(list)
    for node in nodes.values():
        if node.parent:
            children[node.parent].append(node.slug)
    out, frontier = [], [slug]
    while frontier:
        current = frontier.pop()
        out.append(current)
        frontier.extend(children[current])
    return out


def seniority(title: str) -> int:
    """A coarse rank read from a job title: 6 chief, 5 VP, 4 director/head, 3 manager, 0 otherwise."""
    lowered = title.lower()
    if "chief" in lowered:
        return 6
    if re.search(r"\bvp\b|vice president", lowered):
        return 5
    if "director" in lowered or "head of" in lowered:
        return 4
    if "manager" in lowered and "product manager" not in lowered:
        return 3
    return 0


def choose_leads(
    nodes: dict[str, Node], managers: dict[str, str | None], titles: dict[str, str]
) -> dict[str, str | None]:
    """The lead of every team: node slug → person key (or None).

    The rule: among the people in the team (including its sub-teams) whose own
    manager is outside it, the most senior by title (``seniority``), then the
    one with the most people in the team below them, then the first by key.
    If that person manages nobody in the team and has no manager title (every
    member reports to someone outside, as in a team whose engineering manager
    is filed one level up), the lead is the manager most of its members report
    to, provided that person has a manager's title; failing that, the lead of
    the parent team. ``nodes`` lists parents before children.
    """
    leads: dict[str, str | None] = {}
    for slug, node in nodes.items():
        members = {key for s in subtree(nodes, slug) for key in nodes[s].members}
        if not members:
            leads[slug] = None
            continue
        below: collections.Counter = collections.Counter()
        for key in members:
            seen, manager = set(), managers.get(key)
            while manager in members and manager not in seen:
                below[manager] += 1
                seen.add(manager)
                manager = managers.get(manager)
        roots = [key for key in members if managers.get(key) not in members]
        best = min(roots, key=lambda k: (-seniority(titles[k]), -below[k], k))
        if below[best] == 0 and seniority(titles[best]) < 3:
            counts = collections.Counter(
                managers[k]
                for k in members
                if managers.get(k) and seniority(titles[managers[k]]) >= 3
            )
            if counts:
                top = max(counts.values())
                best = min(k for k, v in counts.items() if v == top)
            else:
                best = leads.get(node.parent) if node.parent else best
        leads[slug] = best
    return leads


# Pseudonyms


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class Pseudonyms:
    """Deterministic fake names: the same handle always gives the same name.

    Faker is seeded from a SHA-256 of the handle (and of ``handle#n`` when a
    name must be redrawn because it is a real name from the source or already
    taken). Faker is a development dependency: only ``derive_demo_data`` needs
    it, and its output is stable for the version pinned in ``uv.lock``.
    """

    def __init__(self, forbidden: set[str], handles: set[str] = frozenset()):
        try:
            from faker import Faker
        except ImportError as exc:  # pragma: no cover - dev dependency missing
            raise RuntimeError("derive_demo_data needs Faker: uv sync --dev") from exc
        self._fakers = {locale: Faker(locale) for locale in PSEUDONYM_LOCALES}
        self._forbidden = forbidden
        self._handles = {h.lower() for h in handles}
        self._taken_names: set[str] = set()
        self._taken_usernames: set[str] = set()

    def __call__(self, handle: str) -> tuple[str, str, str]:
        """``handle`` → (first name, last name, username ``first.last``)."""
        for attempt in range(100):
            seed = _seed(handle if attempt == 0 else f"{handle}#{attempt}")
            locale = random.Random(seed).choice(PSEUDONYM_LOCALES)
            fake = self._fakers[locale]
            fake.seed_instance(seed)
            first, last = fake.first_name(), fake.last_name()
            full = f"{first} {last}".lower()
            username = re.sub(r"[^a-z0-9.-]", "", ascii_fold(f"{first}.{last}").lower())
            if (
                full in self._forbidden
                or first.lower()
                in self._handles  # a first name that is somebody's handle ("kamil")
                or last.lower() in self._handles
                or username in self._handles
                or full in self._taken_names
                or username in self._taken_usernames
                or len(username) < 3
            ):
                continue
            self._taken_names.add(full)
            self._taken_usernames.add(username)
            return first, last, username
        raise RuntimeError(f"No free pseudonym after 100 draws for a handle ({handle[:2]}…)")


# Indicators and OKRs


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
        for item in _load_yaml(source / f"data/performance_indicators/{stem}.yml") or []:
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


# Putting it together


def _inferred_title(node: Node, reports_ranks: list[int], is_cto: bool) -> str:
    """A title for a manager who has no person file: Director over managers, else Manager."""
    if is_cto:
        return "Chief Technology Officer"
    prefix = "Director" if max(reports_ranks, default=0) >= 3 else "Manager"
    return f"{prefix}, {node.short_name}"


def derive_organisation(source: Path) -> dict:
    """Read the handbook snapshot at ``source`` and return the demo organisation (module docstring)."""
    source = Path(source)
    all_people = load_people(source)
    vacancies = load_vacancies(source)
    stage_groups = load_stage_groups(source)
    by_handle = {str(r.get("gitlab")): k for k, r in all_people.items() if r.get("gitlab")}

    def resolve(ref: Any, depth: int = 0) -> str | None:
        """A ``reports_to`` value → a person key, an ``@new:<handle>`` for a missing one, or None."""
        ref = str(ref or "").strip()
        if not ref:
            return None
        if ref in all_people:
            return ref
        if ref in by_handle:
            return by_handle[ref]
        if ref in vacancies and depth < 3:
            return resolve(vacancies[ref].get("reports_to"), depth + 1)
        return f"@new:{ref}"

    engineers = {k: r for k, r in all_people.items() if is_engineering(r)}
    titles = {k: strip_html(r.get("role")) for k, r in engineers.items()}
    managers: dict[str, str | None] = {}
    for key, record in engineers.items():
        manager = resolve(record.get("reports_to"))
        # A manager with a person file outside engineering (or the person themselves) is outside the org.
        if manager is not None and not manager.startswith("@new:") and manager not in engineers:
            manager = None
        managers[key] = manager if manager != key else None

    # Managers named in reports_to without a person file join as inferred people.
    missing = sorted({m for m in managers.values() if m and m.startswith("@new:")})
    vp_managers = collections.Counter(
        managers[k] for k in engineers if seniority(titles[k]) == 5 and managers[k]
    )
    cto_key = vp_managers.most_common(1)[0][0] if vp_managers else None
    if cto_key is None or not cto_key.startswith("@new:"):
        raise ValueError("Cannot find the CTO: the person most engineering VPs report to.")

    placements = {
        k: place_person(r.get("departments") or [], stage_groups) for k, r in engineers.items()
    }
    nodes, where = build_tree(placements, stage_groups)

    # Place each inferred manager at the deepest node that holds all their direct reports.
    def ancestors(slug: str) -> list[str]:
        chain = []
        while slug:
            chain.append(slug)
            slug = nodes[slug].parent
        return chain

    for key in missing:
        reports = [k for k, m in managers.items() if m == key]
        chains = [ancestors(where[k]) for k in reports]
        common = [s for s in chains[0] if all(s in c for c in chains[1:])]
        slug = nodes["engineering"].slug if key == cto_key else common[0]
        nodes[slug].members.append(key)
        where[key] = slug
        titles[key] = _inferred_title(
            nodes[slug], [seniority(titles[k]) for k in reports], key == cto_key
        )
        managers[key] = None

    leads = choose_leads(nodes, managers, titles)

    # An inferred manager reports to the lead of the nearest team above them that someone else leads.
    for key in missing:
        if key == cto_key:
            continue
        slug = where[key]
        while slug:
            lead = leads.get(slug)
            if lead and lead != key:
                chain, seen = lead, set()
                while chain and chain not in seen:  # never create a cycle
                    seen.add(chain)
                    chain = managers.get(chain)
                if key not in seen:
                    managers[key] = lead
                    break
            slug = nodes[slug].parent

    # Opaque ids in an order that reveals nothing about the handles.
    keys = sorted(list(engineers) + missing, key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    ids = {key: f"p{n:04d}" for n, key in enumerate(keys, start=1)}
    pseudonym = Pseudonyms(real_names(source), handles(source))
    people = []
    for key in keys:
        first, last, username = pseudonym(key.removeprefix("@new:"))
        people.append(
            {
                "id": ids[key],
                "first_name": first,
                "last_name": last,
                "username": username,
                "title": titles[key][:200],
                "team": where[key],
                "manager": ids.get(managers.get(key) or ""),
                "inferred": key.startswith("@new:"),
            }
        )
    people.sort(key=lambda p: p["id"])

    team_slugs = {node.name: slug for slug, node in nodes.items()}
    team_for_department = {None: "engineering"}
    team_for_department.update({n.name: s for s, n in nodes.items() if n.level == "department"})

    out_vacancies = []
    for n, (_key, record) in enumerate(sorted(vacancies.items()), start=1):
        placement = place_person(record.get("departments") or [], stage_groups)
        if not (is_engineering(record) or placement.department):
            continue
        team = team_slugs.get(placement.team or "") or team_slugs.get(
            f"{placement.subdepartment} sub-department"
        )
        team = team or team_for_department.get(placement.department) or "engineering"
        manager = resolve(record.get("reports_to"))
        out_vacancies.append(
            {
                "id": f"v{n:02d}",
                "title": strip_html(record.get("role"))[:200],
                "team": team,
                "hiring_manager": ids.get(manager or ""),
            }
        )

    return {
        "source": SOURCE,
        "cto": ids[cto_key],
        "teams": [
            {
                "slug": node.slug,
                "name": node.name,
                "short_name": node.short_name,
                "level": node.level,
                "function": node.function,
                "parent": node.parent,
                "lead": ids.get(leads.get(slug) or ""),
            }
            for slug, node in nodes.items()
        ],
        "people": people,
        "vacancies": out_vacancies,
        "indicators": load_indicators(source, team_for_department),
        "objectives": load_objectives(source, team_slugs),
    }


def render_json(data: dict) -> str:
    """The committed form: sorted keys, two-space indent, UTF-8, a final newline."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
