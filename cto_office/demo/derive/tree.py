"""The team tree: division → department → sub-department → team, and each team's lead.

``teams`` lists parents before children; ``level`` is ``division``,
``department``, ``sub-department`` or ``team``.

- team leads: ``choose_leads``.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from cto_office.demo.derive.placement import Placement, StageGroups
from cto_office.demo.derive.text import slugify

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
