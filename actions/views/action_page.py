"""One action's page, the inline update (from a register row or the page) and a new action.

Every action is fetched through ``cto_office.access`` (one the user may not see is a 404),
then one service is called (``action_update``, ``action_create``). Answers, by origin:

- an htmx update from a register row (``origin=row``): that row (``hx-swap="outerHTML"``)
  and the register's header counts out of band (``hx-swap-oob``);
- an htmx update from the action page (``origin=page``): the page's body;
- without JavaScript: a redirect (to the register, or the action page) after success,
  the action page with the form otherwise.

An invalid form or a refusal (``ActionInvalid``) is the same region with 422 and the
input kept; a lost race (``ActionConflict``) is 409 with the message naming who changed
what and when, the current state shown beside the user's kept input, and the form
carrying the current version so that submitting again applies it over that change.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors, services
from actions.errors import ActionConflict, ActionInvalid
from actions.forms import ActionCreateForm, ActionUpdateForm
from actions.models import ActionItem, ChaseNotice
from cto_office import access
from cto_office.htmx import HtmxHttpRequest
from cto_office.models import person_name


def fetch_action(request: HtmxHttpRequest, pk: int) -> ActionItem:
    """Action ``pk`` as ``request.user`` may see it (else 404), with owner, team and source
    decision loaded, ``slip_count``, ``original_due_date`` and ``last_chased`` annotated
    (1 query, plus the access checks' cached role and team reads)."""
    last = ChaseNotice.objects.filter(action=pk).order_by("-sent_on").values("sent_on")[:1]
    return get_object_or_404(
        access.actions_for(request.user)
        .select_related("owner", "team", "created_by", "source_decision")
        .with_due_history()
        .annotate(last_chased=last),
        pk=pk,
    )


def _page_context(request: HtmxHttpRequest, action: ActionItem, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    context = {
        "action": action,
        "statuses": ActionItem.Status.choices,
        "origin": "page",
        **selectors.action_detail(user=request.user, action=action, today=today),
        **extra,
    }
    action.overdue_days = context["overdue_days"]
    decision = action.source_decision
    meeting = context["source_meeting"]
    if decision is not None and not (meeting is not None and meeting.pk == decision.meeting_id):
        decision = access.decisions_for(request.user).filter(pk=decision.pk).first()
    context["source_decision"] = decision
    return context


@require_GET
def action_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One action: its history as a timeline, original and current due date, slip count,
    the chase notices sent for it, and the update form.

    Its source meeting, escalation and decision reach the template only when the user may
    see them (``access.meetings_for``/``escalations_for``/``decisions_for``); otherwise they
    are None and the page neither names nor links them.

    Queries: session, user, office settings, role groups (4), a team lead's team tree (2),
    the action (1), its sources (0 to 3), its history (1), its chase notices (1).
    """
    action = fetch_action(request, pk)
    return render(request, "actions/action_detail.html", _page_context(request, action))


def _answer(
    request: HtmxHttpRequest,
    action: ActionItem,
    *,
    status: int = 200,
    kept: Any = None,
    error: str = "",
    errors: Any = None,
    conflict: bool = False,
    saved: bool = False,
) -> HttpResponse:
    """The region the update came from (see the module docstring), re-rendered for ``action``."""
    state = {"kept": kept, "error": error, "errors": errors, "conflict": conflict, "saved": saved}
    if request.POST.get("origin") == "row" and request.htmx:
        today = timezone.localdate()
        action.overdue_days = action.days_overdue(today)
        context = {
            "action": action,
            "statuses": ActionItem.Status.choices,
            "counts": selectors.register_counts(user=request.user, today=today),
            "origin": "row",
            "next": request.POST.get("next", ""),
            "update": state,
        }
        return render(request, "actions/register_row_swap.html", context, status=status)
    context = _page_context(request, action, update=state)
    template = "actions/action_detail.html"
    if request.htmx:
        template += "#body"
    return render(request, template, context, status=status)


def _next_url(request: HtmxHttpRequest, action: ActionItem) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("actions:action_detail", kwargs={"pk": action.pk})


@require_POST
def action_update(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Change an action's status, due date (with a reason) or add a progress note, as the
    signed-in user (``services.action_update``); see the module docstring for the answers."""
    action = fetch_action(request, pk)
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        return _answer(request, action, status=422, kept=request.POST, errors=form.errors)
    data = form.cleaned_data
    try:
        services.action_update(
            action=action,
            by=request.user,
            version=data["version"],
            status=data["status"],
            due_date=data["due_date"],
            reason=data["reason"],
            note=data["note"],
        )
    except ActionConflict as conflict:
        kept = request.POST.copy()
        fresh = fetch_action(request, pk)
        kept["version"] = str(fresh.version)
        return _answer(request, fresh, status=409, kept=kept, error=str(conflict), conflict=True)
    except ActionInvalid as invalid:
        return _answer(request, action, status=422, kept=request.POST, error=str(invalid))
    if not request.htmx:
        return redirect(_next_url(request, action))
    return _answer(request, fetch_action(request, pk), saved=True)


@require_http_methods(["GET", "POST"])
def action_new(request: HtmxHttpRequest) -> HttpResponse:
    """A new action (``services.action_create``, source "manual"), owned by someone the user
    may name. GET shows the form (the ``panel`` partial for htmx); a valid POST creates it
    and answers, for htmx, an emptied form saying so with an ``actions-changed`` event that
    refreshes the register's rows, else a redirect to the new action; an invalid one is the
    form again with 422 and the input kept."""
    form = ActionCreateForm(request.POST or None, user=request.user)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.action_create(by=request.user, **form.cleaned_data)
            except ActionInvalid as invalid:
                form.add_error(None, str(invalid))
        if created is None:
            status = 422
        elif not request.htmx:
            return redirect("actions:action_detail", pk=created.pk)
        else:
            form = ActionCreateForm(user=request.user)
    people = form.people.order_by("first_name", "last_name").only(
        "first_name", "last_name", "username"
    )
    context = {
        "form": form,
        "created": created,
        "people": [f"{person_name(p)} ({p.username})" for p in people],
        "team_selected": getattr(form, "cleaned_data", {}).get("team"),
    }
    template = "actions/action_new.html" + ("#panel" if request.htmx else "")
    response = render(request, template, context, status=status)
    if created is not None:
        response["HX-Trigger"] = "actions-changed"
    return response
