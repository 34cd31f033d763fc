"""Importing actions from a Jira CSV export: all rows or none, re-imports update in place.

``actions_import_jira`` reads the file (``actions.jira``), matches each assignee to a
person, and writes through the action services (``action_create``, ``action_update``,
``action_reassign``), so every imported action has its history like any other. An
action keeps its Jira key in ``external_key``: importing the same file again updates
those actions instead of creating new ones. Any error (a cell that cannot be read, an
assignee who matches nobody or several people) rolls everything back and is reported
with its row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from actions.jira import JiraFileError, JiraRow, RowError, read_jira_csv
from actions.models import ActionItem, ActionSource, ActionUpdate
from actions.services.action import action_create, action_reassign, action_update
from cto_office.clock import office_today
from cto_office.models import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Due date given to an issue without one, in days after the import.
DEFAULT_DUE_DAYS = 14


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do): action keys by outcome, and notes."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def _match_owners(rows: list[JiraRow]) -> tuple[dict[str, User], list[RowError]]:
    """Assignee text → active user, by e-mail address or display name (case-insensitive)."""
    users = get_user_model().objects.filter(is_active=True)
    names = {row.assignee for row in rows if row.assignee}
    wanted = Q()
    for name in names:
        wanted |= Q(email__iexact=name) | Q(username__iexact=name)
    candidates = list(users.filter(wanted)) if names else []
    by_label: dict[str, list[User]] = {}
    for user in users.exclude(first_name="") if names else []:
        by_label.setdefault(person_name(user).lower(), []).append(user)
    matches, errors = {}, []
    for row in rows:
        if not row.assignee or row.assignee in matches:
            continue
        text = row.assignee.lower()
        found = [
            u for u in candidates if text in (u.email.lower(), u.username.lower())
        ] or by_label.get(text, [])
        if len(found) == 1:
            matches[row.assignee] = found[0]
        else:
            problem = "matches nobody here" if not found else f"matches {len(found)} people"
            errors.append(
                RowError(row.row, "Assignee", f"{row.assignee!r} {problem}: use an e-mail address")
            )
    return matches, errors


def actions_import_jira(
    *,
    by: User,
    data: bytes,
    unassigned_owner: User | None = None,
    default_due_date: dt.date | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import (or, with ``dry_run``, preview) the issues of a Jira CSV export as actions, as ``by``.

    ``data`` is the file's bytes. Unassigned issues go to ``unassigned_owner``
    (default ``by``); issues without a due date get ``default_due_date`` (default 14
    days after today in the office's time zone). Raises ``JiraFileError`` listing
    every problem by row and column, having written nothing.
    """
    today = office_today()
    rows = read_jira_csv(data, today=today)
    owners, errors = _match_owners(rows)
    duplicates = {row.key for row in rows if sum(r.key == row.key for r in rows) > 1}
    errors += [
        RowError(r.row, "Issue key", f"{r.key} appears twice in the file")
        for r in rows
        if r.key in duplicates
    ]
    if errors:
        raise JiraFileError(sorted(errors, key=lambda e: e.row))
    result = ImportResult(dry_run=dry_run)
    fallback_owner = unassigned_owner or by
    fallback_due = default_due_date or today + dt.timedelta(days=DEFAULT_DUE_DAYS)
    with transaction.atomic():
        existing = {
            a.external_key: a
            for a in ActionItem.objects.select_for_update().filter(
                external_key__in=[row.key for row in rows]
            )
        }
        for row in rows:
            owner = owners.get(row.assignee, fallback_owner)
            if not row.assignee:
                result.notes.append(f"{row.key}: unassigned in Jira, given to {person_name(owner)}")
            if row.due_date is None and row.key not in existing:
                result.notes.append(f"{row.key}: no due date in Jira, due {fallback_due:%d %b %Y}")
            if row.key in existing:
                changed = _update(existing[row.key], row, owner=owner, by=by)
                (result.updated if changed else result.unchanged).append(row.key)
            else:
                _create(row, owner=owner, due=row.due_date or fallback_due, by=by)
                result.created.append(row.key)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _description(row: JiraRow) -> str:
    labels = f"\n\nLabels: {', '.join(row.labels)}" if row.labels else ""
    return f"{row.description}{labels}".strip()


def _create(row: JiraRow, *, owner: User, due: dt.date, by: User) -> ActionItem:
    team = getattr(getattr(owner, "membership", None), "team", None)
    action = action_create(
        by=by,
        title=row.title,
        owner=owner,
        due_date=due,
        team=team,
        priority=row.priority,
        description=_description(row),
        source=ActionSource.IMPORT,
    )
    ActionItem.objects.filter(pk=action.pk).update(external_key=row.key)
    action.external_key = row.key
    if row.status != action.status:
        action = action_update(
            action=action,
            by=by,
            version=action.version,
            status=row.status,
            note=f"Imported from Jira {row.key} as {action.get_status_display().lower()}.",
        )
    return action


def _update(action: ActionItem, row: JiraRow, *, owner: User, by: User) -> bool:
    """Bring ``action`` in line with ``row``; True if anything changed."""
    changed = False
    fields = {"title": row.title, "priority": row.priority, "description": _description(row)}
    different = [name for name, value in fields.items() if getattr(action, name) != value]
    if different:
        ActionItem.objects.filter(pk=action.pk).update(version=action.version + 1, **fields)
        ActionUpdate.objects.create(
            action=action, author=by, note=f"Updated from Jira {row.key}: {', '.join(different)}."
        )
        action.refresh_from_db()
        changed = True
    due = row.due_date if row.due_date and row.due_date != action.due_date else None
    if row.status != action.status or due:
        action = action_update(
            action=action,
            by=by,
            version=action.version,
            status=row.status,
            due_date=due,
            reason=f"Due date changed in Jira ({row.key}).",
        )
        changed = True
    if owner.pk != action.owner_id:
        action_reassign(action=action, by=by, version=action.version, owner=owner)
        changed = True
    return changed
