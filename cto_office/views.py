"""Project-level pages: the home page ("My week"), per role.

Everything the page shows is fetched through ``cto_office.access``. The page
runs a fixed number of queries whatever the size of the data (every list is
sliced; counts are single aggregates): see ``home``'s docstring.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.models import ActionItem, Escalation
from briefings.models import Briefing
from cadence.models import Decision, Meeting, PreRead
from cto_office import access

DUE_SOON_DAYS = 7
LIST_LIMIT = 20


def _week_bounds(today: dt.date) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """Monday of this week, and the aware start of this week and of the week after next."""
    monday = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=14), dt.time.min))
    return monday, start, end


def _everyone(user: AbstractBaseUser, visible_actions, today: dt.date) -> dict[str, Any]:
    """What every signed-in person sees: their meetings, actions, pre-reads and escalations. Four queries."""
    _, week_start, fortnight_end = _week_bounds(today)
    my_meetings = (
        access.meetings_for(user)
        .filter(attendees=user, start__gte=week_start, start__lt=fortnight_end)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("start")[:LIST_LIMIT]
    )
    my_actions = list(
        visible_actions.filter(owner=user)
        .open()
        .filter(due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("team")
        .order_by("due_date", "priority", "pk")[:LIST_LIMIT]
    )
    for action in my_actions:
        action.overdue_days = action.days_overdue(today)
    # Pre-reads of meetings I attend that have not started yet, which I have not acknowledged.
    pre_reads = (
        PreRead.objects.filter(
            meeting__in=access.meetings_for(user).filter(attendees=user).upcoming().values("pk")
        )
        .exclude(acknowledgements__user=user)
        .select_related("meeting")
        .order_by("due_by", "pk")[:LIST_LIMIT]
    )
    my_escalations = (
        access.escalations_for(user)
        .filter(raised_by=user)
        .select_related("team")
        .order_by("-created_at", "-pk")[:10]
    )
    return {
        "my_meetings": my_meetings,
        "my_actions": my_actions,
        "my_overdue_count": sum(1 for a in my_actions if a.overdue_days),
        "pre_reads": pre_reads,
        "my_escalations": my_escalations,
    }


def _chief_of_staff(
    user: AbstractBaseUser, visible_actions, today: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """The CoS's dashboard: inbox and register counts, this week's briefing. Three queries."""
    inbox = access.escalations_for(user).aggregate(
        new=Count("pk", filter=Q(state=Escalation.State.NEW)),
        breached=Count("pk", filter=Q(state=Escalation.State.NEW, sla_due_at__lt=now)),
        raised_to_cto=Count("pk", filter=Q(state=Escalation.State.RAISED_TO_CTO)),
        confidential=Count("pk", filter=Q(confidential=True, state__in=Escalation.OPEN_STATES)),
    )
    register = visible_actions.aggregate(
        open=Count("pk", filter=Q(status__in=ActionItem.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=ActionItem.OPEN_STATUSES, due_date__lt=today)),
        blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
    )
    iso = today.isocalendar()
    briefing = access.briefings_for(user).filter(iso_year=iso.year, iso_week=iso.week).first()
    return {
        "inbox": inbox,
        "register": register,
        "briefing": briefing,
        "iso_year": iso.year,
        "iso_week": iso.week,
    }


def _cto(user: AbstractBaseUser, visible_actions, today: dt.date) -> dict[str, Any]:
    """The CTO's view: escalations raised to them, this week's decisions, overdue count,
    the latest published briefing. Four queries."""
    monday, _, _ = _week_bounds(today)
    return {
        "raised_to_me": access.escalations_for(user)
        .filter(state=Escalation.State.RAISED_TO_CTO)
        .select_related("raised_by", "team")
        .order_by("raised_to_cto_at", "pk")[:LIST_LIMIT],
        "decisions": Decision.objects.filter(
            meeting__in=access.meetings_for(user).values("pk"),
            decided_on__gte=monday,
            decided_on__lte=monday + dt.timedelta(days=6),
        )
        .select_related("meeting")
        .order_by("-decided_on", "-pk")[:LIST_LIMIT],
        "overdue_count": visible_actions.overdue(today).count(),
        "latest_briefing": access.briefings_for(user)
        .filter(state=Briefing.State.PUBLISHED)
        .first(),
    }


def _team_lead(user: AbstractBaseUser, visible_actions, today: dt.date) -> dict[str, Any]:
    """A team lead's view of the teams they lead (and those below): overdue and blocked
    actions, open escalations about those teams. Five queries (two for the team tree)."""
    team_ids = access.led_team_ids(user)
    attention = Q(due_date__lt=today) | Q(status=ActionItem.Status.BLOCKED)
    team_actions = visible_actions.filter(team__in=team_ids).open()
    counts = team_actions.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
    )
    needing_attention = list(
        team_actions.filter(attention)
        .select_related("owner", "team")
        .order_by("due_date", "priority", "pk")[:LIST_LIMIT]
    )
    for action in needing_attention:
        action.overdue_days = action.days_overdue(today)
    return {
        "counts": counts,
        "actions": needing_attention,
        "escalations": access.escalations_for(user)
        .open()
        .filter(team__in=team_ids)
        .select_related("team")
        .order_by("-created_at", "-pk")[:LIST_LIMIT],
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My week, per role.

    Queries (fixed, whatever the data): session, user and role groups (3);
    everyone's panels (4); Chief of Staff +3; CTO +4; team lead +7 (the led
    team tree is read twice: once inside ``access.actions_for``, once here).
    """
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    # One scoped queryset for every action count and list (for a team lead,
    # access.actions_for reads the team tree once, here).
    visible_actions = access.actions_for(user)
    context: dict[str, Any] = {
        "now": now,
        "today": today,
        **_everyone(user, visible_actions, today),
    }
    if access.is_chief_of_staff(user):
        context["cos"] = _chief_of_staff(user, visible_actions, today, now)
    if access.is_cto(user):
        context["cto"] = _cto(user, visible_actions, today)
    if access.is_team_lead(user):
        context["lead"] = _team_lead(user, visible_actions, today)
    return render(request, "home.html", context)
