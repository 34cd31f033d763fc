"""``action_create``: the action, its first history entry, and the link back to its source."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.errors import ActionInvalid
from actions.models import ActionItem, ActionSource
from actions.services import action_create
from tests import factories

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 12, 1)


def test_action_create_records_the_action_and_its_first_update(cos, staff):
    team = factories.TeamFactory()
    action = action_create(
        by=cos, title="  Rotate   secrets ", owner=staff, due_date=DUE, team=team, priority=2
    )
    action.refresh_from_db()
    assert (action.title, action.owner, action.team, action.due_date) == (
        "Rotate secrets",
        staff,
        team,
        DUE,
    )
    assert (action.priority, action.source, action.created_by, action.version) == (
        2,
        ActionSource.MANUAL,
        cos,
        1,
    )
    [update] = action.updates.all()
    assert (update.author, update.from_status, update.to_status) == (cos, "", "open")


def test_action_create_links_a_decision_and_its_meeting(cos, staff):
    decision = factories.DecisionFactory()
    action = action_create(
        by=cos,
        title="Follow up",
        owner=staff,
        due_date=DUE,
        source=ActionSource.DECISION,
        source_object=decision,
    )
    assert (action.source_decision, action.source_meeting) == (decision, decision.meeting)


def test_action_create_from_an_escalation_takes_its_team(cos, staff):
    escalation = factories.EscalationFactory(team=factories.TeamFactory())
    action = action_create(
        by=cos,
        title="Fix it",
        owner=staff,
        due_date=DUE,
        source=ActionSource.ESCALATION,
        source_object=escalation,
    )
    assert (action.source_escalation, action.team) == (escalation, escalation.team)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "   "}, "needs a title"),
        ({"source": ActionSource.MEETING}, "needs that meeting"),
        ({"source": "gossip"}, "Unknown source"),
        ({"priority": 9}, "Unknown priority"),
    ],
)
def test_action_create_refuses_bad_input_and_writes_nothing(cos, staff, kwargs, message):
    with pytest.raises(ActionInvalid, match=message):
        action_create(**{"by": cos, "title": "T", "owner": staff, "due_date": DUE, **kwargs})
    assert not ActionItem.objects.exists()


def test_action_create_refuses_a_source_object_for_a_manual_action(cos, staff):
    with pytest.raises(ActionInvalid, match="has no source object"):
        action_create(
            by=cos, title="T", owner=staff, due_date=DUE, source_object=factories.MeetingFactory()
        )
