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

The rules, each a function so the README can point at it, each module's
docstring stating the ones it implements:

- ``text``: HTML and Markdown stripped, ASCII slugs (``strip_html``, ``slugify``).
- ``people``: reading person and vacancy files; who is in engineering
  (``is_engineering``); the real names and handles that must never appear.
- ``pseudonyms``: deterministic fake names (``Pseudonyms``; Faker, a development
  dependency only this needs).
- ``placement``: where a person sits, from an unordered ``departments`` list
  (``classify_label``, ``place_person``, ``StageGroups``).
- ``tree``: the team tree and its leads (``build_tree``, ``seniority``, ``choose_leads``).
- ``indicators``: performance indicators as health signals (``load_indicators``).
- ``objectives``: OKRs and their measures (``parse_measure``, ``load_objectives``).
- ``assemble``: the CTO, inferred managers, reporting lines, opaque ids, and the
  document itself (``derive_organisation``, ``render_json``).

Imports point one way: ``assemble`` → ``indicators``, ``objectives``, ``tree`` →
``placement``, ``pseudonyms`` → ``people``, ``text``; this ``__init__`` only
re-exports, so ``from cto_office.demo.derive import derive_organisation`` works.
"""

from cto_office.demo.derive.assemble import SOURCE, derive_organisation, render_json
from cto_office.demo.derive.indicators import INDICATOR_FILES, load_indicators
from cto_office.demo.derive.objectives import (
    CEO_KR_TEAMS,
    FUNCTION_OKR_PAGE,
    LATEST_OKR_PAGES,
    OKR_OWNER_TEAMS,
    load_objectives,
    parse_measure,
)
from cto_office.demo.derive.people import (
    ENGINEERING,
    ENGINEERING_ALIASES,
    handles,
    is_engineering,
    load_people,
    load_vacancies,
    load_yaml,
    real_names,
)
from cto_office.demo.derive.placement import (
    DEPARTMENT_LABELS,
    NOISE_LABELS,
    SUBDEPARTMENT_ALIASES,
    Placement,
    StageGroups,
    classify_label,
    load_stage_groups,
    normalise_team_label,
    place_person,
)
from cto_office.demo.derive.pseudonyms import PSEUDONYM_LOCALES, Pseudonyms
from cto_office.demo.derive.text import ascii_fold, slugify, strip_html, strip_markdown
from cto_office.demo.derive.tree import (
    DEPARTMENT_FUNCTIONS,
    FUNCTION_OVERRIDES,
    SECTION_SUBDEPARTMENTS,
    Node,
    build_tree,
    choose_leads,
    seniority,
    subtree,
)

__all__ = [
    "CEO_KR_TEAMS",
    "DEPARTMENT_FUNCTIONS",
    "DEPARTMENT_LABELS",
    "ENGINEERING",
    "ENGINEERING_ALIASES",
    "FUNCTION_OKR_PAGE",
    "FUNCTION_OVERRIDES",
    "INDICATOR_FILES",
    "LATEST_OKR_PAGES",
    "NOISE_LABELS",
    "OKR_OWNER_TEAMS",
    "PSEUDONYM_LOCALES",
    "SECTION_SUBDEPARTMENTS",
    "SOURCE",
    "SUBDEPARTMENT_ALIASES",
    "Node",
    "Placement",
    "Pseudonyms",
    "StageGroups",
    "ascii_fold",
    "build_tree",
    "choose_leads",
    "classify_label",
    "derive_organisation",
    "handles",
    "is_engineering",
    "load_indicators",
    "load_objectives",
    "load_people",
    "load_stage_groups",
    "load_vacancies",
    "load_yaml",
    "normalise_team_label",
    "parse_measure",
    "place_person",
    "real_names",
    "render_json",
    "seniority",
    "slugify",
    "strip_html",
    "strip_markdown",
    "subtree",
]
