"""What every generator of the demo's quarter works from: the organisation, the clock, the dice.

Every date is relative to ``now`` in the office time zone (``OfficeSettings.tz``),
with the week rules of ``cto_office.clock`` (``monday_of``, ``start_of_day``),
so a demo seeded on any day has past and upcoming meetings, overdue actions
and a quarter in progress.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cached_property

from cto_office.clock import monday_of, start_of_day
from cto_office.demo.organisation import Organisation
from cto_office.models import OfficeSettings

WEEK = dt.timedelta(weeks=1)
#: Weekly snapshots and check-ins kept.
HISTORY_WEEKS = 12
#: Escalations raised and actions due longer ago than this are (nearly all) settled; only
#: ``LARGE``'s year of history reaches that far back.
SETTLED_AFTER = 10 * WEEK
#: Rows per statement of the demo's big bulk inserts (``seed_demo --scale large`` writes 60,000
#: action updates) and bulk updates, whose ``CASE`` per row makes PostgreSQL's work grow with
#: the square of the batch.
INSERT_BATCH = 2000
UPDATE_BATCH = 200


@dataclass(frozen=True)
class Scale:
    """How much activity the demo generates around the organisation.

    ``SMALL`` is the default demo (a quarter around today); ``LARGE`` is
    DESIGN.md §5's bar for ``seed_demo --scale large`` (a year of history).
    ``meetings_back`` and ``escalation_span`` are how far back meetings and
    escalations reach; ``actions``, when set, is the register's total size
    (manual actions fill up to it beside those from meetings, decisions and
    escalations), otherwise 90 manual and 30 imported ones; ``okr_quarters``
    counts the current OKR quarter and the ones before it; ``unit_series``
    gives every reporting unit its own recurring meetings.
    """

    name: str
    meetings_back: dt.timedelta
    escalations: int
    escalation_span: dt.timedelta
    actions: int | None = None
    imported_actions: int = 30
    okr_quarters: int = 1
    unit_series: bool = False


SMALL = Scale("small", meetings_back=8 * WEEK, escalations=60, escalation_span=8 * WEEK)
LARGE = Scale(
    "large",
    meetings_back=52 * WEEK,
    escalations=2000,
    escalation_span=52 * WEEK,
    actions=20_000,
    imported_actions=1_500,
    okr_quarters=4,
    unit_series=True,
)
SCALES = {scale.name: scale for scale in (SMALL, LARGE)}


@dataclass
class Context:
    """The organisation, the office settings, ``now`` (aware) and the random source.

    ``units`` are the reporting units (``organisation.reporting_units``). The
    orchestrator hands each section its own ``rng`` (see ``seed.generate_activity``).
    """

    org: Organisation
    office: OfficeSettings
    now: dt.datetime
    rng: random.Random
    units: list[str] = field(default_factory=list)
    scale: Scale = SMALL

    @property
    def tz(self):
        """The office's time zone."""
        return self.office.tz

    @property
    def today(self) -> dt.date:
        """Today in the office time zone."""
        return self.now.astimezone(self.tz).date()

    @property
    def this_monday(self) -> dt.date:
        """The Monday of today's ISO week."""
        return monday_of(self.today)

    def local(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """An aware datetime at a wall-clock time on ``day`` in the office time zone."""
        return start_of_day(day, self.tz).replace(hour=hour, minute=minute)

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The office's date of an aware datetime."""
        return moment.astimezone(self.tz).date()

    def user(self, person_id: str):
        """The user of a person id from the data file (``"cos"``: the Chief of Staff)."""
        return self.org.users[person_id]

    def team_name(self, slug: str) -> str:
        """The display name of team ``slug``."""
        return self.org.teams[slug].name

    @cached_property
    def _parents(self) -> dict[str, str | None]:
        return {t["slug"]: t["parent"] for t in self.org.data["teams"]}

    def unit_of(self, slug: str) -> str:
        """The reporting unit a team belongs to (itself, or its nearest ancestor that is a unit)."""
        parents = self._parents
        while slug and slug not in self.units:
            slug = parents[slug]
        return slug or "engineering"

    def fill(self, template: str, team: str) -> str:
        """``template`` with ``{team}`` (unit ``team``), a random ``{other}`` unit and ``{indicator}``."""
        others = [u for u in self.units if u != team]
        indicator = self.rng.choice(self.org.data["indicators"])["name"]
        return template.format(
            team=self.team_name(team),
            other=self.team_name(self.rng.choice(others)),
            indicator=indicator,
        )
