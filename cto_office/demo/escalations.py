"""Escalations to the CTO's office: ~60 over the last eight weeks in every category, severity and state.

At ``Scale.LARGE`` there are 2,000 over a year; those raised more than
``SETTLED_AFTER`` ago are resolved or declined, as a working office leaves them.

Wordings, resolutions and declines are in ``content``. The triage SLA due
time is the model's rule (``Escalation.set_sla_due_at``, from
``OfficeSettings.sla_hours``), computed before the bulk insert.
"""

from __future__ import annotations

import datetime as dt

from actions.models import Escalation
from cto_office.demo import content
from cto_office.demo.context import SETTLED_AFTER, Context


def seed_escalations(ctx: Context, login_ids: list[str]) -> list[Escalation]:
    """``ctx.scale.escalations`` (60) over ``escalation_span`` (8 weeks): every category, severity and state.

    People escalations are always confidential and security ones usually; SLA
    due times come from ``Escalation.set_sla_due_at``. A few ``new`` ones are
    past their SLA. The staff and team-lead logins raise some (one confidential).
    """
    rng, org = ctx.rng, ctx.org
    categories = list(Escalation.Category)
    severities = list(Escalation.Severity)
    weights = {
        "new": 12,
        "triaged": 15,
        "routed": 25,
        "raised_to_cto": 10,
        "resolved": 30,
        "declined": 8,
    }
    # Duplicates are made afterwards by the triage history (``demo.escalation_history``).
    states = [Escalation.State(s) for s in weights]
    escalations = []
    span_hours = int(ctx.scale.escalation_span / dt.timedelta(hours=1))
    for n in range(ctx.scale.escalations):
        category = categories[n % len(categories)]
        severity = (
            severities[n % len(severities)] if n < 12 else rng.choices(severities, [1, 3, 5, 3])[0]
        )
        state = (
            states[n % len(states)]
            if n < 12
            else rng.choices(states, [weights[s] for s in states])[0]
        )
        team, other = rng.sample(ctx.units, 2)
        members = org.members(team)
        raised_by = rng.choice(members) if members else org.leads[team]
        # The staff login raises a confidential people escalation and a delivery one.
        if n in (3, 10):
            raised_by = login_ids[4]
            category = Escalation.Category.PEOPLE if n == 3 else Escalation.Category.DELIVERY
        elif n in (6, 13):
            raised_by = login_ids[2]
        title, description = rng.choice(content.ESCALATIONS[category])
        fill = {"team": ctx.team_name(team), "other": ctx.team_name(other)}
        if state == Escalation.State.NEW:
            age = dt.timedelta(hours=rng.randint(1, 30) if n % 3 else rng.randint(80, 300))
        else:
            age = dt.timedelta(hours=rng.randint(12, span_hours))
            if age > SETTLED_AFTER and state not in (
                Escalation.State.RESOLVED,
                Escalation.State.DECLINED,
            ):
                state = rng.choices(
                    [Escalation.State.RESOLVED, Escalation.State.DECLINED], [30, 8]
                )[0]
        created = ctx.now - age
        escalation = Escalation(
            title=title.format(**fill)[:300],
            description=description.format(**fill),
            raised_by=ctx.user(raised_by),
            team=org.teams[team],
            category=category,
            severity=severity,
            confidential=category == Escalation.Category.PEOPLE
            or (category == Escalation.Category.SECURITY and rng.random() < 0.7)
            or rng.random() < 0.03,
            state=state,
            created_at=created,
        )
        escalation.set_sla_due_at(ctx.office)
        if state != Escalation.State.NEW:
            escalation.assignee = org.cos
        if state == Escalation.State.ROUTED:
            escalation.routed_to = org.lead_user(team)
        if state == Escalation.State.RAISED_TO_CTO:
            escalation.raised_to_cto_at = min(
                created + dt.timedelta(hours=rng.randint(2, 48)), ctx.now
            )
        if state in (Escalation.State.RESOLVED, Escalation.State.DECLINED):
            escalation.resolved_at = min(
                created + dt.timedelta(hours=rng.randint(3, 20 * 24)), ctx.now
            )
            escalation.resolution_note = rng.choice(
                content.RESOLUTIONS if state == Escalation.State.RESOLVED else content.DECLINES
            )
            if state == Escalation.State.RESOLVED and rng.random() < 0.5:
                escalation.routed_to = org.lead_user(team)
        escalations.append(escalation)
    Escalation.objects.bulk_create(escalations)
    return escalations
