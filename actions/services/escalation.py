"""Escalation writes: raising, and one service per transition of the triage state machine.

The state machine, the event records and the version check are drawn and
implemented in ``actions.services.escalation_state``; each service here names
the states it starts from and what it sets. Every service runs in one
``transaction.atomic()``; mails go out after commit (``escalation_mail``).
Raises ``TransitionNotAllowed``, ``EscalationInvalid`` or ``EscalationConflict``
(``actions.errors``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions.errors import EscalationInvalid
from actions.models import ActionItem, ActionSource, Escalation
from actions.services.action import action_create
from actions.services.escalation_mail import (
    notify_raiser,
    notify_routed_owner,
)
from actions.services.escalation_state import (
    BEFORE_CTO,
    CLOSED,
    OPEN,
    Kind,
    State,
    required,
    transition,
)
from cadence.models import AgendaItem, AgendaItemKind, Meeting
from cto_office.clock import office_settings
from cto_office.models import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cto_office.models import Team

#: Minutes an escalation takes on the CTO's staff-meeting agenda.
AGENDA_TIME_BOX = 10


def escalation_triage(
    *,
    escalation: Escalation,
    by: User,
    severity: str | None = None,
    category: str | None = None,
    team: Team | None = None,
    assignee: User | None = None,
) -> Escalation:
    """Triage (from ``new``) or re-triage (from ``triaged``): set what is given, state ``triaged``.

    A new severity moves the SLA due time to that severity's, counted from when
    it was raised. Raises ``TransitionNotAllowed``, ``EscalationInvalid``, ``EscalationConflict``.
    """
    fields: dict[str, Any] = {}
    if severity is not None:
        if severity not in Escalation.Severity.values:
            raise EscalationInvalid(f"Unknown severity {severity!r}.")
        fields["severity"] = severity
        fields["sla_due_at"] = office_settings().sla_due_at(
            severity=severity, raised_at=escalation.created_at
        )
    if category is not None:
        if category not in Escalation.Category.values:
            raise EscalationInvalid(f"Unknown category {category!r}.")
        fields["category"] = category
    if team is not None:
        fields["team"] = team
    if assignee is not None:
        fields["assignee"] = assignee
    changes = ", ".join(
        f"{k.replace('_', ' ')} {v}" for k, v in fields.items() if k != "sla_due_at"
    )
    with transaction.atomic():
        return transition(
            escalation,
            by=by,
            kind=Kind.TRIAGED,
            allowed=(State.NEW, State.TRIAGED),
            to_state=State.TRIAGED,
            verb="triaged",
            note=changes,
            **fields,
        )


def escalation_route(*, escalation: Escalation, to: User, by: User, note: str) -> Escalation:
    """Route to ``to``, who owns it from now on (and may see it, even if confidential).

    Mails ``to`` and the raiser after commit. Raises ``TransitionNotAllowed``,
    ``EscalationConflict``.
    """
    with transaction.atomic():
        transition(
            escalation,
            by=by,
            kind=Kind.ROUTED,
            allowed=BEFORE_CTO,
            to_state=State.ROUTED,
            verb="routed",
            note=f"To {person_name(to)}. {note}".strip(),
            routed_to=to,
        )
        notify_routed_owner(escalation, by=by, note=note)
        notify_raiser(escalation, by=by, note=note)
    return escalation


def _next_cto_meeting() -> Meeting | None:
    """The next upcoming meeting of ``OfficeSettings.cto_staff_series`` (None if unset or none)."""
    series_id = office_settings().cto_staff_series_id
    if series_id is None:
        return None
    return Meeting.objects.filter(series_id=series_id).upcoming().order_by("start").first()


def escalation_raise_to_cto(*, escalation: Escalation, by: User, note: str) -> Escalation:
    """Raise to the CTO: state ``raised_to_cto`` and a decision item, presented by ``by``, at the
    end of the agenda of the CTO staff series' next meeting (``escalation.agenda_item``).

    With no such meeting (no series configured, or none upcoming) the escalation
    is raised without an agenda item (``agenda_item`` None: the pages say so).
    A confidential escalation's agenda item names only its key (attendees see
    agendas). Raises ``TransitionNotAllowed``, ``EscalationConflict``.
    """
    with transaction.atomic():
        meeting = _next_cto_meeting()
        item = None
        if meeting is not None:
            last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
            item = AgendaItem.objects.create(
                meeting=meeting,
                position=(last or 0) + 1,
                title=escalation.agenda_title,
                presenter=by,
                time_box_minutes=AGENDA_TIME_BOX,
                kind=AgendaItemKind.DECISION,
                notes="" if escalation.confidential else note,
            )
        return transition(
            escalation,
            by=by,
            kind=Kind.RAISED_TO_CTO,
            allowed=BEFORE_CTO,
            to_state=State.RAISED_TO_CTO,
            verb="raised to the CTO",
            note=note,
            raised_to_cto_at=timezone.now(),
            agenda_item=item,
        )


def escalation_send_back(*, escalation: Escalation, by: User, note: str) -> Escalation:
    """The CTO sends a raised escalation back to the Chief of Staff with a comment (→ triaged)."""
    note = required(note, "a comment for the Chief of Staff")
    with transaction.atomic():
        return transition(
            escalation,
            by=by,
            kind=Kind.SENT_BACK,
            allowed=(State.RAISED_TO_CTO,),
            to_state=State.TRIAGED,
            verb="sent back",
            note=note,
        )


def escalation_convert_to_action(
    *,
    escalation: Escalation,
    by: User,
    owner: User,
    due_date: dt.date,
    title: str | None = None,
) -> ActionItem:
    """Make an action of it (source: this escalation) and route the escalation to its owner.

    ``title`` defaults to the escalation's; for a confidential escalation a title
    of its own is required, different from the escalation's, because the action
    is seen by its owner and their team leads. Returns the action. Raises
    ``EscalationInvalid``, ``TransitionNotAllowed``, ``EscalationConflict``.
    """
    if escalation.confidential and (
        not (title or "").strip() or title.strip().lower() == escalation.title.strip().lower()
    ):
        raise EscalationInvalid(
            "This escalation is confidential: give the action a title that does not repeat it."
        )
    with transaction.atomic():
        action = action_create(
            by=by,
            title=title or escalation.title,
            owner=owner,
            due_date=due_date,
            description="" if escalation.confidential else escalation.description,
            source=ActionSource.ESCALATION,
            source_object=escalation,
        )
        transition(
            escalation,
            by=by,
            kind=Kind.CONVERTED,
            allowed=OPEN,
            to_state=State.ROUTED,
            verb="converted to an action",
            note=f"{action.key} for {person_name(owner)}, due {due_date:%d %b %Y}.",
            routed_to=owner,
        )
        notify_routed_owner(escalation, by=by, note=f"Action {action.key}")
        notify_raiser(escalation, by=by, note=f"Action {action.key}")
    return action


def _close(
    escalation: Escalation,
    *,
    by: User,
    kind: str,
    to_state: str,
    verb: str,
    note: str,
    allowed: tuple[str, ...] = OPEN,
    **fields: Any,
) -> Escalation:
    with transaction.atomic():
        transition(
            escalation,
            by=by,
            kind=kind,
            allowed=allowed,
            to_state=to_state,
            verb=verb,
            note=note,
            resolved_at=timezone.now(),
            snoozed_until=None,
            **fields,
        )
        notify_raiser(escalation, by=by, note=note)
    return escalation


def escalation_resolve(*, escalation: Escalation, by: User, note: str) -> Escalation:
    """Resolve with a note (the decision or what was done); mails the raiser."""
    note = required(note, "a resolution note")
    return _close(
        escalation,
        by=by,
        kind=Kind.RESOLVED,
        to_state=State.RESOLVED,
        verb="resolved",
        note=note,
        resolution_note=note,
    )


def escalation_decline(*, escalation: Escalation, by: User, reason: str) -> Escalation:
    """Decline with a reason (not for the CTO's office, or no action needed); mails the raiser."""
    reason = required(reason, "a reason")
    return _close(
        escalation,
        by=by,
        kind=Kind.DECLINED,
        to_state=State.DECLINED,
        verb="declined",
        note=reason,
        resolution_note=reason,
    )


def escalation_mark_duplicate(*, escalation: Escalation, of: Escalation, by: User) -> Escalation:
    """Close as a duplicate of ``of`` (or of the escalation ``of`` itself duplicates); mails the
    raiser. Raises ``EscalationInvalid`` for itself."""
    original = of.duplicate_of if of.state == State.DUPLICATE and of.duplicate_of_id else of
    if original.pk == escalation.pk:
        raise EscalationInvalid(f"{escalation.key} cannot be a duplicate of itself.")
    return _close(
        escalation,
        by=by,
        kind=Kind.DUPLICATE,
        to_state=State.DUPLICATE,
        verb="marked duplicate",
        note=f"Duplicate of {original.key}.",
        allowed=BEFORE_CTO,
        duplicate_of=original,
    )


def escalation_snooze(
    *, escalation: Escalation, until: dt.datetime, reason: str, by: User
) -> Escalation:
    """Hide from the inbox until ``until`` (aware, in the future), with the reason shown.

    It comes back by itself: the inbox hides only ``snoozed_until > now``.
    Raises ``EscalationInvalid`` for a past time or no reason.
    """
    reason = required(reason, "a reason for snoozing")
    if until <= timezone.now():
        raise EscalationInvalid("Snooze until a time in the future.")
    with transaction.atomic():
        return transition(
            escalation,
            by=by,
            kind=Kind.SNOOZED,
            allowed=(State.NEW, State.TRIAGED),
            to_state=State.TRIAGED,
            verb="snoozed",
            note=f"Until {timezone.localtime(until):%d %b %H:%M}: {reason}",
            snoozed_until=until,
            snooze_reason=reason,
        )


def escalation_reopen(*, escalation: Escalation, by: User, note: str) -> Escalation:
    """Reopen a resolved, declined or duplicate escalation (→ triaged), with a note."""
    note = required(note, "a note saying why it is reopened")
    with transaction.atomic():
        return transition(
            escalation,
            by=by,
            kind=Kind.REOPENED,
            allowed=CLOSED,
            to_state=State.TRIAGED,
            verb="reopened",
            note=note,
            resolved_at=None,
            duplicate_of=None,
        )
