"""A realistic week of briefing data built with the factories, scalable for query-count tests.

Team names, indicator names and reasons follow GitLab's public handbook
(CC BY-SA 4.0, see /work/shared/data/README.md); people are generated. The
week is a fixed past week (``WEEK``) and ``TODAY`` is its Friday, so every
figure is deterministic whatever the real clock says.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from actions.models import ActionItem, Escalation
from briefings.models import HealthIndicator
from cadence.models import Meeting
from tests import factories

WEEK = (2025, 47)  # Monday 17 – Sunday 23 November 2025
TODAY = dt.date(2025, 11, 21)  # the Friday: the default briefing day
LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = dt.date.fromisocalendar(*WEEK, 1)
QUARTER = ("FY26-Q4", dt.date(2025, 11, 1), dt.date(2026, 1, 31))

TEAM_NAMES = [
    "Gitaly Git Team",
    "Package Stage",
    "Govern:Compliance BE Team",
    "Release BE Team",
    "Configure FE Team",
    "Pipeline Execution BE Team",
    "Infrastructure",
    "Security",
    "Quality",
    "Gitaly Cluster Team",
    "Pods BE Team",
    "Data Science Section",
]
INDICATORS = [
    (
        "Past Due Security Issues",
        "At or below 20 issues",
        HealthIndicator.Health.ATTENTION,
        ["We are focused on improving our needed vulnerabilities requiring an SLA."],
    ),
    (
        "UX Debt",
        'Below 50 open "ux debt" issues',
        HealthIndicator.Health.ATTENTION,
        ["Currently following UX guidance for health where we are above target."],
    ),
    (
        "Mean Time To Resolution (MTTR)",
        "less than 24 hours",
        HealthIndicator.Health.PROBLEM,
        ["Data depends on SREs adding the incident::resolved label."],
    ),
    (
        "Merge request pipeline duration",
        "Below 45 minutes",
        HealthIndicator.Health.ATTENTION,
        ["Recovering to 56 mins, due to optimization of frontend pipeline jobs."],
    ),
    ("Open MR Age (OMA)", "At or below 30", HealthIndicator.Health.OKAY, []),
]


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@dataclass
class Dataset:
    teams: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    completed: list = field(default_factory=list)
    behind: list = field(default_factory=list)
    escalations_open: list = field(default_factory=list)


def build(scale: int = 1) -> Dataset:
    """Build ``scale`` copies of a varied organisation around ``WEEK``.

    Per copy: 6 teams with a lead; per team an objective with three key
    results (one behind on progress, one with falling confidence, one on
    track) and weekly check-ins, tech-debt and headcount snapshots for nine
    weeks, two health indicators, an open requisition, overdue / due /
    completed actions; escalations in every state; decisions; meetings next
    week with pre-reads partly read.
    """
    data = Dataset()
    factories.OfficeSettingsFactory()
    for copy in range(scale):
        for t in range(6):
            index = copy * 6 + t
            base = TEAM_NAMES[index % len(TEAM_NAMES)]
            name = base if index < len(TEAM_NAMES) else f"{base} {index // len(TEAM_NAMES) + 1}"
            team = factories.TeamFactory(name=name)
            lead = factories.team_lead(team=team)
            member = factories.UserFactory()
            factories.MembershipFactory(user=member, team=team)
            data.teams.append(team)
            _okrs(team, lead, data)
            _snapshots(team, index)
            indicator = INDICATORS[index % len(INDICATORS)]
            factories.HealthIndicatorFactory(
                team=team,
                name=indicator[0],
                target=indicator[1],
                health=indicator[2],
                reasons=indicator[3],
                is_key=t % 2 == 0,
            )
            factories.HealthIndicatorFactory(
                team=team,
                name=f"{team.name} availability",
                health=HealthIndicator.Health.OKAY,
                reasons=[],
            )
            factories.RequisitionFactory(
                team=team,
                title="Senior Backend Engineer",
                hiring_manager=lead,
                opened_on=MONDAY - dt.timedelta(days=20 + index),
            )
            factories.RequisitionFactory(
                team=team,
                title="Engineering Manager",
                hiring_manager=lead,
                opened_on=MONDAY - dt.timedelta(days=60),
                state="filled",
            )
            _actions(team, lead, member, index, data)
            _escalations(team, member, index, data)
        _meetings_and_decisions(data.teams[copy * 6 : (copy + 1) * 6])
    return data


def _okrs(team, lead, data: Dataset) -> None:
    label, start, end = QUARTER
    objective = factories.ObjectiveFactory(
        team=team,
        title=f"{team.name}: ship reliably, faster",
        quarter=label,
        period_start=start,
        period_end=end,
        owner=lead,
    )
    # The quarter is 92 days; on 21 Nov 21 days are gone (~23 %).
    behind = factories.KeyResultFactory(
        objective=objective,
        title="Reduce p95 merge request pipeline time",
        start_value=Decimal(60),
        target_value=Decimal(40),
        current_value=Decimal(60),
        unit="min",
        owner=lead,
    )
    falling = factories.KeyResultFactory(
        objective=objective,
        title="Close 30 past-due security issues",
        start_value=Decimal(0),
        target_value=Decimal(30),
        current_value=Decimal(9),
        unit="issues",
        owner=lead,
    )
    on_track = factories.KeyResultFactory(
        objective=objective,
        title="Ship the new runner fleet",
        start_value=Decimal(0),
        target_value=Decimal(100),
        current_value=Decimal(30),
        unit="%",
        owner=lead,
    )
    for week, (conf_b, conf_f, conf_o) in enumerate(
        [(0.8, 0.8, 0.7), (0.8, 0.7, 0.7), (0.8, 0.6, 0.8)]
    ):
        day = MONDAY - dt.timedelta(days=14 - 7 * week)
        factories.KeyResultCheckInFactory(
            key_result=behind, date=day, value=Decimal(60), confidence=Decimal(str(conf_b))
        )
        factories.KeyResultCheckInFactory(
            key_result=falling,
            date=day,
            value=Decimal(3 * (week + 1)),
            confidence=Decimal(str(conf_f)),
        )
        factories.KeyResultCheckInFactory(
            key_result=on_track,
            date=day,
            value=Decimal(10 * (week + 1)),
            confidence=Decimal(str(conf_o)),
        )
    data.behind.extend([behind, falling])


def _snapshots(team, index: int) -> None:
    for weeks_back in range(9):
        day = MONDAY + dt.timedelta(days=2) - dt.timedelta(weeks=weeks_back)
        factories.TechDebtSnapshotFactory(
            team=team,
            date=day,
            items_open=30 + index + weeks_back,
            effort_days=Decimal(40 + index + 2 * weeks_back),
            critical=index % 3,
            high=4 + index % 5,
            capacity_share=Decimal("0.15"),
        )
        factories.HeadcountSnapshotFactory(
            team=team,
            date=day,
            filled=8 + index % 4,
            planned=11,
            open_requisitions=1,
            starters=1 if weeks_back == 0 and index % 2 == 0 else 0,
            leavers=1 if weeks_back == 0 and index % 3 == 0 else 0,
        )


def _actions(team, lead, member, index: int, data: Dataset) -> None:
    overdue = factories.ActionItemFactory(
        team=team,
        owner=member,
        title=f"Write the {team.name} on-call runbook",
        due_date=dt.date(2025, 11, 5),
        created_at=local(dt.date(2025, 10, 20)),
    )
    data.overdue.append(overdue)
    data.overdue.append(
        factories.ActionItemFactory(
            team=team,
            owner=lead,
            title="Agree the Q1 hiring plan with Finance",
            priority=2,
            status=ActionItem.Status.BLOCKED,
            due_date=dt.date(2025, 11, 18),
            created_at=local(dt.date(2025, 11, 1)),
        )
    )
    factories.ActionItemFactory(
        team=team,
        owner=lead,
        title="Review the disaster-recovery test",
        due_date=dt.date(2025, 12, 1),
        created_at=local(dt.date(2025, 11, 10)),
    )
    data.completed.append(
        factories.ActionItemFactory(
            team=team,
            owner=member,
            title="Rotate the staging signing keys",
            status=ActionItem.Status.DONE,
            due_date=dt.date(2025, 11, 19),
            created_at=local(dt.date(2025, 11, 3)),
            completed_at=local(dt.date(2025, 11, 19), 15),
        )
    )
    # Done last week: neither completed this week nor overdue.
    factories.ActionItemFactory(
        team=team,
        owner=member,
        title="Old",
        status=ActionItem.Status.DONE,
        due_date=dt.date(2025, 11, 10),
        created_at=local(dt.date(2025, 11, 1)),
        completed_at=local(dt.date(2025, 11, 12)),
    )


def _escalations(team, member, index: int, data: Dataset) -> None:
    new = factories.EscalationFactory(
        team=team,
        raised_by=member,
        title=f"{team.name}: flaky end-to-end suite blocks releases",
        severity=Escalation.Severity.HIGH,
        created_at=local(MONDAY, 9),
        sla_due_at=local(MONDAY, 9) + dt.timedelta(hours=24),
    )
    raised = factories.EscalationFactory(
        team=team,
        raised_by=member,
        title="Vendor contract renewal needs a decision",
        category=Escalation.Category.VENDOR,
        severity=Escalation.Severity.MEDIUM,
        state=Escalation.State.RAISED_TO_CTO,
        confidential=index % 2 == 0,
        created_at=local(dt.date(2025, 11, 10)),
        sla_due_at=local(dt.date(2025, 11, 13)),
        raised_to_cto_at=local(dt.date(2025, 11, 18)),
    )
    factories.EscalationFactory(
        team=team,
        raised_by=member,
        title="Access review overdue",
        state=Escalation.State.RESOLVED,
        created_at=local(dt.date(2025, 11, 12)),
        sla_due_at=local(dt.date(2025, 11, 15)),
        resolved_at=local(dt.date(2025, 11, 19)),
        resolution_note="Done.",
    )
    factories.EscalationFactory(  # closed long ago: out of the week's query altogether
        team=team,
        raised_by=member,
        title="Old",
        state=Escalation.State.RESOLVED,
        created_at=local(dt.date(2025, 9, 1)),
        sla_due_at=local(dt.date(2025, 9, 2)),
        resolved_at=local(dt.date(2025, 9, 3)),
    )
    data.escalations_open.extend([new, raised])


def _meetings_and_decisions(teams: list) -> None:
    leads = [t.lead for t in teams]
    staff = factories.MeetingFactory(
        title="CTO staff meeting",
        kind="staff",
        start=local(MONDAY, 9),
        end=local(MONDAY, 10),
        state=Meeting.State.MINUTES_PUBLISHED,
    )
    for i, team in enumerate(teams[:3]):
        factories.DecisionFactory(
            meeting=staff,
            summary=f"Fund the {team.name} reliability work in Q1",
            decided_on=MONDAY + dt.timedelta(days=i),
            decided_by=team.lead,
        )
    next_monday = MONDAY + dt.timedelta(days=7)
    for offset, title in ((0, "CTO staff meeting"), (2, "Architecture review: Pods")):
        meeting = factories.MeetingFactory(
            title=title,
            kind="staff" if offset == 0 else "architecture",
            start=local(next_monday + dt.timedelta(days=offset), 9),
            end=local(next_monday + dt.timedelta(days=offset), 10),
            state=Meeting.State.AGENDA_PUBLISHED,
        )
        meeting.attendees.add(*leads)
        pre_read = factories.PreReadFactory(meeting=meeting, title=f"{title}: pre-read")
        for lead in leads[:2]:
            factories.PreReadAcknowledgementFactory(pre_read=pre_read, user=lead)
    factories.MeetingFactory(
        title="Cancelled sync",
        start=local(next_monday, 14),
        end=local(next_monday, 15),
        state=Meeting.State.CANCELLED,
    )
