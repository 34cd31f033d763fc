"""Reading the snapshot's people: person and vacancy files, who is in engineering, real names.

- who: everyone whose ``departments`` contain "Engineering Function" (or its
  older spelling "Engineering Division", on 3 files; ``is_engineering``), plus
  every person they name in ``reports_to`` who has no person file in the
  snapshot (added by ``assemble.derive_organisation``, ``inferred: true``).
- ``real_names`` and ``handles`` list what must never appear in the output:
  ``pseudonyms.Pseudonyms`` redraws a name that is one of them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ENGINEERING = "Engineering Function"
#: An older spelling of the same division label, still on a few person files.
ENGINEERING_ALIASES = (ENGINEERING, "Engineering Division")

#: libyaml's loader when PyYAML was built with it (several times faster); same results.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """One YAML file of the snapshot, parsed with a safe loader (``None`` for an empty file)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)  # a safe loader (CSafeLoader or SafeLoader)


def load_people(source: Path) -> dict[str, dict]:
    """Every person file, keyed by file name (``alex-h`` for ``person/a/alex-h.yml``)."""
    people = {}
    for path in sorted((source / "data/team_members/person").glob("*/*.yml")):
        record = load_yaml(path) or {}
        record["_key"] = path.stem
        people[path.stem] = record
    return people


def load_vacancies(source: Path) -> dict[str, dict]:
    vacancies = {}
    for path in sorted((source / "data/team_members/vacancy").glob("*.yml")):
        record = load_yaml(path) or {}
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
    egroup = load_yaml(source / "data/team_egroup.yml")
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

    walk(load_yaml(source / "data/stages.yml"))
    walk(load_yaml(source / "data/sections.yml"))
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
