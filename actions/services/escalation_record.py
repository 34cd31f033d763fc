"""Escalation writes that are not moves of the state machine: raising one, and editing what it
says. Like the transitions they record an ``EscalationEvent``; an edit checks the version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from actions.errors import EscalationInvalid
from actions.models import Escalation, EscalationEvent
from actions.services.escalation_mail import notify_critical_raised
from actions.services.escalation_state import Kind, State, required, transition
from cto_office.clock import office_settings

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cto_office.models import Team


def escalation_raise(
    *,
    by: User,
    title: str,
    category: str,
    severity: str = Escalation.Severity.MEDIUM,
    description: str = "",
    team: Team | None = None,
    confidential: bool = False,
) -> Escalation:
    """Raise an escalation as ``by``: state ``new``, SLA due time from ``OfficeSettings``.

    The SLA is ``sla_hours[severity]`` elapsed hours from now (not office hours:
    an incident raised on Friday evening is as urgent on Saturday). Records a
    ``raised`` event; a critical one mails every Chief of Staff after commit.
    Raises ``EscalationInvalid`` for an empty title or an unknown category or severity.
    """
    title = required(" ".join((title or "").split()), "a title")
    if category not in Escalation.Category.values:
        raise EscalationInvalid(f"Unknown category {category!r}.")
    if severity not in Escalation.Severity.values:
        raise EscalationInvalid(f"Unknown severity {severity!r}.")
    now = timezone.now()
    with transaction.atomic():
        escalation = Escalation(
            title=title,
            description=description,
            raised_by=by,
            team=team,
            category=category,
            severity=severity,
            confidential=confidential,
            created_at=now,
        )
        escalation.set_sla_due_at()
        escalation.save()
        EscalationEvent.objects.create(
            escalation=escalation, actor=by, at=now, to_state=State.NEW, kind=Kind.RAISED
        )
        if severity == Escalation.Severity.CRITICAL:
            notify_critical_raised(escalation)
    return escalation


#: What ``escalation_edit`` may change: the description of the problem, not its state.
EDITABLE = ("title", "description", "team", "category", "severity", "confidential", "assignee")


def escalation_edit(*, escalation: Escalation, by: User, **changes: Any) -> Escalation:
    """Change descriptive fields (``EDITABLE``) in any state, e.g. from Django admin; records an
    ``edited`` event naming the fields. ``escalation.version`` is the version the editor saw.
    Raises ``EscalationInvalid`` (unknown field, empty title, bad choice), ``EscalationConflict``.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise EscalationInvalid(f"These cannot be edited here: {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = required(" ".join(changes["title"].split()), "a title")
    if changes.get("category", escalation.category) not in Escalation.Category.values:
        raise EscalationInvalid(f"Unknown category {changes['category']!r}.")
    if changes.get("severity", escalation.severity) not in Escalation.Severity.values:
        raise EscalationInvalid(f"Unknown severity {changes['severity']!r}.")
    if "severity" in changes:
        changes["sla_due_at"] = office_settings().sla_due_at(
            severity=changes["severity"], raised_at=escalation.created_at
        )
    named = sorted(k.replace("_", " ") for k in changes if k != "sla_due_at")
    with transaction.atomic():
        return transition(
            escalation,
            by=by,
            kind=Kind.EDITED,
            allowed=tuple(State),
            to_state=escalation.state,
            verb="edited",
            note=f"Changed {', '.join(named)}." if named else "",
            **changes,
        )
