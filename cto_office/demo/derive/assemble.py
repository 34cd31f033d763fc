"""Putting it together: the snapshot in, one JSON document out (the package docstring's shape).

- the CTO: the snapshot has no CTO person file; the CTO is the person most
  engineering VPs report to (one handle without a person file).
- managers without a person file: a ``reports_to`` naming nobody in the snapshot
  adds an inferred person (``inferred: true``; title from ``_inferred_title``), placed
  at the deepest team that holds all their direct reports.
- reporting lines: ``reports_to`` resolves against person file names first,
  then GitLab handles; a ``reports_to`` that names a vacancy (an open manager
  position) resolves to that vacancy's own ``reports_to`` (the acting manager).
- ids: people get opaque ids (``p0001``) in an order that reveals nothing about
  their handles; names come from ``pseudonyms.Pseudonyms``.
"""

from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path
from typing import Any

from cto_office.demo.derive.indicators import load_indicators
from cto_office.demo.derive.objectives import load_objectives
from cto_office.demo.derive.people import (
    handles,
    is_engineering,
    load_people,
    load_vacancies,
    real_names,
)
from cto_office.demo.derive.placement import load_stage_groups, place_person
from cto_office.demo.derive.pseudonyms import Pseudonyms
from cto_office.demo.derive.text import strip_html
from cto_office.demo.derive.tree import Node, build_tree, choose_leads, seniority

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


def _inferred_title(node: Node, reports_ranks: list[int], is_cto: bool) -> str:
    """A title for a manager who has no person file: Director over managers, else Manager."""
    if is_cto:
        return "Chief Technology Officer"
    prefix = "Director" if max(reports_ranks, default=0) >= 3 else "Manager"
    return f"{prefix}, {node.short_name}"


def derive_organisation(source: Path) -> dict:
    """Read the handbook snapshot at ``source`` and return the demo organisation (package docstring)."""
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
