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

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from actions.selectors import briefing_actions_section, briefing_escalations_section
from briefings.models import Briefing, KeyResult, KeyResultCheckIn, key_result_progress
from briefings.rules import BehindThresholds
from briefings.sections.common import day_label
from briefings.sections.headcount import headcount_section
from briefings.sections.okrs import KEY_RESULT_FIELDS, okrs_section
from briefings.sections.tech_debt import tech_debt_section
from cadence.selectors import briefing_decisions_section, briefing_meetings_section
from cto_office import access
from cto_office.clock import IsoWeek, day_bounds, monday_of, office_settings

__all__ = [
    "LIST_LIMIT",
    "SNAPSHOT_QUERIES",
    "briefing_auto_publish_due",
    "briefing_default_week",
    "briefing_due_week",
    "briefing_recipients",
    "briefing_week_on",
    "check_in_rows",
    "briefing_snapshot",
]

#: Lists that could run to hundreds of rows at scale are cut to this many in
#: the document (the counts and per-team/per-owner tables always cover all).
LIST_LIMIT = 15
#: Queries ``briefing_snapshot`` runs, whatever the amount of data (tests pin it).
SNAPSHOT_QUERIES = 18

SNAPSHOT_VERSION = 1


def briefing_recipients() -> list[tuple[str, bool]]:
    """Who gets the published briefing: ``[(address, is_cto), ...]``, CTOs first (two queries).

    Every active user in the CTO group with an e-mail address, then the
    addresses in ``OfficeSettings.briefing_recipients``; an address listed
    twice is one recipient (a CTO keeps the flag that brings the archive link).
    """
    ctos = (
        get_user_model()
        .objects.filter(groups__name=access.CTO, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients: dict[str, bool] = {email.strip().lower(): True for email in ctos}
    for address in office_settings().briefing_recipient_list:
        recipients.setdefault(address, False)
    return sorted(recipients.items(), key=lambda item: (not item[1], item[0]))


def briefing_week_on(day: dt.date, *, weekday: int) -> IsoWeek:
    """The week a briefing asked for on ``day`` (an office date) covers.

    On or after the briefing ``weekday`` (0 = Monday, ``OfficeSettings.briefing_weekday``)
    it is ``day``'s own week; before it, the last complete week: a Monday
    morning ``make run`` or a click on Tuesday, with a Friday briefing day,
    reports on the week that has just ended, not on one day of the new week.
    """
    week = IsoWeek.of(day)
    return week.previous() if day.weekday() < weekday else week


def briefing_default_week(*, today: dt.date | None = None) -> IsoWeek:
    """``briefing_week_on`` for today in the office's time zone (one query for the settings).

    What "this week's briefing" means to the generate button, the command and
    the task run without a week.
    """
    office = office_settings()
    day = today or timezone.now().astimezone(office.tz).date()
    return briefing_week_on(day, weekday=office.briefing_weekday)


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


def briefing_auto_publish_due(*, now: dt.datetime | None = None) -> Briefing | None:
    """The draft the schedule should publish now, or None (two queries).

    With ``OfficeSettings.briefing_auto_publish_hour`` set: from that hour of
    the briefing weekday (office time zone) to the end of the week, this
    week's briefing if it is still a draft. A published, failed or pending
    briefing is left to the Chief of Staff.
    """
    office = office_settings()
    if office.briefing_auto_publish_hour is None:
        return None
    local_now = (now or timezone.now()).astimezone(office.tz)
    week = IsoWeek.of(local_now.date())
    due_at = dt.datetime.combine(
        week.day(office.briefing_weekday),
        dt.time(office.briefing_auto_publish_hour),
        tzinfo=office.tz,
    )
    if local_now < due_at:
        return None
    return Briefing.objects.filter(
        iso_year=week.year, iso_week=week.week, state=Briefing.State.DRAFT
    ).first()


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

    okrs = okrs_section(
        as_of=as_of_date,
        is_current=is_current,
        list_limit=LIST_LIMIT,
        thresholds=BehindThresholds.from_office(office),
    )  # 2
    debt = tech_debt_section(week_end=sunday)  # 4
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
        "key_results_off_track": okrs["off_track_count"],
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


def check_in_rows(*, key_results: QuerySet[KeyResult], today: dt.date) -> list[dict[str, Any]]:
    """The check-ins page's rows: ``key_results`` (already scoped by ``access``) whose period
    contains ``today`` (an office date), with their latest check-in (two queries).

    Each row: ``pk``, ``title``, ``team``, ``objective``, ``quarter``, ``unit``,
    ``start``, ``target``, ``value`` (current), ``progress`` (0–1), ``confidence``
    (latest, or None), ``last_date``, ``last_note`` and ``due``: no check-in
    yet in ``today``'s ISO week (the weekly reminder's rule).
    """
    rows = list(
        key_results.filter(objective__period_start__lte=today, objective__period_end__gte=today)
        .order_by("team__name", "objective_id", "pk")
        .values(*KEY_RESULT_FIELDS)
    )
    latest = {
        c["key_result_id"]: c
        for c in KeyResultCheckIn.objects.filter(key_result__in=[r["pk"] for r in rows])
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("key_result_id")],
                order_by=[F("date").desc(), F("pk").desc()],
            )
        )
        .filter(rn=1)
        .values("key_result_id", "date", "confidence", "note")
    }
    monday = monday_of(today)
    out = []
    for r in rows:
        last = latest.get(r["pk"])
        out.append(
            {
                "pk": r["pk"],
                "title": r["title"],
                "team": r["team__name"],
                "objective": r["objective__title"],
                "quarter": r["objective__quarter"],
                "unit": r["unit"],
                "start": r["start_value"],
                "target": r["target_value"],
                "value": r["current_value"],
                "progress": key_result_progress(
                    start=r["start_value"], target=r["target_value"], value=r["current_value"]
                ),
                "confidence": last["confidence"] if last else None,
                "last_date": last["date"] if last else None,
                "last_note": last["note"] if last else "",
                "due": not last or last["date"] < monday,
            }
        )
    return out


def _range_label(monday: dt.date, sunday: dt.date) -> str:
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B %Y}"
    if monday.year == sunday.year:
        return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B %Y}"
    return f"{monday.day} {monday:%B %Y} – {sunday.day} {sunday:%B %Y}"
