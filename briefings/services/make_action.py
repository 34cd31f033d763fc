""" "Make this an action": from a key result or a team in the briefing view, an owned action in one click.

The Chief of Staff reads the draft and turns what worries her into an action
in the register (``actions.services.action_create``): a key result's owner is
asked to get it back on track, a team's lead to look at its key results. The
action says why, in the briefing's own words (the rule's reasons from the
snapshot), and is due a week later.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from actions.models import ActionItem
from actions.services import action_create
from briefings.models import Briefing, KeyResult
from cto_office.clock import office_today

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cto_office.models import Team

__all__ = ["ACTION_DUE_IN", "BriefingActionError", "briefing_make_action"]

#: An action made from the briefing is due this long after the day it is made.
ACTION_DUE_IN = dt.timedelta(weeks=1)


class BriefingActionError(ValueError):
    """No action can be made: nobody owns the key result, or the team has no lead."""


def _flagged(briefing: Briefing, key_result_id: int) -> dict | None:
    """The key result's row in the snapshot's quietly-behind or off-track list, if there."""
    okrs = briefing.snapshot.get("okrs") or {}
    rows = (okrs.get("behind") or []) + (okrs.get("off_track") or [])
    return next((row for row in rows if row.get("pk") == key_result_id), None)


def briefing_make_action(
    *,
    briefing: Briefing,
    by: User,
    key_result: KeyResult | None = None,
    team: Team | None = None,
) -> tuple[ActionItem, bool]:
    """Make an action for ``key_result``'s owner, or for ``team``'s lead (exactly one of the two).

    Returns ``(action, created)``. The title names the key result or the team;
    the description cites the briefing's week and, for a flagged key result,
    the rule's reasons ("progress 31% at 62% of the quarter"). Due
    ``ACTION_DUE_IN`` after today (office time zone), medium priority, source
    ``manual``, created by ``by``. A second click finds the open action with
    the same title and owner and returns it with ``created`` False, so a
    double click makes one action. Raises ``BriefingActionError`` when there
    is nobody to own it and ``ValueError`` unless exactly one subject is given;
    what ``action_create`` raises otherwise. One transaction (``action_create``'s).
    """
    if (key_result is None) == (team is None):
        raise ValueError("Give a key result or a team, not both.")
    if key_result is not None:
        owner = key_result.owner or key_result.team.lead
        title = f"Get the key result back on track: {key_result.title}"
        subject_team = key_result.team
        flagged = _flagged(briefing, key_result.pk)
        why = "; ".join(flagged["reasons"]) if flagged else "flagged in the briefing"
        description = f"From the weekly CTO briefing {briefing.label}: {why}."
    else:
        owner = team.lead
        title = f"{team.name}: review the key results behind plan"
        subject_team = team
        description = (
            f"From the weekly CTO briefing {briefing.label}: the team's key results trail "
            "the time elapsed in the quarter."
        )
    if owner is None:
        raise BriefingActionError(
            f"Nobody owns this: {'the key result has no owner and ' if key_result else ''}"
            f"{subject_team.name} has no lead. Set one in admin first."
        )
    title = title[: ActionItem._meta.get_field("title").max_length]
    existing = ActionItem.objects.open().filter(title=title, owner=owner).first()
    if existing is not None:
        return existing, False
    action = action_create(
        by=by,
        title=title,
        owner=owner,
        team=subject_team,
        due_date=office_today() + ACTION_DUE_IN,
        description=description,
    )
    return action, True
