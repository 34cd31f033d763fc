"""Reads for one action's page: its history as a timeline and the chase notices sent for it,
scoped through ``cto_office.access``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from actions.models import ActionItem, ChaseNotice
from cto_office import access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: How a chase notice's level reads in "chased: owner 3 Nov, lead 10 Nov".
CHASED_LEVEL_WORDS = {
    ChaseNotice.Level.OWNER: "owner",
    ChaseNotice.Level.TEAM_LEAD: "lead",
    ChaseNotice.Level.CHIEF_OF_STAFF: "Chief of Staff",
}


def action_detail(*, user: User, action: ActionItem, today: dt.date) -> dict[str, Any]:
    """The rest of ``action``'s page.

    ``overdue_days`` on ``today``; ``updates``: its whole history, oldest first, with the
    author and the old and new owner of a reassignment loaded; ``chased``: one
    ``(words, sent_on)`` pair per level and day it was chased (several Chiefs of Staff
    chased the same day count once), oldest first; its ``source_escalation`` and
    ``source_meeting``, each only if ``user`` may see it too (a confidential escalation's
    title must not leak through an action made from it), else None.

    Queries: source escalation (0 or 1), source meeting (0 or 1), updates (1), chase notices (1).
    """
    source_escalation = None
    if action.source_escalation_id:
        source_escalation = (
            access.escalations_for(user).filter(pk=action.source_escalation_id).first()
        )
    source_meeting = None
    if action.source_meeting_id:
        source_meeting = access.meetings_for(user).filter(pk=action.source_meeting_id).first()
    notices = (
        ChaseNotice.objects.filter(action=action)
        .order_by("sent_on", "level")
        .values_list("level", "sent_on")
        .distinct()
    )
    return {
        "overdue_days": action.days_overdue(today),
        "updates": action.updates.select_related("author", "old_owner", "new_owner").order_by(
            "created_at", "pk"
        ),
        "chased": [(CHASED_LEVEL_WORDS[level], sent_on) for level, sent_on in notices],
        "source_escalation": source_escalation,
        "source_meeting": source_meeting,
    }
