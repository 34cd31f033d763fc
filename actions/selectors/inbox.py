"""Reads for the escalation inbox, the escalation page, "My escalations" and "Raised to me".

Everything is fetched through ``cto_office.access.escalations_for``, so a
confidential escalation the user may not see is absent from every list, count
and search result. ``now`` is an aware datetime passed in by the caller. Each
function states its query count; none grows with the number of escalations.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from actions.models import Escalation, EscalationEvent
from actions.selectors.common import PAGE_SIZE, open_by_default
from cto_office import access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: How far ahead "SLA due soon" looks.
DUE_SOON = dt.timedelta(hours=24)


class EscalationFilters(TypedDict):
    """The inbox's filters (``actions.forms.EscalationFilterForm.filters``)."""

    state: str  # "" = any open state, "all", or one Escalation.State value
    severity: str  # "" = any
    category: str  # "" = any
    team: int | None
    assignee: int | None
    confidential: str  # "" = any, "yes", "no"
    sla: str  # "" = any, "breached", "due" (due within DUE_SOON, not breached)
    snoozed: str  # "" = hide snoozed (the inbox), "only", "include"
    q: str  # free text over key, title and description
    sort: str  # "" = newest first, "sla", "severity", "age" (oldest first)


#: Critical first: the severity order for sorting (the field holds text).
_SEVERITY_RANK = Case(
    *(When(severity=s, then=Value(i)) for i, s in enumerate(Escalation.Severity.values)),
    output_field=IntegerField(),
)
_ORDER = {
    "": ("-created_at", "-pk"),
    "sla": ("sla_due_at", "pk"),
    "severity": ("severity_rank", "sla_due_at", "pk"),
    "age": ("created_at", "pk"),
}


def _search(qs: QuerySet, text: str) -> QuerySet:
    """Key (``ESC-12`` or ``12``), or words in the title or description (each word must match)."""
    pk = Escalation.pk_from_key(text)
    if pk is not None:
        return qs.filter(pk=pk)
    for word in text.split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs


def filtered_escalations(
    *, user: User, filters: EscalationFilters, now: dt.datetime
) -> QuerySet[Escalation]:
    """The escalations ``user`` may see that match ``filters``, sorted (no query yet)."""
    qs = open_by_default(access.escalations_for(user), "state", filters["state"])
    for name in ("severity", "category"):
        if filters[name]:
            qs = qs.filter(**{name: filters[name]})
    if filters["team"]:
        qs = qs.filter(team_id=filters["team"])
    if filters["assignee"]:
        qs = qs.filter(assignee_id=filters["assignee"])
    if filters["confidential"]:
        qs = qs.filter(confidential=filters["confidential"] == "yes")
    if filters["sla"] == "breached":
        qs = qs.filter(Escalation.sla_breached_q(now))
    elif filters["sla"] == "due":
        qs = qs.filter(
            state=Escalation.State.NEW, sla_due_at__gte=now, sla_due_at__lt=now + DUE_SOON
        )
    if filters["snoozed"] == "":
        qs = qs.awake(now)
    elif filters["snoozed"] == "only":
        qs = qs.snoozed(now)
    if filters["q"].strip():
        qs = _search(qs, filters["q"])
    return qs.annotate(severity_rank=_SEVERITY_RANK).order_by(*_ORDER[filters["sort"]])


def mark_clocks(escalations: list[Escalation], now: dt.datetime) -> list[Escalation]:
    """Set ``breached``, ``snoozed``, ``sla_label`` (the SLA clock's words while it is still
    ``new``, else "") and ``age_label`` (time since raised, ``"3 d"``) on each escalation for
    ``now``; returns the list."""
    for escalation in escalations:
        escalation.age_label = Escalation.duration_words(
            (now - escalation.created_at).total_seconds()
        )
        escalation.sla_label = (
            Escalation.sla_clock(escalation.sla_due_at, now)
            if escalation.state == Escalation.State.NEW
            else ""
        )
        escalation.breached = escalation.sla_breached(now)
        escalation.snoozed = bool(escalation.snoozed_until and escalation.snoozed_until > now)
    return escalations


def escalation_list(
    *, user: User, filters: EscalationFilters, now: dt.datetime, page_number: str | int | None
) -> Page:
    """One page (``PAGE_SIZE`` rows) of the inbox: ``filtered_escalations`` with ``raised_by``,
    ``team`` and ``assignee`` loaded and ``breached``/``snoozed`` set for ``now``.

    Queries: role groups (1, cached on the user), the count and the page (2).
    """
    qs = filtered_escalations(user=user, filters=filters, now=now).select_related(
        "raised_by", "team", "assignee", "routed_to"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    page.object_list = mark_clocks(list(page.object_list), now)
    return page


def inbox_counts(*, user: User, now: dt.datetime) -> dict[str, int]:
    """The inbox's counters over what ``user`` may see: ``new`` (awake), ``breached`` (new past
    SLA) and ``raised_to_cto`` (1 query, one conditional aggregate)."""
    return access.escalations_for(user).aggregate(
        new=Count("pk", filter=Q(state=Escalation.State.NEW) & ~Q(snoozed_until__gt=now)),
        breached=Count("pk", filter=Escalation.sla_breached_q(now)),
        raised_to_cto=Count("pk", filter=Q(state=Escalation.State.RAISED_TO_CTO)),
    )


def escalation_detail(*, user: User, escalation: Escalation, now: dt.datetime) -> dict[str, Any]:
    """The rest of ``escalation``'s page: ``breached``, ``snoozed`` (at ``now``), its ``events``
    (with actors, oldest first), the ``actions`` made from it that ``user`` may see (with
    owners), the ``duplicates`` of it and the ``original`` it duplicates, if ``user`` may see them.

    Queries: events (1), actions (1, plus a team lead's team tree, 2, unless cached on the
    user), duplicates (1), original (0 or 1).
    """
    mark_clocks([escalation], now)
    visible = access.escalations_for(user)
    return {
        "breached": escalation.breached,
        "snoozed": escalation.snoozed,
        "events": escalation.events.select_related("actor").order_by("at", "pk"),
        "actions": access.actions_for(user)
        .filter(source_escalation=escalation)
        .select_related("owner"),
        "duplicates": list(visible.filter(duplicate_of=escalation).only("pk", "title", "state")),
        "original": visible.filter(pk=escalation.duplicate_of_id).first()
        if escalation.duplicate_of_id
        else None,
    }


def my_escalations(*, user: User, now: dt.datetime) -> list[Escalation]:
    """Every escalation ``user`` raised, newest first, with who has it and its history.

    The raiser may see each of them (``access.escalations_for``), and so their
    whole history. Queries: the escalations (1) and their events with actors (1).
    """
    events = EscalationEvent.objects.select_related("actor").order_by("at", "pk")
    return mark_clocks(
        list(
            Escalation.objects.filter(raised_by=user)
            .select_related("team", "assignee", "routed_to")
            .prefetch_related(Prefetch("events", queryset=events))
            .order_by("-created_at", "-pk")
        ),
        now,
    )


def raised_to(*, user: User, now: dt.datetime) -> list[Escalation]:
    """The escalations waiting for the CTO's decision (state ``raised_to_cto``) that ``user``
    may see, oldest raised first, with their events (2 queries)."""
    events = EscalationEvent.objects.select_related("actor").order_by("at", "pk")
    return mark_clocks(
        list(
            access.escalations_for(user)
            .filter(state=Escalation.State.RAISED_TO_CTO)
            .select_related("raised_by", "team", "agenda_item__meeting")
            .prefetch_related(Prefetch("events", queryset=events))
            .order_by("raised_to_cto_at", "pk")
        ),
        now,
    )
