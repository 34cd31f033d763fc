"""The escalation transitions as pages and htmx partials: one form per transition, and bulk.

``GET /escalations/ESC-<pk>/<verb>/`` shows the transition's form (the ``panel``
partial for htmx, a page without JavaScript); ``POST`` calls the one service.
On success an htmx request from the inbox gets the escalation's new row plus
the counters and an emptied panel out of band; from the escalation page, the
page's body; without JavaScript, a redirect to ``next``. Errors never swap in
blank: an invalid form or a refused transition is the form again with 422 and
the user's input; a lost race (``EscalationConflict``) is 409 with the message
naming who did what and when, the input kept, and (from the inbox) the current row out of band.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from actions import forms as f
from actions import selectors, services
from actions.errors import ActionsError, EscalationConflict
from actions.models import Escalation
from actions.views.escalations import detail_context, fetch_escalation, inbox_context
from actions.views.transition_table import ROW_BUTTONS, TRANSITIONS, allowed_for
from cto_office import access
from cto_office.htmx import HtmxHttpRequest
from cto_office.models import person_name


def _next_url(request: HtmxHttpRequest, escalation: Escalation) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("actions:escalation_detail", kwargs={"pk": escalation.pk})


def _render_panel(request, escalation, transition, form, *, status=200, error="", fresh=None):
    """The transition's form: the ``panel`` partial (retargeted there) for htmx, else a page."""
    first = next((f for f in form.visible_fields()), None)
    if first is not None:
        first.field.widget.attrs["autofocus"] = True
    context = {
        "escalation": escalation,
        "transition": transition,
        "form": form,
        "error": error,
        "next": _next_url(request, escalation),
        "origin": request.POST.get("origin") or request.GET.get("origin") or "detail",
        "fresh": fresh,
        "audience": access.CONFIDENTIAL_AUDIENCE,
        "people": _people() if transition.verb in ("triage", "route", "convert") else (),
        "can_triage": access.can_triage_escalations(request.user),
        "row_buttons": ROW_BUTTONS,
    }
    template = "actions/transition.html"
    if request.htmx:
        template += "#panel"
    response = render(request, template, context, status=status)
    if request.htmx:
        response["HX-Retarget"] = "#panel"
        response["HX-Reswap"] = "innerHTML"
    return response


def _people() -> list[str]:
    """``Name (username)`` of every active person, for the person fields' datalist (1 query)."""
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
    return [
        f"{person_name(u)} ({u.username})"
        for u in users.only("first_name", "last_name", "username")
    ]


@require_http_methods(["GET", "POST"])
def transition(request: HtmxHttpRequest, pk: int, verb: str) -> HttpResponse:
    """Show (GET) or make (POST) one transition on escalation ``pk``; see the module docstring."""
    escalation = fetch_escalation(request, pk)
    spec = TRANSITIONS.get(verb)
    if spec is None:
        raise Http404("No such transition.")
    if not allowed_for(request.user, escalation, spec):
        raise PermissionDenied("Only the Chief of Staff triages escalations.")
    if request.method == "GET":
        form = spec.form(initial={"version": escalation.version})
        return _render_panel(request, escalation, spec, form)
    form = spec.form(request.POST)
    if not form.is_valid():
        return _render_panel(request, escalation, spec, form, status=422)
    escalation.version = form.cleaned_data["version"]
    try:
        spec.run(escalation, request.user, form.cleaned_data, request)
    except EscalationConflict as error:
        fresh = selectors.mark_clocks([fetch_escalation(request, pk)], timezone.now())[0]
        return _render_panel(
            request, escalation, spec, form, status=409, error=str(error), fresh=fresh
        )
    except ActionsError as error:
        return _render_panel(request, escalation, spec, form, status=422, error=str(error))
    return _after(request, pk)


def _after(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The answer to a successful transition (see the module docstring)."""
    if not request.htmx:
        return redirect(_next_url(request, Escalation(pk=pk)))
    if request.POST.get("origin") == "inbox":
        escalation = fetch_escalation(request, pk)
        selectors.mark_clocks([escalation], timezone.now())
        context = {
            "escalation": escalation,
            "counts": selectors.inbox_counts(user=request.user, now=timezone.now()),
            "can_triage": access.can_triage_escalations(request.user),
            "row_buttons": ROW_BUTTONS,
            "query": "",
        }
        return render(request, "actions/inbox_row_swap.html", context)
    escalation = fetch_escalation(request, pk)
    return render(
        request, "actions/escalation_detail.html#body", detail_context(request, escalation)
    )


BULK = {
    "assign": lambda e, by, d: services.escalation_triage(
        escalation=e, by=by, assignee=d["assignee"]
    ),
    "resolve": lambda e, by, d: services.escalation_resolve(escalation=e, by=by, note=d["note"]),
    "decline": lambda e, by, d: services.escalation_decline(escalation=e, by=by, reason=d["note"]),
    "snooze": lambda e, by, d: services.escalation_snooze(
        escalation=e, by=by, reason=d["note"], until=timezone.now() + dt.timedelta(hours=24)
    ),
}


@require_POST
def bulk(request: HtmxHttpRequest) -> HttpResponse:
    """Assign, resolve, decline or snooze (24 h) the selected escalations, all or none.

    ``selected`` values are ``<pk>.<version>`` as the rows showed them. Any
    refusal (a state that does not allow it, a conflict, a missing note) rolls
    every change back and answers 422 with the reason, naming the escalation.
    """
    if not access.can_triage_escalations(request.user):
        raise PermissionDenied("Only the Chief of Staff triages escalations.")
    verb = request.POST.get("bulk_verb", "")
    if verb not in BULK:
        return _bulk_answer(request, "Pick what to do with the selected escalations.")
    seen = {}
    for value in request.POST.getlist("selected"):
        pk, _, version = value.partition(".")
        if pk.isdigit() and version.isdigit():
            seen[int(pk)] = int(version)
    if not seen:
        return _bulk_answer(request, "Select at least one escalation.")
    data = {"note": request.POST.get("bulk_note", "").strip(), "assignee": None}
    if verb == "assign":
        try:
            data["assignee"] = f.PersonField().clean(request.POST.get("bulk_assignee", ""))
        except forms.ValidationError as error:
            return _bulk_answer(request, " ".join(error.messages))
    found = {
        e.pk: e
        for e in access.escalations_for(request.user)
        .filter(pk__in=seen)
        .select_related("raised_by", "routed_to")  # the transitions' mails name them
    }
    try:
        with transaction.atomic():
            for pk, version in seen.items():
                if pk not in found:
                    raise Http404
                escalation = found[pk]
                escalation.version = version
                try:
                    BULK[verb](escalation, request.user, data)
                except ActionsError as error:
                    raise _BulkRefused(f"Nothing was changed. {error}") from error
    except _BulkRefused as refused:
        return _bulk_answer(request, str(refused))
    return _bulk_answer(request, f"{len(seen)} escalations: done.", status=200, level="success")


class _BulkRefused(Exception):
    pass


def _bulk_answer(request, message: str, *, status: int = 422, level: str = "error") -> HttpResponse:
    if not request.htmx:
        messages.add_message(
            request, messages.ERROR if status >= 400 else messages.SUCCESS, message
        )
        return redirect(f"{reverse('actions:escalations')}?{request.POST.get('query', '')}")
    context = {**inbox_context(request, counts=True), "bulk_message": message, "bulk_level": level}
    return render(request, "actions/escalations.html#rows", context, status=status)
