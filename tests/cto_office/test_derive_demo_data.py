"""The derived demo data: deterministic, pseudonymised, and shaped as the seed expects.

The derivation runs on the real handbook snapshot (``/work/shared/data``),
which CI has too; outside CI the tests that need it are skipped when it is absent.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from cto_office.demo import DATA_FILE
from cto_office.demo.derive import (
    Placement,
    Pseudonyms,
    choose_leads,
    derive_organisation,
    handles,
    load_stage_groups,
    parse_measure,
    place_person,
    real_names,
    render_json,
    strip_html,
    strip_markdown,
)
from cto_office.management.commands.derive_demo_data import DEFAULT_SOURCE
from tests.conftest import require_service

TEAM_FUNCTIONS = {
    "engineering",
    "product",
    "security",
    "data",
    "infrastructure",
    "quality",
    "ux",
    "support",
    "other",
}


@pytest.fixture(scope="module")
def source():
    require_service(
        "The handbook snapshot",
        (DEFAULT_SOURCE / "data").is_dir(),
        f"put ../shared beside the project ({DEFAULT_SOURCE})",
    )
    return DEFAULT_SOURCE


@pytest.fixture(scope="module")
def derived_text(source) -> str:
    return render_json(derive_organisation(source))


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _string_values(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in _string_values(value)]
    if isinstance(node, list):
        return [s for value in node for s in _string_values(value)]
    return [node] if isinstance(node, str) else []


# Determinism


def test_committed_file_is_what_derive_produces(derived_text):
    """The committed file was written by another process: equal bytes also prove hash-seed independence."""
    assert derived_text == DATA_FILE.read_text(encoding="utf-8")


def test_derive_command_writes_identical_bytes(source, derived_text, tmp_path):
    out = tmp_path / "derived.json"
    call_command("derive_demo_data", source=source, output=out, stdout=io.StringIO())
    assert out.read_bytes() == derived_text.encode("utf-8")


def test_derive_command_rejects_a_folder_that_is_not_a_snapshot(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a handbook snapshot"):
        call_command("derive_demo_data", source=tmp_path, output=tmp_path / "x.json")


# Pseudonymisation


def test_no_real_name_from_the_source_appears_in_the_derived_file(source):
    names = real_names(source)
    assert len(names) > 1000  # the check really has the people in it
    text = DATA_FILE.read_text(encoding="utf-8").lower()
    assert [name for name in names if name in text] == []


def test_no_handle_from_the_source_is_a_value_in_the_derived_file(source, committed):
    values = {value.lower() for value in _string_values(committed)}
    assert handles(source) & values == set()


def test_people_carry_only_pseudonymous_fields(committed):
    assert {key for person in committed["people"] for key in person} == {
        "id",
        "first_name",
        "last_name",
        "username",
        "title",
        "team",
        "manager",
        "inferred",
    }
    assert all(re.fullmatch(r"p\d{4}", person["id"]) for person in committed["people"])


def test_pseudonyms_are_stable_per_handle_and_avoid_real_names():
    first = Pseudonyms(forbidden=set())("some-handle")
    assert Pseudonyms(forbidden=set())("some-handle") == first
    full_name = f"{first[0]} {first[1]}".lower()
    redrawn = Pseudonyms(forbidden={full_name})("some-handle")
    assert f"{redrawn[0]} {redrawn[1]}".lower() != full_name


# Shape


def test_derived_file_is_compact():
    assert DATA_FILE.stat().st_size < 1_000_000


def test_teams_form_one_tree_with_parents_first(committed):
    seen: set[str] = set()
    for team in committed["teams"]:
        assert team["parent"] is None or team["parent"] in seen
        assert team["function"] in TEAM_FUNCTIONS
        assert team["level"] in {"division", "department", "sub-department", "team"}
        seen.add(team["slug"])
    assert [t["slug"] for t in committed["teams"] if t["parent"] is None] == ["engineering"]
    assert len(seen) == len(committed["teams"])


def test_every_reference_resolves_and_reporting_lines_have_no_cycles(committed):
    people = {p["id"]: p for p in committed["people"]}
    teams = {t["slug"] for t in committed["teams"]}
    assert all(p["team"] in teams for p in people.values())
    assert all(t["lead"] in people for t in committed["teams"] if t["lead"])
    for person in people.values():
        seen, current = set(), person["id"]
        while current:
            assert current not in seen, f"reporting cycle through {current}"
            seen.add(current)
            current = people[current]["manager"]
    assert len({p["username"] for p in people.values()}) == len(people)
    assert all(v["team"] in teams for v in committed["vacancies"])
    assert all(i["team"] in teams for i in committed["indicators"])
    assert all(kr["team"] in teams for o in committed["objectives"] for kr in o["key_results"])


def test_the_cto_leads_engineering_and_department_heads_report_to_them(committed):
    people = {p["id"]: p for p in committed["people"]}
    cto = people[committed["cto"]]
    assert cto["title"] == "Chief Technology Officer"
    assert cto["manager"] is None
    teams = {t["slug"]: t for t in committed["teams"]}
    assert teams["engineering"]["lead"] == cto["id"]
    assert people[teams["development"]["lead"]]["manager"] == cto["id"]


def test_titles_have_no_html(committed):
    titles = [p["title"] for p in committed["people"]] + [
        v["title"] for v in committed["vacancies"]
    ]
    assert not any("<" in t or "href" in t for t in titles)


def test_indicators_objectives_and_vacancies_are_present(committed):
    assert len(committed["vacancies"]) == 23
    assert {i["health"] for i in committed["indicators"]} <= {0, 1, 2, 3}
    assert {"Past Due InfraDev Issues", "UX Debt"} <= {i["name"] for i in committed["indicators"]}
    assert {o["quarter"] for o in committed["objectives"]} >= {"FY23-Q4", "FY21-Q1"}
    texts = [o["title"] for o in committed["objectives"]]
    texts += [kr["title"] for o in committed["objectives"] for kr in o["key_results"]]
    assert not any("](" in t or "**" in t for t in texts)


# The rules, on small inputs


def test_strip_html_keeps_the_link_text():
    assert strip_html('<a href="/job-families/x/">Senior Backend Engineer, Create</a>') == (
        "Senior Backend Engineer, Create"
    )
    assert strip_html("A &amp; B") == "A & B"


def test_strip_markdown_drops_links_and_references():
    text = "Enable search [gitlab-org&1736](https://gitlab.com/groups/x) for **paid** groups [here](https://x.y)"
    assert strip_markdown(text) == "Enable search for paid groups here"


def test_place_person_reads_departments_broad_to_narrow(source):
    groups = load_stage_groups(source)
    placement = place_person(
        [
            "Engineering Function",
            "Development Department",
            "Ops Sub-department",
            "Configure:Configure",
        ],
        groups,
    )
    assert placement == Placement("Development", "Ops", "Configure:Configure")
    noisy = [
        "Development",
        "Engineering Function",
        "Merge Request Coach",
        "Dev Section",
        "Create:Source Code BE Team",
    ]
    assert place_person(noisy, groups) == Placement("Development", "Dev", "Create:Source Code")


def test_choose_leads_prefers_the_manager_inside_the_team():
    from cto_office.demo.derive import Node

    nodes = {
        "root": Node("root", "Root", "Root", "division", "engineering", None, members=["vp"]),
        "team": Node(
            "team", "Team", "Team", "team", "engineering", "root", members=["em", "a", "b"]
        ),
        "solo": Node("solo", "Solo", "Solo", "team", "engineering", "root", members=["c"]),
    }
    managers = {"vp": None, "em": "vp", "a": "em", "b": "em", "c": "em"}
    titles = {
        "vp": "VP of Engineering",
        "em": "Engineering Manager",
        "a": "Engineer",
        "b": "Engineer",
        "c": "Engineer",
    }
    leads = choose_leads(nodes, managers, titles)
    assert leads == {"root": "vp", "team": "em", "solo": "em"}


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        (
            "Reduce average merge request pipeline from 72.3 minutes to 45 minutes",
            {"start": 72.3, "target": 45.0, "unit": "minutes"},
        ),
        (
            "Increase master pipeline success rate from 77% to 90%",
            {"start": 77.0, "target": 90.0, "unit": "%"},
        ),
        (
            "Deliver 15 items in the performance dashboard",
            {"start": 0, "target": 15, "unit": "items"},
        ),
        ("Dogfood self-monitoring on dot com", None),
    ],
)
def test_parse_measure_reads_numbers_from_key_result_text(text, measure):
    assert parse_measure(text) == measure
