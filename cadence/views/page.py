"""The meeting page's rendering, shared by every view that changes something on it.

Every POST on the meeting page answers, for htmx, the page's ``body`` partial
(``#meeting-body``: header, agenda, pre-reads, capture, minutes, rating), so a
change shows everywhere it matters without a reload and the page costs the same
fixed number of queries whatever changed. Without JavaScript a successful POST
redirects back to the page (POST/redirect/GET); a refused one re-renders the
page with the message and the user's input, status 422 (409 for a state that
moved under the user).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from cadence import forms, selectors
from cadence.models import AgendaItemKind, Meeting, MeetingState
from cadence.services import CadenceError, MeetingStateError
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial

TEMPLATE = "cadence/meeting_detail.html"


def meeting_for(request: HtmxHttpRequest, pk: int) -> Meeting:
    """The meeting ``pk`` if the user may see it (``access.meetings_for``), else 404."""
    return get_object_or_404(access.meetings_for(request.user).select_related("series"), pk=pk)


def managed_meeting_for(request: HtmxHttpRequest, pk: int) -> Meeting:
    """The meeting ``pk`` for a change only the Chief of Staff makes: 404 if unseen,
    403 if seen but not theirs to change (``access.can_manage_meetings``)."""
    meeting = meeting_for(request, pk)
    if not access.can_manage_meetings(request.user):
        raise PermissionDenied("Only the Chief of Staff changes meetings.")
    return meeting


def render_meeting(
    request: HtmxHttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    """The meeting page (or its ``body`` partial for htmx) with fresh forms, except those
    in ``bound`` (a refused form with the user's input, by name) and ``error`` shown
    at the top of the body."""
    now = timezone.now()
    detail = selectors.meeting_detail(user=request.user, meeting=meeting, now=now)
    attendees = detail["attendees"]
    blank = {
        "agenda_item": forms.AgendaItemForm(attendees=attendees),
        "pre_read": forms.PreReadForm(),
        "decision": forms.DecisionForm(attendees=attendees),
        "action": forms.ActionCaptureForm(attendees=attendees),
        "minutes": forms.MinutesForm(initial={"minutes": meeting.minutes}),
        "rating": forms.RatingForm(initial={"score": detail["ratings"]["mine"]}),
        "reschedule": forms.RescheduleForm(
            initial={
                "start": timezone.localtime(meeting.start),
                "duration_minutes": meeting.duration_minutes,
            }
        ),
    }
    blank.update(bound or {})
    State = MeetingState
    can_manage = access.can_manage_meetings(request.user)
    context = {
        "meeting": meeting,
        **detail,
        "forms": blank,
        "error": error,
        "can_manage": can_manage,
        "next_step": selectors.next_step(meeting),
        "agenda_editable": can_manage
        and meeting.state in (State.DRAFT, State.AGENDA_PUBLISHED, State.HELD),
        "can_capture": can_manage and (meeting.is_live or meeting.state == State.HELD),
        "can_rate": detail["is_attendee"]
        and meeting.state in (State.HELD, State.MINUTES_PUBLISHED),
        "running_item": next((i for i in detail["agenda"] if i.running), None),
        "kinds": AgendaItemKind.choices,
    }
    return render_page_or_partial(request, TEMPLATE, context, partial="body", status=status)


def done(request: HtmxHttpRequest, meeting: Meeting) -> HttpResponse:
    """After a successful change: the fresh body for htmx, a redirect to the page otherwise."""
    if request.htmx:
        meeting.refresh_from_db()
        return render_meeting(request, meeting)
    return redirect("cadence:meeting_detail", meeting.pk)


def apply_form(
    request: HtmxHttpRequest,
    meeting: Meeting,
    name: str,
    form: Any,
    change: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """The body of every form view of the meeting page: validate ``form`` (known on the
    page as ``name``), call ``change(cleaned_data)`` (one service), answer ``done``; an
    invalid form or a refused change comes back with the user's input (``refused``)."""
    if not form.is_valid():
        return refused(request, meeting, bound={name: form})
    try:
        change(form.cleaned_data)
    except CadenceError as exc:
        return refused(request, meeting, exc, bound={name: form})
    return done(request, meeting)


def refused(
    request: HtmxHttpRequest,
    meeting: Meeting,
    exc: CadenceError | None = None,
    *,
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    """A refused change: the page with the message (and the bound form), 409 when the
    meeting's state did not allow it, 422 for bad input."""
    meeting.refresh_from_db()
    status = 409 if isinstance(exc, MeetingStateError) else 422
    message = str(exc) if exc else "Please correct the fields marked below."
    return render_meeting(request, meeting, status=status, error=message, bound=bound)
