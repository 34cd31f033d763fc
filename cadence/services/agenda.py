"""The agenda, pre-reads, decisions and carry-over reviews of a meeting."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions.errors import ActionInvalid
from actions.models import ActionItem, ActionSource
from actions.services import action_create
from cadence.models import (
    AgendaItem,
    AgendaItemKind,
    CarryOverReview,
    Decision,
    Meeting,
    MeetingState,
    PreRead,
    PreReadAcknowledgement,
)
from cadence.uploads import UploadRejected, check_upload

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from cadence.services.base import CadenceInvalid, full_clean, locked, require_state

# Agenda

_AGENDA_EDITABLE = (MeetingState.DRAFT, MeetingState.AGENDA_PUBLISHED, MeetingState.HELD)


def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    time_box_minutes: int,
    kind: str = AgendaItemKind.DISCUSSION,
    presenter: User | None = None,
    notes: str = "",
) -> AgendaItem:
    """Append an item to the agenda (last position). Refused once the minutes are
    published or the meeting is cancelled. Locks the meeting row (positions)."""
    with transaction.atomic():
        locked(meeting)
        require_state(meeting, _AGENDA_EDITABLE, "change the agenda")
        last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
        item = AgendaItem(
            meeting=meeting,
            position=0 if last is None else last + 1,
            title=" ".join(title.split()),
            time_box_minutes=time_box_minutes,
            kind=kind,
            presenter=presenter,
            notes=notes,
        )
        full_clean(item, exclude=["meeting"])
        item.save()
    return item


def agenda_item_update(
    *,
    item: AgendaItem,
    by: User,
    title: str,
    time_box_minutes: int,
    kind: str,
    presenter: User | None,
    notes: str,
) -> AgendaItem:
    """Change one agenda item (title, time box, kind, presenter, notes)."""
    with transaction.atomic():
        require_state(locked(item.meeting), _AGENDA_EDITABLE, "change the agenda")
        item.title = " ".join(title.split())
        item.time_box_minutes = time_box_minutes
        item.kind = kind
        item.presenter = presenter
        item.notes = notes
        full_clean(item, exclude=["meeting"])
        item.save()
    return item


def agenda_item_remove(*, item: AgendaItem, by: User) -> None:
    """Delete one agenda item (its pre-reads and decisions stay, unlinked)."""
    with transaction.atomic():
        meeting = locked(item.meeting)
        require_state(meeting, _AGENDA_EDITABLE, "change the agenda")
        item.delete()
        _renumber(meeting, [i.pk for i in meeting.agenda_items.order_by("position", "pk")])


def agenda_item_move(*, item: AgendaItem, by: User, position: int) -> list[AgendaItem]:
    """Move ``item`` to ``position`` (0-based, clamped to the agenda) and renumber
    the agenda 0…n-1. Returns the items in their new order. Locks the meeting row,
    so two people reordering at once are applied one after the other."""
    with transaction.atomic():
        meeting = locked(item.meeting)
        require_state(meeting, _AGENDA_EDITABLE, "change the agenda")
        order = [i.pk for i in meeting.agenda_items.order_by("position", "pk")]
        order.remove(item.pk)
        order.insert(max(0, min(position, len(order))), item.pk)
        _renumber(meeting, order)
        return list(meeting.agenda_items.order_by("position", "pk"))


def _renumber(meeting: Meeting, order: list[int]) -> None:
    items = {i.pk: i for i in meeting.agenda_items.all()}
    changed = []
    for position, pk in enumerate(order):
        if items[pk].position != position:
            items[pk].position = position
            changed.append(items[pk])
    AgendaItem.objects.bulk_update(changed, ["position"])


# Pre-reads


def pre_read_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    body: str = "",
    agenda_item: AgendaItem | None = None,
    due_by: dt.datetime | None = None,
) -> PreRead:
    """Add a pre-read: an uploaded file, a link or a Markdown body (at least one).

    The file is checked by content and size (``cadence.uploads.check_upload``);
    ``CadenceInvalid`` carries its refusal. ``due_by`` (aware) defaults to the
    meeting's start. Refused once the minutes are published or it is cancelled.
    """
    title = " ".join(title.split())
    if not title:
        raise CadenceInvalid("A pre-read needs a title.")
    if not (file or url.strip() or body.strip()):
        raise CadenceInvalid("Attach a file, give a link or write the text of the pre-read.")
    if file:
        try:
            check_upload(file, name=file.name)
        except UploadRejected as exc:
            raise CadenceInvalid(str(exc)) from exc
    if agenda_item and agenda_item.meeting_id != meeting.pk:
        raise CadenceInvalid("That agenda item belongs to another meeting.")
    with transaction.atomic():
        require_state(meeting, _AGENDA_EDITABLE, "add a pre-read")
        pre_read = PreRead(
            meeting=meeting,
            agenda_item=agenda_item,
            title=title,
            url=url.strip(),
            body=body.strip(),
            due_by=due_by or meeting.start,
        )
        full_clean(pre_read, exclude=["meeting", "file"])
        if file:
            pre_read.file.save(file.name, file, save=False)
        pre_read.save()
    return pre_read


def pre_read_acknowledge(
    *, pre_read: PreRead, by: User, now: dt.datetime | None = None
) -> PreReadAcknowledgement:
    """Record that ``by`` has read ``pre_read`` (idempotent: the first time is kept)."""
    with transaction.atomic():
        ack, _ = PreReadAcknowledgement.objects.get_or_create(
            pre_read=pre_read, user=by, defaults={"read_at": now or timezone.now()}
        )
    return ack


# Decisions and carry-over


def decision_record(
    *,
    meeting: Meeting,
    by: User,
    summary: str,
    rationale: str = "",
    decided_by: User | None = None,
    agenda_item: AgendaItem | None = None,
    decided_on: dt.date | None = None,
) -> Decision:
    """Log a decision taken in ``meeting`` (optionally on ``agenda_item``), by default
    on the meeting's day in its time zone. Refused unless the meeting is running
    (agenda published) or held."""
    summary = " ".join(summary.split())
    if not summary:
        raise CadenceInvalid("A decision needs a summary.")
    if agenda_item and agenda_item.meeting_id != meeting.pk:
        raise CadenceInvalid("That agenda item belongs to another meeting.")
    with transaction.atomic():
        require_state(
            meeting, (MeetingState.AGENDA_PUBLISHED, MeetingState.HELD), "record a decision"
        )
        decision = Decision(
            meeting=meeting,
            agenda_item=agenda_item,
            summary=summary,
            rationale=rationale.strip(),
            decided_by=decided_by,
            decided_on=decided_on or timezone.localdate(meeting.start),
        )
        full_clean(decision, exclude=["meeting"])
        decision.save()
    return decision


def action_capture(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    owner: User,
    due_date: dt.date,
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    """An action captured in ``meeting`` (owner, due date: an office date), created by the
    action register's own service (``actions.services.action_create``, source "meeting",
    linked to the meeting so the next meeting of the series carries it over). The agenda
    item it came from is named in its description. Refused unless the meeting is
    running or held; ``CadenceInvalid`` carries the register's refusal."""
    if agenda_item and agenda_item.meeting_id != meeting.pk:
        raise CadenceInvalid("That agenda item belongs to another meeting.")
    with transaction.atomic():
        require_state(
            meeting, (MeetingState.AGENDA_PUBLISHED, MeetingState.HELD), "capture an action"
        )
        try:
            return action_create(
                by=by,
                title=title,
                owner=owner,
                due_date=due_date,
                description=f"From agenda item “{agenda_item.title}”." if agenda_item else "",
                source=ActionSource.MEETING,
                source_object=meeting,
            )
        except ActionInvalid as exc:
            raise CadenceInvalid(str(exc)) from exc


def carry_over_review(
    *, meeting: Meeting, by: User, action_id: int | None = None, decision_id: int | None = None
) -> CarryOverReview:
    """Mark one carried-over action or decision as reviewed in ``meeting`` (idempotent).
    Refused unless it comes from an earlier meeting of the same series (what the
    page's carry-over section lists)."""
    if (action_id is None) == (decision_id is None):
        raise CadenceInvalid("Review one action or one decision.")
    earlier = Meeting.objects.filter(
        series_id=meeting.series_id, series__isnull=False, start__lt=meeting.start
    ).values("pk")
    carried = (
        ActionItem.objects.filter(pk=action_id, source_meeting__in=earlier)
        if action_id
        else Decision.objects.filter(pk=decision_id, meeting__in=earlier)
    )
    if not carried.exists():
        raise CadenceInvalid("That is not carried over from an earlier meeting of this series.")
    with transaction.atomic():
        review, _ = CarryOverReview.objects.get_or_create(
            meeting=meeting,
            action_id=action_id,
            decision_id=decision_id,
            defaults={"reviewed_by": by},
        )
    return review
