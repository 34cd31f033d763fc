"""The demo's texts: agenda templates, decision, action and escalation wordings, notes.

Everything here is invented. ``{team}`` and ``{other}`` are filled with team
names, ``{indicator}`` with a performance indicator's name and ``{topic}`` with
an architecture topic; the generators in this package pick among them with the
seeded random source, so the order of every list is part of the demo's data.
"""

from __future__ import annotations

from actions.models import Escalation
from cadence.models import AgendaItemKind, MeetingKind

INFORMATION, DISCUSSION, DECISION = (
    AgendaItemKind.INFORMATION,
    AgendaItemKind.DISCUSSION,
    AgendaItemKind.DECISION,
)

# Agenda templates: (title, minutes, kind) per item, in order.

STAFF_TEMPLATE = [
    ("Briefing highlights and metrics", 10, INFORMATION),
    ("Escalations raised to the CTO", 15, DECISION),
    ("Open actions review", 10, DISCUSSION),
    ("Topic of the week", 20, DISCUSSION),
    ("Decisions and owners", 5, DECISION),
]
MBR_TEMPLATE = [
    ("OKR progress by department", 30, DISCUSSION),
    ("Headcount and hiring against plan", 20, INFORMATION),
    ("Performance indicators needing attention", 30, DISCUSSION),
    ("Budget and vendor spend", 20, DECISION),
    ("Asks of the CTO", 15, DECISION),
]
ARCHITECTURE_TEMPLATE = [
    ("Design review", 30, DECISION),
    ("Follow-ups from the last review", 15, DISCUSSION),
]
OFFSITE_TEMPLATE = [
    ("Where we are: the quarter so far", 60, INFORMATION),
    ("Strategy: next year's engineering bets", 120, DISCUSSION),
    ("Organisation design and hiring plan", 90, DECISION),
    ("Technical debt: what we stop doing", 90, DECISION),
    ("Commitments and owners", 60, DECISION),
]
BOARD_PREP_TEMPLATE = [
    ("Engineering section of the board deck", 30, DISCUSSION),
    ("Availability, security and incidents summary", 20, INFORMATION),
    ("Questions the board will ask", 25, DISCUSSION),
    ("Sign-off", 15, DECISION),
]
#: A reporting unit's own weekly leadership meeting (``seed_demo --scale large``).
UNIT_STAFF_TEMPLATE = [
    ("Metrics, incidents and on-call", 10, INFORMATION),
    ("Escalations and cross-team blockers", 10, DECISION),
    ("Open actions review", 10, DISCUSSION),
    ("Topic of the week", 15, DISCUSSION),
]
#: Template items whose title gets a topic: ``Topic: <indicator>``, ``Design review: <topic>``.
TOPIC_OF_THE_WEEK = "Topic of the week"
DESIGN_REVIEW = "Design review"

AGENDA_NOTES = [
    "Discussed; see decisions.",
    "Noted. No objections.",
    "Agreed to revisit next time with data.",
    "Owners confirmed in the action register.",
]

# Pre-reads: one per held or published meeting, plus the headcount pack for the big ones.

PRE_READ_TITLES = {
    MeetingKind.STAFF: "Weekly metrics pack, {week}",
    MeetingKind.MBR: "Monthly business review pack, {month}",
    MeetingKind.ARCHITECTURE: "Design document for review",
    MeetingKind.OFFSITE: "Offsite pre-read: the state of engineering",
    MeetingKind.BOARD_PREP: "Board deck draft: engineering section",
}
PRE_READ_BODY = "Indicators to look at before the meeting:\n\n{lines}\n"
PRE_READ_LINE = "- **{name}** (target: {target}): {reason}"
HEADCOUNT_PRE_READ = {
    "title": "Headcount and hiring against plan",
    "url": "https://docs.example.com/engineering/headcount",
    "body": "Filled versus planned headcount per department, open requisitions and time to fill.",
}
MINUTES_ATTENDEES = "## Attendees\n\n{names}\n"
MINUTES_DECISIONS = "## Decisions\n"
MINUTES_NO_DECISION = "- None recorded."
MINUTES_ACTIONS = "\n## Actions\n\nRecorded in the action register."

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
    "Waiting for the security review slot.",
    "An incident in {team} took the week.",
    "Vendor answer came late.",
]
#: Progress notes added between status changes (no status change of their own).
ACTION_PROGRESS_NOTES = [
    "Still on track for the date.",
    "Talked it through with {other}; no blockers.",
    "About a third done.",
    "Review comments addressed.",
]

#: The first entry of every action's history, by source.
CREATION_NOTES = {
    "meeting": "Recorded in the meeting.",
    "decision": "Follows from a decision in the log.",
    "escalation": "Created while triaging the escalation.",
    "manual": "Added to the register.",
    "import": "Imported from the Jira export.",
}
DONE_NOTE = "Done."
DROPPED_NOTE = "No longer needed after the re-plan."

#: The title of an action made from an escalation …
ESCALATION_FOLLOW_UP = "Follow up {key}: {title}"
#: … and from a confidential one, which must not repeat what is confidential: action
#: titles are shown to team leads on the home page and in the register.
CONFIDENTIAL_FOLLOW_UP = "Follow up confidential escalation {key}"

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

# OKR check-ins, by trajectory profile (see ``okrs.KR_PROFILES``)

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
    "gone_quiet": [
        "On plan.",
        "No change.",
    ],
    "at_risk_flagged": [
        "At risk: needs a decision on scope.",
        "Red: not enough people on it.",
        "Flagged in the staff meeting.",
    ],
}
