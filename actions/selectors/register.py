"""Reads for the action register, built for a fixed number of queries, through ``cto_office.access``.

"Today" is the office's day (``timezone.localdate()`` under ``OfficeTimeZoneMiddleware``),
passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.core.paginator import Page, Paginator

from actions.models import ActionItem
from actions.selectors.common import PAGE_SIZE, open_by_default
from cto_office import access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The owner filter's value for "the signed-in user".
ME = "me"


class ActionFilters(TypedDict):
    """The register's filters (``actions.forms.ActionFilterForm.filters``)."""

    status: str  # "" = any open status, "all", or one ActionItem.Status value
    team: int | None
    owner: int | Literal["me"] | None
    overdue: bool


def with_overdue_days(actions: Iterable[ActionItem], today: dt.date) -> list[ActionItem]:
    """The actions as a list, each with ``overdue_days`` set for ``today`` (0 when not overdue)."""
    actions = list(actions)
    for action in actions:
        action.overdue_days = action.days_overdue(today)
    return actions


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
    qs = open_by_default(
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
