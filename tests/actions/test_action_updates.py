"""``action_update`` and ``action_reassign``: history, slips, required reasons, conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.errors import ActionConflict, ActionInvalid
from actions.models import ActionItem
from actions.services import action_create
from actions.services.action import action_reassign, action_update
from tests import factories

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 12, 1)


@pytest.fixture
def action(cos, staff):
    return action_create(by=cos, title="Rotate secrets", owner=staff, due_date=DUE)


def history(action) -> list[str]:
    return [u.describe() for u in action.updates.order_by("created_at", "pk")[1:]]


def test_done_sets_completed_at_and_reopening_clears_it(action, staff):
    action = action_update(action=action, by=staff, version=1, status="done")
    assert action.completed_at is not None and action.version == 2
    action = action_update(action=action, by=staff, version=2, status="in_progress")
    assert action.completed_at is None
    assert history(action) == ["marked it done", "marked it in progress"]


def test_a_due_date_moved_later_needs_a_reason_and_counts_as_a_slip(action, staff):
    with pytest.raises(ActionInvalid, match="needs a reason"):
        action_update(action=action, by=staff, version=1, due_date=DUE + dt.timedelta(days=7))
    assert ActionItem.objects.get().version == 1  # nothing written
    action_update(
        action=action,
        by=staff,
        version=1,
        due_date=DUE + dt.timedelta(days=7),
        reason="Vendor late",
    )
    action_update(
        action=action, by=staff, version=2, due_date=DUE + dt.timedelta(days=3)
    )  # brought forward
    action_update(
        action=action, by=staff, version=3, due_date=DUE + dt.timedelta(days=9), reason="Again"
    )
    annotated = ActionItem.objects.with_due_history().get()
    assert (annotated.slip_count, annotated.original_due_date, annotated.due_date) == (
        2,
        DUE,
        DUE + dt.timedelta(days=9),
    )
    assert history(action)[1] == "moved the due date from 8 Dec to 4 Dec"


def test_an_action_never_moved_has_no_slips_and_its_due_date_as_original(action):
    annotated = ActionItem.objects.with_due_history().get()
    assert (annotated.slip_count, annotated.original_due_date) == (0, DUE)


def test_a_stale_version_is_refused_naming_who_changed_what_and_when(action, staff, lead):
    action_update(action=action, by=lead, version=1, status="blocked", note="Waiting on infra")
    with pytest.raises(ActionConflict) as conflict:
        action_update(action=action, by=staff, version=1, status="done")
    message = str(conflict.value)
    assert action.key in message and "marked it blocked" in message
    assert conflict.value.who == lead.get_full_name()
    assert ActionItem.objects.get().status == "blocked"


def test_a_note_alone_is_recorded_and_nothing_at_all_is_refused(action, staff):
    action_update(action=action, by=staff, version=1, note="Half the keys rotated")
    assert history(action) == ["added a note"]
    with pytest.raises(ActionInvalid, match="Nothing to change"):
        action_update(action=action, by=staff, version=2, status=action.status)


def test_reassign_records_both_owners_and_bumps_the_version(action, staff, cos):
    other = factories.UserFactory(first_name="Ada", last_name="Lovelace")
    action = action_reassign(action=action, by=cos, version=1, owner=other)
    assert (action.owner, action.version) == (other, 2)
    update = action.updates.latest("created_at")
    assert (update.old_owner, update.new_owner) == (staff, other)
    assert update.describe() == "reassigned it to Ada Lovelace"
    with pytest.raises(ActionInvalid, match="already owns"):
        action_reassign(action=action, by=cos, version=2, owner=other)
