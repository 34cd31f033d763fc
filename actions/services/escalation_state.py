"""The escalation state machine: where each transition may start, the events it records, and
the version check that keeps two people from overwriting each other.

The state machine (``Escalation.State``; ``*`` = every open state)::

                 triage (also re-triage)
      new ───────────────────────────────► triaged ◄──────── send back (CTO) ──┐
       │  route / raise to CTO / convert /   │  ▲                               │
       │  resolve / decline / duplicate /    │  │ reopen                        │
       │  snooze: triage is implied and      │  │                               │
       │  recorded (new → triaged event)     ▼  │                               │
       └──────────────────────────────►  routed ──── raise to CTO ──► raised_to_cto
                                           │      (convert = route to the      │
                                           │       action's owner)             │
                                           ▼                                   ▼
                     resolved / declined / duplicate (closed)  ◄── resolve / decline

    route:        new, triaged, routed                → routed (to a person)
    raise to CTO: new, triaged, routed                → raised_to_cto (+ agenda item)
    convert:      new, triaged, routed, raised_to_cto → routed (to the action's owner)
    resolve:      *                                   → resolved
    decline:      *                                   → declined
    duplicate:    new, triaged, routed                → duplicate (of another escalation)
    snooze:       new, triaged                        → triaged, out of the inbox until a time
    send back:    raised_to_cto                       → triaged (the CTO returns it to the CoS)
    reopen:       resolved, declined, duplicate       → triaged

Every service runs in one ``transaction.atomic()`` and records one
``EscalationEvent`` (two when it starts from ``new``: the implied triage
first). Optimistic concurrency (STYLE rule 5): the ``escalation`` passed in
carries the ``version`` the user saw; the write is a conditional
``UPDATE … WHERE version = seen`` that bumps it, and zero rows updated means
someone else acted first: ``EscalationConflict`` names who did what and when.
No row lock is taken. A transition the state (as the user saw it) does not
allow raises ``TransitionNotAllowed``; a bad value ``EscalationInvalid``.
Access (who may triage, who may decide) is checked by the views through
``cto_office.access``; the services trust ``by``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from actions.errors import EscalationConflict, EscalationInvalid, TransitionNotAllowed
from actions.models import Escalation, EscalationEvent
from cto_office.models import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

State = Escalation.State
Kind = EscalationEvent.Kind
OPEN = Escalation.OPEN_STATES
CLOSED = Escalation.CLOSED_STATES
BEFORE_CTO = (State.NEW, State.TRIAGED, State.ROUTED)


def required(value: str, what: str) -> str:
    """``value`` stripped; ``EscalationInvalid("Give <what>.")`` when that leaves nothing."""
    value = (value or "").strip()
    if not value:
        raise EscalationInvalid(f"Give {what}.")
    return value


def check_version(escalation: Escalation, seen: int) -> None:
    """Raise ``EscalationConflict`` now if ``escalation`` (as saved) has moved past version
    ``seen``: an early check for forms that cannot show an error after saving (admin); the
    conditional update in ``transition`` remains the guarantee (2 queries)."""
    current = Escalation.objects.filter(pk=escalation.pk).values_list("version", flat=True).first()
    if current != seen:
        raise conflict(escalation)


def conflict(escalation: Escalation) -> EscalationConflict:
    """The error for a lost race: the latest event names who did what and when (1 query)."""
    last = escalation.events.select_related("actor").order_by("-at", "-pk").first()
    if last is None:
        return EscalationConflict(key=escalation.key, who="Someone", what="changed", when=None)
    return EscalationConflict(
        key=escalation.key,
        who=person_name(last.actor) if last.actor else "Someone",
        what=last.get_kind_display().lower(),
        when=last.at,
    )


def transition(
    escalation: Escalation,
    *,
    by: User,
    kind: str,
    allowed: tuple[str, ...],
    to_state: str,
    verb: str,
    note: str = "",
    **fields: Any,
) -> Escalation:
    """Move ``escalation`` to ``to_state`` with ``fields`` set, if its state allows it and its
    version is still the one seen; record the event(s). Runs inside the caller's transaction.

    Updates ``escalation`` in memory (state, fields, version) so the caller can render it.
    """
    if escalation.state not in allowed:
        # A state read after someone else acted: their change, not the state, is the news.
        if not Escalation.objects.filter(pk=escalation.pk, version=escalation.version).exists():
            raise conflict(escalation)
        raise TransitionNotAllowed(
            key=escalation.key, state_label=escalation.get_state_display(), verb=verb
        )
    now = timezone.now()
    seen_state = escalation.state
    updated = Escalation.objects.filter(pk=escalation.pk, version=escalation.version).update(
        state=to_state, version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise conflict(escalation)
    events = []
    if seen_state == State.NEW and to_state != State.NEW and kind != Kind.TRIAGED:
        events.append(
            EscalationEvent(
                escalation=escalation,
                actor=by,
                at=now,
                from_state=State.NEW,
                to_state=State.TRIAGED,
                kind=Kind.TRIAGED,
                note="Triaged on the way.",
            )
        )
        seen_state = State.TRIAGED
    events.append(
        EscalationEvent(
            escalation=escalation,
            actor=by,
            at=now,
            from_state=seen_state,
            to_state=to_state,
            kind=kind,
            note=note,
        )
    )
    EscalationEvent.objects.bulk_create(events)
    for name, value in fields.items():
        setattr(escalation, name, value)
    escalation.state, escalation.version, escalation.updated_at = (
        to_state,
        escalation.version + 1,
        now,
    )
    return escalation
