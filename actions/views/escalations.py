"""Escalation pages: the inbox, one escalation, raising one, "My escalations", "Raised to me".

Every escalation is fetched through ``cto_office.access.escalations_for``: one
the user may not see is a 404, for its page and its partials alike. The
transitions (forms and their POSTs) are in ``actions.views.transitions``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions import selectors, services
from actions.errors import EscalationInvalid
from actions.forms import EscalationFilterForm, EscalationRaiseForm
from actions.models import Escalation
from actions.views.transition_table import ROW_BUTTONS, offered
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial, wants_partial


def fetch_escalation(request: HtmxHttpRequest, pk: int) -> Escalation:
    """The escalation ``pk`` as ``request.user`` may see it, with what its row and page show;
    404 otherwise (never 403: that would confirm a confidential one exists)."""
    return get_object_or_404(
        access.escalations_for(request.user).select_related(
            "raised_by", "team", "assignee", "routed_to", "agenda_item__meeting"
        ),
        pk=pk,
    )


def inbox_context(request: HtmxHttpRequest, *, counts: bool) -> dict:
    """What the inbox page and its ``rows`` partial show, from the GET filters; ``counts``
    (one aggregate) only when asked: the whole page and a bulk answer show them, a filter
    or page change of the rows does not."""
    form = EscalationFilterForm(request.GET)
    filters = form.filters()
    now = timezone.now()
    return {
        "page": selectors.escalation_list(
            user=request.user, filters=filters, now=now, page_number=request.GET.get("page")
        ),
        "counts": selectors.inbox_counts(user=request.user, now=now) if counts else None,
        "filters": filters,
        "form": form,
        "can_triage": access.can_triage_escalations(request.user),
        "row_buttons": ROW_BUTTONS,
        "query": request.GET.urlencode(),
    }


@require_GET
def escalations(request: HtmxHttpRequest) -> HttpResponse:
    """The inbox: escalations the user may see, filtered, searched and sorted; confidential ones
    marked; the CoS gets buttons and keyboard shortcuts for every transition.

    Queries: session and user (2), office time zone (1), role groups (1), the filtered
    team or assignee (0 to 2), count and page (2); the counters and the assignee list for
    the filters (2, full page only).
    """
    return render_page_or_partial(
        request,
        "actions/escalations.html",
        inbox_context(request, counts=not wants_partial(request)),
        partial="rows",
    )


def detail_context(request: HtmxHttpRequest, escalation: Escalation) -> dict:
    """What the escalation page and its ``body`` partial show."""
    return {
        "escalation": escalation,
        "transitions": offered(request.user, escalation),
        **selectors.escalation_detail(user=request.user, escalation=escalation, now=timezone.now()),
    }


@require_GET
def escalation_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One escalation with its history, actions, duplicates and the transitions the user may make.

    Queries: session and user (2), office time zone (1), role groups (1), the escalation (1),
    events (1), actions (1), duplicates (1), the original (0 or 1).
    """
    escalation = fetch_escalation(request, pk)
    return render_page_or_partial(
        request,
        "actions/escalation_detail.html",
        detail_context(request, escalation),
        partial="body",
    )


@require_http_methods(["GET", "POST"])
def escalation_raise(request: HtmxHttpRequest) -> HttpResponse:
    """The raise form (any signed-in person); on success, the new escalation's page."""
    if not access.can_raise_escalation(request.user):
        raise PermissionDenied("Sign in to raise an escalation.")
    form = EscalationRaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.escalation_raise(by=request.user, **form.cleaned_data)
        except EscalationInvalid as error:
            form.add_error(None, str(error))
        else:
            return redirect("actions:escalation_detail", pk=escalation.pk)
    status = 422 if form.errors else 200
    return render(request, "actions/escalation_raise.html", {"form": form}, status=status)


@require_GET
def my_escalations(request: HtmxHttpRequest) -> HttpResponse:
    """Escalations the user raised: state, who has it, and their history (2 queries)."""
    context = {"escalations": selectors.my_escalations(user=request.user, now=timezone.now())}
    return render(request, "actions/my_escalations.html", context)


@require_GET
def raised_to_me(request: HtmxHttpRequest) -> HttpResponse:
    """The CTO's page: escalations raised to them, to resolve or send back (the office only)."""
    if not access.is_office(request.user):
        raise PermissionDenied("This page is for the CTO and the Chief of Staff.")
    context = {"escalations": selectors.raised_to(user=request.user, now=timezone.now())}
    return render(request, "actions/raised_to_me.html", context)
