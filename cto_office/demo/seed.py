"""Seed the demo: the organisation from the data file, then a quarter of activity around "today".

``seed_demo`` is what ``manage.py seed_demo`` runs. It is idempotent: when the
demo organisation already exists it creates nothing. Everything generated
comes from one ``random.Random(SEED)``, and each section draws from its own
child generator, so the same ``now`` gives the same rows. The sections, in
order: the organisation (``organisation``), indicators and requisitions
(``snapshots``), meetings (``series``, ``meetings``), escalations, actions
and chase notices (``actions``), OKRs (``okrs``), weekly snapshots.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation
from briefings.models import (
    HeadcountSnapshot,
    HealthIndicator,
    KeyResult,
    KeyResultCheckIn,
    Objective,
    Requisition,
    TechDebtSnapshot,
)
from cadence.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    PreRead,
    PreReadAcknowledgement,
)
from cto_office.demo.actions import seed_actions, seed_chase_notices
from cto_office.demo.briefing_history import seed_briefing_history
from cto_office.demo.cadence_extras import seed_cadence_extras
from cto_office.demo.context import SMALL, Context, Scale
from cto_office.demo.escalation_history import seed_escalation_history
from cto_office.demo.escalations import seed_escalations
from cto_office.demo.large.organisation import scale_organisation
from cto_office.demo.loader import demo_login_people, load_data
from cto_office.demo.meetings import seed_meetings
from cto_office.demo.okrs import seed_okrs
from cto_office.demo.organisation import (
    Organisation,
    demo_organisation_exists,
    load_organisation,
    reporting_units,
)
from cto_office.demo.snapshots import (
    seed_indicators,
    seed_requisitions,
    seed_snapshots,
)
from cto_office.models import Membership, OfficeSettings, Team

#: The random seed of everything generated; the same day gives the same data.
SEED = 2026

#: The demo's office name, set when the settings still have the default one.
ORGANISATION_NAME = "Engineering (demo, from GitLab's handbook)"

#: The sections that draw their own child random generator, in drawing order.
SECTIONS = (
    "requisitions",
    "meetings",
    "escalations",
    "actions",
    "chase",
    "okrs",
    "snapshots",
    "escalation_history",
    "cadence",
)

MODELS_COUNTED = (
    Team,
    Membership,
    MeetingSeries,
    Meeting,
    AgendaItem,
    PreRead,
    PreReadAcknowledgement,
    Decision,
    ActionItem,
    ActionUpdate,
    Escalation,
    ChaseNotice,
    Objective,
    KeyResult,
    KeyResultCheckIn,
    HealthIndicator,
    TechDebtSnapshot,
    HeadcountSnapshot,
    Requisition,
)


@dataclass
class SeedReport:
    """Whether rows were created, how long it took (seconds) and the rows per model afterwards."""

    created: bool
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def row_counts() -> dict[str, int]:
    """Rows per model of the demo (users included), e.g. ``{"User": 387, "Team": 87, …}``."""
    counts = {"User": get_user_model().objects.count()}
    counts.update({model.__name__: model.objects.count() for model in MODELS_COUNTED})
    return counts


def generate_activity(
    *,
    org: Organisation,
    office: OfficeSettings,
    now: dt.datetime,
    rng: random.Random,
    scale: Scale = SMALL,
) -> dict[str, int]:
    """Generate the whole quarter (at ``LARGE``: year) around ``now`` (aware); return row counts per model.

    One child generator per section, drawn up front from ``rng``: how many
    meetings fall in the window depends on the weekday, and must not change
    which teams are behind.
    """
    ctx = Context(org=org, office=office, now=now, rng=rng, units=reporting_units(org), scale=scale)
    login_ids = [login.person_id for login in demo_login_people(org.data)]
    seeds = {name: rng.getrandbits(64) for name in SECTIONS}

    def use(name: str) -> Context:
        ctx.rng = random.Random(seeds[name])
        return ctx

    seed_indicators(ctx)
    seed_requisitions(use("requisitions"))
    meetings, decisions = seed_meetings(use("meetings"), login_ids)
    escalations = seed_escalations(use("escalations"), login_ids)
    plans = seed_actions(use("actions"), login_ids, meetings, decisions, escalations)
    seed_chase_notices(use("chase"), plans)
    profiles = seed_okrs(use("okrs"))
    seed_snapshots(use("snapshots"), profiles)
    seed_escalation_history(use("escalation_history"), escalations)
    seed_cadence_extras(use("cadence"), meetings)
    seed_briefing_history(ctx)  # last: it reads everything above
    return row_counts()


def demo_data(scale: Scale = SMALL) -> dict:
    """The organisation to seed: the data file, grown to ~2,000 people for any scale but ``SMALL``."""
    data = load_data()
    return data if scale == SMALL else scale_organisation(data)


def seed_demo(
    *, now: dt.datetime | None = None, data: dict | None = None, scale: Scale = SMALL
) -> SeedReport:
    """Create the demo organisation and its quarter, unless it already exists.

    ``scale`` (``context.SMALL`` or ``LARGE``) sets the organisation's size
    (``demo_data``) and how much activity is generated (``context.Scale``).

    ``now`` (aware; default ``timezone.now()``) anchors everything generated:
    meetings ~8 weeks back and ~3 weeks ahead, the OKR quarter, snapshots and
    due dates, all in the office time zone. ``data`` defaults to the data file
    (``loader.load_data``). Runs in one transaction.

    ``now`` is taken in UTC first, so "five hours ago" or "168 hours to triage"
    are elapsed hours even across a daylight-saving change (Python adds a
    timedelta to an aware datetime in wall time of its own zone).
    """
    started = time.perf_counter()
    if demo_organisation_exists():
        return SeedReport(created=False, seconds=time.perf_counter() - started)
    data = data or demo_data(scale)
    now = (now or timezone.now()).astimezone(dt.UTC)
    with transaction.atomic():
        office = OfficeSettings.load()
        if office.organisation_name == OfficeSettings._meta.get_field("organisation_name").default:
            office.organisation_name = ORGANISATION_NAME
            office.save(update_fields=["organisation_name"])
        org = load_organisation(data)
        counts = generate_activity(
            org=org, office=office, now=now, rng=random.Random(SEED), scale=scale
        )
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes 20,000 actions for a few dozen and sorts
        # them all for a page of 50 until autovacuum comes round.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return SeedReport(created=True, seconds=time.perf_counter() - started, counts=counts)
