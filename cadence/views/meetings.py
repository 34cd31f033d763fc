"""Meeting pages: the list, one meeting (agenda, pre-reads, capture, minutes, rating),
a one-off meeting's form, and the moves of the meeting's state.

Meetings are fetched through ``cto_office.access.meetings_for``: a meeting the
user does not attend (and may not see) is a 404. Changes are the Chief of
Staff's (``access.can_manage_meetings``); each view calls one service (or the
task wrapper that also queues the mails) and answers through ``cadence.views.page``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadence import forms, selectors, services, tasks
from cadence.services.pack import meeting_pack_pdf
from cadence.views.page import (
    apply_form,
    done,
    managed_meeting_for,
    meeting_for,
    refused,
    render_meeting,
)
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial


@require_GET
def meetings(request: HtmxHttpRequest) -> HttpResponse:
    """Meetings the user may see: upcoming (from today, soonest first) or past (latest first),
    or those matching ``q`` in their title, agenda items or minutes (latest first).

    Queries: session and user (2), role groups (1), office settings (1), count and page (2).
    """
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    query = request.GET.get("q", "").strip()[:200]
    if query:
        when = "search"
        page = selectors.meeting_search(
            user=request.user, query=query, page_number=request.GET.get("page")
        )
    else:
        page = selectors.meeting_list(
            user=request.user,
            when=when,
            now=timezone.localtime(),
            page_number=request.GET.get("page"),
        )
    return render_page_or_partial(
        request,
        "cadence/meetings.html",
        {
            "page": page,
            "when": when,
            "q": query,
            "scope": access.meeting_scope(request.user),
            "can_manage": access.can_manage_meetings(request.user),
        },
        partial="rows",
    )


@require_GET
def meeting_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One meeting: agenda with the running total of time boxes against the meeting's
    length, live timers, pre-reads with who has read them, carry-over, decisions and
    actions, minutes and ratings.

    Queries: session and user (2), role groups (1), office settings (1), the meeting
    (1), then ``cadence.selectors.meeting_detail``'s fixed number.
    """
    return render_meeting(request, meeting_for(request, pk))


@require_http_methods(["GET", "POST"])
def meeting_create(request: HtmxHttpRequest) -> HttpResponse:
    """A one-off meeting (the Chief of Staff): title, time, attendees, an agenda."""
    if not access.can_manage_meetings(request.user):
        raise PermissionDenied("Only the Chief of Staff schedules meetings.")
    form = forms.MeetingForm(request.POST or None, initial={"attendees": [request.user]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_schedule(
                    by=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    start=data["start"],
                    end=data["start"] + dt.timedelta(minutes=data["duration_minutes"]),
                    location=data["location"],
                    video_url=data["video_url"],
                    attendees=data["attendees"],
                    agenda_template=data["agenda_template"],
                )
            except services.CadenceError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("cadence:meeting_detail", meeting.pk)
        status = 422
    return render(request, "cadence/meeting_form.html", {"form": form}, status=status)


def _transition(request: HtmxHttpRequest, pk: int, action) -> HttpResponse:
    meeting = managed_meeting_for(request, pk)
    try:
        action(meeting=meeting, by=request.user)
    except services.CadenceError as exc:
        return refused(request, meeting, exc)
    return done(request, meeting)


@require_POST
def agenda_publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Publish the agenda and mail it, with the pre-read links, to the attendees."""
    return _transition(request, pk, tasks.agenda_publish_and_mail)


@require_POST
def meeting_go_live(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.meeting_go_live)


@require_POST
def agenda_item_advance(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.agenda_item_advance)


@require_POST
def meeting_mark_held(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.meeting_mark_held)


@require_POST
def meeting_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.meeting_cancel)


@require_POST
def minutes_publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Publish the minutes and mail the recap to the attendees."""
    return _transition(request, pk, tasks.minutes_publish_and_mail)


@require_POST
def minutes_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting_for(request, pk)
    return apply_form(
        request,
        meeting,
        "minutes",
        forms.MinutesForm(request.POST),
        lambda data: services.minutes_save(
            meeting=meeting, by=request.user, minutes=data["minutes"]
        ),
    )


@require_POST
def meeting_reschedule(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move this one meeting (its series' other meetings stay where they are)."""
    meeting = managed_meeting_for(request, pk)
    form = forms.RescheduleForm(request.POST)
    return apply_form(
        request,
        meeting,
        "reschedule",
        form,
        lambda data: services.meeting_reschedule(
            meeting=meeting, by=request.user, start=data["start"], end=form.end
        ),
    )


@require_POST
def meeting_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An attendee's 1–10 rating of the meeting."""
    meeting = meeting_for(request, pk)
    return apply_form(
        request,
        meeting,
        "rating",
        forms.RatingForm(request.POST),
        lambda data: services.meeting_rate(meeting=meeting, by=request.user, score=data["score"]),
    )


@require_GET
def meeting_pack(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The meeting pack as a PDF download, for those who may see the meeting."""
    meeting = meeting_for(request, pk)
    response = HttpResponse(
        meeting_pack_pdf(meeting=meeting, user=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-pack.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A meeting's details (title, kind, place, attendees); its time moves on its page."""
    meeting = managed_meeting_for(request, pk)
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "location": meeting.location,
        "video_url": meeting.video_url,
        "attendees": list(meeting.attendees.values_list("pk", flat=True)),
    }
    form = forms.MeetingDetailsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
            except services.CadenceError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("cadence:meeting_detail", meeting.pk)
        status = 422
    return render(
        request, "cadence/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )
