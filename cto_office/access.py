"""Who may see and change what: the only place that decides it.

Every list, detail page, export, PDF and e-mail fetches through these
functions, so that an object a user may not see is simply absent (views turn
that into a 404, never a 403 that would confirm it exists).

Roles are Django groups (DESIGN.md §1): ``Chief of Staff``, ``CTO`` and
``Team lead``; everyone else signed in is staff. Superusers count as Chief of
Staff. The rules:

- Escalations: the CoS and the CTO see all; anyone else sees the
  non-confidential ones plus the confidential ones they raised, are routed
  to, or own an action made from (DESIGN.md §2). The CoS triages; the CTO
  decides what was raised to them.
- Briefings: the CoS and the CTO only.
- Actions: everyone sees the actions they own; a team lead also sees those of
  the teams they lead (and the teams below them); the CoS and the CTO see all.
- Meetings (and their decisions): the ones a user attends; the CoS and the CTO see all.

Templates take no access decision: a view asks these functions (a scope such as
``action_scope``, or an object fetched through a ``*_for`` queryset, or None)
and hands the template the answer.

Layering: this module is part of the base of ``cto_office`` and every app imports
it, so it must not import an app at module level (that would be a package cycle:
``actions.selectors`` → ``access`` → ``actions.models``). The app models it
scopes are named for type checkers under ``TYPE_CHECKING`` and resolved at call
time through Django's app registry (``django.apps.apps.get_model``, Django docs
"Applications": the registry is ready once ``django.setup()`` has run, which is
before any request, task or command). We chose the registry over imports inside
functions because it states the dependency as data (an app label), which the
import rule test (``tests/test_layering.py``) can allow precisely, and it never
hides a real import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from cto_office.models import Team

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from actions.models import ActionItem, Escalation
    from briefings.models import Briefing, KeyResult
    from cadence.models import Decision, Meeting, PreRead

CHIEF_OF_STAFF = "Chief of Staff"
CTO = "CTO"
TEAM_LEAD = "Team lead"
ROLE_GROUPS = (CHIEF_OF_STAFF, CTO, TEAM_LEAD)


def _groups(user: User | AnonymousUser) -> frozenset[str]:
    """The user's role group names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_groups", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._role_groups = cached
    return cached


def is_chief_of_staff(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or CHIEF_OF_STAFF in _groups(user))


def is_cto(user: User | AnonymousUser) -> bool:
    return CTO in _groups(user)


def is_team_lead(user: User | AnonymousUser) -> bool:
    return TEAM_LEAD in _groups(user)


def is_office(user: User | AnonymousUser) -> bool:
    """The CoS or the CTO: the two roles that see everything."""
    return is_chief_of_staff(user) or is_cto(user)


def chiefs_of_staff() -> QuerySet[User]:
    """Every active Chief of Staff (the group, and superusers, who count as one), by username."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=CHIEF_OF_STAFF) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


def role_label(user: User | AnonymousUser) -> str:
    """The user's most senior role, for display."""
    if is_chief_of_staff(user):
        return CHIEF_OF_STAFF
    if is_cto(user):
        return CTO
    if is_team_lead(user):
        return TEAM_LEAD
    return "Staff"


def led_team_ids(user: User | AnonymousUser) -> list[int]:
    """Ids of the teams the user leads and every team below them.

    Two queries at most, once per user object: like the role groups, the
    result is cached on the user for the request (a page that scopes actions
    through ``actions_for`` and also lists the led teams' figures reads the
    tree once).
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_led_team_ids", None)
    if cached is None:
        cached = _team_tree_below(user)
        user._led_team_ids = cached
    return list(cached)


def _team_tree_below(user: User) -> list[int]:
    """Ids of the teams ``user`` leads and of every team below them (two queries at most)."""
    return teams_below(list(Team.objects.filter(lead=user).values_list("pk", flat=True)))


def teams_below(team_ids: list[int]) -> list[int]:
    """``team_ids`` and the ids of every team below them in the org tree, sorted (one query,
    none for an empty list). The tree is small (tens to a few hundred teams): its parent links
    are loaded once and walked in Python."""
    if not team_ids:
        return []
    children: dict[int, list[int]] = {}
    for pk, parent_id in Team.objects.exclude(parent=None).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    frontier, seen = list(team_ids), set()
    while frontier:
        pk = frontier.pop()
        if pk not in seen:
            seen.add(pk)
            frontier.extend(children.get(pk, []))
    return sorted(seen)


def people_for(user: User | AnonymousUser) -> QuerySet[User]:
    """The people ``user`` may see named in the action register (its owner filter, the owner of
    a new action): everyone for the CoS and the CTO; for a team lead themselves, the members of
    the teams they lead (and below) and the owners of the actions they see; for anyone else
    themselves. Active or not (an old action's owner may have left); one query when evaluated."""
    people = get_user_model().objects.all()
    if is_office(user):
        return people
    if not user.is_authenticated:
        return people.none()
    teams = led_team_ids(user) if is_team_lead(user) else []
    if not teams:
        return people.filter(pk=user.pk)
    return people.filter(
        Q(pk=user.pk) | Q(membership__team__in=teams) | Q(pk__in=actions_for(user).values("owner"))
    )


# Escalations


def escalations_for(user: User | AnonymousUser) -> QuerySet[Escalation]:
    """Escalations ``user`` may see: all for the CoS and the CTO; for anyone else the
    non-confidential ones and the confidential ones they raised, are routed to, or own an
    action made from (a subquery, so no row is repeated)."""
    qs = apps.get_model("actions", "Escalation").objects.all()
    if is_office(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    from_their_actions = (
        apps.get_model("actions", "ActionItem")
        .objects.filter(owner=user, source_escalation__isnull=False)
        .values("source_escalation")
    )
    return qs.filter(
        Q(confidential=False) | Q(raised_by=user) | Q(routed_to=user) | Q(pk__in=from_their_actions)
    )


#: Who sees a confidential escalation, in words, for the forms that widen it (route,
#: convert to an action): the rule of ``escalations_for``, said once.
CONFIDENTIAL_AUDIENCE = (
    "the Chief of Staff, the CTO, the person who raised it, the person it is routed to "
    "and the owners of actions made from it"
)


def can_triage_escalations(user: User | AnonymousUser) -> bool:
    """Only the Chief of Staff triages the inbox (route, raise, resolve, decline)."""
    return is_chief_of_staff(user)


def can_decide_escalation(user: User | AnonymousUser, escalation: Escalation) -> bool:
    """Resolve or send back an escalation raised to the CTO: the CTO (and the CoS)."""
    return escalation.state == "raised_to_cto" and is_office(user)


def can_raise_escalation(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


# Briefings


def briefings_for(user: User | AnonymousUser) -> QuerySet[Briefing]:
    """Briefings ``user`` may see: all for the CoS and the CTO, none for anyone else."""
    briefings = apps.get_model("briefings", "Briefing").objects.all()
    return briefings if is_office(user) else briefings.none()


def can_see_briefings(user: User | AnonymousUser) -> bool:
    return is_office(user)


def key_results_for_check_in(user: User | AnonymousUser) -> QuerySet[KeyResult]:
    """Key results ``user`` may post check-ins for: the ones they own and those of the teams
    they lead (and below). The Chief of Staff corrects others' figures by CSV import."""
    qs = apps.get_model("briefings", "KeyResult").objects.all()
    if not user.is_authenticated:
        return qs.none()
    teams = led_team_ids(user) if is_team_lead(user) else []
    return qs.filter(Q(owner=user) | Q(team__in=teams)) if teams else qs.filter(owner=user)


def can_import_briefing_data(user: User | AnonymousUser) -> bool:
    """Import tech-debt, headcount and key-result figures from CSV: the Chief of Staff."""
    return is_chief_of_staff(user)


# Django's admin


def can_use_admin(user: User | AnonymousUser) -> bool:
    """Whether to offer the admin: Django lets in active staff users (``is_staff``), and
    its own permissions decide per model from there (Django docs, "The Django admin site")."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_manage_briefings(user: User | AnonymousUser) -> bool:
    """Generate, comment on and publish briefings: the Chief of Staff."""
    return is_chief_of_staff(user)


# Actions


def actions_for(user: User | AnonymousUser) -> QuerySet[ActionItem]:
    """Actions ``user`` may see: their own, their led teams', or all for the CoS and the CTO."""
    qs = apps.get_model("actions", "ActionItem").objects.all()
    if is_office(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    teams = led_team_ids(user) if is_team_lead(user) else []
    return qs.filter(Q(owner=user) | Q(team__in=teams)) if teams else qs.filter(owner=user)


ActionScope = Literal["all", "led_teams", "own"]


def action_scope(user: User | AnonymousUser) -> ActionScope:
    """Which rule of ``actions_for`` applies to ``user``, for pages to say what they list.

    ``"all"`` (the CoS and the CTO), ``"led_teams"`` (a team lead: their own and
    their teams' actions), ``"own"`` (everyone else). No query beyond the cached role groups.
    """
    if is_office(user):
        return "all"
    if is_team_lead(user):
        return "led_teams"
    return "own"


def can_import_actions(user: User | AnonymousUser) -> bool:
    """Import actions from a Jira export (upload, preview, confirm): the Chief of Staff."""
    return is_chief_of_staff(user)


def can_edit_action(user: User | AnonymousUser, action: ActionItem) -> bool:
    """Change status, due date or notes: anyone who may see the action."""
    return actions_for(user).filter(pk=action.pk).exists()


# Meetings


def meetings_for(user: User | AnonymousUser) -> QuerySet[Meeting]:
    """Meetings ``user`` may see: the ones they attend, or all for the CoS and the CTO."""
    qs = apps.get_model("cadence", "Meeting").objects.all()
    if is_office(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(attendees=user).distinct()


MeetingScope = Literal["all", "attended"]


def meeting_scope(user: User | AnonymousUser) -> MeetingScope:
    """Which rule of ``meetings_for`` applies: ``"all"`` (the CoS and the CTO) or ``"attended"``."""
    return "all" if is_office(user) else "attended"


def can_manage_meetings(user: User | AnonymousUser) -> bool:
    """Schedule, edit and run meetings (agenda, pre-reads, capture, minutes): the Chief of Staff."""
    return is_chief_of_staff(user)


def pre_reads_for(user: User | AnonymousUser) -> QuerySet[PreRead]:
    """Pre-reads ``user`` may see (and download): those of the meetings ``meetings_for`` gives."""
    qs = apps.get_model("cadence", "PreRead").objects.all()
    if is_office(user):
        return qs
    return qs.filter(meeting__in=meetings_for(user).values("pk"))


def decisions_for(user: User | AnonymousUser) -> QuerySet[Decision]:
    """Decisions ``user`` may see: those of the meetings ``meetings_for`` gives them."""
    qs = apps.get_model("cadence", "Decision").objects.all()
    if is_office(user):
        return qs
    return qs.filter(meeting__in=meetings_for(user).values("pk"))
