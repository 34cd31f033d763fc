"""Reads for the meeting pages, each built for a fixed number of queries.

Meetings are fetched through ``cto_office.access``, which alone decides who
sees which meeting and which of its actions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.core.paginator import Page, Paginator

from cadence.models import Meeting
from cto_office import access

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
