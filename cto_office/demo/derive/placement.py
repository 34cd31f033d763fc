"""Where a person sits: a ``departments`` list read as department, sub-department and team.

- where: ``place_person`` reads a person's ``departments`` list, which the
  handbook does not keep in order, by classifying each label as a
  department, sub-department (section), team, or noise (affinity groups such as
  "Merge Request Coach", stages, stable counterparts; ``classify_label``).
- team names: a product group's team label is matched to its canonical name in
  ``stages.yml`` (``StageGroups``, ``load_stage_groups``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cto_office.demo.derive.people import ENGINEERING_ALIASES, load_yaml

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

_SUBDEPARTMENT_SUFFIX = re.compile(r"\s+(Section|Sub-department|Subdepartment)$")
_TEAM_SUFFIX = re.compile(r"\s+(?:(?:BE|FE|Fullstack)\s+)?(?:Team|Group|team|group)$")
_TEAM_TYPE_SUFFIX = re.compile(r"\s+(?:BE|FE|Fullstack)$")


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
    stages = load_yaml(source / "data/stages.yml")["stages"]
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
