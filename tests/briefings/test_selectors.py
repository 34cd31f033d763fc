import datetime as dt
import json
import zoneinfo

import pytest

from actions.models import ActionItem
from briefings.selectors import SNAPSHOT_QUERIES, briefing_due_week, briefing_snapshot
from cto_office.clock import IsoWeek
from tests import factories
from tests.briefings import dataset


def snapshot() -> dict:
    return briefing_snapshot(week=IsoWeek(*dataset.WEEK), today=dataset.TODAY)


@pytest.mark.parametrize("scale", [1, 5])
def test_snapshot_query_count_does_not_grow_with_data(db, django_assert_num_queries, scale):
    data = dataset.build(scale=scale)
    with django_assert_num_queries(SNAPSHOT_QUERIES):
        result = snapshot()
    # The larger dataset really is larger in every section.
    assert len(result["okrs"]["teams"]) == 6 * scale
    assert result["actions"]["overdue_count"] == len(data.overdue)
    assert result["escalations"]["open_count"] == len(data.escalations_open)
    assert len(result["meetings"]) == 2 * scale


def test_snapshot_is_json_serialisable(week_data):
    result = snapshot()
    assert json.loads(json.dumps(result)) == result


def test_week_runs_monday_to_monday_in_office_time_zone():
    tz = zoneinfo.ZoneInfo("Europe/London")
    start, end = IsoWeek(2026, 13).bounds(tz)  # British Summer Time starts on Sunday 29 March 2026
    assert start == dt.datetime(2026, 3, 23, 0, 0, tzinfo=tz)
    assert end == dt.datetime(2026, 3, 30, 0, 0, tzinfo=tz)
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(days=7, hours=-1)


def test_snapshot_figures_match_the_database(week_data):
    result = snapshot()
    headline = result["headline"]
    assert headline["key_results_total"] == 18
    assert headline["key_results_behind"] == len(week_data.behind) == 12
    assert headline["overdue_actions"] == ActionItem.objects.overdue(dataset.TODAY).count() == 12
    assert headline["oldest_overdue_days"] == (dataset.TODAY - dt.date(2025, 11, 5)).days == 16
    assert headline["open_escalations"] == 12
    assert headline["awaiting_cto"] == 6
    assert headline["sla_breached"] == 6  # the high-severity ones still new a day after their SLA
    assert (
        headline["headcount_filled"],
        headline["headcount_planned"],
        headline["headcount_gap"],
    ) == (55, 66, 11)
    assert headline["debt_effort_days"] == 255
    assert headline["debt_effort_change"] == -48
    assert result["actions"]["completed_count"] == len(week_data.completed) == 6
    assert result["escalations"]["opened_count"] == 6
    assert result["escalations"]["raised_to_cto_count"] == 6
    assert result["escalations"]["resolved_count"] == 6
    assert result["headcount"]["totals"]["starters"] == 3
    assert result["headcount"]["totals"]["leavers"] == 2
    assert result["headcount"]["totals"]["open_requisitions"] == 6
    assert len(result["decisions"]) == 3
    assert result["tech_debt"]["problem_count"] + result["tech_debt"]["attention_count"] == 5
    assert {m["title"] for m in result["meetings"]} == {
        "CTO staff meeting",
        "Architecture review: Pods",
    }
    assert all(
        p["read"] == 2 and p["attendees"] == 6 for m in result["meetings"] for p in m["pre_reads"]
    )


def test_snapshot_flags_each_rule_for_its_key_result(week_data):
    behind = snapshot()["okrs"]["behind"]
    by_title = {}
    for b in behind:
        by_title.setdefault(b["key_result"], b)
    assert by_title["Reduce p95 merge request pipeline time"]["reasons"][0].startswith(
        "progress 0% at 23% of the quarter"
    )
    assert by_title["Close 30 past-due security issues"]["reasons"] == [
        "confidence 0.8 → 0.7 → 0.6"
    ]
    assert "Ship the new runner fleet" not in by_title


def test_empty_database_gives_an_empty_but_complete_snapshot(db):
    result = briefing_snapshot(week=IsoWeek(2025, 47), today=dataset.TODAY)
    assert result["headline"]["overdue_actions"] == 0
    assert result["okrs"]["teams"] == [] and result["meetings"] == []


# When the weekly briefing is due


@pytest.mark.parametrize(
    "now, due",
    [
        (dt.datetime(2025, 11, 21, 15, 59, tzinfo=dataset.LONDON), None),  # Friday before 16:00
        (dt.datetime(2025, 11, 21, 16, 5, tzinfo=dataset.LONDON), IsoWeek(2025, 47)),
        (
            dt.datetime(2025, 11, 23, 23, 5, tzinfo=dataset.LONDON),
            IsoWeek(2025, 47),
        ),  # Sunday night, still missing
        (
            dt.datetime(2025, 11, 17, 9, 5, tzinfo=dataset.LONDON),
            None,
        ),  # Monday: this week's not due yet
    ],
)
def test_briefing_due_on_the_office_day_and_hour(db, now, due):
    factories.OfficeSettingsFactory(briefing_weekday=4, briefing_hour=16)
    assert briefing_due_week(now=now) == due


def test_briefing_due_uses_the_office_time_zone(db):
    factories.OfficeSettingsFactory(
        time_zone="America/New_York", briefing_weekday=4, briefing_hour=16
    )
    # 20:30 in London is 15:30 in New York: not yet.
    assert briefing_due_week(now=dt.datetime(2025, 11, 21, 20, 30, tzinfo=dataset.LONDON)) is None
    assert briefing_due_week(
        now=dt.datetime(2025, 11, 21, 21, 5, tzinfo=dataset.LONDON)
    ) == IsoWeek(2025, 47)


def test_open_requisitions_per_team_come_from_its_headcount_snapshot(db):
    unit = factories.TeamFactory(name="Ops sub-department")
    below = factories.TeamFactory(name="Configure:Configure", parent=unit)
    factories.HeadcountSnapshotFactory(
        team=unit, date=dataset.TODAY, filled=60, planned=72, open_requisitions=11
    )
    factories.RequisitionFactory(
        team=below, title="Backend Engineer, Configure", opened_on=dataset.TODAY
    )

    headcount = snapshot()["headcount"]

    assert [(t["team"], t["open_requisitions"], t["gap"]) for t in headcount["teams"]] == [
        ("Ops sub-department", 11, 12)
    ]
    assert headcount["totals"]["open_requisitions"] == 11
    assert [(r["team"], r["title"]) for r in headcount["requisitions"]] == [
        ("Configure:Configure", "Backend Engineer, Configure")
    ]
