"""Capture during the meeting: a decision (or an action) in a line each, linked to an
agenda item, and the carry-over reviews. The Chief of Staff's; answers through ``page``."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from cadence import forms, services
from cadence.views.page import apply_form, done, managed_meeting_for, refused
from cto_office.htmx import HtmxHttpRequest


def _agenda_item(meeting, item_id):
    return meeting.agenda_items.filter(pk=item_id).first() if item_id else None


@require_POST
def decision_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting_for(request, pk)
    form = forms.DecisionForm(request.POST, attendees=list(meeting.attendees.all()))
    return apply_form(
        request,
        meeting,
        "decision",
        form,
        lambda data: services.decision_record(
            meeting=meeting,
            by=request.user,
            summary=data["summary"],
            rationale=data["rationale"],
            decided_by=data["decided_by"],
            agenda_item=_agenda_item(meeting, data["agenda_item"]),
        ),
    )


@require_POST
def action_capture(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An action (owner, due date) captured in a line during the meeting."""
    meeting = managed_meeting_for(request, pk)
    form = forms.ActionCaptureForm(request.POST, attendees=list(meeting.attendees.all()))
    return apply_form(
        request,
        meeting,
        "action",
        form,
        lambda data: services.action_capture(
            meeting=meeting,
            by=request.user,
            title=data["title"],
            owner=data["owner"],
            due_date=data["due_date"],
            agenda_item=_agenda_item(meeting, data["agenda_item"]),
        ),
    )


@require_POST
def carry_over_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark one carried-over action (``action``) or decision (``decision``) reviewed."""
    meeting = managed_meeting_for(request, pk)
    try:
        action_id = int(request.POST.get("action") or 0) or None
        decision_id = int(request.POST.get("decision") or 0) or None
        services.carry_over_review(
            meeting=meeting, by=request.user, action_id=action_id, decision_id=decision_id
        )
    except ValueError:
        return refused(request, meeting, services.CadenceInvalid("Review one action or decision."))
    except services.CadenceError as exc:
        return refused(request, meeting, exc)
    return done(request, meeting)
