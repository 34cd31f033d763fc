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

from cto_office.clock import monday_of, start_of_day
from cto_office.demo.organisation import Organisation
from cto_office.models import OfficeSettings

WEEK = dt.timedelta(weeks=1)
#: Weekly snapshots and check-ins kept.
HISTORY_WEEKS = 12


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

    def unit_of(self, slug: str) -> str:
        """The reporting unit a team belongs to (itself, or its nearest ancestor that is a unit)."""
        parents = {t["slug"]: t["parent"] for t in self.org.data["teams"]}
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
