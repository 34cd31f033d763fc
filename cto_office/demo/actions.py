"""The action register: ~300 actions with their histories, and the chase notices already sent.

At ``Scale.LARGE``, 20,000 over a year: manual actions fill up to ``Scale.actions``,
and those due more than ``SETTLED_AFTER`` ago are nearly all closed.

Actions come from meetings, decisions, escalations, manual entry and a Jira
import, in every status; about a third of the open ones are overdue. Each has
an append-only history whose length is its ``version`` (1 at creation, one
more per write: ``ActionItem``'s optimistic-concurrency counter), and
``completed_at`` is set if and only if it is done (the model's
``action_completed_at_iff_done`` constraint). An action made
from a confidential escalation does not repeat the escalation's title
(``follow_up_title``). Texts are in ``content``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation
from actions.services.chase import chase_plan
from cadence.models import Decision, Meeting
from cto_office.demo import content
from cto_office.demo.context import INSERT_BATCH, SETTLED_AFTER, WEEK, Context
from cto_office.demo.meetings import MeetingPlan


def follow_up_title(escalation: Escalation) -> str:
    """The title of the action that follows up ``escalation`` (saved: its key needs the pk).

    ``Follow up ESC-12: <title>``, except for a confidential escalation, whose
    title must not reach the register or the home page, where team leads read
    action titles: ``Follow up confidential escalation ESC-12``.
    """
    wording = (
        content.CONFIDENTIAL_FOLLOW_UP if escalation.confidential else content.ESCALATION_FOLLOW_UP
    )
    return wording.format(key=Escalation.key_of(escalation.pk), title=escalation.title)[:300]


@dataclass
class ActionPlan:
    """An action before its insert, with its due date as first set and its history."""

    action: ActionItem
    original_due: dt.date
    updates: list[ActionUpdate] = field(default_factory=list)


def seed_actions(
    ctx: Context,
    login_ids: list[str],
    meetings: list[MeetingPlan],
    decisions: list[Decision],
    escalations: list[Escalation],
) -> list[ActionPlan]:
    """~300 actions in every status from meetings, decisions, escalations, manual entry and import.

    Each has an append-only ``ActionUpdate`` history (creation, progress,
    blocking, due-date moves with a reason, completion) and ``version`` equal
    to its number of updates. About a third of the open ones are overdue.
    """
    rng, org = ctx.rng, ctx.org
    leads = sorted({pid for pid in org.leads.values() if pid})
    people = sorted(org.person_team)
    specs: list[
        tuple[str, dt.datetime, str, dict]
    ] = []  # (source, created_at, title template, links)
    for mp in meetings:
        if mp.meeting.state in (Meeting.State.HELD, Meeting.State.MINUTES_PUBLISHED):
            for _ in range(rng.randint(1, 4)):
                specs.append(
                    (
                        "meeting",
                        mp.meeting.end,
                        rng.choice(content.ACTIONS_FROM_MEETINGS),
                        {"source_meeting": mp.meeting, "attendees": mp.attendees},
                    )
                )
    for decision in decisions:
        meeting = decision.meeting
        for _ in range(rng.randint(1, 2)):
            specs.append(
                (
                    "decision",
                    meeting.end,
                    rng.choice(content.ACTIONS_FROM_DECISIONS),
                    {"source_decision": decision, "source_meeting": meeting},
                )
            )
    for escalation in escalations:
        if escalation.state in (
            Escalation.State.ROUTED,
            Escalation.State.RAISED_TO_CTO,
            Escalation.State.RESOLVED,
        ):
            start = escalation.created_at + dt.timedelta(hours=rng.randint(1, 24))
            specs.append(
                (
                    "escalation",
                    min(start, ctx.now - dt.timedelta(hours=1)),
                    follow_up_title(escalation),
                    {"source_escalation": escalation},
                )
            )
    scale = ctx.scale
    imported = scale.imported_actions
    manual = 90 if scale.actions is None else max(0, scale.actions - len(specs) - imported)
    span_hours = int((scale.meetings_back + WEEK) / dt.timedelta(hours=1))
    for _ in range(manual):
        specs.append(
            (
                "manual",
                ctx.now - dt.timedelta(hours=rng.randint(4, span_hours)),
                rng.choice(content.ACTIONS_MANUAL),
                {},
            )
        )
    for _ in range(imported):
        specs.append(
            (
                "import",
                ctx.now - dt.timedelta(hours=rng.randint(24, span_hours - 7 * 24)),
                rng.choice(content.ACTIONS_IMPORTED),
                {},
            )
        )

    # Each demo login owns six actions spread across the list (so across ages,
    # sources and statuses, overdue ones included).
    spacing = max(1, len(specs) // 31)
    forced_owners = {n * spacing: login_ids[n % len(login_ids)] for n in range(30)}
    plans: list[ActionPlan] = []
    for n, (source, created_at, template, links) in enumerate(specs):
        if n in forced_owners and source != "escalation":
            owner = forced_owners[n]
        elif "attendees" in links and rng.random() < 0.6:
            owner = rng.choice(links["attendees"])
        else:
            owner = rng.choice(leads) if rng.random() < 0.6 else rng.choice(people)
        team_slug = org.person_team[owner]
        if source == "escalation":
            owner_user = links["source_escalation"].routed_to or org.lead_user(
                links["source_escalation"].team.slug
            )
            owner = next(pid for pid, u in org.users.items() if u.pk == owner_user.pk)
            team_slug = links["source_escalation"].team.slug
            title = template
        else:
            title = ctx.fill(template, ctx.unit_of(team_slug))
        created_at = min(created_at, ctx.now - dt.timedelta(minutes=30))
        created_day = ctx.local_date(created_at)
        original_due = created_day + dt.timedelta(days=rng.choice([3, 5, 7, 10, 14, 21, 28, 35]))
        moved = rng.random() < 0.25
        due = original_due + dt.timedelta(days=rng.choice([7, 14])) if moved else original_due
        if due < ctx.today - SETTLED_AFTER:  # long past due: nearly all closed
            status = rng.choices(
                ["done", "dropped", "open", "in_progress", "blocked"], [88, 9, 1, 1, 1]
            )[0]
        elif due < ctx.today:  # about a quarter of these stay open: the overdue ones
            status = rng.choices(
                ["done", "dropped", "open", "in_progress", "blocked"], [72, 8, 6, 9, 5]
            )[0]
        else:
            status = rng.choices(
                ["done", "dropped", "open", "in_progress", "blocked"], [12, 4, 36, 36, 12]
            )[0]
        creator = org.cos if source in ("meeting", "decision", "escalation") else ctx.user(owner)
        action = ActionItem(
            title=title[:300],
            description="",
            owner=ctx.user(owner),
            team=org.teams[team_slug],
            due_date=due,
            priority=rng.choices([1, 2, 3, 4], [1, 4, 8, 3])[0],
            status=status,
            source=source,
            source_meeting=links.get("source_meeting"),
            source_decision=links.get("source_decision"),
            source_escalation=links.get("source_escalation"),
            created_by=creator,
            created_at=created_at,
        )
        plans.append(ActionPlan(action, original_due))

    _ensure_each_status(ctx, plans)
    for plan in plans:
        _history(ctx, plan)
    ActionItem.objects.bulk_create([p.action for p in plans], batch_size=INSERT_BATCH)
    for plan in plans:
        for update in plan.updates:
            update.action = plan.action
    ActionUpdate.objects.bulk_create([u for p in plans for u in p.updates], batch_size=INSERT_BATCH)
    return plans


def _ensure_each_status(ctx: Context, plans: list[ActionPlan]) -> None:
    """Make sure every status, and an overdue open action, appears whatever the random draw."""
    present = {p.action.status for p in plans}
    for status in ActionItem.Status.values:
        if status not in present:
            plans[len(present) * 7 % len(plans)].action.status = status
            present.add(status)
    if not any(
        p.action.status in ActionItem.OPEN_STATUSES and p.action.due_date < ctx.today for p in plans
    ):
        target = next(p for p in plans if p.action.status == ActionItem.Status.OPEN)
        target.action.due_date = target.original_due = ctx.today - dt.timedelta(days=5)


def _history(ctx: Context, plan: ActionPlan) -> None:
    """Fill ``plan.updates`` (ascending times, all before now) and the action's ``completed_at`` and ``version``."""
    rng, action = ctx.rng, plan.action
    team = ctx.unit_of(action.team.slug) if action.team else "engineering"
    start = action.created_at
    end = ctx.now - dt.timedelta(minutes=rng.randint(10, 600))
    if end <= start:
        end = start + dt.timedelta(minutes=1)
    steps: list[dict] = [
        {
            "from": "",
            "to": "open",
            "note": content.CREATION_NOTES[action.source],
        }
    ]
    steps += _slips(ctx, plan.original_due, action.due_date, team)
    if action.status in ("in_progress", "blocked", "done"):
        steps.append(
            {
                "from": "open",
                "to": "in_progress",
                "note": ctx.fill(rng.choice(content.PROGRESS_NOTES), team),
            }
        )
        for _ in range(rng.choices([0, 1, 2], [5, 3, 2])[0]):
            steps.append({"note": ctx.fill(rng.choice(content.ACTION_PROGRESS_NOTES), team)})
    if action.status == "blocked":
        steps.append(
            {
                "from": "in_progress",
                "to": "blocked",
                "note": ctx.fill(rng.choice(content.BLOCKED_NOTES), team),
            }
        )
    if action.status == "done":
        steps.append({"from": "in_progress", "to": "done", "note": content.DONE_NOTE})
    if action.status == "dropped":
        steps.append({"from": "open", "to": "dropped", "note": content.DROPPED_NOTE})
    span = (end - start) / len(steps)
    for i, step in enumerate(steps):
        when = start + span * i if i else start
        plan.updates.append(
            ActionUpdate(
                author=action.created_by if i == 0 else action.owner,
                created_at=when,
                from_status=step.get("from", ""),
                to_status=step.get("to", ""),
                old_due_date=step.get("old_due"),
                new_due_date=step.get("new_due"),
                reason=step.get("reason", ""),
                note=step.get("note", ""),
            )
        )
    action.completed_at = plan.updates[-1].created_at if action.status == "done" else None
    action.version = len(plan.updates)


def _slips(ctx: Context, original: dt.date, final: dt.date, team: str) -> list[dict]:
    """The due-date moves from ``original`` to ``final``: one to three slips (most actions
    slip once, a few keep slipping), each later than the last and with its own reason."""
    if final <= original:
        return []
    count = min(ctx.rng.choices([1, 2, 3], [6, 3, 1])[0], (final - original).days)
    dates = [original + (final - original) * i // count for i in range(count + 1)]
    reasons = ctx.rng.sample(content.DUE_CHANGE_REASONS, count)
    return [
        {"old_due": old, "new_due": new, "reason": ctx.fill(reason, team)}
        for old, new, reason in zip(dates[:-1], dates[1:], reasons, strict=True)
    ]


def seed_chase_notices(ctx: Context, plans: list[ActionPlan]) -> None:
    """Reminders already sent: yesterday's whole chase run (``_yesterdays_chase``) and, for
    about three quarters of the overdue actions, the day each level was reached.

    One notice per ladder level reached (``OfficeSettings.chase_ladder`` days
    overdue), sent at the chase hour on the day the level was reached, to the
    owner, the owner's team lead, then the Chief of Staff. Today is left to the
    first run of the chase job.
    """
    rng, org = ctx.rng, ctx.org
    ladder = ctx.office.chase_ladder
    notices = _yesterdays_chase(ctx)
    sent = {(n.action_id, n.recipient_id, n.level, n.sent_on) for n in notices}
    for plan in plans:
        action = plan.action
        if not (action.is_open and action.due_date < ctx.today) or rng.random() > 0.75:
            continue
        for level, days in enumerate(ladder, start=1):
            sent_on = action.due_date + dt.timedelta(days=days)
            sent_at = ctx.local(sent_on, ctx.office.chase_hour)
            if sent_on > ctx.today or sent_at > ctx.now:
                break
            if level == 1:
                recipient = action.owner
            elif level == 2:
                recipient = action.team.lead if action.team and action.team.lead_id else org.cos
                if recipient.pk == action.owner.pk and action.team.parent_id:
                    recipient = org.lead_user(action.team.parent.slug) or org.cos
            else:
                recipient = org.cos
            if (action.pk, recipient.pk, level, sent_on) not in sent:
                notices.append(
                    ChaseNotice(
                        action=action,
                        recipient=recipient,
                        level=level,
                        sent_on=sent_on,
                        sent_at=sent_at,
                    )
                )
    ChaseNotice.objects.bulk_create(notices, batch_size=INSERT_BATCH)


def _yesterdays_chase(ctx: Context) -> list[ChaseNotice]:
    """The notices of yesterday's daily chase run, as the chase job would have recorded them
    (``actions.services.chase.chase_plan`` for yesterday: every recipient's digest at every
    level reached), so today's first run continues a real office's rhythm (``chase_plan``'s queries)."""
    yesterday = ctx.today - dt.timedelta(days=1)
    sent_at = ctx.local(yesterday, ctx.office.chase_hour)
    return [
        ChaseNotice(
            action_id=line.action.pk,
            recipient_id=digest.recipient.pk,
            level=line.level,
            sent_on=yesterday,
            sent_at=sent_at,
        )
        for digest in chase_plan(day=yesterday).digests
        for line in digest.lines
    ]
