"""The agenda on the meeting page: add, edit, reorder (buttons for the keyboard, drag and
drop posting the same form), remove. The Chief of Staff's; answers through ``page``."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from cadence import forms, services
from cadence.views.page import apply_form, done, managed_meeting_for, refused
from cto_office.htmx import HtmxHttpRequest


@require_POST
def agenda_item_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting_for(request, pk)
    form = forms.AgendaItemForm(request.POST, attendees=list(meeting.attendees.all()))
    return apply_form(
        request,
        meeting,
        "agenda_item",
        form,
        lambda data: services.agenda_item_add(
            meeting=meeting,
            by=request.user,
            title=data["title"],
            time_box_minutes=data["time_box_minutes"],
            kind=data["kind"],
            presenter=data["presenter"],
        ),
    )


def _item(meeting, value: str | None):
    """The meeting's agenda item whose id was posted as ``item`` (None if not one of them)."""
    return meeting.agenda_items.filter(pk=int(value)).first() if (value or "").isdigit() else None


@require_POST
def agenda_item_update(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Change the posted ``item``: title, time box, kind, presenter, notes or outcome."""
    meeting = managed_meeting_for(request, pk)
    item = _item(meeting, request.POST.get("item"))
    if item is None:
        return refused(request, meeting, services.CadenceInvalid("That agenda item is gone."))
    form = forms.AgendaItemEditForm(request.POST, attendees=list(meeting.attendees.all()))
    return apply_form(
        request,
        meeting,
        "agenda_item_edit",
        form,
        lambda data: services.agenda_item_update(item=item, by=request.user, **data),
    )


@require_POST
def agenda_item_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move the posted ``item`` to ``position`` (0-based): the Up/Down buttons and drag
    and drop post the same two fields."""
    meeting = managed_meeting_for(request, pk)
    item = _item(meeting, request.POST.get("item"))
    form = forms.MoveForm(request.POST)
    if item is None or not form.is_valid():
        return refused(request, meeting, services.CadenceInvalid("That agenda item is gone."))
    try:
        services.agenda_item_move(
            item=item, by=request.user, position=form.cleaned_data["position"]
        )
    except services.CadenceError as exc:
        return refused(request, meeting, exc)
    return done(request, meeting)


@require_POST
def agenda_item_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Remove the posted ``item`` from the agenda."""
    meeting = managed_meeting_for(request, pk)
    item = _item(meeting, request.POST.get("item"))
    if item is None:
        return refused(request, meeting, services.CadenceInvalid("That agenda item is gone."))
    try:
        services.agenda_item_remove(item=item, by=request.user)
    except services.CadenceError as exc:
        return refused(request, meeting, exc)
    return done(request, meeting)
