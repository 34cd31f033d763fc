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

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from cadence.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingKind,
    MeetingMail,
    MeetingSeries,
    PreRead,
    PreReadAcknowledgement,
)
from cto_office import access
from cto_office.clock import IsoWeek
from cto_office.mail import absolute_url
from cto_office.models import person_from_row, person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cadence.calendars import ImportedEvent

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


def meeting_detail(*, user: User, meeting: Meeting, now: dt.datetime) -> dict[str, Any]:
    """The rest of ``meeting``'s page, as template context.

    - ``attendees`` (by name) and ``is_attendee`` (``user`` is one);
    - ``agenda``: items with ``starts_at``/``ends_at`` (minutes from the start,
      a running total of the time boxes) and ``over_time`` (ends after the
      meeting does); ``agenda_minutes`` (the total), ``agenda_over`` and
      ``agenda_percent`` (of the meeting's length, capped at 100, for the bar);
      in live mode each item also has ``elapsed_seconds`` (from its start to
      its end or ``now``) and ``running``;
    - ``pre_reads``: each with ``read_by_me``, ``readers_count`` (attendees
      who acknowledged it) and ``attendee_status`` ([(attendee, read?)]);
    - ``decisions`` and the ``actions`` it produced that ``user`` may see;
    - ``ratings``: ``{"count", "average", "mine"}``;
    - ``carry_over``: see ``carry_over``.

    Each agenda item has ``escalations_raised``: the escalations raised to the CTO on it
    that ``user`` may see (``access.escalations_for``).

    Queries, whatever the size of the meeting: attendees (1), agenda (1), escalations (1),
    pre-reads and their acknowledgements (2), decisions (1), actions (1, plus
    2 for a team lead's led teams unless already cached on the user), ratings (1),
    carry-over (4 for a meeting of a series, else 0).
    """
    attendees = list(meeting.attendees.order_by("first_name", "last_name", "username"))
    attendee_ids = {a.pk for a in attendees}

    agenda = list(meeting.agenda_items.select_related("presenter"))
    raised: dict[int, list] = defaultdict(list)
    for escalation in (
        access.escalations_for(user)
        .filter(agenda_item__meeting=meeting)
        .only("pk", "title", "agenda_item_id")
    ):
        raised[escalation.agenda_item_id].append(escalation)
    running = 0
    for item in agenda:
        item.escalations_raised = raised.get(item.pk, [])
        item.starts_at = running
        running += item.time_box_minutes
        item.ends_at = running
        item.over_time = running > meeting.duration_minutes
        item.running = bool(item.started_at and not item.ended_at)
        item.limit_seconds = item.time_box_minutes * 60
        if item.started_at:
            stop = item.ended_at or now
            item.elapsed_seconds = int((stop - item.started_at).total_seconds())
            item.elapsed_label = "{}:{:02d}".format(*divmod(item.elapsed_seconds, 60))
            item.overrun = item.elapsed_seconds > item.limit_seconds

    pre_reads = list(
        meeting.pre_reads.select_related("agenda_item").prefetch_related("acknowledgements")
    )
    for pre_read in pre_reads:
        read_by = {ack.user_id for ack in pre_read.acknowledgements.all()}
        pre_read.read_by_me = user.pk in read_by
        pre_read.readers_count = len(read_by & attendee_ids)
        pre_read.attendee_status = [(a, a.pk in read_by) for a in attendees]

    scores = dict(meeting.ratings.values_list("user_id", "score"))
    return {
        "attendees": attendees,
        "is_attendee": user.pk in attendee_ids,
        "agenda": agenda,
        "agenda_minutes": running,
        "agenda_over": running > meeting.duration_minutes,
        "agenda_over_by": running - meeting.duration_minutes,
        "agenda_percent": min(100, round(100 * running / max(meeting.duration_minutes, 1))),
        "pre_reads": pre_reads,
        "decisions": list(meeting.decisions.select_related("agenda_item", "decided_by")),
        "actions": list(
            access.actions_for(user).filter(source_meeting=meeting).select_related("owner")
        ),
        "ratings": {
            "count": len(scores),
            "average": round(sum(scores.values()) / len(scores), 1) if scores else None,
            "mine": scores.get(user.pk),
        },
        "carry_over": carry_over(user=user, meeting=meeting),
    }


def carry_over(*, user: User, meeting: Meeting) -> dict[str, Any] | None:
    """What the next meeting of a series takes over from the earlier ones (None for a
    meeting outside a series):

    - ``actions``: open actions (open, in progress, blocked) that came from any
      earlier meeting of the series, those ``user`` may see, oldest due first;
    - ``decisions``: the decisions of the last earlier meeting that was not cancelled;
    - ``previous``: that meeting; each action and decision has ``reviewed``
      (the Chief of Staff marked it reviewed in this meeting).

    Queries: 4 (previous meeting, actions, decisions, reviews).
    """
    if not meeting.series_id:
        return None
    earlier = Meeting.objects.filter(series_id=meeting.series_id, start__lt=meeting.start)
    previous = earlier.exclude(state=Meeting.State.CANCELLED).order_by("-start").first()
    actions = list(
        access.actions_for(user)
        .open()
        .filter(source_meeting__in=earlier.values("pk"))
        .select_related("owner", "source_meeting")
        .order_by("due_date", "pk")
    )
    decisions = list(previous.decisions.select_related("decided_by")) if previous else []
    reviewed = set(meeting.carry_over_reviews.values_list("action_id", "decision_id"))
    for action in actions:
        action.reviewed = (action.pk, None) in reviewed
    for decision in decisions:
        decision.reviewed = (None, decision.pk) in reviewed
    return {"previous": previous, "actions": actions, "decisions": decisions}


def next_step(meeting: Meeting) -> str:
    """What comes next for ``meeting``, in a sentence for its page."""
    State = Meeting.State
    if meeting.state == State.DRAFT:
        return (
            "Build the agenda and add pre-reads, then publish the agenda: attendees get it by mail."
        )
    if meeting.state == State.AGENDA_PUBLISHED and not meeting.live_started_at:
        return "Attendees read the pre-reads; when the meeting starts, start live mode."
    if meeting.state == State.AGENDA_PUBLISHED:
        return "The meeting is running: capture decisions and actions, then end the meeting."
    if meeting.state == State.HELD:
        return (
            "Write the minutes and publish them: attendees get a recap. Attendees rate the meeting."
        )
    if meeting.state == State.MINUTES_PUBLISHED:
        return "Done. Open actions carry over to the next meeting of the series."
    return "This meeting was cancelled."


# Search and the decision log


def _matching(qs, query: str, fields: tuple[str, ...]):
    """``qs`` filtered to rows whose ``fields`` match ``query``: PostgreSQL full-text
    search (``websearch_to_tsquery``, English stemming) on PostgreSQL, a plain
    case-insensitive "every word appears in some field" on other databases."""
    words = query.split()
    if not words:
        return qs
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        return qs.annotate(_search=vector).filter(
            _search=SearchQuery(query, search_type="websearch", config="english")
        )
    for word in words:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(match)
    return qs


def decision_log(*, user: User, query: str = "") -> QuerySet[Decision]:
    """The decisions ``user`` may see (``access.decisions_for``), newest first, matching
    ``query`` in the summary, rationale, agenda item, meeting title or minutes.
    Paginate or stream it; each row has its meeting, agenda item and decider loaded."""
    qs = access.decisions_for(user).select_related("meeting", "agenda_item", "decided_by")
    qs = _matching(
        qs,
        query,
        ("summary", "rationale", "agenda_item__title", "meeting__title", "meeting__minutes"),
    )
    return qs.order_by("-decided_on", "-pk")


def meeting_search(*, user: User, query: str, page_number: str | int | None) -> Page:
    """Meetings ``user`` may see where ``query`` matches the meeting (title, minutes), one
    of its agenda items (title, notes) or one of its decisions (summary, rationale),
    latest first, one page. Each kind is matched in its own subquery, so the search
    never multiplies agenda items by decisions. Queries: count and page (2)."""
    match = (
        Q(pk__in=_matching(Meeting.objects.all(), query, ("title", "minutes")).values("pk"))
        | Q(
            pk__in=_matching(AgendaItem.objects.all(), query, ("title", "notes")).values(
                "meeting_id"
            )
        )
        | Q(
            pk__in=_matching(Decision.objects.all(), query, ("summary", "rationale")).values(
                "meeting_id"
            )
        )
    )
    # Through a subquery: the access filter may join attendees, which would repeat rows.
    ids = access.meetings_for(user).filter(match).values("pk")
    found = Meeting.objects.filter(pk__in=ids).select_related("series").order_by("-start")
    return Paginator(found, PAGE_SIZE).get_page(page_number)


def imported_calendar_uids(events: list[ImportedEvent]) -> set[str]:
    """The UIDs among ``events`` already imported as a series or a one-off meeting (2 queries)."""
    uids = [event.uid for event in events if event.uid]
    return set(
        MeetingSeries.objects.filter(ical_uid__in=uids).values_list("ical_uid", flat=True)
    ) | set(Meeting.objects.filter(ical_uid__in=uids).values_list("ical_uid", flat=True))


# Mails (JSON-ready context; ``cadence.tasks`` adds the absolute links it knows)


def _who(user: User | None) -> str:
    return person_name(user) if user else ""


def meeting_mail_context(*, meeting: Meeting, user: User, tz: dt.tzinfo) -> dict[str, Any]:
    """Everything the agenda, reminder and recap mails show about ``meeting`` for ``user``,
    as JSON values: the meeting (times in ``tz``, the office's zone), its agenda,
    pre-reads (absolute links to the file view or the link; ``read`` by ``user``),
    decisions, the actions it produced and the carried-over actions still open
    (both as ``user`` may see them). 6 queries, plus carry-over's 4 for a series.
    """
    start, end = meeting.start.astimezone(tz), meeting.end.astimezone(tz)
    read = set(
        PreReadAcknowledgement.objects.filter(pre_read__meeting=meeting, user=user).values_list(
            "pre_read_id", flat=True
        )
    )
    carried = carry_over(user=user, meeting=meeting)
    return {
        "name": _who(user),
        "title": meeting.title,
        "when": f"{start:%A} {_day_label(start.date())} {start:%Y}, {start:%H:%M}–{end:%H:%M}",
        "location": meeting.location,
        "video_url": meeting.video_url,
        "agenda": [
            {"title": i.title, "minutes": i.time_box_minutes, "presenter": _who(i.presenter)}
            for i in meeting.agenda_items.select_related("presenter")
        ],
        "pre_reads": [
            {
                "title": p.title,
                "url": absolute_url(reverse("cadence:pre_read_download", args=[p.pk]))
                if p.file
                else p.url,
                "read": p.pk in read,
            }
            for p in meeting.pre_reads.all()
        ],
        "minutes": meeting.minutes,
        "decisions": [
            {"summary": d.summary, "decided_by": _who(d.decided_by)}
            for d in meeting.decisions.select_related("decided_by")
        ],
        "actions": [
            {
                "key": a.key,
                "title": a.title,
                "owner": _who(a.owner),
                "due": f"{a.due_date:%d %b %Y}",
            }
            for a in access.actions_for(user).filter(source_meeting=meeting).select_related("owner")
        ],
        "carried_over": [
            {
                "key": a.key,
                "title": a.title,
                "owner": _who(a.owner),
                "due": f"{a.due_date:%d %b %Y}",
            }
            for a in (carried["actions"] if carried else [])
        ],
    }


def reminder_recipients(*, now: dt.datetime, until: dt.datetime) -> list[tuple[Meeting, list[int]]]:
    """Meetings with a published agenda and pre-reads starting in ``[now, until)``, each
    with the ids of its attendees who have not read every pre-read and have had no
    reminder yet. 4 queries."""
    meetings = list(
        Meeting.objects.filter(
            state=Meeting.State.AGENDA_PUBLISHED, start__gte=now, start__lt=until
        )
        .filter(pre_reads__isnull=False)
        .distinct()
    )
    ids = [m.pk for m in meetings]
    attendees: dict[int, set[int]] = defaultdict(set)
    for meeting_id, user_id in Meeting.attendees.through.objects.filter(
        meeting_id__in=ids
    ).values_list("meeting_id", "user_id"):
        attendees[meeting_id].add(user_id)
    pre_reads: dict[int, set[int]] = defaultdict(set)
    for meeting_id, pre_read_id in PreRead.objects.filter(meeting_id__in=ids).values_list(
        "meeting_id", "pk"
    ):
        pre_reads[meeting_id].add(pre_read_id)
    read: dict[tuple[int, int], set[int]] = defaultdict(set)
    for meeting_id, user_id, pre_read_id in PreReadAcknowledgement.objects.filter(
        pre_read__meeting_id__in=ids
    ).values_list("pre_read__meeting_id", "user_id", "pre_read_id"):
        read[(meeting_id, user_id)].add(pre_read_id)
    reminded = set(
        MeetingMail.objects.filter(meeting_id__in=ids, kind=MeetingMail.Kind.REMINDER).values_list(
            "meeting_id", "user_id"
        )
    )
    result = []
    for meeting in meetings:
        due = sorted(
            user_id
            for user_id in attendees[meeting.pk]
            if read[(meeting.pk, user_id)] < pre_reads[meeting.pk]
            and (meeting.pk, user_id) not in reminded
        )
        if due:
            result.append((meeting, due))
    return result


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
