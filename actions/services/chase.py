"""Chasing overdue actions: who gets which digest today, and sending one digest exactly once.

The ladder (``OfficeSettings.chase_ladder``, days overdue before each level, by
default ``[1, 4, 8]``): an open action ``d`` days past its due date (office time
zone, ``ActionItem.days_overdue``) is chased

1. to its **owner** from ``ladder[0]`` days,
2. to the **lead of its team** from ``ladder[1]`` days (the action's team, or the
   owner's team when it has none; when that lead is the owner, the lead of the
   team above: nobody is chased about their own action as their own lead),
3. to **every Chief of Staff** from ``ladder[2]`` days,

each level adding a recipient, none replacing one. Every recipient gets at most
one digest a day (DESIGN §3), listing all their overdue actions grouped by level,
oldest first. ``ChaseNotice`` (one row per action, recipient, level and day, a
unique constraint) is the record of what was sent and makes a second notice for
the same action, recipient, level and day impossible.

Exactly-once, as far as SMTP allows (``chase_send_digest``): the notices are
inserted and the mail is sent inside one transaction that first locks the
recipient's user row (``SELECT … FOR UPDATE``), so two workers chasing the same
person serialise and the second finds the notices and sends nothing. If the SMTP
server refuses or the connection fails, the transaction rolls back: no notice is
recorded for a mail that was not accepted, and the task retries. The one window
left is a worker killed after the server accepted the message and before the
commit: the notices roll back and the retry sends the digest again. That is SMTP's
own at-least-once contract (RFC 5321 §6.1), and the alternative (record first,
send after) would lose digests silently on every SMTP failure, which is worse
for a chase.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from actions.email_links import KINDS, link_path
from actions.models import ActionItem, ChaseNotice
from cto_office import access
from cto_office.clock import office_settings
from cto_office.mail import absolute_url, build_message
from cto_office.models import Team, person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Level = ChaseNotice.Level

#: The fields of a user the chase reads, in ``Person``'s order (``Person.fields``).
_PERSON_FIELDS = ("id", "username", "email", "first_name", "last_name", "is_active")


@dataclass(frozen=True, slots=True)
class Person:
    """A user as the plan knows them: read from ``values_list()`` rows, never a model instance,
    so that planning thousands of overdue actions stays a matter of tuples."""

    pk: int
    username: str
    email: str
    first_name: str
    last_name: str
    is_active: bool

    @classmethod
    def fields(cls, prefix: str = "") -> tuple[str, ...]:
        """The ``values_list()`` fields of a person, in this class's order, under ``prefix``."""
        return tuple(prefix + name for name in _PERSON_FIELDS)


@dataclass(frozen=True, slots=True)
class OverdueAction:
    """An overdue action as a digest lists it (what ``link_token`` and the mail read)."""

    pk: int
    title: str
    due_date: dt.date
    version: int
    owner: Person
    team_id: int | None
    owner_team_id: int | None

    @property
    def key(self) -> str:
        return ActionItem.key_of(self.pk)


@dataclass(frozen=True, slots=True)
class _TeamNode:
    parent_id: int | None
    lead: Person | None


@dataclass
class DigestLine:
    """One overdue action in a digest, at the level it is chased to this recipient."""

    action: OverdueAction
    level: int
    days_overdue: int


@dataclass
class Digest:
    """Everything one recipient is chased about on ``day``, by level, oldest first."""

    recipient: Person
    day: dt.date
    lines: list[DigestLine] = field(default_factory=list)

    def by_level(self) -> list[tuple[str, list[DigestLine]]]:
        """``[(level label, lines)]`` in ladder order, only the levels present."""
        groups: dict[int, list[DigestLine]] = defaultdict(list)
        for line in sorted(self.lines, key=lambda ln: (ln.action.due_date, ln.action.pk)):
            groups[line.level].append(line)
        return [(_LEVEL_HEADINGS[level], groups[level]) for level in sorted(groups)]


_LEVEL_HEADINGS = {
    Level.OWNER: "Your overdue actions",
    Level.TEAM_LEAD: "Overdue in the teams you lead",
    Level.CHIEF_OF_STAFF: "Long overdue across the office",
}


@dataclass
class ChasePlan:
    """The digests due on ``day`` and the recipients who could not be chased (with why)."""

    day: dt.date
    digests: list[Digest]
    skipped: list[tuple[str, str]]


def _chase_lead(action: OverdueAction, teams: dict[int, _TeamNode]) -> Person | None:
    """The team lead chased at level 2 (see the module docstring), or None."""
    team = teams.get(action.team_id or action.owner_team_id)
    while team is not None and (team.lead is None or team.lead.pk == action.owner.pk):
        team = teams.get(team.parent_id)
    return team.lead if team is not None else None


def _teams() -> dict[int, _TeamNode]:
    """Every team by id with its parent and lead (one query: the organisation's size,
    not the backlog's)."""
    rows = Team.objects.values_list("id", "parent_id", *Person.fields("lead__"))
    return {
        pk: _TeamNode(parent_id, Person(*lead) if lead[0] is not None else None)
        for pk, parent_id, *lead in rows
    }


def _overdue(since: dt.date) -> list[OverdueAction]:
    """The actions overdue on ``since`` (``ActionItem.overdue``), oldest first; one query of
    tuples (no model instances: at 2,000 engineers that is over a thousand rows)."""
    rows = (
        ActionItem.objects.overdue(since)
        .annotate(owner_team_id=F("owner__membership__team_id"))
        .order_by("due_date", "pk")
        .values_list(
            "id",
            "title",
            "due_date",
            "version",
            "team_id",
            "owner_team_id",
            *Person.fields("owner__"),
        )
    )
    owners: dict[int, Person] = {}
    overdue = []
    for pk, title, due_date, version, team_id, owner_team_id, *owner in rows:
        person = owners.get(owner[0])
        if person is None:
            person = owners[owner[0]] = Person(*owner)
        overdue.append(OverdueAction(pk, title, due_date, version, person, team_id, owner_team_id))
    return overdue


def _can_receive(user: Person) -> str | None:
    """Why ``user`` cannot receive a digest ("inactive", "no e-mail address"), or None."""
    if not user.is_active:
        return "inactive"
    if not user.email:
        return "no e-mail address"
    return None


def chase_plan(*, day: dt.date, recipient: User | None = None) -> ChasePlan:
    """The digests due on ``day`` (a date in the office's time zone), minus what was sent.

    A recipient who already has a notice for ``day`` is left out (one digest a day),
    so the plan of a day that was already chased is empty. With ``recipient``, only that
    person's digest. Five queries (office settings, overdue actions with their owners,
    teams with their leads, Chiefs of Staff, today's notices), whatever the number of
    overdue actions.
    """
    ladder = office_settings().chase_ladder
    overdue = _overdue(day - dt.timedelta(days=ladder[0] - 1))
    teams = _teams()
    chiefs = [Person(*row) for row in access.chiefs_of_staff().values_list(*Person.fields())]
    already_chased = set(
        ChaseNotice.objects.filter(sent_on=day).values_list("recipient_id", flat=True)
    )
    digests: dict[int, Digest] = {}
    skipped: dict[int, tuple[str, str]] = {}
    for action in overdue:
        days = ActionItem.days_past(action.due_date, day)
        recipients = [(Level.OWNER, action.owner)]
        if days >= ladder[1]:
            recipients.append((Level.TEAM_LEAD, _chase_lead(action, teams)))
        if days >= ladder[2]:
            recipients.extend((Level.CHIEF_OF_STAFF, chief) for chief in chiefs)
        for level, user in recipients:
            if user is None or (recipient is not None and user.pk != recipient.pk):
                continue
            if user.pk in already_chased:  # one digest a day, whatever became overdue since
                continue
            if reason := _can_receive(user):
                skipped[user.pk] = (person_name(user), reason)
                continue
            digest = digests.setdefault(user.pk, Digest(recipient=user, day=day))
            digest.lines.append(DigestLine(action=action, level=level, days_overdue=days))
    return ChasePlan(day=day, digests=list(digests.values()), skipped=list(skipped.values()))


def digest_context(digest: Digest) -> dict:
    """The template context of a digest mail: plain values and absolute links."""
    return {
        "recipient": person_name(digest.recipient),
        "count": len(digest.lines),
        "day": digest.day.isoformat(),
        "register_url": absolute_url(reverse("actions:register")),
        "groups": [
            {
                "heading": heading,
                "lines": [
                    {
                        "key": line.action.key,
                        "title": line.action.title,
                        "owner": person_name(line.action.owner),
                        "due_date": line.action.due_date.isoformat(),
                        "days_overdue": line.days_overdue,
                        "url": absolute_url(
                            reverse("actions:action_detail", args=[line.action.pk])
                        ),
                        "links": [
                            {
                                "label": label,
                                "url": absolute_url(
                                    link_path(
                                        action=line.action, recipient=digest.recipient, kind=kind
                                    )
                                ),
                            }
                            for kind, label in KINDS.items()
                        ],
                    }
                    for line in lines
                ],
            }
            for heading, lines in digest.by_level()
        ],
    }


def chase_send_digest(*, recipient: User, day: dt.date) -> int:
    """Send ``recipient`` their digest for ``day`` once; return how many actions it listed.

    Returns 0, sending nothing, when everything due was already sent (a re-run or a
    duplicate task). Raises the SMTP backend's error when the mail is not accepted,
    having recorded nothing (see the module docstring for the guarantees).
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=recipient.pk).first()
        digests = chase_plan(day=day, recipient=recipient).digests
        if not digests:
            return 0
        digest = digests[0]
        ChaseNotice.objects.bulk_create(
            ChaseNotice(
                action_id=line.action.pk, recipient=recipient, level=line.level, sent_on=day
            )
            for line in digest.lines
        )
        build_message(
            to=[recipient.email],
            template="actions/mail/chase_digest",
            context=digest_context(digest),
        ).send()
    return len(digest.lines)
