"""The database itself refuses rows that break a rule that must never break."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import ActionItem, ChaseNotice, Escalation
from briefings.models import Briefing
from cadence.models import Meeting
from tests import factories


def _refused(**kwargs) -> None:
    """Assert the write raises IntegrityError, in a savepoint so the test goes on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        kwargs["make"]()


def test_one_briefing_per_iso_week(db):
    Briefing.objects.create(iso_year=2026, iso_week=47)
    _refused(make=lambda: Briefing.objects.create(iso_year=2026, iso_week=47))
    assert Briefing.objects.create(iso_year=2026, iso_week=48).label == "2026-W48"


def test_iso_week_must_exist(db):
    _refused(make=lambda: Briefing.objects.create(iso_year=2026, iso_week=54))


def test_one_chase_notice_per_action_level_and_day(db):
    notice = factories.ChaseNoticeFactory()
    _refused(
        make=lambda: ChaseNotice.objects.create(
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


def test_meeting_must_end_after_it_starts(db):
    start = timezone.now()
    _refused(make=lambda: Meeting.objects.create(title="Backwards", start=start, end=start))
    _refused(
        make=lambda: Meeting.objects.create(
            title="Backwards", start=start, end=start - dt.timedelta(hours=1)
        )
    )


@pytest.mark.parametrize(
    ("model", "field", "factory"),
    [
        (ActionItem, "status", factories.ActionItemFactory),
        (Escalation, "state", factories.EscalationFactory),
        (Meeting, "state", factories.MeetingFactory),
        (Briefing, "state", factories.BriefingFactory),
    ],
)
def test_states_outside_the_choices_are_refused(db, model, field, factory):
    row = factory()
    _refused(make=lambda: model.objects.filter(pk=row.pk).update(**{field: "bogus"}))


def test_done_action_records_when_it_was_completed(db):
    action = factories.ActionItemFactory()
    _refused(
        make=lambda: ActionItem.objects.filter(pk=action.pk).update(status=ActionItem.Status.DONE)
    )


def test_routed_escalation_has_an_owner(db):
    escalation = factories.EscalationFactory()
    _refused(
        make=lambda: Escalation.objects.filter(pk=escalation.pk).update(
            state=Escalation.State.ROUTED
        )
    )


def test_published_briefing_records_when(db):
    briefing = factories.BriefingFactory()
    _refused(
        make=lambda: Briefing.objects.filter(pk=briefing.pk).update(state=Briefing.State.PUBLISHED)
    )
