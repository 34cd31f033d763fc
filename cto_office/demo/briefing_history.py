"""The briefing archive's past weeks: the weeks before the first briefing, recorded from the demo's data.

Without them the first briefing a fresh clone generates (``make run``) would
say "no briefing to compare with" and draw no week-by-week chart. The weeks
are recorded by ``briefings.services.history.briefing_record_past_weeks``:
published by the Chief of Staff, in the browser only (no PDF, nothing mailed).
"""

from __future__ import annotations

from briefings.selectors import briefing_week_on
from briefings.services import HISTORY_WEEKS
from briefings.services.history import briefing_record_past_weeks
from cto_office.demo.context import Context


def seed_briefing_history(ctx: Context) -> int:
    """Record the ``HISTORY_WEEKS - 1`` weeks before the week ``make run`` generates; return how many.

    The week generated is ``briefing_week_on`` the demo's today, so its chart
    has ``HISTORY_WEEKS`` points (the recorded weeks and its own).
    """
    first = briefing_week_on(ctx.today, weekday=ctx.office.briefing_weekday)
    recorded = briefing_record_past_weeks(
        before=first, weeks=HISTORY_WEEKS - 1, by=ctx.user("cos"), today=ctx.today
    )
    return len(recorded)
