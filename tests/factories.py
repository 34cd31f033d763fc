"""factory_boy factories for every model; each builds a valid row with sensible defaults."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation
from briefings.models import (
    Briefing,
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
    CalendarFeed,
    Decision,
    Meeting,
    MeetingSeries,
    PreRead,
    PreReadAcknowledgement,
)
from cto_office import access
from cto_office.clock import office_settings
from cto_office.models import Membership, OfficeSettings, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=["CTO"])`` puts the user in those role groups."""
        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])


def chief_of_staff(**kwargs):
    return UserFactory(roles=[access.CHIEF_OF_STAFF], is_staff=True, **kwargs)


def cto(**kwargs):
    return UserFactory(roles=[access.CTO], **kwargs)


def team_lead(team: Team | None = None, **kwargs):
    """A user in the Team lead group who leads ``team`` (a new team if none is given)."""
    user = UserFactory(roles=[access.TEAM_LEAD], **kwargs)
    team = team or TeamFactory()
    team.lead = user
    team.save(update_fields=["lead"])
    MembershipFactory(user=user, team=team, title="Engineering Manager")
    return user


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    function = Team.Function.ENGINEERING


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    title = "Senior Backend Engineer"


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    title = "CTO staff meeting"
    owner = factory.SubFactory(UserFactory)
    rrule = "FREQ=WEEKLY;BYDAY=MO"
    time_zone = "Europe/London"
    first_start = factory.LazyFunction(
        lambda: timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    )
    duration_minutes = 60


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting {n}")
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    end = factory.LazyAttribute(lambda m: m.start + dt.timedelta(hours=1))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    time_box_minutes = 10


class PreReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreRead

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Pre-read {n}")
    body = "Please read before the meeting."
    due_by = factory.LazyAttribute(lambda p: p.meeting.start)


class PreReadAcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreReadAcknowledgement

    pre_read = factory.SubFactory(PreReadFactory)
    user = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    summary = factory.Sequence(lambda n: f"Decision {n}")
    decided_on = factory.LazyFunction(timezone.localdate)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    status = ActionItem.Status.OPEN
    completed_at = factory.LazyAttribute(
        lambda a: timezone.now() if a.status == ActionItem.Status.DONE else None
    )


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionItemFactory)
    author = factory.SelfAttribute("action.owner")
    note = "Progress."


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    title = factory.Sequence(lambda n: f"Escalation {n}")
    raised_by = factory.SubFactory(UserFactory)
    category = Escalation.Category.DELIVERY
    severity = Escalation.Severity.MEDIUM
    state = Escalation.State.NEW
    created_at = factory.LazyFunction(timezone.now)
    # The office's SLA rule for the severity, unless a test gives sla_due_at itself.
    sla_due_at = factory.LazyAttribute(
        lambda e: office_settings().sla_due_at(severity=e.severity, raised_at=e.created_at)
    )
    resolved_at = factory.LazyAttribute(
        lambda e: (
            timezone.now()
            if e.state in (Escalation.State.RESOLVED, Escalation.State.DECLINED)
            else None
        )
    )


class ChaseNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChaseNotice

    action = factory.SubFactory(ActionItemFactory)
    recipient = factory.SelfAttribute("action.owner")
    level = ChaseNotice.Level.OWNER
    sent_on = factory.LazyFunction(timezone.localdate)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    quarter = "2026-Q4"
    period_start = dt.date(2026, 10, 1)
    period_end = dt.date(2026, 12, 31)


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    objective = factory.SubFactory(ObjectiveFactory)
    team = factory.SelfAttribute("objective.team")
    title = factory.Sequence(lambda n: f"Key result {n}")
    start_value = Decimal("0")
    target_value = Decimal("100")
    current_value = Decimal("50")
    unit = "%"


class KeyResultCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResultCheckIn

    key_result = factory.SubFactory(KeyResultFactory)
    date = factory.LazyFunction(timezone.localdate)
    value = Decimal("50")
    confidence = Decimal("0.70")


class HealthIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthIndicator

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    target = "Below 10"
    health = HealthIndicator.Health.ATTENTION
    reasons = factory.LazyFunction(lambda: ["Trending up"])


class TechDebtSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechDebtSnapshot

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(timezone.localdate)
    items_open = 40
    effort_days = Decimal("55.0")
    critical = 2
    high = 8
    medium = 20
    low = 10
    capacity_share = Decimal("0.18")


class HeadcountSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeadcountSnapshot

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(timezone.localdate)
    filled = 9
    planned = 11
    open_requisitions = 2


class RequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requisition

    team = factory.SubFactory(TeamFactory)
    title = "Backend Engineer"
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class BriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Briefing

    iso_year = factory.LazyFunction(lambda: timezone.localdate().isocalendar().year)
    iso_week = factory.LazyFunction(lambda: timezone.localdate().isocalendar().week)


class OfficeSettingsFactory(factory.django.DjangoModelFactory):
    """The single settings row (get-or-create on the fixed id 1)."""

    class Meta:
        model = OfficeSettings
        django_get_or_create = ("id",)

    id = 1
    organisation_name = "GitLab Engineering"
    time_zone = "Europe/London"


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"feed-token-{n:040d}")
