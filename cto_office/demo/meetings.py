"""The CTO's office's meetings: series, meetings, agendas, pre-reads, acknowledgements, decisions.

The series planned in ``series``, created with their RRULEs (RFC 5545);
their meetings from ``Scale.meetings_back`` to ``MEETINGS_AHEAD`` around now, each
with an agenda from its series template (``content``), pre-reads, and
decisions on the decision items of held meetings. Texts are in ``content``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from cadence.models import (
    AgendaItem,
    AgendaItemKind,
    Decision,
    Meeting,
    MeetingKind,
    MeetingSeries,
    PreRead,
    PreReadAcknowledgement,
)
from cto_office.clock import IsoWeek
from cto_office.demo import content
from cto_office.demo.context import INSERT_BATCH, UPDATE_BATCH, Context
from cto_office.demo.series import SeriesPlan, plan_series, plan_unit_series

#: Meetings are generated from ``Scale.meetings_back`` (8 weeks) to this far ahead.
MEETINGS_AHEAD = dt.timedelta(weeks=3)


@dataclass
class MeetingPlan:
    """A meeting with the plan of its series and its attendees (person ids)."""

    meeting: Meeting
    series: SeriesPlan | None
    attendees: list[str]


def seed_meetings(ctx: Context, login_ids: list[str]) -> tuple[list[MeetingPlan], list[Decision]]:
    """Series with RRULEs, their meetings from 8 weeks back to 3 weeks ahead, agendas, pre-reads, decisions.

    Past meetings are ``minutes_published`` except those of the last seven days
    (``held``, minutes not yet written) and one cancelled staff meeting;
    the next meeting of each series has its agenda published, later ones are drafts.
    The offsite is in the window six weeks back so its decisions are there.
    Returns the meetings (with their plans) and the decisions, saved.
    """
    meetings = _create_meetings(ctx, _create_series(ctx, login_ids))
    indicators = [i for i in ctx.org.data["indicators"] if i["health"] in (1, 2)]
    agenda = _create_agendas(ctx, meetings, indicators)
    _create_pre_reads(ctx, meetings, indicators)
    decisions = _create_decisions(ctx, agenda)
    _write_minutes(ctx, meetings, decisions)
    return meetings, decisions


def _create_series(ctx: Context, login_ids: list[str]) -> list[tuple[MeetingSeries, SeriesPlan]]:
    """The office's five series (``series.plan_series``), the units' own at a large scale, and
    their default attendees."""
    plans = plan_series(ctx, login_ids)
    if ctx.scale.unit_series:
        plans += plan_unit_series(ctx)
    series_rows: list[tuple[MeetingSeries, SeriesPlan]] = []
    for plan in plans:
        series = MeetingSeries(
            title=plan.title,
            kind=plan.kind,
            owner=ctx.org.cos,
            rrule=plan.rrule,
            time_zone=ctx.office.time_zone,
            first_start=plan.first_start,
            duration_minutes=plan.duration,
            agenda_template=[{**item, "kind": str(item["kind"])} for item in plan.template],
        )
        series_rows.append((series, plan))
    MeetingSeries.objects.bulk_create([series for series, _ in series_rows])
    SeriesThrough = MeetingSeries.default_attendees.through
    SeriesThrough.objects.bulk_create(
        SeriesThrough(meetingseries_id=s.pk, user_id=ctx.user(pid).pk)
        for s, p in series_rows
        for pid in p.attendees
    )

    return series_rows


def _create_meetings(
    ctx: Context, series_rows: list[tuple[MeetingSeries, SeriesPlan]]
) -> list[MeetingPlan]:
    """Each series' occurrences in the window, with their states and attendees."""
    window_start, window_end = ctx.now - ctx.scale.meetings_back, ctx.now + MEETINGS_AHEAD
    meeting_plans: list[MeetingPlan] = []
    for series, plan in series_rows:
        starts = series.occurrences(window_start, window_end)
        past = [s for s in starts if s < ctx.now]
        future = [s for s in starts if s >= ctx.now]
        cancelled = past[-5] if plan.kind == MeetingKind.STAFF and len(past) >= 5 else None
        for start in starts:
            if start == cancelled:
                state = Meeting.State.CANCELLED
            elif start < ctx.now:
                recent = ctx.now - start < dt.timedelta(days=7)
                state = Meeting.State.HELD if recent else Meeting.State.MINUTES_PUBLISHED
            elif future and start == future[0]:
                state = Meeting.State.AGENDA_PUBLISHED
            else:
                state = Meeting.State.DRAFT
            meeting = Meeting(
                series=series,
                title=plan.title,
                kind=plan.kind,
                start=start,
                end=start + dt.timedelta(minutes=plan.duration),
                location=plan.location,
                video_url=plan.video_url,
                state=state,
            )
            meeting_plans.append(MeetingPlan(meeting, plan, plan.attendees))
    Meeting.objects.bulk_create([mp.meeting for mp in meeting_plans])
    MeetingThrough = Meeting.attendees.through
    MeetingThrough.objects.bulk_create(
        MeetingThrough(meeting_id=mp.meeting.pk, user_id=ctx.user(pid).pk)
        for mp in meeting_plans
        for pid in mp.attendees
    )

    return meeting_plans


def _create_agendas(
    ctx: Context, meeting_plans: list[MeetingPlan], indicators: list[dict]
) -> list[tuple[MeetingPlan, AgendaItem]]:
    """Agenda items from each series' template (none for a cancelled meeting); notes once held."""
    rng = ctx.rng
    agenda: list[tuple[MeetingPlan, AgendaItem]] = []
    for mp in meeting_plans:
        meeting, plan = mp.meeting, mp.series
        if meeting.state == Meeting.State.CANCELLED:
            continue
        held = meeting.state in (Meeting.State.HELD, Meeting.State.MINUTES_PUBLISHED)
        for position, item in enumerate(plan.template):
            title = item["title"]
            if title == content.TOPIC_OF_THE_WEEK:
                title = f"Topic: {rng.choice(indicators)['name']}"
            elif title == content.DESIGN_REVIEW:
                title = f"{content.DESIGN_REVIEW}: {rng.choice(content.ARCHITECTURE_TOPICS)}"
            presenter = ctx.org.cto if position == 0 else ctx.user(rng.choice(mp.attendees))
            notes = ""
            if held:
                notes = rng.choice(content.AGENDA_NOTES)
            agenda.append(
                (
                    mp,
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=title,
                        presenter=presenter,
                        time_box_minutes=item["minutes"],
                        kind=item["kind"],
                        notes=notes,
                    ),
                )
            )
    AgendaItem.objects.bulk_create([a for _, a in agenda], batch_size=INSERT_BATCH)

    return agenda


def _create_pre_reads(
    ctx: Context, meeting_plans: list[MeetingPlan], indicators: list[dict]
) -> None:
    """Pre-reads for every meeting that is held or whose agenda is out, and who has read them."""
    rng = ctx.rng
    pre_reads: list[tuple[MeetingPlan, PreRead]] = []
    for mp in meeting_plans:
        meeting = mp.meeting
        if meeting.state in (Meeting.State.CANCELLED, Meeting.State.DRAFT):
            continue
        picks = rng.sample(indicators, 3)
        lines = "\n".join(
            content.PRE_READ_LINE.format(
                name=i["name"],
                target=i["target"] or "not set",
                reason="; ".join(i["reasons"][:1]) or "no comment",
            )
            for i in picks
        )
        title = content.PRE_READ_TITLES[mp.series.kind].format(
            week=IsoWeek.of(ctx.local_date(meeting.start)).label,
            month=f"{meeting.start.astimezone(ctx.tz):%B %Y}",
        )
        pre_reads.append(
            (
                mp,
                PreRead(
                    meeting=meeting,
                    title=title,
                    body=content.PRE_READ_BODY.format(lines=lines),
                    due_by=meeting.start - dt.timedelta(hours=18),
                ),
            )
        )
        if mp.series.kind in (MeetingKind.MBR, MeetingKind.OFFSITE, MeetingKind.BOARD_PREP):
            pre_reads.append(
                (
                    mp,
                    PreRead(
                        meeting=meeting,
                        **content.HEADCOUNT_PRE_READ,
                        due_by=meeting.start - dt.timedelta(days=1),
                    ),
                )
            )
    PreRead.objects.bulk_create([p for _, p in pre_reads])
    acks = []
    for mp, pre_read in pre_reads:
        past = mp.meeting.start < ctx.now
        share = 0.8 if past else 0.4
        for pid in mp.attendees:
            if rng.random() < share:
                latest = min(
                    pre_read.due_by + dt.timedelta(hours=2), ctx.now - dt.timedelta(minutes=5)
                )
                read_at = latest - dt.timedelta(hours=rng.randint(0, 60))
                acks.append(
                    PreReadAcknowledgement(pre_read=pre_read, user=ctx.user(pid), read_at=read_at)
                )
    PreReadAcknowledgement.objects.bulk_create(acks, batch_size=INSERT_BATCH)


def _create_decisions(ctx: Context, agenda: list[tuple[MeetingPlan, AgendaItem]]) -> list[Decision]:
    """Decisions on the decision items of held meetings; the latest held meeting always has some."""
    rng = ctx.rng
    decisions: list[Decision] = []
    held_items = [
        (mp, item)
        for mp, item in agenda
        if mp.meeting.state in (Meeting.State.HELD, Meeting.State.MINUTES_PUBLISHED)
        and item.kind == AgendaItemKind.DECISION
    ]
    latest_held = max((mp.meeting.start for mp, _ in held_items), default=None)
    for mp, item in held_items:
        pool = content.DECISIONS[mp.series.kind]
        if not pool:
            continue
        if mp.meeting.start != latest_held and rng.random() > 0.6:
            continue
        summary, rationale = rng.choice(pool)
        team, other = rng.sample(ctx.units, 2)
        fill = {
            "team": ctx.team_name(team),
            "other": ctx.team_name(other),
            "topic": item.title.split(": ")[-1],
        }
        decisions.append(
            Decision(
                meeting=mp.meeting,
                agenda_item=item,
                summary=summary.format(**fill)[:300],
                rationale=rationale.format(**fill),
                decided_by=ctx.org.cto,
                decided_on=ctx.local_date(mp.meeting.start),
            )
        )
    Decision.objects.bulk_create(decisions)

    return decisions


def _write_minutes(
    ctx: Context, meeting_plans: list[MeetingPlan], decisions: list[Decision]
) -> None:
    """Minutes (attendees, decisions, a pointer to the register) of meetings in ``minutes_published``."""
    by_meeting: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_meeting[decision.meeting_id].append(decision)
    minuted = []
    for mp in meeting_plans:
        if mp.meeting.state == Meeting.State.MINUTES_PUBLISHED:
            names = ", ".join(ctx.user(pid).get_full_name() for pid in mp.attendees[:8])
            lines = [content.MINUTES_ATTENDEES.format(names=names), content.MINUTES_DECISIONS]
            lines += [f"- {d.summary}" for d in by_meeting.get(mp.meeting.pk, [])] or [
                content.MINUTES_NO_DECISION
            ]
            lines.append(content.MINUTES_ACTIONS)
            mp.meeting.minutes = "\n".join(lines)
            minuted.append(mp.meeting)
    Meeting.objects.bulk_update(minuted, ["minutes"], batch_size=UPDATE_BATCH)
