"""Pages of the action register and the escalation inbox (read-only first versions).

Every object is fetched through ``cto_office.access``: what a user may not see
is a 404. Login is enforced for all of them by ``LoginRequiredMiddleware``.
The list pages answer htmx requests (filters, pagination) with the ``rows``
partial of the same template and add ``Vary: HX-Request``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from actions.models import ActionItem, Escalation
from cto_office import access
from cto_office.models import Team

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _render_page_or_rows(
    request: HtmxHttpRequest, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only its ``rows`` partial for an htmx request.

    A history-restore request (back button after an htmx navigation) wants the
    whole page, so it gets it.
    """
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#rows"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _choice(value: str | None, choices: list[str]) -> str:
    """``value`` if it is one of ``choices``; otherwise "" (a bad filter value is ignored, not an error)."""
    return value if value in choices else ""


# Action register


def _action_filters(params: QueryDict) -> dict[str, Any]:
    """Clean the register's GET filters.

    ``status``: "" (any open status, the default), "all", or one status value;
    ``team``: a team id; ``owner``: "me" or a user id; ``overdue``: "1".
    """
    owner = params.get("owner", "")
    return {
        "status": _choice(params.get("status"), ["all", *ActionItem.Status.values]),
        "team": _int_or_none(params.get("team")),
        "owner": "me" if owner == "me" else _int_or_none(owner),
        "overdue": params.get("overdue") == "1",
    }


def _filter_actions(
    qs: QuerySet[ActionItem], filters: dict[str, Any], user: Any, today: Any
) -> QuerySet[ActionItem]:
    status = filters["status"]
    if status == "":
        qs = qs.open()
    elif status != "all":
        qs = qs.filter(status=status)
    if filters["team"]:
        qs = qs.filter(team_id=filters["team"])
    if filters["owner"] == "me":
        qs = qs.filter(owner=user)
    elif filters["owner"]:
        qs = qs.filter(owner_id=filters["owner"])
    if filters["overdue"]:
        qs = qs.overdue(today)
    return qs


@require_GET
def register(request: HtmxHttpRequest) -> HttpResponse:
    """The action register: the actions the user may see, filtered, overdue highlighted.

    Queries: the user's role groups (1), led teams for a team lead (2), the
    team list (1), the filtered owner's name (0 or 1), the count and the page (2).
    """
    user = request.user
    today = timezone.localdate()
    filters = _action_filters(request.GET)
    actions = _filter_actions(
        access.actions_for(user).select_related("owner", "team"), filters, user, today
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    for action in page:
        action.overdue_days = action.days_overdue(today)
    owner_filtered = None
    if isinstance(filters["owner"], int):
        owner_filtered = get_user_model().objects.filter(pk=filters["owner"]).first()
    context = {
        "page": page,
        "filters": filters,
        "today": today,
        "owner_filtered": owner_filtered,
        "status_choices": ActionItem.Status.choices,
        "teams": Team.objects.only("pk", "name"),
    }
    return _render_page_or_rows(request, "actions/register.html", context)


@require_GET
def action_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One action and its full update history.

    The source escalation and meeting are shown only when the user may see
    them too: a confidential escalation's title must not leak through an
    action made from it.
    """
    user = request.user
    action = get_object_or_404(
        access.actions_for(user).select_related("owner", "team", "created_by", "source_decision"),
        pk=pk,
    )
    source_escalation = None
    if action.source_escalation_id:
        source_escalation = (
            access.escalations_for(user).filter(pk=action.source_escalation_id).first()
        )
    source_meeting = None
    if action.source_meeting_id:
        source_meeting = access.meetings_for(user).filter(pk=action.source_meeting_id).first()
    today = timezone.localdate()
    context = {
        "action": action,
        "overdue_days": action.days_overdue(today),
        "updates": action.updates.select_related("author"),
        "source_escalation": source_escalation,
        "source_meeting": source_meeting,
    }
    return render(request, "actions/action_detail.html", context)


# Escalations


def _escalation_filters(params: QueryDict) -> dict[str, Any]:
    """``state``: "" (open, the default), "all" or one state; ``severity``, ``category``: one value; ``team``: an id."""
    return {
        "state": _choice(params.get("state"), ["all", *Escalation.State.values]),
        "severity": _choice(params.get("severity"), Escalation.Severity.values),
        "category": _choice(params.get("category"), Escalation.Category.values),
        "team": _int_or_none(params.get("team")),
    }


@require_GET
def escalations(request: HtmxHttpRequest) -> HttpResponse:
    """Escalations the user may see, newest first; confidential ones marked.

    Queries: role groups (1), team list (1), count and page (2).
    """
    user = request.user
    filters = _escalation_filters(request.GET)
    qs = access.escalations_for(user).select_related("raised_by", "team", "assignee")
    if filters["state"] == "":
        qs = qs.open()
    elif filters["state"] != "all":
        qs = qs.filter(state=filters["state"])
    if filters["severity"]:
        qs = qs.filter(severity=filters["severity"])
    if filters["category"]:
        qs = qs.filter(category=filters["category"])
    if filters["team"]:
        qs = qs.filter(team_id=filters["team"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for escalation in page:
        escalation.breached = escalation.sla_breached(now)
    context = {
        "page": page,
        "filters": filters,
        "state_choices": Escalation.State.choices,
        "severity_choices": Escalation.Severity.choices,
        "category_choices": Escalation.Category.choices,
        "teams": Team.objects.only("pk", "name"),
    }
    return _render_page_or_rows(request, "actions/escalations.html", context)


@require_GET
def escalation_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One escalation; a confidential one the user may not see is a 404 (never a 403)."""
    user = request.user
    escalation = get_object_or_404(
        access.escalations_for(user).select_related("raised_by", "team", "assignee", "routed_to"),
        pk=pk,
    )
    context = {
        "escalation": escalation,
        "breached": escalation.sla_breached(),
        "actions": access.actions_for(user)
        .filter(source_escalation=escalation)
        .select_related("owner"),
    }
    return render(request, "actions/escalation_detail.html", context)
