"""Meeting pages (read-only first versions): the list and one meeting with its agenda,
pre-reads and decisions.

Meetings are fetched through ``cto_office.access.meetings_for``: a meeting the
user does not attend (and may not see) is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from cto_office import access

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _render_page_or_rows(
    request: HtmxHttpRequest, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only its ``rows`` partial for an htmx request (not for a history restore)."""
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#rows"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def meetings(request: HtmxHttpRequest) -> HttpResponse:
    """Meetings the user may see: upcoming (from today, soonest first) or past (latest first).

    Queries: role groups (1), count and page (2).
    """
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    qs = access.meetings_for(request.user).select_related("series")
    if when == "past":
        qs = qs.filter(start__lt=today_start).order_by("-start")
    else:
        qs = qs.filter(start__gte=today_start).order_by("start")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_page_or_rows(request, "cadence/meetings.html", {"page": page, "when": when})


@require_GET
def meeting_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One meeting: agenda with the running total of time boxes against the meeting's
    length, pre-reads with who has read them, decisions, and the actions it produced
    that the user may see.

    Queries, whatever the size of the meeting: meeting (1), attendees (1),
    agenda (1), pre-reads and their acknowledgements (2), decisions (1),
    actions (1, plus 2 for a team lead's led teams).
    """
    user = request.user
    meeting = get_object_or_404(access.meetings_for(user).select_related("series"), pk=pk)
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

    context = {
        "meeting": meeting,
        "attendees": attendees,
        "is_attendee": user.pk in attendee_ids,
        "agenda": agenda,
        "agenda_minutes": running,
        "agenda_over": running > meeting.duration_minutes,
        "pre_reads": pre_reads,
        "decisions": meeting.decisions.select_related("agenda_item", "decided_by"),
        "actions": access.actions_for(user).filter(source_meeting=meeting).select_related("owner"),
    }
    return render(request, "cadence/meeting_detail.html", context)
