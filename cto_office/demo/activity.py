"""A believable quarter of activity for the demo organisation, generated around "today".

Everything here is invented (the organisation itself comes from GitLab's
handbook, see ``CREDITS.md``). All randomness comes from one
``random.Random(2026)``; every date is relative to ``now`` in the office time
zone, so a demo seeded on any day has past and upcoming meetings, overdue
actions and a quarter in progress.

Shapes:

- **Reporting units** (``reporting_units``): Development's sub-departments and
  every other department, 14 with the committed data. Tech-debt and headcount
  snapshots are per unit, weekly on Mondays, for the 12 weeks up to this week.
- **The OKR quarter** (``okr_quarter``): 13 weeks starting on the Monday eleven
  weeks before this week's Monday, so today always falls in week 12 (86–92 %
  elapsed) and each key result has 12 weekly check-ins (Mondays). It is labelled
  in GitLab's fiscal calendar (the year starts on 1 February) by the quarter
  holding its middle day (``FY27-Q3`` for 31 Aug–29 Nov 2026). A true
  calendar quarter would leave a demo seeded early in a quarter with no
  check-ins and nothing behind.
- **Quietly behind, by design** (``KR_PROFILES``): four teams with key
  results, two whose progress sits at 35–55 % of the share of the quarter
  elapsed while their confidence stays at 0.70–0.80, and two whose progress
  is on plan but whose confidence falls over the last four check-ins
  (0.80 → ~0.45); one more team is openly at risk (low confidence, flagged).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model

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
    AgendaItemKind,
    Decision,
    Meeting,
    MeetingKind,
    MeetingSeries,
    PreRead,
    PreReadAcknowledgement,
)
from cto_office.models import Membership, OfficeSettings, Team

WEEK = dt.timedelta(weeks=1)
#: Meetings are generated from this far back …
MEETINGS_BACK = dt.timedelta(weeks=8)
#: … to this far ahead.
MEETINGS_AHEAD = dt.timedelta(weeks=3)
#: Weekly snapshots and check-ins kept.
HISTORY_WEEKS = 12


@dataclass
class Context:
    """What every generator needs: the organisation, the clock and the random source."""

    org: object  # cto_office.demo.loader.Organisation
    office: OfficeSettings
    now: dt.datetime
    rng: random.Random
    units: list[str] = field(default_factory=list)

    @property
    def tz(self):
        return self.office.tz

    @property
    def today(self) -> dt.date:
        """Today in the office time zone."""
        return self.now.astimezone(self.tz).date()

    @property
    def this_monday(self) -> dt.date:
        return self.today - dt.timedelta(days=self.today.weekday())

    def local(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """An aware datetime at a wall-clock time in the office time zone."""
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def user(self, person_id: str):
        return self.org.users[person_id]

    def team_name(self, slug: str) -> str:
        return self.org.teams[slug].name


def reporting_units(org) -> list[str]:
    """Team slugs that get weekly snapshots, in file order.

    Development's sub-departments (Dev, Ops, Sec, …) and every other
    department: the level at which a CTO compares teams (14 units here; the
    87 teams below them are too small for a briefing table).
    """
    return [
        team["slug"]
        for team in org.data["teams"]
        if (team["level"] == "department" and team["slug"] != "development")
        or (team["level"] == "sub-department" and team["parent"] == "development")
    ]


def okr_quarter(today: dt.date) -> tuple[str, dt.date, dt.date]:
    """(label, first day, last day) of the demo's OKR quarter; see the module docstring."""
    monday = today - dt.timedelta(days=today.weekday())
    start = monday - 11 * WEEK
    end = start + 13 * WEEK - dt.timedelta(days=1)
    middle = start + (end - start) / 2
    months_into_fiscal_year = (middle.month - 2) % 12  # GitLab's fiscal year starts in February
    fiscal_year = middle.year + 1 if middle.month >= 2 else middle.year
    return f"FY{fiscal_year % 100:02d}-Q{months_into_fiscal_year // 3 + 1}", start, end


def _dec(value: float, places: int = 2) -> Decimal:
    return Decimal(f"{value:.{places}f}")


# Health indicators and requisitions: straight from the data file


def seed_indicators(ctx: Context) -> None:
    """The handbook's engineering performance indicators as health signals on their teams."""
    HealthIndicator.objects.bulk_create(
        HealthIndicator(
            team=ctx.org.teams[item["team"]],
            name=item["name"],
            definition=item["definition"],
            target=item["target"],
            health=item["health"],
            reasons=item["reasons"],
            is_key=item["is_key"],
            url=item["url"],
        )
        for item in ctx.org.data["indicators"]
    )


def seed_requisitions(ctx: Context) -> None:
    """The handbook's open vacancies as open requisitions, opened 2–20 weeks ago."""
    Requisition.objects.bulk_create(
        Requisition(
            team=ctx.org.teams[v["team"]],
            title=v["title"],
            hiring_manager=ctx.user(v["hiring_manager"]) if v["hiring_manager"] else None,
            opened_on=ctx.today - dt.timedelta(days=ctx.rng.randint(14, 140)),
            state=Requisition.State.OPEN,
        )
        for v in ctx.org.data["vacancies"]
    )


# Meetings


@dataclass
class SeriesPlan:
    title: str
    kind: str
    rrule: str
    first_start: dt.datetime
    duration: int
    attendees: list[str]  # person ids
    template: list[dict]
    video_url: str = ""
    location: str = ""


STAFF_TEMPLATE = [
    {"title": "Briefing highlights and metrics", "minutes": 10, "kind": AgendaItemKind.INFORMATION},
    {"title": "Escalations raised to the CTO", "minutes": 15, "kind": AgendaItemKind.DECISION},
    {"title": "Open actions review", "minutes": 10, "kind": AgendaItemKind.DISCUSSION},
    {"title": "Topic of the week", "minutes": 20, "kind": AgendaItemKind.DISCUSSION},
    {"title": "Decisions and owners", "minutes": 5, "kind": AgendaItemKind.DECISION},
]
MBR_TEMPLATE = [
    {"title": "OKR progress by department", "minutes": 30, "kind": AgendaItemKind.DISCUSSION},
    {
        "title": "Headcount and hiring against plan",
        "minutes": 20,
        "kind": AgendaItemKind.INFORMATION,
    },
    {
        "title": "Performance indicators needing attention",
        "minutes": 30,
        "kind": AgendaItemKind.DISCUSSION,
    },
    {"title": "Budget and vendor spend", "minutes": 20, "kind": AgendaItemKind.DECISION},
    {"title": "Asks of the CTO", "minutes": 15, "kind": AgendaItemKind.DECISION},
]
ARCHITECTURE_TEMPLATE = [
    {"title": "Design review", "minutes": 30, "kind": AgendaItemKind.DECISION},
    {"title": "Follow-ups from the last review", "minutes": 15, "kind": AgendaItemKind.DISCUSSION},
]
OFFSITE_TEMPLATE = [
    {
        "title": "Where we are: the quarter so far",
        "minutes": 60,
        "kind": AgendaItemKind.INFORMATION,
    },
    {
        "title": "Strategy: next year's engineering bets",
        "minutes": 120,
        "kind": AgendaItemKind.DISCUSSION,
    },
    {
        "title": "Organisation design and hiring plan",
        "minutes": 90,
        "kind": AgendaItemKind.DECISION,
    },
    {"title": "Technical debt: what we stop doing", "minutes": 90, "kind": AgendaItemKind.DECISION},
    {"title": "Commitments and owners", "minutes": 60, "kind": AgendaItemKind.DECISION},
]
BOARD_PREP_TEMPLATE = [
    {
        "title": "Engineering section of the board deck",
        "minutes": 30,
        "kind": AgendaItemKind.DISCUSSION,
    },
    {
        "title": "Availability, security and incidents summary",
        "minutes": 20,
        "kind": AgendaItemKind.INFORMATION,
    },
    {"title": "Questions the board will ask", "minutes": 25, "kind": AgendaItemKind.DISCUSSION},
    {"title": "Sign-off", "minutes": 15, "kind": AgendaItemKind.DECISION},
]

ARCHITECTURE_TOPICS = [
    "Splitting the CI job queue by tenant",
    "Database partitioning for the events tables",
    "Retiring the legacy background-job scheduler",
    "Rate limiting for the public API",
    "Moving container-registry metadata to PostgreSQL",
    "Read replicas for search indexing",
    "Feature-flag clean-up policy",
    "Runner autoscaling on spot instances",
]

DECISIONS = {
    MeetingKind.STAFF: [
        (
            "Pause new feature work in {team} for two weeks to bring past-due security issues under SLA",
            "The past-due count has been above target for three weeks; the SLA matters more than the roadmap slip.",
        ),
        (
            "Move the {team} on-call rota to follow-the-sun from next month",
            "Night pages in one region are burning people out; the other regions have capacity.",
        ),
        (
            "Approve the backfill for the open manager role in {team}",
            "The acting manager is covering two teams; hiring is cheaper than the attrition risk.",
        ),
        (
            "Adopt the new incident severity definitions across engineering",
            "Teams were grading the same outage differently; one definition makes the metrics comparable.",
        ),
        (
            "Escalate the vendor contract renewal to procurement with a two-week deadline",
            "The renewal blocks the capacity plan; waiting risks paying list price.",
        ),
        (
            "Keep {team}'s quarterly goal but move the launch date by two weeks",
            "Scope is right; the dependency on {other} lands late. A smaller launch would not be worth the risk.",
        ),
        (
            "Require a rollback plan in every database migration review",
            "Two recent incidents came from migrations that could not be reversed quickly.",
        ),
        (
            "Fund a reliability sprint for {team} next iteration",
            "Error budget exhausted for the month; customers have noticed.",
        ),
    ],
    MeetingKind.MBR: [
        (
            "Re-plan {team}'s hiring: two roles move to next quarter",
            "Time to fill is above target and the budget line is better spent on contractors for the migration.",
        ),
        (
            "Set the engineering-wide merge request rate target to 10 per engineer per month",
            "It matches the handbook indicator and is what the best-performing sections already reach.",
        ),
        (
            "Cut the observability vendor spend by consolidating on one tool",
            "Two tools do the same job; the saving pays for the reliability sprint.",
        ),
        (
            "Ask {team} for a recovery plan on its key results by next review",
            "Progress is well behind the share of the quarter elapsed.",
        ),
    ],
    MeetingKind.ARCHITECTURE: [
        (
            "Accept the design for {topic}",
            "Meets the scaling target with the least new infrastructure; reviewed by both affected teams.",
        ),
        (
            "Reject the first proposal for {topic}; ask for a phased design",
            "The big-bang migration has no rollback path.",
        ),
        (
            "Record an architecture decision: {topic}",
            "Agreed trade-offs written down so the next team does not reopen them.",
        ),
    ],
    MeetingKind.OFFSITE: [
        (
            "Merge the two {team} groups under one manager",
            "Both groups are under target size and share one roadmap.",
        ),
        (
            "Stop building the in-house deployment dashboard; use the product's own",
            "Dogfooding gives us the features our customers ask for and frees two engineers.",
        ),
        (
            "Make availability (99.95 %) the first engineering goal next quarter",
            "Availability incidents cost more customer trust than any feature gained.",
        ),
    ],
    MeetingKind.BOARD_PREP: [],
}

ACTIONS_FROM_MEETINGS = [
    "Share the {indicator} trend with {team} and agree a target date",
    "Draft the hiring plan update for {team}",
    "Write up the post-incident review for {team}",
    "Book a follow-up with {team} and {other} on the API dependency",
    "Update the engineering handbook page after today's discussion",
    "Bring a recovery plan for {team}'s key results to the next meeting",
    "Collect {team}'s input for the board deck engineering section",
    "Check the on-call load in {team} and propose a new rota",
    "Prepare options for reducing {indicator}",
    "Send the summary of decisions to all engineering managers",
]
ACTIONS_FROM_DECISIONS = [
    "Communicate the decision to {team}",
    "Update the roadmap for {team} to reflect the decision",
    "Put the decision into the handbook and link the decision log",
    "Measure the effect of the decision on {indicator} after four weeks",
]
ACTIONS_MANUAL = [
    "Renew the on-call rota for {team}",
    "Close out the past-due security issues in {team}",
    "Migrate {team}'s CI jobs to the new runner fleet",
    "Review the capacity plan for {team} with Finance",
    "Run the quarterly access review for {team}",
    "Finish the career-ladder update for {team}",
    "Reduce flaky end-to-end tests owned by {team} below 1 %",
    "Publish the {team} engineering roadmap for next quarter",
    "Agree the interface contract between {team} and {other}",
    "Plan the database upgrade rehearsal with {team}",
]
ACTIONS_IMPORTED = [
    "[Jira] Upgrade the logging pipeline agents for {team}",
    "[Jira] Remove the deprecated API endpoints owned by {team}",
    "[Jira] Rotate the service credentials used by {team}",
    "[Jira] Add SLO dashboards for {team}'s services",
]
PROGRESS_NOTES = [
    "First draft shared for comments.",
    "Half done; waiting on review from {other}.",
    "Picked up this week.",
    "Spoke to the team; plan agreed.",
    "Most of the work is in review.",
]
BLOCKED_NOTES = [
    "Blocked: waiting on {other} to ship their part.",
    "Blocked on a procurement decision.",
    "Blocked: nobody in {team} has capacity until the release is out.",
]
DUE_CHANGE_REASONS = [
    "Release freeze moved the work by a week.",
    "Depends on {other}, which slipped.",
    "Owner was on leave.",
    "Scope grew after the review.",
]


@dataclass
class MeetingPlan:
    meeting: Meeting
    series: SeriesPlan | None
    attendees: list[str]


def _leads_of(ctx: Context, slugs: list[str]) -> list[str]:
    out = []
    for slug in slugs:
        pid = ctx.org.leads.get(slug)
        if pid and pid not in out:
            out.append(pid)
    return out


def _plan_series(ctx: Context, login_ids: list[str]) -> list[SeriesPlan]:
    """The five recurring meetings of the CTO's office, anchored on today's week."""
    data = ctx.org.data
    cto, cos = data["cto"], "cos"
    departments = [t["slug"] for t in data["teams"] if t["level"] == "department"]
    department_leads = _leads_of(ctx, departments)
    unit_leads = _leads_of(ctx, ctx.units)
    lead1, lead2, staff = login_ids[2], login_ids[3], login_ids[4]
    senior_ics = [
        p["id"]
        for p in data["people"]
        if any(
            word in p["title"] for word in ("Distinguished", "Principal", "Staff Backend", "Fellow")
        )
    ][:4]
    monday = ctx.this_monday
    year_ago = monday - 52 * WEEK

    def unique(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(i for i in ids if i))

    offsite_day = monday - 6 * WEEK + dt.timedelta(days=2)  # a Wednesday six weeks ago
    board_day = monday + 2 * WEEK + dt.timedelta(days=3)  # a Thursday in two weeks
    mbr_first = dt.date(year_ago.year, year_ago.month, 1)
    return [
        SeriesPlan(
            "CTO staff meeting",
            MeetingKind.STAFF,
            "FREQ=WEEKLY;BYDAY=MO",
            ctx.local(year_ago, 10),
            60,
            unique([cto, cos, *department_leads, lead1]),
            STAFF_TEMPLATE,
            video_url="https://meet.example.com/cto-staff",
        ),
        SeriesPlan(
            "Engineering monthly business review",
            MeetingKind.MBR,
            "FREQ=MONTHLY;BYDAY=+1TU",
            ctx.local(mbr_first, 15),
            120,
            unique([cto, cos, *department_leads, *unit_leads]),
            MBR_TEMPLATE,
            video_url="https://meet.example.com/eng-mbr",
        ),
        SeriesPlan(
            "Architecture review",
            MeetingKind.ARCHITECTURE,
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            ctx.local(year_ago + dt.timedelta(days=3), 16),
            45,
            unique(
                [
                    cto,
                    cos,
                    *_leads_of(ctx, ["development", "infrastructure"]),
                    lead2,
                    staff,
                    *senior_ics,
                ]
            ),
            ARCHITECTURE_TEMPLATE,
            video_url="https://meet.example.com/arch-review",
        ),
        SeriesPlan(
            "Quarterly leadership offsite",
            MeetingKind.OFFSITE,
            "FREQ=WEEKLY;INTERVAL=13;BYDAY=WE",
            ctx.local(offsite_day - 52 * WEEK, 9),
            7 * 60,
            unique([cto, cos, *department_leads, lead1]),
            OFFSITE_TEMPLATE,
            location="Offsite venue (to be confirmed)",
        ),
        SeriesPlan(
            "Board prep",
            MeetingKind.BOARD_PREP,
            "FREQ=WEEKLY;INTERVAL=13;BYDAY=TH",
            ctx.local(board_day - 52 * WEEK, 14),
            90,
            unique([cto, cos, *_leads_of(ctx, ["development", "infrastructure", "security"])]),
            BOARD_PREP_TEMPLATE,
            video_url="https://meet.example.com/board-prep",
        ),
    ]


def seed_meetings(ctx: Context, login_ids: list[str]) -> tuple[list[MeetingPlan], list[Decision]]:
    """Series with RRULEs, their meetings from 8 weeks back to 3 weeks ahead, agendas, pre-reads, decisions.

    Past meetings are ``minutes_published`` except those of the last seven days
    (``held``, minutes not yet written) and one cancelled staff meeting;
    the next meeting of each series has its agenda published, later ones are drafts.
    The offsite is in the window six weeks back so its decisions are there.
    """
    rng, org = ctx.rng, ctx.org
    plans = _plan_series(ctx, login_ids)
    series_rows: list[tuple[MeetingSeries, SeriesPlan]] = []
    for plan in plans:
        series = MeetingSeries.objects.create(
            title=plan.title,
            kind=plan.kind,
            owner=org.cos,
            rrule=plan.rrule,
            time_zone=ctx.office.time_zone,
            first_start=plan.first_start,
            duration_minutes=plan.duration,
            agenda_template=[{**item, "kind": str(item["kind"])} for item in plan.template],
        )
        series_rows.append((series, plan))
    SeriesThrough = MeetingSeries.default_attendees.through
    SeriesThrough.objects.bulk_create(
        SeriesThrough(meetingseries_id=s.pk, user_id=ctx.user(pid).pk)
        for s, p in series_rows
        for pid in p.attendees
    )

    window_start, window_end = ctx.now - MEETINGS_BACK, ctx.now + MEETINGS_AHEAD
    meeting_plans: list[MeetingPlan] = []
    for series, plan in series_rows:
        starts = series.occurrences(window_start, window_end)
        past = [s for s in starts if s < ctx.now]
        future = [s for s in starts if s >= ctx.now]
        cancelled = past[-5] if plan.kind == MeetingKind.STAFF and len(past) >= 5 else None
        for start in starts:
            if start == cancelled:
                state = Meeting.State.CANCELLED
            elif start < ctx.now:
                recent = ctx.now - start < dt.timedelta(days=7)
                state = Meeting.State.HELD if recent else Meeting.State.MINUTES_PUBLISHED
            elif future and start == future[0]:
                state = Meeting.State.AGENDA_PUBLISHED
            else:
                state = Meeting.State.DRAFT
            meeting = Meeting(
                series=series,
                title=plan.title,
                kind=plan.kind,
                start=start,
                end=start + dt.timedelta(minutes=plan.duration),
                location=plan.location,
                video_url=plan.video_url,
                state=state,
            )
            meeting_plans.append(MeetingPlan(meeting, plan, plan.attendees))
    Meeting.objects.bulk_create([mp.meeting for mp in meeting_plans])
    MeetingThrough = Meeting.attendees.through
    MeetingThrough.objects.bulk_create(
        MeetingThrough(meeting_id=mp.meeting.pk, user_id=ctx.user(pid).pk)
        for mp in meeting_plans
        for pid in mp.attendees
    )

    indicators = [i for i in org.data["indicators"] if i["health"] in (1, 2)]
    team_slugs = [t for t in ctx.units]
    agenda: list[tuple[MeetingPlan, AgendaItem]] = []
    for mp in meeting_plans:
        meeting, plan = mp.meeting, mp.series
        if meeting.state == Meeting.State.CANCELLED:
            continue
        held = meeting.state in (Meeting.State.HELD, Meeting.State.MINUTES_PUBLISHED)
        for position, item in enumerate(plan.template):
            title = item["title"]
            if title == "Topic of the week":
                title = f"Topic: {rng.choice(indicators)['name']}"
            elif title == "Design review":
                title = f"Design review: {rng.choice(ARCHITECTURE_TOPICS)}"
            presenter = org.cto if position == 0 else ctx.user(rng.choice(mp.attendees))
            notes = ""
            if held:
                notes = rng.choice(
                    [
                        "Discussed; see decisions.",
                        "Noted. No objections.",
                        "Agreed to revisit next time with data.",
                        "Owners confirmed in the action register.",
                    ]
                )
            agenda.append(
                (
                    mp,
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=title,
                        presenter=presenter,
                        time_box_minutes=item["minutes"],
                        kind=item["kind"],
                        notes=notes,
                    ),
                )
            )
    AgendaItem.objects.bulk_create([a for _, a in agenda])

    # Pre-reads for every meeting that is held or whose agenda is out.
    pre_reads: list[tuple[MeetingPlan, PreRead]] = []
    for mp in meeting_plans:
        meeting = mp.meeting
        if meeting.state in (Meeting.State.CANCELLED, Meeting.State.DRAFT):
            continue
        week = ctx.local_date(meeting.start).isocalendar()
        picks = rng.sample(indicators, 3)
        body = "\n".join(
            f"- **{i['name']}** (target: {i['target'] or 'not set'}): {'; '.join(i['reasons'][:1]) or 'no comment'}"
            for i in picks
        )
        titles = {
            MeetingKind.STAFF: f"Weekly metrics pack, {week.year}-W{week.week:02d}",
            MeetingKind.MBR: f"Monthly business review pack, {meeting.start.astimezone(ctx.tz):%B %Y}",
            MeetingKind.ARCHITECTURE: "Design document for review",
            MeetingKind.OFFSITE: "Offsite pre-read: the state of engineering",
            MeetingKind.BOARD_PREP: "Board deck draft: engineering section",
        }
        pre_reads.append(
            (
                mp,
                PreRead(
                    meeting=meeting,
                    title=titles[mp.series.kind],
                    body=f"Indicators to look at before the meeting:\n\n{body}\n",
                    due_by=meeting.start - dt.timedelta(hours=18),
                ),
            )
        )
        if mp.series.kind in (MeetingKind.MBR, MeetingKind.OFFSITE, MeetingKind.BOARD_PREP):
            pre_reads.append(
                (
                    mp,
                    PreRead(
                        meeting=meeting,
                        title="Headcount and hiring against plan",
                        url="https://docs.example.com/engineering/headcount",
                        body="Filled versus planned headcount per department, open requisitions and time to fill.",
                        due_by=meeting.start - dt.timedelta(days=1),
                    ),
                )
            )
    PreRead.objects.bulk_create([p for _, p in pre_reads])
    acks = []
    for mp, pre_read in pre_reads:
        past = mp.meeting.start < ctx.now
        share = 0.8 if past else 0.4
        for pid in mp.attendees:
            if rng.random() < share:
                latest = min(
                    pre_read.due_by + dt.timedelta(hours=2), ctx.now - dt.timedelta(minutes=5)
                )
                read_at = latest - dt.timedelta(hours=rng.randint(0, 60))
                acks.append(
                    PreReadAcknowledgement(pre_read=pre_read, user=ctx.user(pid), read_at=read_at)
                )
    PreReadAcknowledgement.objects.bulk_create(acks)

    # Decisions on the decision items of held meetings; the latest held meeting always has some.
    decisions: list[Decision] = []
    held_items = [
        (mp, item)
        for mp, item in agenda
        if mp.meeting.state in (Meeting.State.HELD, Meeting.State.MINUTES_PUBLISHED)
        and item.kind == AgendaItemKind.DECISION
    ]
    latest_held = max((mp.meeting.start for mp, _ in held_items), default=None)
    for mp, item in held_items:
        pool = DECISIONS[mp.series.kind]
        if not pool:
            continue
        if mp.meeting.start != latest_held and rng.random() > 0.6:
            continue
        summary, rationale = rng.choice(pool)
        team, other = rng.sample(team_slugs, 2)
        fill = {
            "team": ctx.team_name(team),
            "other": ctx.team_name(other),
            "topic": item.title.split(": ")[-1],
        }
        decisions.append(
            Decision(
                meeting=mp.meeting,
                agenda_item=item,
                summary=summary.format(**fill)[:300],
                rationale=rationale.format(**fill),
                decided_by=org.cto,
                decided_on=ctx.local_date(mp.meeting.start),
            )
        )
    Decision.objects.bulk_create(decisions)

    by_meeting: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_meeting[decision.meeting_id].append(decision)
    minuted = []
    for mp in meeting_plans:
        if mp.meeting.state == Meeting.State.MINUTES_PUBLISHED:
            names = ", ".join(ctx.user(pid).get_full_name() for pid in mp.attendees[:8])
            lines = [f"## Attendees\n\n{names}\n", "## Decisions\n"]
            lines += [f"- {d.summary}" for d in by_meeting.get(mp.meeting.pk, [])] or [
                "- None recorded."
            ]
            lines.append("\n## Actions\n\nRecorded in the action register.")
            mp.meeting.minutes = "\n".join(lines)
            minuted.append(mp.meeting)
    Meeting.objects.bulk_update(minuted, ["minutes"])
    return meeting_plans, decisions


# Escalations

ESCALATIONS = {
    Escalation.Category.DELIVERY: [
        (
            "{team} release at risk: the {other} dependency has slipped twice",
            "The feature flag cannot be removed until {other} ships. We need a decision on scope or date.",
        ),
        (
            "{team} will miss the committed date for the customer commitment",
            "Two engineers were pulled onto incidents; the remaining work is 3 weeks.",
        ),
    ],
    Escalation.Category.INCIDENT: [
        (
            "Repeated S2 incidents in services owned by {team}",
            "Third S2 in a month with the same root cause; corrective actions are not being prioritised.",
        ),
        (
            "Error budget exhausted for {team}'s main service",
            "The SLO has been breached for 9 of the last 30 days.",
        ),
    ],
    Escalation.Category.SECURITY: [
        (
            "Past-due S1 security issue in code owned by {team}",
            "The fix is ready but waiting for review capacity; the SLA expires this week.",
        ),
        (
            "Leaked token found in {team}'s CI logs",
            "Rotated already; need a decision on disclosure and a review of log masking.",
        ),
    ],
    Escalation.Category.PEOPLE: [
        (
            "Attrition risk: two senior engineers in {team} considering offers",
            "Both cite on-call load and unclear career progression.",
        ),
        (
            "Conflict between the managers of {team} and {other}",
            "Repeated disagreements are blocking joint planning; needs a neutral facilitator.",
        ),
    ],
    Escalation.Category.VENDOR: [
        (
            "Cloud provider committed-use renewal blocked in procurement",
            "Without the renewal we pay on-demand rates from next month.",
        ),
        (
            "Monitoring vendor raising prices 40 % at renewal",
            "We need a decision on negotiating, switching or consolidating.",
        ),
    ],
    Escalation.Category.ARCHITECTURE: [
        (
            "{team} and {other} disagree on who owns the job queue",
            "Both teams have designs in flight; duplicated work is likely without a ruling.",
        ),
        (
            "Proposal to split the monolith's background jobs needs a decision",
            "The design review stalled; {team} needs an answer to plan next quarter.",
        ),
    ],
    Escalation.Category.CROSS_TEAM: [
        (
            "{team} blocked on {other} for an API change",
            "The change has been in {other}'s backlog for six weeks.",
        ),
        (
            "On-call hand-off between {team} and {other} unclear",
            "Pages are bounced between teams during incidents.",
        ),
    ],
}
RESOLUTIONS = [
    "Agreed a plan with both leads; actions in the register.",
    "Decided by the CTO in the staff meeting.",
    "Resolved after the vendor call; new terms accepted.",
    "Fixed and verified; corrective action tracked.",
]
DECLINES = [
    "Declined: a team-level decision, sent back to the team lead.",
    "Declined: duplicate of an escalation already routed.",
]


def seed_escalations(ctx: Context, login_ids: list[str]) -> list[Escalation]:
    """~60 escalations over the last 8 weeks covering every category, severity and state.

    People escalations are always confidential and security ones usually; SLA
    due times come from ``OfficeSettings.sla_hours``. A few ``new`` ones are
    past their SLA. The staff and team-lead logins raise some (one confidential).
    """
    rng, org = ctx.rng, ctx.org
    categories = list(Escalation.Category)
    severities = list(Escalation.Severity)
    states = list(Escalation.State)
    weights = {
        "new": 12,
        "triaged": 15,
        "routed": 25,
        "raised_to_cto": 10,
        "resolved": 30,
        "declined": 8,
    }
    sla = ctx.office.sla_hours
    escalations = []
    for n in range(60):
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
        if n in (
            3,
            10,
        ):  # the staff login raises a confidential people escalation and a delivery one
            raised_by = login_ids[4]
            category = Escalation.Category.PEOPLE if n == 3 else Escalation.Category.DELIVERY
        elif n in (6, 13):
            raised_by = login_ids[2]
        title, description = rng.choice(ESCALATIONS[category])
        fill = {"team": ctx.team_name(team), "other": ctx.team_name(other)}
        if state == Escalation.State.NEW:
            age = dt.timedelta(hours=rng.randint(1, 30) if n % 3 else rng.randint(80, 300))
        else:
            age = dt.timedelta(hours=rng.randint(12, 8 * 7 * 24))
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
            sla_due_at=created + dt.timedelta(hours=sla[severity]),
        )
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
                RESOLUTIONS if state == Escalation.State.RESOLVED else DECLINES
            )
            if state == Escalation.State.RESOLVED and rng.random() < 0.5:
                escalation.routed_to = org.lead_user(team)
        escalations.append(escalation)
    Escalation.objects.bulk_create(escalations)
    return escalations


# Actions


@dataclass
class ActionPlan:
    action: ActionItem
    original_due: dt.date
    updates: list[ActionUpdate] = field(default_factory=list)


def _fill(ctx: Context, template: str, team: str) -> str:
    others = [u for u in ctx.units if u != team]
    indicator = ctx.rng.choice(ctx.org.data["indicators"])["name"]
    return template.format(
        team=ctx.team_name(team), other=ctx.team_name(ctx.rng.choice(others)), indicator=indicator
    )


def _unit_of(ctx: Context, slug: str) -> str:
    """The reporting unit a team belongs to (itself, or its nearest ancestor that is a unit)."""
    parents = {t["slug"]: t["parent"] for t in ctx.org.data["teams"]}
    while slug and slug not in ctx.units:
        slug = parents[slug]
    return slug or "engineering"


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
                        rng.choice(ACTIONS_FROM_MEETINGS),
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
                    rng.choice(ACTIONS_FROM_DECISIONS),
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
                    f"Follow up {escalation.key}: {escalation.title}"[:300],
                    {"source_escalation": escalation},
                )
            )
    for _ in range(90):
        specs.append(
            (
                "manual",
                ctx.now - dt.timedelta(hours=rng.randint(4, 9 * 7 * 24)),
                rng.choice(ACTIONS_MANUAL),
                {},
            )
        )
    for _ in range(30):
        specs.append(
            (
                "import",
                ctx.now - dt.timedelta(hours=rng.randint(24, 8 * 7 * 24)),
                rng.choice(ACTIONS_IMPORTED),
                {},
            )
        )

    # Each demo login owns a handful, overdue ones included.
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
            title = _fill(ctx, template, _unit_of(ctx, team_slug))
        created_at = min(created_at, ctx.now - dt.timedelta(minutes=30))
        created_day = ctx.local_date(created_at)
        original_due = created_day + dt.timedelta(days=rng.choice([3, 5, 7, 10, 14, 21, 28, 35]))
        moved = rng.random() < 0.25
        due = original_due + dt.timedelta(days=rng.choice([7, 14])) if moved else original_due
        if due < ctx.today:  # about a quarter of these stay open: the overdue ones
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
    ActionItem.objects.bulk_create([p.action for p in plans])
    for plan in plans:
        for update in plan.updates:
            update.action = plan.action
    ActionUpdate.objects.bulk_create([u for p in plans for u in p.updates])
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
    team = _unit_of(ctx, action.team.slug) if action.team else "engineering"
    start = action.created_at
    end = ctx.now - dt.timedelta(minutes=rng.randint(10, 600))
    if end <= start:
        end = start + dt.timedelta(minutes=1)
    steps: list[dict] = [
        {
            "from": "",
            "to": "open",
            "note": {
                "meeting": "Recorded in the meeting.",
                "decision": "Follows from a decision in the log.",
                "escalation": "Created while triaging the escalation.",
                "manual": "Added to the register.",
                "import": "Imported from the Jira export.",
            }[action.source],
        }
    ]
    if action.due_date != plan.original_due:
        steps.append(
            {
                "old_due": plan.original_due,
                "new_due": action.due_date,
                "reason": _fill(ctx, rng.choice(DUE_CHANGE_REASONS), team),
            }
        )
    if action.status in ("in_progress", "blocked", "done"):
        steps.append(
            {
                "from": "open",
                "to": "in_progress",
                "note": _fill(ctx, rng.choice(PROGRESS_NOTES), team),
            }
        )
    if action.status == "blocked":
        steps.append(
            {
                "from": "in_progress",
                "to": "blocked",
                "note": _fill(ctx, rng.choice(BLOCKED_NOTES), team),
            }
        )
    if action.status == "done":
        steps.append({"from": "in_progress", "to": "done", "note": "Done."})
    if action.status == "dropped":
        steps.append(
            {"from": "open", "to": "dropped", "note": "No longer needed after the re-plan."}
        )
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


def seed_chase_notices(ctx: Context, plans: list[ActionPlan]) -> None:
    """Reminders already sent for about three quarters of the overdue actions.

    One notice per ladder level reached (``OfficeSettings.chase_ladder`` days
    overdue), sent at the chase hour on the day the level was reached, to the
    owner, the owner's team lead, then the Chief of Staff.
    """
    rng, org = ctx.rng, ctx.org
    ladder = ctx.office.chase_ladder
    notices = []
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
            notices.append(
                ChaseNotice(
                    action=action,
                    recipient=recipient,
                    level=level,
                    sent_on=sent_on,
                    sent_at=sent_at,
                )
            )
    ChaseNotice.objects.bulk_create(notices)


# OKRs

#: Key-result trajectories: share of planned progress reached now, confidence, and shape.
KR_PROFILES = {
    "on_track": {"factor": (0.95, 1.2), "confidence": (0.72, 0.9), "falling": False},
    "behind_quietly": {"factor": (0.35, 0.55), "confidence": (0.7, 0.8), "falling": False},
    "confidence_falling": {"factor": (0.9, 1.05), "confidence": (0.78, 0.85), "falling": True},
    "at_risk_flagged": {"factor": (0.4, 0.6), "confidence": (0.25, 0.4), "falling": False},
}
CHECK_IN_NOTES = {
    "on_track": [
        "On plan.",
        "Good week; on track.",
        "Shipped the next milestone.",
        "No change; on plan.",
    ],
    "behind_quietly": [
        "Progressing; no blockers reported.",
        "Work continues.",
        "Steady.",
        "In progress.",
    ],
    "confidence_falling": [
        "Dependency slipping; still expect to land.",
        "Less sure now: review capacity is short.",
        "Risk growing; will confirm next week.",
    ],
    "at_risk_flagged": [
        "At risk: needs a decision on scope.",
        "Red: not enough people on it.",
        "Flagged in the staff meeting.",
    ],
}


def choose_kr_profiles(ctx: Context) -> dict[str, str]:
    """Team slug → trajectory profile: 2 quietly behind on progress, 2 with falling confidence, 1 flagged."""
    kr_teams = sorted(
        {kr["team"] for o in ctx.org.data["objectives"] for kr in o["key_results"]}
        - {"engineering"}
    )
    picked = ctx.rng.sample(kr_teams, 5)
    profiles = {slug: "on_track" for slug in kr_teams}
    profiles["engineering"] = "on_track"
    profiles.update(
        {
            picked[0]: "behind_quietly",
            picked[1]: "behind_quietly",
            picked[2]: "confidence_falling",
            picked[3]: "confidence_falling",
            picked[4]: "at_risk_flagged",
        }
    )
    return profiles


def seed_okrs(ctx: Context) -> dict[str, str]:
    """Objectives and key results of the demo quarter with 12 weekly check-ins (Mondays) each.

    Texts come from the handbook's OKR pages. A key result with numbers in its
    text keeps them (start, target, unit); any other is measured in percent
    complete (0 → 100). Returns the team profiles (``choose_kr_profiles``).
    """
    rng, org = ctx.rng, ctx.org
    label, start, end = okr_quarter(ctx.today)
    profiles = choose_kr_profiles(ctx)
    days = (end - start).days + 1
    check_dates = [start + WEEK * k for k in range(HISTORY_WEEKS) if start + WEEK * k <= ctx.today]
    objectives, krs = [], []
    for o in org.data["objectives"]:
        objective = Objective(
            team=org.teams[o["team"]],
            title=o["title"][:400],
            quarter=label,
            period_start=start,
            period_end=end,
            owner=org.lead_user(o["team"]),
        )
        objectives.append(objective)
        for kr in o["key_results"]:
            measure = kr["measure"] or {"start": 0, "target": 100, "unit": "%"}
            krs.append((objective, kr, measure))
    Objective.objects.bulk_create(objectives)

    key_results, check_ins = [], []
    for objective, kr, measure in krs:
        profile_name = profiles.get(kr["team"], "on_track")
        profile = KR_PROFILES[profile_name]
        factor = rng.uniform(*profile["factor"])
        if profile_name == "on_track" and rng.random() < 0.15:
            factor = 1.4  # finished early
        base_conf = rng.uniform(*profile["confidence"])
        integer = measure["unit"] == "items"
        s, t = float(measure["start"]), float(measure["target"])
        values, confidences = [], []
        progress = 0.0
        for k, day in enumerate(check_dates):
            planned = ((day - start).days + 1) / days
            progress = max(progress, min(1.0, planned * factor * rng.uniform(0.9, 1.1)))
            value = s + (t - s) * progress
            values.append(round(value) if integer else round(value, 2))
            # Confidence never dips by chance: only the falling profile falls.
            confidence = base_conf + (0.01 * (k // 3) if profile_name == "on_track" else 0.0)
            from_end = len(check_dates) - 1 - k
            if profile["falling"] and from_end < 4:
                confidence = base_conf - (4 - from_end) * 0.1
            confidences.append(min(1.0, max(0.05, confidence)))
        if not check_dates:
            values = [s]
        key_result = KeyResult(
            objective=objective,
            team=org.teams[kr["team"]],
            title=kr["title"][:400],
            owner=org.lead_user(kr["team"]),
            start_value=_dec(s),
            target_value=_dec(t),
            current_value=_dec(values[-1]),
            unit=measure["unit"][:30],
        )
        key_results.append(key_result)
        notes = CHECK_IN_NOTES[profile_name]
        for day, value, confidence in zip(check_dates, values, confidences):
            check_ins.append(
                KeyResultCheckIn(
                    key_result=key_result,
                    date=day,
                    value=_dec(value),
                    confidence=_dec(confidence),
                    note=rng.choice(notes),
                    author=key_result.owner,
                )
            )
    KeyResult.objects.bulk_create(key_results)
    KeyResultCheckIn.objects.bulk_create(check_ins)
    return profiles


# Snapshots


def seed_snapshots(ctx: Context, profiles: dict[str, str]) -> None:
    """12 weekly tech-debt and headcount snapshots (Mondays) per reporting unit.

    Headcount ends at the unit's real size from the data file, planned at
    filled + open vacancies + 0–2; earlier weeks are reconstructed backwards
    from random starters and leavers. Tech debt grows in units whose key
    results are behind and in a few others, and shrinks or holds elsewhere.
    """
    rng, org = ctx.rng, ctx.org
    dates = [ctx.this_monday - WEEK * k for k in range(HISTORY_WEEKS)]  # newest first
    vacancies_by_team: dict[str, int] = defaultdict(int)
    for v in org.data["vacancies"]:
        vacancies_by_team[v["team"]] += 1
    behind_units = {
        _unit_of(ctx, slug)
        for slug, p in profiles.items()
        if p != "on_track" and slug != "engineering"
    }
    growing = behind_units | set(rng.sample(ctx.units, 2))
    headcounts, debts = [], []
    for unit in ctx.units:
        team = org.teams[unit]
        filled = len(org.members(unit))
        open_reqs = sum(vacancies_by_team[s] for s in org.subtree(unit))
        planned = filled + open_reqs + rng.randint(0, 2)
        attrition = rng.random() < 0.25
        for day in dates:
            starters = 1 if rng.random() < min(0.5, filled / 60) else 0
            leavers = 1 if rng.random() < (0.25 if attrition else 0.08) else 0
            headcounts.append(
                HeadcountSnapshot(
                    team=team,
                    date=day,
                    filled=max(filled, 0),
                    planned=planned,
                    open_requisitions=open_reqs,
                    starters=starters,
                    leavers=leavers,
                )
            )
            # Step one week back: undo this week's movements.
            filled = max(0, filled - starters + leavers)
            open_reqs = max(0, open_reqs + starters - (1 if rng.random() < 0.1 else 0))

        trend = rng.uniform(0.02, 0.05) if unit in growing else rng.uniform(-0.04, 0.005)
        items = max(8.0, len(org.members(unit)) * rng.uniform(2.0, 4.5))
        share = rng.uniform(0.12, 0.22) + (0.08 if unit in growing else 0.0)
        effort_per_item = rng.uniform(1.0, 2.5)
        for k, day in enumerate(dates):
            count = max(1, round(items * (1 + trend) ** (-k) * rng.uniform(0.97, 1.03)))
            critical = max(0, round(count * rng.uniform(0.02, 0.08)))
            high = round(count * rng.uniform(0.15, 0.25))
            medium = round(count * rng.uniform(0.35, 0.5))
            low = max(0, count - critical - high - medium)
            debts.append(
                TechDebtSnapshot(
                    team=team,
                    date=day,
                    items_open=count,
                    effort_days=_dec(count * effort_per_item, 1),
                    critical=critical,
                    high=high,
                    medium=medium,
                    low=low,
                    capacity_share=_dec(
                        min(0.95, max(0.02, share * (1 + trend) ** (-k) + rng.uniform(-0.01, 0.01)))
                    ),
                )
            )
    HeadcountSnapshot.objects.bulk_create(headcounts)
    TechDebtSnapshot.objects.bulk_create(debts)


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


def row_counts() -> dict[str, int]:
    """Rows per model of the demo (users included), e.g. ``{"User": 387, "Team": 87, …}``."""
    counts = {"User": get_user_model().objects.count()}
    counts.update({model.__name__: model.objects.count() for model in MODELS_COUNTED})
    return counts


def generate_activity(
    *, org, office: OfficeSettings, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Generate the whole quarter (see the module docstring); return row counts per model."""
    from cto_office.demo.loader import demo_login_people

    ctx = Context(org=org, office=office, now=now, rng=rng)
    ctx.units = reporting_units(org)
    login_ids = [login.person_id for login in demo_login_people(org.data)]
    # One child generator per section, drawn up front: how many meetings fall in
    # the window depends on the weekday, and must not change which teams are behind.
    sections = ("requisitions", "meetings", "escalations", "actions", "chase", "okrs", "snapshots")
    seeds = {name: rng.getrandbits(64) for name in sections}

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
    return row_counts()
