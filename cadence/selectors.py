"""Reads for the meeting pages, each built for a fixed number of queries.

Meetings are fetched through ``cto_office.access``, which alone decides who
sees which meeting and which of its actions. The weekly briefing's sections at
the end (``briefing_decisions_section``, ``briefing_meetings_section``) are the
exception: they cover the whole office for the briefing, a document only the
Chief of Staff and the CTO see (``access.can_see_briefings`` guards it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Literal

from django.core.paginator import Page, Paginator
from django.db.models import Q

from cadence.models import Decision, Meeting, MeetingKind, PreRead, PreReadAcknowledgement
from cto_office import access
from cto_office.clock import IsoWeek
from cto_office.models import person_from_row

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 50


def meeting_list(
    *,
    user: User,
    when: Literal["upcoming", "past"],
    now: dt.datetime,
    page_number: str | int | None,
) -> Page:
    """One page (``PAGE_SIZE`` rows) of the meetings ``user`` may see, with their series.

    ``now`` is the current time in the office's time zone
    (``timezone.localtime()`` under ``OfficeTimeZoneMiddleware``): "upcoming" is from 00:00 today in
    that zone, soonest first (so today's earlier meetings stay listed);
    "past" is before it, latest first.

    Queries: role groups (1, cached on the user), the count and the page (2).
    """
    today_start = dt.datetime.combine(now.date(), dt.time(0), tzinfo=now.tzinfo)
    qs = access.meetings_for(user).select_related("series")
    if when == "past":
        qs = qs.filter(start__lt=today_start).order_by("-start")
    else:
        qs = qs.filter(start__gte=today_start).order_by("start")
    return Paginator(qs, PAGE_SIZE).get_page(page_number)


def meeting_detail(*, user: User, meeting: Meeting) -> dict[str, Any]:
    """The rest of ``meeting``'s page, as template context.

    - ``attendees`` (by name) and ``is_attendee`` (``user`` is one);
    - ``agenda``: items with ``starts_at``/``ends_at`` (minutes from the start,
      a running total of the time boxes) and ``over_time`` (ends after the
      meeting does); ``agenda_minutes`` (the total) and ``agenda_over``;
    - ``pre_reads``: each with ``read_by_me``, ``readers_count`` (attendees
      who acknowledged it) and ``attendee_status`` ([(attendee, read?)]);
    - ``decisions`` and the ``actions`` it produced that ``user`` may see.

    Queries, whatever the size of the meeting: attendees (1), agenda (1),
    pre-reads and their acknowledgements (2), decisions (1), actions (1, plus
    2 for a team lead's led teams unless already cached on the user).
    """
    attendees = list(meeting.attendees.order_by("first_name", "last_name", "username"))
    attendee_ids = {a.pk for a in attendees}

    agenda = list(meeting.agenda_items.select_related("presenter"))
    running = 0
    for item in agenda:
        item.starts_at = running
        running += item.time_box_minutes
        item.ends_at = running
        item.over_time = running > meeting.duration_minutes

    pre_reads = list(
        meeting.pre_reads.select_related("agenda_item").prefetch_related("acknowledgements")
    )
    for pre_read in pre_reads:
        read_by = {ack.user_id for ack in pre_read.acknowledgements.all()}
        pre_read.read_by_me = user.pk in read_by
        pre_read.readers_count = len(read_by & attendee_ids)
        pre_read.attendee_status = [(a, a.pk in read_by) for a in attendees]

    return {
        "attendees": attendees,
        "is_attendee": user.pk in attendee_ids,
        "agenda": agenda,
        "agenda_minutes": running,
        "agenda_over": running > meeting.duration_minutes,
        "pre_reads": pre_reads,
        "decisions": meeting.decisions.select_related("agenda_item", "decided_by"),
        "actions": access.actions_for(user).filter(source_meeting=meeting).select_related("owner"),
    }


# The weekly briefing's sections (the whole office, not scoped to a user)


def _day_label(day: dt.date) -> str:
    """``23 Nov``: how the briefing writes a day."""
    return f"{day.day} {day:%b}"


def briefing_decisions_section(*, week: IsoWeek) -> list[dict[str, Any]]:
    """The decisions logged in ``week`` (Monday to Sunday, by ``decided_on``), oldest first,
    as JSON-ready rows for the briefing (1 query)."""
    return [
        {
            "summary": d["summary"],
            "meeting": d["meeting__title"],
            "decided_on": d["decided_on"].isoformat(),
            "decided_label": f"{d['decided_on']:%a} {_day_label(d['decided_on'])}",
            "decided_by": person_from_row(d, "decided_by__"),
        }
        for d in Decision.objects.filter(decided_on__range=(week.monday, week.sunday))
        .order_by("decided_on", "pk")
        .values(
            "summary",
            "meeting__title",
            "decided_on",
            "decided_by__first_name",
            "decided_by__last_name",
            "decided_by__username",
        )
    ]


def briefing_meetings_section(*, week: IsoWeek, tz: dt.tzinfo) -> list[dict[str, Any]]:
    """The meetings of ``week`` (not cancelled, soonest first) with each pre-read's read count
    among the meeting's attendees, as JSON-ready rows for the briefing (4 queries).

    The week runs ``week.bounds(tz)``: Monday 00:00 to the next Monday 00:00 in
    ``tz``, the office's zone, in which times are also shown. The briefing asks
    for the week after the one it covers.
    """
    week_start, week_end = week.bounds(tz)
    in_range = Q(start__gte=week_start, start__lt=week_end)
    meetings = list(
        Meeting.objects.filter(in_range)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("start", "pk")
        .values("pk", "title", "kind", "start", "end", "state", "location")
    )
    in_meetings = Q(meeting__start__gte=week_start, meeting__start__lt=week_end)
    attendees: dict[int, set[int]] = defaultdict(set)
    for meeting_id, user_id in Meeting.attendees.through.objects.filter(in_meetings).values_list(
        "meeting_id", "user_id"
    ):
        attendees[meeting_id].add(user_id)
    pre_reads: dict[int, list[dict]] = defaultdict(list)
    for p in (
        PreRead.objects.filter(in_meetings)
        .order_by("pk")
        .values("pk", "meeting_id", "title", "due_by")
    ):
        pre_reads[p["meeting_id"]].append(p)
    readers: dict[int, set[int]] = defaultdict(set)
    for pre_read_id, user_id in PreReadAcknowledgement.objects.filter(
        pre_read__meeting__start__gte=week_start, pre_read__meeting__start__lt=week_end
    ).values_list("pre_read_id", "user_id"):
        readers[pre_read_id].add(user_id)

    def due_label(due_by: dt.datetime | None) -> str:
        if not due_by:
            return ""
        local = due_by.astimezone(tz)
        return f"{_day_label(local.date())} {local:%H:%M}"

    result = []
    for m in meetings:
        people = attendees.get(m["pk"], set())
        start = m["start"].astimezone(tz)
        end = m["end"].astimezone(tz)
        result.append(
            {
                "title": m["title"],
                "kind": MeetingKind(m["kind"]).label,
                "state": Meeting.State(m["state"]).label,
                "start": start.isoformat(),
                "when_label": f"{start:%a} {_day_label(start.date())}, {start:%H:%M}–{end:%H:%M}",
                "location": m["location"],
                "attendees": len(people),
                "pre_reads": [
                    {
                        "title": p["title"],
                        "due_label": due_label(p["due_by"]),
                        "read": len(readers.get(p["pk"], set()) & people),
                        "attendees": len(people),
                    }
                    for p in pre_reads.get(m["pk"], [])
                ],
            }
        )
    return result
