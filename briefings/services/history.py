"""Past weeks for an archive that starts today: their snapshots recorded, nothing sent.

A new office (and the demo) has no stored briefings, so its first briefing
would have no "what changed" page (it compares with the previous week's
stored snapshot, ``briefing_changes``) and its week-by-week chart no history.
``briefing_record_past_weeks`` gathers the snapshots of the weeks before a
week, oldest first, each compared with the one before it as the weekly job
would have done, and stores each as a published briefing without a PDF and
without e-mails: the archive shows them in the browser, and next week's
briefing has something to compare with.

A past week's figures are reconstructed from today's rows, with the caveats
of ``briefing_snapshot`` (a dropped action or a triaged escalation carries no
time of the change, so it reads as it is today).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefings.models import Briefing
from briefings.services import briefing_gather
from cto_office.clock import IsoWeek, office_settings

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["briefing_record_past_weeks"]


def briefing_record_past_weeks(
    *, before: IsoWeek, weeks: int, by: User | None, today: dt.date | None = None
) -> list[Briefing]:
    """Record the ``weeks`` ISO weeks before ``before`` that have no briefing; return the new rows.

    Oldest first, so each week's ``changes`` compare with the week recorded
    just before it. Each row is ``published`` by ``by`` (None: the schedule)
    at the office's briefing weekday and hour of its week (office time zone),
    with its snapshot and no HTML, PDF or deliveries: the page renders it from
    the snapshot. A week that has a briefing already is left as it is.
    ``today`` (an office date, default today) is passed to ``briefing_snapshot``.
    ``SNAPSHOT_QUERIES`` + 4 queries per week recorded; one row written per week,
    each in its own statement (no transaction spans the weeks).
    """
    office = office_settings()
    week = IsoWeek.of(before.monday - dt.timedelta(weeks=weeks))
    recorded = []
    for _ in range(weeks):
        if not Briefing.objects.filter(iso_year=week.year, iso_week=week.week).exists():
            snapshot = briefing_gather(week=week, today=today)
            at = dt.datetime.combine(
                week.day(office.briefing_weekday), dt.time(office.briefing_hour), tzinfo=office.tz
            )
            recorded.append(
                Briefing.objects.create(
                    iso_year=week.year,
                    iso_week=week.week,
                    state=Briefing.State.PUBLISHED,
                    snapshot=snapshot,
                    generated_at=at,
                    published_at=at,
                    published_by=by,
                )
            )
        week = week.next()
    return recorded
