"""Meeting pages (read-only first versions): the list and one meeting with its agenda,
pre-reads and decisions.

Meetings are fetched through ``cto_office.access.meetings_for``: a meeting the
user does not attend (and may not see) is a 404. The data each page shows is
read by ``cadence.selectors``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cadence import selectors
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial


@require_GET
def meetings(request: HtmxHttpRequest) -> HttpResponse:
    """Meetings the user may see: upcoming (from today, soonest first) or past (latest first).

    Queries: session and user (2), role groups (1), office settings (1), count and page (2).
    """
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    page = selectors.meeting_list(
        user=request.user, when=when, now=timezone.localtime(), page_number=request.GET.get("page")
    )
    return render_page_or_partial(
        request,
        "cadence/meetings.html",
        {"page": page, "when": when, "scope": access.meeting_scope(request.user)},
        partial="rows",
    )


@require_GET
def meeting_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One meeting: agenda with the running total of time boxes against the meeting's
    length, pre-reads with who has read them, decisions, and the actions it produced
    that the user may see.

    Queries: session and user (2), role groups (1), the meeting (1), then
    ``cadence.selectors.meeting_detail``'s fixed number.
    """
    meeting = get_object_or_404(access.meetings_for(request.user).select_related("series"), pk=pk)
    context = {"meeting": meeting, **selectors.meeting_detail(user=request.user, meeting=meeting)}
    return render(request, "cadence/meeting_detail.html", context)
