"""What the meeting pages add to the demo's meetings (issue 9): occurrence keys, ratings,
and a meeting that is running in live mode.

- Every meeting of a series gets its ``original_start`` (the recurrence time, its
  iCalendar RECURRENCE-ID), so the daily scheduler never recreates it (one query).
- Held meetings and those with published minutes get 1–10 ratings from about
  two thirds of their attendees (the scores lean to 6–9).
- Today's first meeting with a published agenda, if it has started, is running in
  live mode: its first agenda item's timer runs from the meeting's start.
"""

from __future__ import annotations

from django.db.models import F

from cadence.models import AgendaItem, Meeting, MeetingRating
from cto_office.demo.context import Context
from cto_office.demo.meetings import MeetingPlan

#: Scores drawn for a rating, weighted to the middle-high range most teams give.
SCORES = (5, 6, 7, 7, 8, 8, 8, 9, 9, 10)


def seed_cadence_extras(ctx: Context, meetings: list[MeetingPlan]) -> None:
    """Occurrence keys, ratings and a live meeting for the demo's meetings (saved)."""
    Meeting.objects.filter(series__isnull=False, original_start=None).update(
        original_start=F("start")
    )
    rng = ctx.rng
    ratings = []
    for plan in meetings:
        meeting = plan.meeting
        if meeting.state not in (Meeting.State.HELD, Meeting.State.MINUTES_PUBLISHED):
            continue
        for pid in plan.attendees:
            if rng.random() < 0.66:
                ratings.append(
                    MeetingRating(
                        meeting=meeting,
                        user=ctx.user(pid),
                        score=rng.choice(SCORES),
                        rated_at=meeting.end,
                    )
                )
    MeetingRating.objects.bulk_create(ratings, ignore_conflicts=True)
    running = next(
        (
            p.meeting
            for p in sorted(meetings, key=lambda p: p.meeting.start)
            if p.meeting.state == Meeting.State.AGENDA_PUBLISHED
            and p.meeting.start <= ctx.now < p.meeting.end
        ),
        None,
    )
    if running:
        Meeting.objects.filter(pk=running.pk).update(live_started_at=running.start)
        first = running.agenda_items.order_by("position", "pk").first()
        if first:
            AgendaItem.objects.filter(pk=first.pk).update(started_at=running.start)
