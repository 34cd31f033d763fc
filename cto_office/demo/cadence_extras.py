"""What the meeting pages add to the demo's meetings (issue 9): occurrence keys, ratings,
carry-over reviews, and a meeting that is running in live mode.

- Every meeting of a series gets its ``original_start`` (the recurrence time, its
  iCalendar RECURRENCE-ID), so the daily scheduler never recreates it (one query).
- Held meetings and those with published minutes get 1–10 ratings from about
  two thirds of their attendees (the scores lean to 6–9).
- The latest held meeting of each series has its carry-over reviewed by the Chief of
  Staff: the decisions of the meeting before it and the open actions due by then (what
  ``cadence.selectors.carry_over`` lists), so the next meeting shows reviewed and
  unreviewed items side by side with the ones that came up since.
- Today's first meeting with a published agenda, if it has started, is running in
  live mode: its first agenda item's timer runs from the meeting's start.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from cadence.models import AgendaItem, CarryOverReview, Meeting, MeetingRating
from cadence.selectors import carry_over
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
    _review_carry_over(ctx, meetings)
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


def _review_carry_over(ctx: Context, meetings: list[MeetingPlan]) -> None:
    """The Chief of Staff's reviews in each series' latest held meeting (4 queries a series)."""
    latest: dict[int, Meeting] = {}
    for plan in meetings:
        meeting = plan.meeting
        if meeting.series_id and meeting.state in (
            Meeting.State.HELD,
            Meeting.State.MINUTES_PUBLISHED,
        ):
            if meeting.series_id not in latest or latest[meeting.series_id].start < meeting.start:
                latest[meeting.series_id] = meeting
    reviews = []
    for meeting in latest.values():
        carried = carry_over(user=ctx.org.cos, meeting=meeting)
        day = ctx.local_date(meeting.start)
        targets = [{"decision": d} for d in carried["decisions"]] + [
            {"action": a} for a in carried["actions"] if a.due_date <= day
        ]
        reviews += [
            CarryOverReview(
                meeting=meeting,
                reviewed_by=ctx.org.cos,
                reviewed_at=meeting.start + dt.timedelta(minutes=5),
                **target,
            )
            for target in targets
        ]
    CarryOverReview.objects.bulk_create(reviews, ignore_conflicts=True)
