"""The database itself refuses action, escalation and chase-notice rows that break a rule."""

from __future__ import annotations

import pytest

from actions.models import ActionItem, ChaseNotice, Escalation
from tests import factories
from tests.constraints import refused


def test_one_chase_notice_per_action_recipient_level_and_day(db):
    notice = factories.ChaseNoticeFactory()
    refused(
        lambda: ChaseNotice.objects.create(
            action=notice.action,
            recipient=notice.recipient,
            level=notice.level,
            sent_on=notice.sent_on,
        )
    )
    ChaseNotice.objects.create(
        action=notice.action,
        recipient=notice.recipient,
        level=ChaseNotice.Level.TEAM_LEAD,
        sent_on=notice.sent_on,
    )
    assert ChaseNotice.objects.count() == 2


@pytest.mark.parametrize(
    ("model", "field", "factory"),
    [
        (ActionItem, "status", factories.ActionItemFactory),
        (Escalation, "state", factories.EscalationFactory),
    ],
)
def test_states_outside_the_choices_are_refused(db, model, field, factory):
    row = factory()
    refused(lambda: model.objects.filter(pk=row.pk).update(**{field: "bogus"}))


def test_done_action_records_when_it_was_completed(db):
    action = factories.ActionItemFactory()
    refused(lambda: ActionItem.objects.filter(pk=action.pk).update(status=ActionItem.Status.DONE))


def test_routed_escalation_has_an_owner(db):
    escalation = factories.EscalationFactory()
    refused(
        lambda: Escalation.objects.filter(pk=escalation.pk).update(state=Escalation.State.ROUTED)
    )
