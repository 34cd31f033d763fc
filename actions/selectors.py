"""Reads for the action register and the escalation inbox, each built for a fixed number of queries.

Everything is fetched through ``cto_office.access``, which alone decides what a
user may see. "Today" is the office's day (``timezone.localdate()`` under
``OfficeTimeZoneMiddleware``),
passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from actions.models import ActionItem, Escalation
from cto_office import access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 50
#: The owner filter's value for "the signed-in user".
ME = "me"


class ActionFilters(TypedDict):
    """The register's filters (``actions.forms.ActionFilterForm.filters``)."""

    status: str  # "" = any open status, "all", or one ActionItem.Status value
    team: int | None
    owner: int | Literal["me"] | None
    overdue: bool


class EscalationFilters(TypedDict):
    """The inbox's filters (``actions.forms.EscalationFilterForm.filters``)."""

    state: str  # "" = any open state, "all", or one Escalation.State value
    severity: str  # "" = any
    category: str  # "" = any
    team: int | None


def with_overdue_days(actions: Iterable[ActionItem], today: dt.date) -> list[ActionItem]:
    """The actions as a list, each with ``overdue_days`` set for ``today`` (0 when not overdue)."""
    actions = list(actions)
    for action in actions:
        action.overdue_days = action.days_overdue(today)
    return actions


def _open_by_default(qs: QuerySet, field: str, value: str) -> QuerySet:
    """The list filter on a status-like ``field``: "" means the open ones (the lists' default),
    "all" means every one, anything else that one value."""
    if value == "":
        return qs.open()
    return qs if value == "all" else qs.filter(**{field: value})


# Action register


def action_register(
    *, user: User, filters: ActionFilters, today: dt.date, page_number: str | int | None
) -> Page:
    """One page (``PAGE_SIZE`` rows) of the actions ``user`` may see, filtered.

    Each action on the page has ``owner`` and ``team`` loaded and
    ``overdue_days`` set for ``today`` (a date in the office's time zone). A
    page number that is not a number or out of range gives the first or last
    page (``Paginator.get_page``).

    Queries: role groups (1, cached on the user), a team lead's team tree (2),
    the count and the page (2).
    """
    qs = _open_by_default(
        access.actions_for(user).select_related("owner", "team"), "status", filters["status"]
    )
    if filters["team"]:
        qs = qs.filter(team_id=filters["team"])
    if filters["owner"] == ME:
        qs = qs.filter(owner=user)
    elif filters["owner"]:
        qs = qs.filter(owner_id=filters["owner"])
    if filters["overdue"]:
        qs = qs.overdue(today)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    page.object_list = with_overdue_days(page.object_list, today)
    return page


def action_detail(*, user: User, action: ActionItem, today: dt.date) -> dict[str, Any]:
    """The rest of ``action``'s page: ``overdue_days`` on ``today``, its ``updates`` (with
    authors), and its ``source_escalation`` and ``source_meeting``, each only if ``user`` may
    see it too (a confidential escalation's title must not leak through an action made from
    it), else None.

    Queries: source escalation (0 or 1), source meeting (0 or 1), updates (1).
    """
    source_escalation = None
    if action.source_escalation_id:
        source_escalation = (
            access.escalations_for(user).filter(pk=action.source_escalation_id).first()
        )
    source_meeting = None
    if action.source_meeting_id:
        source_meeting = access.meetings_for(user).filter(pk=action.source_meeting_id).first()
    return {
        "overdue_days": action.days_overdue(today),
        "updates": action.updates.select_related("author"),
        "source_escalation": source_escalation,
        "source_meeting": source_meeting,
    }


# Escalations


def escalation_list(
    *, user: User, filters: EscalationFilters, now: dt.datetime, page_number: str | int | None
) -> Page:
    """One page (``PAGE_SIZE`` rows) of the escalations ``user`` may see, newest first, filtered.

    Each escalation has ``raised_by``, ``team`` and ``assignee`` loaded and
    ``breached`` set (still new past its SLA at ``now``).

    Queries: role groups (1, cached on the user), the count and the page (2).
    """
    qs = _open_by_default(
        access.escalations_for(user).select_related("raised_by", "team", "assignee"),
        "state",
        filters["state"],
    )
    if filters["severity"]:
        qs = qs.filter(severity=filters["severity"])
    if filters["category"]:
        qs = qs.filter(category=filters["category"])
    if filters["team"]:
        qs = qs.filter(team_id=filters["team"])
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    for escalation in page:
        escalation.breached = escalation.sla_breached(now)
    return page


def escalation_detail(*, user: User, escalation: Escalation, now: dt.datetime) -> dict[str, Any]:
    """The rest of ``escalation``'s page: ``breached`` (its SLA at ``now``) and the ``actions``
    made from it that ``user`` may see (with owners).

    Queries: the actions (1), plus a team lead's team tree (2) unless already read for this
    user object (``access.led_team_ids`` caches it).
    """
    return {
        "breached": escalation.sla_breached(now),
        "actions": access.actions_for(user)
        .filter(source_escalation=escalation)
        .select_related("owner"),
    }
