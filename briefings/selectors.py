"""The weekly CTO briefing's data: ``briefing_snapshot`` assembles it, section by section.

``briefing_snapshot`` gathers everything the briefing shows for one ISO week
into a JSON-serialisable dict (dates as ISO strings, Decimals as floats), which
is stored on ``Briefing.snapshot`` and rendered by ``briefings/briefing.html``.
Each app gathers its own part by its own rules: the briefing's sections (OKRs,
tech debt and indicators, headcount and requisitions) live in
``briefings.sections``, actions and escalations in ``actions.selectors``,
decisions and meetings in ``cadence.selectors``.

The number of queries is fixed (see ``SNAPSHOT_QUERIES``): every section is
one or a few ``values()`` queries (window functions pick the latest snapshot
per team and the last check-ins per key result inside the database), and
per-team and per-owner figures are computed in Python from those rows. No
query runs per team, per key result or per meeting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from actions.selectors import briefing_actions_section, briefing_escalations_section
from briefings.models import Briefing
from briefings.sections.common import day_label
from briefings.sections.headcount import headcount_section
from briefings.sections.okrs import BEHIND_MARGIN, okrs_section, quietly_behind_reasons
from briefings.sections.tech_debt import tech_debt_section
from cadence.selectors import briefing_decisions_section, briefing_meetings_section
from cto_office.clock import IsoWeek, day_bounds, office_settings

__all__ = [
    "BEHIND_MARGIN",
    "LIST_LIMIT",
    "SNAPSHOT_QUERIES",
    "briefing_due_week",
    "briefing_snapshot",
    "quietly_behind_reasons",
]

#: Lists that could run to hundreds of rows at scale are cut to this many in
#: the document (the counts and per-team/per-owner tables always cover all).
LIST_LIMIT = 15
#: Queries ``briefing_snapshot`` runs, whatever the amount of data (tests pin it).
SNAPSHOT_QUERIES = 17

SNAPSHOT_VERSION = 1


def briefing_due_week(*, now: dt.datetime | None = None) -> IsoWeek | None:
    """The ISO week whose briefing should be generated now, or None (two queries).

    Due when, in the office's time zone, this week's ``briefing_weekday`` at
    ``briefing_hour`` has passed and no briefing for the week is in ``draft``
    or ``published`` state yet. A ``pending`` or ``failed`` one counts as not
    done, so the hourly tick also retries a run that died or failed.
    """
    office = office_settings()
    local_now = (now or timezone.now()).astimezone(office.tz)
    week = IsoWeek.of(local_now.date())
    due_at = dt.datetime.combine(
        week.day(office.briefing_weekday), dt.time(office.briefing_hour), tzinfo=office.tz
    )
    if local_now < due_at:
        return None
    done = Briefing.objects.filter(
        iso_year=week.year,
        iso_week=week.week,
        state__in=[Briefing.State.DRAFT, Briefing.State.PUBLISHED],
    ).exists()
    return None if done else week


def briefing_snapshot(*, week: IsoWeek, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the briefing for ISO ``week`` shows, as JSON-ready data.

    The week runs from Monday 00:00 to the next Monday 00:00 in the office's
    time zone (``OfficeSettings.time_zone``); "this week" events (actions
    completed, escalations opened or resolved, decisions) fall in that range.
    Point-in-time figures (overdue actions, open escalations, latest
    snapshots) are taken "as of" the end of the week, or now if the week has
    not ended yet (``today``, a date in the office's time zone, defaults to
    today). For a past week, open-at-the-time is reconstructed from
    ``completed_at`` and ``resolved_at``; a dropped action or a triaged
    escalation carries no time of the change, so those use today's state.

    The briefing's own sections come from ``briefings.sections``; actions and
    escalations from ``actions.selectors``, decisions and next week's meetings
    from ``cadence.selectors``: each app gathers its data by its own rules.

    Runs ``SNAPSHOT_QUERIES`` queries whatever the amount of data.
    """
    office = office_settings()  # 1
    tz = office.tz
    start, end = week.bounds(tz)
    monday, sunday = week.monday, week.sunday
    now = timezone.now()
    today = today or now.astimezone(tz).date()
    as_of_date = min(today, sunday)
    # The moment for point-in-time figures: now, or the end of as_of_date if that is earlier.
    as_of_dt = min(now, day_bounds(as_of_date, tz)[1])
    is_current = today <= sunday

    okrs = okrs_section(as_of=as_of_date, is_current=is_current, list_limit=LIST_LIMIT)  # 2
    debt = tech_debt_section(week_end=sunday)  # 3
    headcount = headcount_section(monday=monday, sunday=sunday)  # 3
    actions = briefing_actions_section(
        start=start, end=end, as_of=as_of_date, as_of_dt=as_of_dt, list_limit=LIST_LIMIT
    )  # 2
    escalations = briefing_escalations_section(
        start=start, end=end, as_of=as_of_dt, tz=tz, list_limit=LIST_LIMIT
    )  # 1
    decisions = briefing_decisions_section(week=week)  # 1
    meetings = briefing_meetings_section(week=week.next(), tz=tz)  # 4

    headline = {
        "key_results_behind": okrs["behind_count"],
        "key_results_total": okrs["total"],
        "overdue_actions": actions["overdue_count"],
        "oldest_overdue_days": actions["oldest_overdue_days"],
        "open_escalations": escalations["open_count"],
        "awaiting_cto": escalations["awaiting_cto_count"],
        "sla_breached": escalations["sla_breached_count"],
        "headcount_gap": headcount["totals"]["gap"],
        "headcount_filled": headcount["totals"]["filled"],
        "headcount_planned": headcount["totals"]["planned"],
        "debt_effort_days": debt["totals"]["effort_days"],
        "debt_effort_change": debt["totals"]["effort_change"],
    }
    return {
        "version": SNAPSHOT_VERSION,
        "week": {
            "iso_year": week.year,
            "iso_week": week.week,
            "label": week.label,
            "start": monday.isoformat(),
            "end": sunday.isoformat(),
            "range_label": _range_label(monday, sunday),
            "as_of": as_of_date.isoformat(),
            "as_of_label": f"{as_of_date:%A} {day_label(as_of_date)} {as_of_date.year}",
            "is_current": is_current,
            "time_zone": office.time_zone,
            "organisation": office.organisation_name,
        },
        "headline": headline,
        "okrs": okrs,
        "tech_debt": debt,
        "headcount": headcount,
        "actions": actions,
        "escalations": escalations,
        "decisions": decisions,
        "meetings": meetings,
    }


def _range_label(monday: dt.date, sunday: dt.date) -> str:
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B %Y}"
    if monday.year == sunday.year:
        return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B %Y}"
    return f"{monday.day} {monday:%B %Y} – {sunday.day} {sunday:%B %Y}"
