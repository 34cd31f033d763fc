"""The escalations' triage history: events for every state, a few duplicates and snoozes, and the
CTO staff-meeting series that escalations raised to the CTO land on.

Runs after ``escalations.seed_escalations`` (which creates the rows in their
final state, in bulk): it writes the ``EscalationEvent`` rows that the triage
services would have written on the way there (raised, triaged, routed, raised
to the CTO, resolved or declined, at the escalation's own times), marks three
escalations as duplicates of an earlier one in the same category, snoozes
three triaged ones, sets ``OfficeSettings.cto_staff_series`` and puts each open
escalation raised to the CTO on the next CTO staff meeting's agenda, as
``escalation_raise_to_cto`` does. Bulk inserts: a handful of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Sum

from actions.models import Escalation, EscalationEvent
from cadence.models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, MeetingSeries
from cto_office.demo.context import INSERT_BATCH, UPDATE_BATCH, Context

State = Escalation.State
Kind = EscalationEvent.Kind

#: Minutes each raised escalation takes on a CTO staff-meeting agenda in the demo.
TIME_BOX = 5

SNOOZE_REASONS = (
    "Waiting for the vendor's root-cause report",
    "Team lead back from leave on Monday",
    "Revisit after the quarterly planning session",
)


def seed_escalation_history(ctx: Context, escalations: list[Escalation]) -> None:
    """Events, duplicates, snoozes and CTO agenda items for the seeded ``escalations``."""
    rng, cos, now = ctx.rng, ctx.org.cos, ctx.now
    triaged = [e for e in escalations if e.state == State.TRIAGED]
    for escalation in rng.sample(triaged, min(3, len(triaged))):
        earlier = [
            e
            for e in escalations
            if e.category == escalation.category and e.created_at < escalation.created_at
        ]
        if earlier:
            escalation.state = State.DUPLICATE
            escalation.duplicate_of = rng.choice(earlier)
            escalation.resolved_at = min(escalation.created_at + dt.timedelta(hours=5), now)
    still_triaged = [e for e in escalations if e.state == State.TRIAGED]
    snoozed = rng.sample(still_triaged, min(3, len(still_triaged)))
    for escalation, reason in zip(snoozed, SNOOZE_REASONS, strict=False):
        escalation.snoozed_until = now + dt.timedelta(hours=rng.randint(6, 96))
        escalation.snooze_reason = reason
    _put_raised_on_the_cto_agenda(ctx, escalations)
    Escalation.objects.bulk_update(
        escalations,
        ["state", "duplicate_of", "resolved_at", "snoozed_until", "snooze_reason", "agenda_item"],
        batch_size=UPDATE_BATCH,
    )
    EscalationEvent.objects.bulk_create(
        [event for e in escalations for event in _events(e, cos=cos, now=now)],
        batch_size=INSERT_BATCH,
    )


def _put_raised_on_the_cto_agenda(ctx: Context, escalations: list[Escalation]) -> None:
    """Configure the CTO staff series and put each escalation raised to the CTO on one of its
    upcoming meetings, filling each meeting's spare time (items of ``TIME_BOX`` minutes)
    before the next, so no agenda runs over its meeting."""
    series = MeetingSeries.objects.filter(kind=MeetingKind.STAFF).order_by("pk").first()
    if series is None:
        return
    ctx.office.cto_staff_series = series
    ctx.office.save(update_fields=["cto_staff_series"])
    slots = []
    for meeting in Meeting.objects.filter(series=series, start__gte=ctx.now).annotate(
        booked=Sum("agenda_items__time_box_minutes"), last=Max("agenda_items__position")
    ):
        spare = (meeting.duration_minutes - (meeting.booked or 0)) // TIME_BOX
        slots += [(meeting, (meeting.last or 0) + 1 + i) for i in range(spare)]
    raised = [e for e in escalations if e.state == State.RAISED_TO_CTO]
    for escalation, (meeting, position) in zip(raised, slots, strict=False):
        escalation.agenda_item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=escalation.agenda_title,
            presenter=ctx.org.cos,
            time_box_minutes=TIME_BOX,
            kind=AgendaItemKind.DECISION,
        )


def _events(e: Escalation, *, cos, now: dt.datetime) -> list[EscalationEvent]:
    """The events the services would have written for ``e`` to reach its current state."""
    end = e.resolved_at or e.raised_to_cto_at or now
    triaged_at = min(e.created_at + (end - e.created_at) / 4, e.sla_due_at, now)

    def event(at, from_state, to_state, kind, note="", actor=cos) -> EscalationEvent:
        return EscalationEvent(
            escalation=e,
            actor=actor,
            at=at,
            from_state=from_state,
            to_state=to_state,
            kind=kind,
            note=note,
        )

    events = [event(e.created_at, "", State.NEW, Kind.RAISED, actor=e.raised_by)]
    if e.state == State.NEW:
        return events
    events.append(event(triaged_at, State.NEW, State.TRIAGED, Kind.TRIAGED))
    last = State.TRIAGED
    if e.routed_to_id and e.state in (State.ROUTED, State.RESOLVED):
        events.append(
            event(triaged_at, State.TRIAGED, State.ROUTED, Kind.ROUTED, "Please own this.")
        )
        last = State.ROUTED
    if e.state == State.RAISED_TO_CTO:
        events.append(
            event(e.raised_to_cto_at, last, State.RAISED_TO_CTO, Kind.RAISED_TO_CTO, "Needs a call")
        )
    elif e.state in Escalation.CLOSED_STATES:
        kind = {
            State.RESOLVED: Kind.RESOLVED,
            State.DECLINED: Kind.DECLINED,
            State.DUPLICATE: Kind.DUPLICATE,
        }[e.state]
        note = f"Duplicate of {e.duplicate_of.key}." if e.duplicate_of else e.resolution_note
        events.append(event(e.resolved_at, last, e.state, kind, note))
    if e.snoozed_until:
        events.append(
            event(triaged_at, State.TRIAGED, State.TRIAGED, Kind.SNOOZED, e.snooze_reason)
        )
    return events
