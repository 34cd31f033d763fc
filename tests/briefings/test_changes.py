"""What changed since last week, computed from two stored snapshots (briefings.changes)."""

import copy

import pytest

from briefings.changes import briefing_changes
from briefings.models import Briefing
from briefings.services import briefing_generate
from tests.briefings import dataset
from tests.briefings.test_services import pdf_text


def snapshot(**over) -> dict:
    base = {
        "week": {"label": "2025-W46", "iso_year": 2025, "iso_week": 46},
        "headline": {
            "key_results_behind": 2,
            "key_results_total": 20,
            "overdue_actions": 5,
            "oldest_overdue_days": 9,
            "open_escalations": 4,
            "awaiting_cto": 1,
            "sla_breached": 0,
            "headcount_gap": 3,
            "headcount_filled": 40,
            "headcount_planned": 43,
            "debt_effort_days": 100,
            "debt_effort_change": 0,
        },
        "okrs": {"behind_count": 2, "off_track_count": 1, "behind_ids": [1, 2], "behind": []},
        "escalations": {
            "open_count": 4,
            "awaiting_cto_count": 1,
            "sla_breached_count": 0,
            "opened": [],
        },
        "actions": {
            "overdue_count": 5,
            "completed_count": 3,
            "overdue_by_team": [{"team": "Gitaly", "count": 2}],
        },
        "tech_debt": {"trend_weeks": 4, "totals": {"items_open": 50, "effort_days": 100}},
        "headcount": {"totals": {"filled": 40, "gap": 3}, "teams": [{"team": "Gitaly", "gap": 1}]},
    }
    for path, value in over.items():
        *parents, leaf = path.split("__")
        node = base
        for p in parents:
            node = node[p]
        node[leaf] = value
    return base


def test_first_briefing_has_no_changes():
    changes = briefing_changes(snapshot(), None)
    assert changes["previous_week"] is None and changes["moved"] == []
    assert changes["compared_with"] == "2025-W45"


def test_headline_and_section_deltas_with_arrows():
    now = snapshot(headline__overdue_actions=8, headline__headcount_gap=2, actions__overdue_count=8)
    now["week"] = {"label": "2025-W47", "iso_year": 2025, "iso_week": 47}
    changes = briefing_changes(now, snapshot())
    assert changes["previous_week"] == "2025-W46"
    overdue = changes["headline"]["overdue_actions"]
    assert (overdue["now"], overdue["before"], overdue["delta"], overdue["arrow"]) == (8, 5, 3, "▲")
    assert changes["headline"]["headcount_gap"]["arrow"] == "▼"
    assert changes["headline"]["key_results_behind"]["arrow"] == "="
    [overdue_row, completed_row] = changes["sections"]["actions"]
    assert overdue_row["label"] == "overdue" and overdue_row["delta"] == 3


def test_moved_most_lists_turned_behind_recovered_critical_and_growing_teams():
    behind = {
        "pk": 3,
        "key_result": "Cut p95 latency",
        "team": "Gitaly",
        "reasons": ["confidence 0.8 → 0.6 → 0.4"],
    }
    now = snapshot(
        okrs__behind_ids=[2, 3],
        okrs__behind=[behind],
        escalations__opened=[
            {"key": "ESC-9", "title": "Outage", "team": "Infra", "severity": "Critical"}
        ],
        actions__overdue_by_team=[{"team": "Gitaly", "count": 6}],
        headcount__teams=[{"team": "Gitaly", "gap": 4}],
    )
    texts = [(m["kind"], m["text"]) for m in briefing_changes(now, snapshot())["moved"]]
    assert texts == [
        ("turned quietly behind", "Cut p95 latency (Gitaly): confidence 0.8 → 0.6 → 0.4"),
        ("recovered", "1 key result no longer quietly behind"),
        ("critical escalation", "ESC-9 Outage (Infra)"),
        ("overdue actions grew", "Gitaly: 2 → 6"),
        ("headcount gap grew", "Gitaly: 1 → 4"),
    ]


def test_generation_compares_with_the_stored_previous_week_and_prints_it(week_data):
    previous = copy.deepcopy(
        briefing_generate(iso_year=2025, iso_week=47, today=dataset.TODAY).snapshot
    )
    previous["week"].update(label="2025-W46", iso_week=46)
    previous["headline"]["overdue_actions"] -= 4
    Briefing.objects.create(iso_year=2025, iso_week=46, state="draft", snapshot=previous)
    briefing = briefing_generate(iso_year=2025, iso_week=47, today=dataset.TODAY)
    changes = briefing.snapshot["changes"]
    assert changes["previous_week"] == "2025-W46"
    assert changes["headline"]["overdue_actions"]["delta"] == 4
    _, text = pdf_text(briefing)
    assert "What changed since 2025-W46" in text
    assert "▲ +4 since 2025-W46" in text


def test_a_gap_that_only_reaches_plan_has_not_grown():
    now = snapshot(headcount__teams=[{"team": "Gitaly", "gap": 0}])
    before = snapshot(headcount__teams=[{"team": "Gitaly", "gap": -1}])
    assert briefing_changes(now, before)["moved"] == []


@pytest.mark.parametrize("week", [(2025, 47)])
def test_no_previous_week_says_so(week_data, week):
    briefing = briefing_generate(iso_year=week[0], iso_week=week[1], today=dataset.TODAY)
    _, text = pdf_text(briefing)
    assert "No briefing for 2025-W46 to compare with" in text
