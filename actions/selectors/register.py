"""Reads for the action register, built for a fixed number of queries, through ``cto_office.access``.

"Today" is the office's day (``timezone.localdate()`` under ``OfficeTimeZoneMiddleware``),
passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from actions.models import ActionItem, ChaseNotice
from actions.selectors.common import PAGE_SIZE, open_by_default
from cto_office import access
from cto_office.clock import monday_of
from cto_office.models import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The owner filter's value for "the signed-in user".
ME = "me"
#: The owner filter's value for "the teams I lead" (a team lead's "My team's actions").
MY_TEAMS = "teams"

#: How far ahead the "next 14 days" due window looks, in days from today (inclusive).
SOON_DAYS = 14

#: The register's sort orders: value -> (label, ORDER BY). Every order ends on the key, so
#: pages never repeat or skip a row.
SORTS: dict[str, tuple[str, tuple]] = {
    "": ("Due date", ("due_date", "priority", "pk")),
    "-due": ("Due last", (F("due_date").desc(), "priority", "pk")),
    "priority": ("Priority", ("priority", "due_date", "pk")),
    "slips": ("Most slipped", (F("slip_count").desc(), "due_date", "pk")),
    "updated": ("Recently updated", (F("updated_at").desc(), "pk")),
    "owner": ("Owner", ("owner__last_name", "owner__first_name", "due_date", "pk")),
}

DueWindow = Literal["", "overdue", "week", "soon"]


class ActionFilters(TypedDict):
    """The register's filters (``actions.forms.ActionFilterForm.filters``), all from the URL."""

    status: str  # "" = any open status, "all", or one ActionItem.Status value
    team: int | None  # the team and every team below it
    owner: int | Literal["me", "teams"] | None
    due: DueWindow  # "overdue", "week" (this ISO week), "soon" (today to SOON_DAYS ahead)
    source: str  # "" or one ActionSource value
    slipped: int | None  # at least this many slips
    sort: str  # a key of SORTS


def with_overdue_days(actions: Iterable[ActionItem], today: dt.date) -> list[ActionItem]:
    """The actions as a list, each with ``overdue_days`` set for ``today`` (0 when not overdue)."""
    actions = list(actions)
    for action in actions:
        action.overdue_days = action.days_overdue(today)
    return actions


def filtered_actions(*, user: User, filters: ActionFilters, today: dt.date) -> QuerySet[ActionItem]:
    """The actions ``user`` may see that match ``filters``, sorted, with ``owner`` and ``team``
    joined and annotated with ``slip_count``, ``original_due_date`` (``with_due_history``) and
    ``last_chased`` (the latest ``ChaseNotice.sent_on``, an office date, or None): one query
    when evaluated, whatever the number of rows. The register's page and its CSV export both
    read this, so the export holds exactly the rows the filters show.

    Queries before evaluation: role groups (1, cached on the user), a team lead's team tree
    (2, cached), the filtered team's subtree (1 when a team is filtered).
    """
    last_chased = ChaseNotice.objects.filter(action=OuterRef("pk")).order_by().values("action")
    qs = (
        access.actions_for(user)
        .select_related("owner", "team")
        .with_due_history()
        .annotate(last_chased=Subquery(last_chased.annotate(at=Max("sent_on")).values("at")[:1]))
    )
    qs = open_by_default(qs, "status", filters["status"])
    if filters["team"]:
        qs = qs.filter(team_id__in=access.teams_below([filters["team"]]))
    if filters["owner"] == ME:
        qs = qs.filter(owner=user)
    elif filters["owner"] == MY_TEAMS:
        qs = qs.filter(team_id__in=access.led_team_ids(user))
    elif filters["owner"]:
        qs = qs.filter(owner_id=filters["owner"])
    if filters["due"] == "overdue":
        qs = qs.overdue(today)
    elif filters["due"] == "week":
        monday = monday_of(today)
        qs = qs.filter(due_date__range=(monday, monday + dt.timedelta(days=6)))
    elif filters["due"] == "soon":
        qs = qs.filter(due_date__range=(today, today + dt.timedelta(days=SOON_DAYS)))
    if filters["source"]:
        qs = qs.filter(source=filters["source"])
    if filters["slipped"]:
        qs = qs.filter(slip_count__gte=filters["slipped"])
    return qs.order_by(*SORTS.get(filters["sort"], SORTS[""])[1])


def action_register(
    *, user: User, filters: ActionFilters, today: dt.date, page_number: str | int | None
) -> Page:
    """One page (``PAGE_SIZE`` rows) of ``filtered_actions``.

    Each action on the page has ``owner`` and ``team`` loaded, the annotations of
    ``filtered_actions`` and ``overdue_days`` set for ``today`` (a date in the office's
    time zone). A page number that is not a number or out of range gives the first or
    last page (``Paginator.get_page``).

    Queries: those of ``filtered_actions``, then the count and the page (2).
    """
    qs = filtered_actions(user=user, filters=filters, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    page.object_list = with_overdue_days(page.object_list, today)
    return page


def register_counts(*, user: User, today: dt.date) -> dict[str, int]:
    """The register's header counts over everything ``user`` may see (not the filters):
    ``open``, ``overdue``, ``week`` (open, due this ISO week), ``blocked``. One query."""
    monday = monday_of(today)
    return access.actions_for(user).aggregate(
        open=Count("pk", filter=Q(status__in=ActionItem.OPEN_STATUSES)),
        overdue=Count("pk", filter=ActionItem.overdue_q(today)),
        week=Count(
            "pk",
            filter=Q(
                status__in=ActionItem.OPEN_STATUSES,
                due_date__range=(monday, monday + dt.timedelta(days=6)),
            ),
        ),
        blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
    )


#: The CSV export's columns, in order: (header, how to read it from an annotated action).
EXPORT_COLUMNS: tuple[tuple[str, object], ...] = (
    ("key", lambda a: a.key),
    ("title", lambda a: a.title),
    ("owner", lambda a: person_name(a.owner)),
    ("team", lambda a: a.team.name if a.team else ""),
    ("status", lambda a: a.get_status_display()),
    ("priority", lambda a: a.get_priority_display()),
    ("due_date", lambda a: a.due_date.isoformat()),
    ("original_due_date", lambda a: a.original_due_date.isoformat()),
    ("slips", lambda a: a.slip_count),
    ("days_overdue", lambda a: a.overdue_days),
    ("last_chased", lambda a: a.last_chased.isoformat() if a.last_chased else ""),
    ("source", lambda a: a.get_source_display()),
    ("created", lambda a: a.created_on.isoformat()),
    ("completed", lambda a: a.completed_on.isoformat() if a.completed_on else ""),
)


def export_rows(
    *, user: User, filters: ActionFilters, today: dt.date, tz: dt.tzinfo
) -> Iterator[list[object]]:
    """The CSV export: a header row, then one row per action of ``filtered_actions`` (every
    page, streamed in chunks of 500 with ``iterator``: one query per chunk, not per row).
    Dates are ISO 8601 dates in ``tz`` (the office's: a streamed response is read after the
    middleware has ended its time-zone override, so the caller passes it); people by
    ``person_name``."""
    yield [header for header, _ in EXPORT_COLUMNS]
    for action in filtered_actions(user=user, filters=filters, today=today).iterator(500):
        action.overdue_days = action.days_overdue(today)
        action.created_on = timezone.localdate(action.created_at, tz)
        action.completed_on = action.completed_at and timezone.localdate(action.completed_at, tz)
        yield [read(action) for _, read in EXPORT_COLUMNS]
