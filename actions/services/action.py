"""Writes of the action register: each in one transaction, each recorded as an ``ActionUpdate``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from actions.errors import ActionConflict, ActionInvalid
from actions.models import ActionItem, ActionSource, ActionUpdate, Escalation
from cadence.models import Decision, Meeting
from cto_office.clock import office_today
from cto_office.models import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model

    from cto_office.models import Team

#: Which model a ``source_object`` must be for each source, and the field it goes into.
_SOURCE_FIELDS: dict[str, tuple[type, str]] = {
    ActionSource.MEETING: (Meeting, "source_meeting"),
    ActionSource.DECISION: (Decision, "source_decision"),
    ActionSource.ESCALATION: (Escalation, "source_escalation"),
}


def action_create(
    *,
    by: User,
    title: str,
    owner: User,
    due_date: dt.date,
    team: Team | None = None,
    priority: int = ActionItem.Priority.MEDIUM,
    description: str = "",
    source: str = ActionSource.MANUAL,
    source_object: Model | None = None,
) -> ActionItem:
    """Create an action owned by ``owner``, due on ``due_date`` (an office date), and record
    its creation by ``by`` as the first ``ActionUpdate`` (to status ``open``).

    ``source`` is an ``ActionSource``; ``source_object`` is the ``Meeting``,
    ``Decision`` or ``Escalation`` it came from (required for those sources,
    refused for ``manual`` and ``import``). An action from a decision also links
    the decision's meeting, so the meeting's carry-over finds it. ``team`` defaults
    to the escalation's team for an action made from an escalation.

    Raises ``ActionInvalid`` for an empty title, an unknown source or priority,
    or a ``source_object`` that does not match ``source``. One transaction, no lock.
    """
    title = " ".join(title.split())
    check_due_date(due_date)
    if not title:
        raise ActionInvalid("An action needs a title.")
    if source not in ActionSource.values:
        raise ActionInvalid(f"Unknown source {source!r}.")
    if priority not in ActionItem.Priority.values:
        raise ActionInvalid(f"Unknown priority {priority!r}: give 1 (critical) to 4 (low).")
    links: dict[str, Model] = {}
    if source in _SOURCE_FIELDS:
        model, field = _SOURCE_FIELDS[source]
        if not isinstance(source_object, model):
            raise ActionInvalid(
                f"An action from a {ActionSource(source).label.lower()} needs that "
                f"{model._meta.verbose_name} as its source."
            )
        links[field] = source_object
        if isinstance(source_object, Decision):
            links["source_meeting"] = source_object.meeting
        if isinstance(source_object, Escalation) and team is None:
            team = source_object.team
    elif source_object is not None:
        raise ActionInvalid(f"A {ActionSource(source).label.lower()} action has no source object.")
    with transaction.atomic():
        action = ActionItem.objects.create(
            title=title,
            description=description,
            owner=owner,
            team=team,
            due_date=due_date,
            priority=priority,
            source=source,
            created_by=by,
            **links,
        )
        ActionUpdate.objects.create(
            action=action,
            author=by,
            created_at=action.created_at,
            to_status=action.status,
            note=f"Created ({ActionSource(source).label.lower()}), due {due_date:%d %b %Y}.",
        )
    return action


def check_due_date(due_date: dt.date) -> None:
    """Raise ``ActionInvalid`` for a due date more than ``ActionItem.MAX_YEARS_AHEAD`` years
    after today (office time zone): a typing mistake. Past dates are allowed (imports carry
    old ones)."""
    if ActionItem.due_date_too_far(due_date, office_today()):
        raise ActionInvalid(
            f"{due_date:%-d %b %Y} is more than {ActionItem.MAX_YEARS_AHEAD} years away: "
            "check the year."
        )


def _claim(action: ActionItem, version: int) -> ActionItem:
    """Lock ``action``'s row and check it is still at ``version``; return the fresh row.

    Raises ``ActionConflict`` naming the latest change (who, what, when) when someone
    saved since the user loaded ``version`` (STYLE rule 5).
    """
    current = ActionItem.objects.select_for_update().get(pk=action.pk)
    if current.version != version:
        raise _conflict(current)
    return current


def _conflict(action: ActionItem) -> ActionConflict:
    """The error for a lost race: the latest update names who did what and when (1 query)."""
    latest = (
        action.updates.select_related("author", "new_owner").order_by("-created_at", "-pk").first()
    )
    return ActionConflict(
        key=action.key,
        who=person_name(latest.author) if latest and latest.author else "someone",
        what=latest.describe() if latest else "changed it",
        when=latest.created_at if latest else None,
    )


def check_version(action: ActionItem, seen: int) -> None:
    """Raise ``ActionConflict`` now if ``action`` (as saved) has moved past version ``seen``:
    an early check for forms that cannot show an error after saving (admin); the row lock in
    each service remains the guarantee (1 or 2 queries)."""
    current = ActionItem.objects.filter(pk=action.pk).values_list("version", flat=True).first()
    if current != seen:
        raise _conflict(action)


def action_update(
    *,
    action: ActionItem,
    by: User,
    version: int,
    status: str | None = None,
    due_date: dt.date | None = None,
    reason: str = "",
    note: str = "",
) -> ActionItem:
    """Change an action's status and/or due date and/or add a progress note, as ``by``.

    ``version`` is the version the user saw (``ActionItem.version``). ``done`` sets
    ``completed_at``; leaving ``done`` clears it. A due date moved later needs a
    ``reason`` (it counts as a slip); one moved earlier is recorded as brought forward.
    Returns the saved action (``version`` + 1) and records one ``ActionUpdate``.

    Raises ``ActionConflict`` when the action changed since ``version``,
    ``ActionInvalid`` for an unknown status, a later due date without a reason, or
    nothing to change.
    """
    reason, note = reason.strip(), note.strip()
    if status is not None and status not in ActionItem.Status.values:
        raise ActionInvalid(f"Unknown status {status!r}.")
    with transaction.atomic():
        current = _claim(action, version)
        new_status = status if status not in (None, current.status) else None
        new_due = due_date if due_date not in (None, current.due_date) else None
        if new_due:
            check_due_date(new_due)
        if new_due and new_due > current.due_date and not reason:
            raise ActionInvalid(
                f"Moving the due date later (from {current.due_date:%-d %b} to {new_due:%-d %b}) "
                "needs a reason."
            )
        if new_status is None and new_due is None and not note:
            raise ActionInvalid("Nothing to change: give a status, a new due date or a note.")
        update = ActionUpdate(action=current, author=by, note=note)
        if new_status:
            update.from_status, update.to_status = current.status, new_status
            current.status = new_status
            current.completed_at = timezone.now() if new_status == ActionItem.Status.DONE else None
        if new_due:
            update.old_due_date, update.new_due_date = current.due_date, new_due
            update.reason = reason or "Brought forward."
            current.due_date = new_due
        current.version += 1
        current.save()
        update.save()
    return current


def action_reassign(*, action: ActionItem, by: User, version: int, owner: User) -> ActionItem:
    """Give ``action`` to ``owner``, as ``by``; records one ``ActionUpdate``.

    Raises ``ActionConflict`` when the action changed since ``version`` and
    ``ActionInvalid`` when ``owner`` already owns it or is inactive.
    """
    if not owner.is_active:
        raise ActionInvalid(f"{person_name(owner)} is no longer active: choose someone else.")
    with transaction.atomic():
        current = _claim(action, version)
        if current.owner_id == owner.pk:
            raise ActionInvalid(f"{person_name(owner)} already owns {current.key}.")
        ActionUpdate.objects.create(
            action=current, author=by, old_owner_id=current.owner_id, new_owner=owner
        )
        current.owner = owner
        current.version += 1
        current.save()
    return current


#: What ``action_edit`` changes: the descriptive fields. Status, due date and owner each have
#: their own service, because their history means something (slips, completions, hand-overs).
EDITABLE = ("title", "description", "team", "priority")


def action_edit(*, action: ActionItem, by: User, version: int, **changes: Any) -> ActionItem:
    """Change descriptive fields (``EDITABLE``: title, description, team, priority), e.g. from
    Django admin, as ``by``; records one ``ActionUpdate`` whose note names the fields.

    ``version`` is the version the editor saw. Raises ``ActionConflict`` when the action
    changed since, ``ActionInvalid`` for an unknown field, an empty title, an unknown
    priority, or nothing to change. One transaction; locks the action's row.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ActionInvalid(f"These cannot be edited here: {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = " ".join(changes["title"].split())
        if not changes["title"]:
            raise ActionInvalid("An action needs a title.")
    if "priority" in changes and changes["priority"] not in ActionItem.Priority.values:
        raise ActionInvalid(
            f"Unknown priority {changes['priority']!r}: give 1 (critical) to 4 (low)."
        )
    if not changes:
        raise ActionInvalid("Nothing to change.")
    with transaction.atomic():
        current = _claim(action, version)
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        ActionUpdate.objects.create(
            action=current, author=by, note=f"Changed the {', '.join(sorted(changes))}."
        )
    return current
