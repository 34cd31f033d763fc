"""What every cadence service shares: the domain errors, the state check, the row lock,
model validation as a domain error, and the agenda template's shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from cadence.models import (
    AgendaItemKind,
    Meeting,
    MeetingState,
)

#: How far ahead a series' occurrences exist as meetings (the daily task extends it).
SCHEDULE_HORIZON = dt.timedelta(days=91)


class CadenceError(Exception):
    """A write the cadence refuses; ``str()`` is the message for the user."""


class MeetingStateError(CadenceError):
    """The meeting is not in a state that allows this (e.g. minutes before it was held)."""


class CadenceInvalid(CadenceError):
    """Input that makes no meeting, agenda item, pre-read or decision."""


def require_state(meeting: Meeting, allowed: Iterable[str], doing: str) -> None:
    allowed = tuple(allowed)
    if meeting.state not in allowed:
        labels = " or ".join(MeetingState(s).label.lower() for s in allowed)
        raise MeetingStateError(
            f"Cannot {doing}: the meeting is {meeting.get_state_display().lower()}, "
            f"and this needs it {labels}."
        )


def locked(meeting: Meeting) -> Meeting:
    """Re-read ``meeting`` with a row lock (SELECT … FOR UPDATE) so that two state
    changes of one meeting run one after the other; refreshes the caller's instance."""
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.__dict__.update(
        {f.attname: getattr(fresh, f.attname) for f in Meeting._meta.concrete_fields}
    )
    return meeting


def clean_template(agenda_template: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate an agenda template: ``[{"title": str, "minutes": int > 0, "kind": str}]``."""
    cleaned = []
    for number, row in enumerate(agenda_template, start=1):
        title = " ".join(str(row.get("title", "")).split())
        if not title:
            continue
        try:
            minutes = int(row.get("minutes") or 0)
        except (TypeError, ValueError):
            minutes = 0
        if minutes <= 0:
            raise CadenceInvalid(f"Agenda template item {number} (“{title}”) needs minutes > 0.")
        kind = row.get("kind") or AgendaItemKind.DISCUSSION
        if kind not in AgendaItemKind.values:
            raise CadenceInvalid(f"Agenda template item {number}: unknown kind {kind!r}.")
        cleaned.append({"title": title, "minutes": minutes, "kind": kind})
    return cleaned


def full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    """Model validation as a ``CadenceInvalid`` with every message, field names first."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        messages = [
            f"{field.replace('_', ' ')}: {msg}" if field != "__all__" else msg
            for field, msgs in exc.message_dict.items()
            for msg in msgs
        ]
        raise CadenceInvalid(" ".join(messages)) from exc
