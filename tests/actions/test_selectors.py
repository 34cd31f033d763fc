"""The weekly briefing's actions and escalations sections, gathered by ``actions.selectors``."""

import datetime as dt

import pytest

from actions.models import ActionItem, Escalation
from actions.selectors import NO_TEAM, briefing_actions_section, briefing_escalations_section
from cto_office.clock import IsoWeek, day_bounds
from cto_office.models import person_name
from tests import factories
from tests.briefings import dataset

WEEK = IsoWeek(*dataset.WEEK)
LIST_LIMIT = 15


@pytest.fixture
def week_data(db) -> dataset.Dataset:
    """One copy of the briefing tests' organisation around ``dataset.WEEK``."""
    return dataset.build(scale=1)


def actions_section(today: dt.date = dataset.TODAY, list_limit: int = LIST_LIMIT) -> dict:
    """The section as ``briefing_snapshot`` asks for it: figures as of ``today`` (a past date)."""
    start, end = WEEK.bounds(dataset.LONDON)
    as_of = min(today, WEEK.sunday)
    return briefing_actions_section(
        start=start,
        end=end,
        as_of=as_of,
        as_of_dt=day_bounds(as_of, dataset.LONDON)[1],
        list_limit=list_limit,
    )


def escalations_section(today: dt.date = dataset.TODAY) -> dict:
    start, end = WEEK.bounds(dataset.LONDON)
    return briefing_escalations_section(
        start=start,
        end=end,
        as_of=day_bounds(min(today, WEEK.sunday), dataset.LONDON)[1],
        tz=dataset.LONDON,
        list_limit=LIST_LIMIT,
    )


# Actions


def test_overdue_by_team_and_owner_with_days(week_data):
    result = actions_section()
    action = week_data.overdue[0]
    row = next(a for a in result["overdue"] if a["key"] == action.key)
    assert row["days_overdue"] == 16
    assert row["team"] == "Gitaly Git Team"
    team = next(t for t in result["overdue_by_team"] if t["team"] == "Gitaly Git Team")
    assert (team["count"], team["max_days"], team["completed"]) == (2, 16, 1)
    owner_name = action.owner.get_full_name()
    assert next(o for o in result["overdue_by_owner"] if o["owner"] == owner_name)["count"] == 1


def test_past_week_counts_an_action_done_later_as_overdue_then(db):
    factories.OfficeSettingsFactory()
    factories.ActionItemFactory(
        due_date=dt.date(2025, 11, 10),
        status=ActionItem.Status.DONE,
        created_at=dataset.local(dt.date(2025, 11, 1)),
        completed_at=dataset.local(dt.date(2025, 12, 1)),
    )
    result = actions_section(today=dt.date(2025, 12, 5))
    assert result["overdue_count"] == 1
    assert result["overdue"][0]["days_overdue"] == 13  # as of Sunday 23 November


def test_overdue_follows_the_model_rule_and_days_overdue(week_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = actions_section()
    overdue = ActionItem.objects.overdue(dataset.TODAY).select_related("owner")
    assert result["overdue_count"] == overdue.count()
    expected = {a.key: a.days_overdue(dataset.TODAY) for a in overdue}
    assert {a["key"]: a["days_overdue"] for a in result["overdue"]} == expected
    assert result["oldest_overdue_days"] == max(expected.values())
    names = {person_name(a.owner) for a in overdue}
    assert {o["owner"] for o in result["overdue_by_owner"]} == names


def test_lists_are_cut_to_the_limit_but_counts_cover_all(week_data):
    result = actions_section(list_limit=2)
    assert result["overdue_count"] == len(week_data.overdue) > 2
    assert len(result["overdue"]) == 2 and result["list_limit"] == 2
    # Most overdue first.
    assert result["overdue"][0]["days_overdue"] >= result["overdue"][1]["days_overdue"]


def test_action_without_team_is_shown_under_no_team(db):
    factories.ActionItemFactory(
        team=None, due_date=dt.date(2025, 11, 3), created_at=dataset.local(dt.date(2025, 11, 1))
    )
    result = actions_section()
    assert result["overdue"][0]["team"] == NO_TEAM
    assert result["overdue_by_team"][0]["team"] == NO_TEAM


# Escalations


def test_escalation_groups_of_the_week(week_data, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = escalations_section()
    assert result["open_count"] == len(week_data.escalations_open) == 12
    assert (result["opened_count"], result["raised_to_cto_count"], result["resolved_count"]) == (
        6,
        6,
        6,
    )
    assert result["awaiting_cto_count"] == 6
    assert "Old" not in {e["title"] for e in result["resolved"]}


def test_sla_breach_follows_the_model_rule(week_data):
    result = escalations_section()
    as_of = day_bounds(dataset.TODAY, dataset.LONDON)[1]
    breached = [e for e in week_data.escalations_open if e.sla_breached(as_of)]
    assert result["sla_breached_count"] == len(breached) == 6
    assert {e["key"] for e in result["sla_breached"]} == {e.key for e in breached}
    assert all(e["sla_breached"] for e in result["sla_breached"])


def test_escalation_rows_carry_key_raiser_and_local_time(db):
    raiser = factories.UserFactory(first_name="Ada", last_name="Lovelace")
    escalation = factories.EscalationFactory(
        raised_by=raiser,
        team=None,
        severity=Escalation.Severity.CRITICAL,
        created_at=dataset.local(dt.date(2025, 11, 18), 9, 30),
        confidential=True,
    )
    row = escalations_section()["opened"][0]
    assert row["key"] == Escalation.key_of(escalation.pk) == escalation.key
    assert row["raised_by"] == "Ada Lovelace" == person_name(raiser)
    assert row["created_label"] == "18 Nov 09:30"  # London time
    assert row["team"] == NO_TEAM and row["confidential"] is True
    assert row["severity"] == Escalation.Severity.CRITICAL.label
