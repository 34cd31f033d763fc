"""The home page's reads ("My week") per role: the composition layer gathering from every app.

The office's clock (weeks, start of a day) is ``cto_office.clock``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from actions.models import ActionItem, Escalation
from actions.selectors import with_overdue_days
from briefings.models import Briefing
from cadence.models import Decision, Meeting, PreRead
from cto_office import access
from cto_office.clock import IsoWeek, monday_of, start_of_day

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The home page's "my actions" reach this many days ahead of today.
DUE_SOON_DAYS = 7
#: Every list on the home page is cut to this many rows.
LIST_LIMIT = 20


# Home ("My week") ---------------------------------------------------------------


def home_for(*, user: User, now: dt.datetime) -> dict[str, Any]:
    """Everything the home page shows ``user``, as the template's context.

    ``now`` is the current time in the office's time zone (``timezone.localtime()`` in a request):
    "today" is ``now.date()`` and the weeks run from Monday 00:00 in
    ``now.tzinfo``. Keys: ``now``, ``today``; everyone's panels
    (``my_meetings``, ``my_actions`` with ``overdue_days`` set on each,
    ``my_overdue_count``, ``pre_reads``, ``my_escalations``); and ``cos``,
    ``cto``, ``lead``: one dict per role the user holds (see the helpers below).

    Queries, whatever the amount of data (every list is sliced, every count is
    one aggregate): role groups (1, cached on the user); everyone's panels (4);
    Chief of Staff +3; CTO +4; team lead +5 (the led team tree, 2, is read
    once: ``access.led_team_ids`` caches it on the user).
    """
    today = now.date()
    # One scoped queryset for every action count and list.
    visible_actions = access.actions_for(user)
    context: dict[str, Any] = {
        "now": now,
        "today": today,
        **_everyone(user, visible_actions, now),
    }
    if access.is_chief_of_staff(user):
        context["cos"] = _chief_of_staff(user, visible_actions, now)
    if access.is_cto(user):
        context["cto"] = _cto(user, visible_actions, today)
    if access.is_team_lead(user):
        context["lead"] = _team_lead(user, visible_actions, today)
    return context


def _everyone(
    user: User, visible_actions: QuerySet[ActionItem], now: dt.datetime
) -> dict[str, Any]:
    """What every signed-in person sees: their meetings this week and next, their actions
    overdue or due within ``DUE_SOON_DAYS``, unread pre-reads, escalations they raised.
    Four queries."""
    today, tz = now.date(), now.tzinfo
    monday = monday_of(today)
    # Midnights per date (``start_of_day``), so a daylight-saving change inside the
    # fortnight is the zone's business.
    week_start = start_of_day(monday, tz)
    fortnight_end = start_of_day(monday + dt.timedelta(days=14), tz)
    my_meetings = (
        access.meetings_for(user)
        .filter(attendees=user, start__gte=week_start, start__lt=fortnight_end)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("start")[:LIST_LIMIT]
    )
    my_actions = with_overdue_days(
        visible_actions.filter(owner=user)
        .open()
        .filter(due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("team")
        .order_by("due_date", "priority", "pk")[:LIST_LIMIT],
        today,
    )
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
    user: User, visible_actions: QuerySet[ActionItem], now: dt.datetime
) -> dict[str, Any]:
    """The CoS's dashboard: ``inbox`` and ``register`` counts, this ``week`` (an ``IsoWeek``:
    the page links its briefing by it) and that week's ``briefing`` (or None). Three queries."""
    today = now.date()
    inbox = access.escalations_for(user).aggregate(
        new=Count("pk", filter=Q(state=Escalation.State.NEW)),
        breached=Count("pk", filter=Escalation.sla_breached_q(now)),
        raised_to_cto=Count("pk", filter=Q(state=Escalation.State.RAISED_TO_CTO)),
        confidential=Count("pk", filter=Q(confidential=True, state__in=Escalation.OPEN_STATES)),
    )
    register = visible_actions.aggregate(
        open=Count("pk", filter=Q(status__in=ActionItem.OPEN_STATUSES)),
        overdue=Count("pk", filter=ActionItem.overdue_q(today)),
        blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
    )
    week = IsoWeek.of(today)
    briefing = access.briefings_for(user).filter(iso_year=week.year, iso_week=week.week).first()
    return {"inbox": inbox, "register": register, "briefing": briefing, "week": week}


def _cto(user: User, visible_actions: QuerySet[ActionItem], today: dt.date) -> dict[str, Any]:
    """The CTO's view: escalations ``raised_to_me``, this week's ``decisions``, the
    ``overdue_count`` and the ``latest_briefing`` published. Four queries."""
    week = IsoWeek.of(today)
    return {
        "raised_to_me": access.escalations_for(user)
        .filter(state=Escalation.State.RAISED_TO_CTO)
        .select_related("raised_by", "team")
        .order_by("raised_to_cto_at", "pk")[:LIST_LIMIT],
        "decisions": Decision.objects.filter(
            meeting__in=access.meetings_for(user).values("pk"),
            decided_on__gte=week.monday,
            decided_on__lte=week.sunday,
        )
        .select_related("meeting")
        .order_by("-decided_on", "-pk")[:LIST_LIMIT],
        "overdue_count": visible_actions.overdue(today).count(),
        "latest_briefing": access.briefings_for(user)
        .filter(state=Briefing.State.PUBLISHED)
        .first(),
    }


def _team_lead(user: User, visible_actions: QuerySet[ActionItem], today: dt.date) -> dict[str, Any]:
    """A team lead's view of the teams they lead (and those below): ``counts`` of overdue and
    blocked actions, the ``actions`` needing attention, open ``escalations`` about those teams.
    Three queries (the team tree is already cached on the user by ``access.actions_for``)."""
    team_ids = access.led_team_ids(user)
    team_actions = visible_actions.filter(team__in=team_ids).open()
    counts = team_actions.aggregate(
        overdue=Count("pk", filter=ActionItem.overdue_q(today)),
        blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
    )
    needing_attention = with_overdue_days(
        team_actions.filter(ActionItem.overdue_q(today) | Q(status=ActionItem.Status.BLOCKED))
        .select_related("owner", "team")
        .order_by("due_date", "priority", "pk")[:LIST_LIMIT],
        today,
    )
    return {
        "counts": counts,
        "actions": needing_attention,
        "escalations": access.escalations_for(user)
        .open()
        .filter(team__in=team_ids)
        .select_related("team")
        .order_by("-created_at", "-pk")[:LIST_LIMIT],
    }
