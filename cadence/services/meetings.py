"""Series, meetings and the meeting's state machine (see ``cadence.services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cadence.models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingKind,
    MeetingRating,
    MeetingSeries,
    MeetingState,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from cadence.services.base import (
    SCHEDULE_HORIZON,
    CadenceInvalid,
    MeetingStateError,
    clean_template,
    full_clean,
    locked,
    require_state,
)

# Series


def series_create(
    *,
    by: User,
    title: str,
    owner: User,
    rrule: str,
    time_zone: str,
    first_start: dt.datetime,
    duration_minutes: int,
    kind: str = MeetingKind.STAFF,
    attendees: Iterable[User] = (),
    agenda_template: Sequence[dict[str, Any]] = (),
    now: dt.datetime | None = None,
) -> MeetingSeries:
    """Create a series and its meetings up to ``SCHEDULE_HORIZON`` after ``now``.

    ``first_start`` is aware; its wall-clock time in ``time_zone`` (IANA) is kept
    for every occurrence. ``rrule`` is an RRULE value (``cadence.recurrence.Recurrence``
    builds it from the form). Raises ``CadenceInvalid`` for a bad rule, zone,
    duration or template.
    """
    with transaction.atomic():
        series = MeetingSeries(
            title=" ".join(title.split()),
            kind=kind,
            owner=owner,
            rrule=rrule,
            time_zone=time_zone,
            first_start=first_start,
            duration_minutes=duration_minutes,
            agenda_template=clean_template(agenda_template),
        )
        full_clean(series)
        series.save()
        series.default_attendees.set(attendees)
        series_schedule(series=series, by=by, now=now)
    return series


def series_update(
    *,
    series: MeetingSeries,
    by: User,
    title: str,
    owner: User,
    rrule: str,
    time_zone: str,
    first_start: dt.datetime,
    duration_minutes: int,
    kind: str,
    attendees: Iterable[User],
    agenda_template: Sequence[dict[str, Any]],
    now: dt.datetime | None = None,
) -> MeetingSeries:
    """Change a series. Future occurrences the Chief of Staff has not touched
    (``_untouched_drafts``) are rebuilt from the new rule, template and attendees; any
    other meeting (published, moved, edited, with its own agenda or pre-reads, or past)
    keeps what it has. Locks the series row.
    """
    now = now or timezone.now()
    with transaction.atomic():
        series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
        rebuilt = _untouched_drafts(series, now)
        series.title = " ".join(title.split())
        series.owner = owner
        series.rrule = rrule
        series.time_zone = time_zone
        series.first_start = first_start
        series.duration_minutes = duration_minutes
        series.kind = kind
        series.agenda_template = clean_template(agenda_template)
        full_clean(series)
        series.save()
        series.default_attendees.set(attendees)
        Meeting.objects.filter(pk__in=rebuilt).delete()
        series_schedule(series=series, by=by, now=now)
    return series


def _untouched_drafts(series: MeetingSeries, now: dt.datetime) -> list[int]:
    """Ids of the series' drafts from ``now`` on exactly as the scheduler made them: never
    moved, details never edited (SEQUENCE 0), no pre-reads, and the agenda still the
    series' current template with no presenter or notes. 2 queries."""
    template = [(row["title"], row["minutes"], row["kind"]) for row in series.agenda_template]
    drafts = series.meetings.filter(
        start__gte=now,
        state=MeetingState.DRAFT,
        start=F("original_start"),
        sequence=0,
        pre_reads=None,
    ).prefetch_related("agenda_items")

    def as_scheduled(meeting: Meeting) -> bool:
        items = list(meeting.agenda_items.all())
        return (
            all(i.presenter_id is None and not i.notes for i in items)
            and [(i.title, i.time_box_minutes, i.kind) for i in items] == template
        )

    return [meeting.pk for meeting in drafts if as_scheduled(meeting)]


def series_schedule(
    *, series: MeetingSeries, by: User | None = None, now: dt.datetime | None = None
) -> list[Meeting]:
    """Create the meetings of ``series`` from ``now`` to ``SCHEDULE_HORIZON`` after ``now`` (or
    after the first start, if later) that do
    not exist yet (matched on ``original_start``, so a moved or cancelled occurrence is
    never recreated). Each gets the series' title, kind, attendees and agenda template.
    Returns the new meetings. Idempotent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # A series that starts later gets its first horizon of meetings at once.
        starts = series.occurrences(now, max(now, series.first_start) + SCHEDULE_HORIZON)
        # Matched on the occurrence key and, for rows made before it existed, the start.
        existing = set()
        for original, start in series.meetings.filter(
            Q(original_start__in=starts) | Q(start__in=starts)
        ).values_list("original_start", "start"):
            existing.update((original, start))
        attendees = list(series.default_attendees.all())
        created = []
        for start in starts:
            if start in existing:
                continue
            created.append(
                meeting_schedule(
                    by=by,
                    title=series.title,
                    kind=series.kind,
                    start=start,
                    end=start + dt.timedelta(minutes=series.duration_minutes),
                    attendees=attendees,
                    series=series,
                    agenda_template=series.agenda_template,
                )
            )
    return created


# Meetings


def meeting_schedule(
    *,
    by: User | None,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    attendees: Iterable[User] = (),
    kind: str = MeetingKind.OTHER,
    location: str = "",
    video_url: str = "",
    series: MeetingSeries | None = None,
    agenda_template: Sequence[dict[str, Any]] = (),
) -> Meeting:
    """Create one meeting in draft (a one-off, or an occurrence of ``series`` starting at
    its recurrence time ``start``), with its attendees and agenda items from
    ``agenda_template``. ``start``/``end`` are aware; ``CadenceInvalid`` if end ≤ start.
    ``by`` is None when the scheduler creates a series' occurrences."""
    title = " ".join(title.split())
    if not title:
        raise CadenceInvalid("A meeting needs a title.")
    if end <= start:
        raise CadenceInvalid("A meeting must end after it starts.")
    with transaction.atomic():
        meeting = Meeting(
            series=series,
            title=title,
            kind=kind,
            start=start,
            end=end,
            location=location,
            video_url=video_url,
            original_start=start if series else None,
        )
        full_clean(meeting, exclude=["series"])
        meeting.save()
        meeting.attendees.set(attendees)
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=row["title"],
                time_box_minutes=row["minutes"],
                kind=row.get("kind") or AgendaItemKind.DISCUSSION,
            )
            for position, row in enumerate(clean_template(agenda_template))
        )
    return meeting


def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    kind: str,
    location: str,
    video_url: str,
    attendees: Iterable[User],
) -> Meeting:
    """Change what a meeting is called, where it is and who attends (not its time:
    ``meeting_reschedule``). Refused once the minutes are published or it is cancelled."""
    with transaction.atomic():
        locked(meeting)
        require_state(
            meeting, (MeetingState.DRAFT, MeetingState.AGENDA_PUBLISHED, MeetingState.HELD), "edit"
        )
        meeting.title = " ".join(title.split())
        meeting.kind = kind
        meeting.location = location
        meeting.video_url = video_url
        meeting.sequence += 1
        full_clean(meeting, exclude=["series"])
        meeting.save()
        meeting.attendees.set(attendees)
    return meeting


def meeting_reschedule(
    *, meeting: Meeting, by: User, start: dt.datetime, end: dt.datetime
) -> Meeting:
    """Move this one meeting to ``[start, end)`` (aware); the series' other meetings are
    untouched and the occurrence keeps its ``original_start``. Bumps the iCalendar
    SEQUENCE. Refused unless draft or agenda published, or if ``end <= start``.
    Locks the meeting row."""
    if end <= start:
        raise CadenceInvalid("A meeting must end after it starts.")
    with transaction.atomic():
        locked(meeting)
        require_state(meeting, (MeetingState.DRAFT, MeetingState.AGENDA_PUBLISHED), "reschedule it")
        if (
            meeting.series_id
            and Meeting.objects.filter(series_id=meeting.series_id, start=start)
            .exclude(pk=meeting.pk)
            .exists()
        ):
            raise CadenceInvalid("Another meeting of this series already starts then.")
        meeting.start, meeting.end = start, end
        meeting.sequence += 1
        meeting.save(update_fields=["start", "end", "sequence"])
    return meeting


def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """Cancel this one meeting (a series' other meetings are untouched; the occurrence
    stays as a cancelled row, so the scheduler never recreates it and calendar
    feeds show it ``STATUS:CANCELLED``). Refused once held. Locks the meeting row."""
    with transaction.atomic():
        locked(meeting)
        require_state(meeting, (MeetingState.DRAFT, MeetingState.AGENDA_PUBLISHED), "cancel it")
        meeting.state = MeetingState.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["state", "sequence"])
    return meeting


def _move(meeting: Meeting, allowed: tuple, to: str, doing: str, check=None) -> Meeting:
    """Move ``meeting`` to state ``to`` from one of ``allowed`` under a row lock, after
    ``check()`` (which raises a ``CadenceError`` to refuse)."""
    with transaction.atomic():
        locked(meeting)
        require_state(meeting, allowed, doing)
        if check:
            check()
        meeting.state = to
        meeting.save(update_fields=["state"])
    return meeting


def agenda_publish(*, meeting: Meeting, by: User) -> Meeting:
    """draft → agenda published. Refused without an agenda item. The caller
    (``cadence.tasks.agenda_publish_and_mail``) enqueues the attendees' mails."""

    def check() -> None:
        if not meeting.agenda_items.exists():
            raise CadenceInvalid("Add at least one agenda item before publishing the agenda.")

    return _move(
        meeting, (MeetingState.DRAFT,), MeetingState.AGENDA_PUBLISHED, "publish the agenda", check
    )


def meeting_go_live(*, meeting: Meeting, by: User, now: dt.datetime | None = None) -> Meeting:
    """Start live mode: the meeting is running and its first item's timer starts.
    Refused unless the agenda is published and live mode has not started."""
    now = now or timezone.now()
    with transaction.atomic():
        locked(meeting)
        require_state(meeting, (MeetingState.AGENDA_PUBLISHED,), "start the meeting")
        if meeting.live_started_at:
            raise MeetingStateError("The meeting is already running.")
        meeting.live_started_at = now
        meeting.save(update_fields=["live_started_at"])
        first = meeting.agenda_items.order_by("position", "pk").first()
        if first:
            AgendaItem.objects.filter(pk=first.pk).update(started_at=now, ended_at=None)
    return meeting


def agenda_item_advance(*, meeting: Meeting, by: User, now: dt.datetime | None = None) -> None:
    """Live mode: close the running item and start the next one's timer (if any)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked(meeting)
        if not meeting.is_live:
            raise MeetingStateError("The meeting is not running.")
        items = list(meeting.agenda_items.order_by("position", "pk"))
        running = [i for i in items if i.started_at and not i.ended_at]
        for item in running:
            AgendaItem.objects.filter(pk=item.pk).update(ended_at=now)
        nxt = next((i for i in items if not i.started_at), None)
        if nxt:
            AgendaItem.objects.filter(pk=nxt.pk).update(started_at=now)


def meeting_mark_held(*, meeting: Meeting, by: User, now: dt.datetime | None = None) -> Meeting:
    """agenda published → held (ends live mode, closing the running item's timer).
    Refused before the agenda is published."""
    now = now or timezone.now()
    with transaction.atomic():
        locked(meeting)
        require_state(meeting, (MeetingState.AGENDA_PUBLISHED,), "mark it held")
        meeting.agenda_items.filter(started_at__isnull=False, ended_at=None).update(ended_at=now)
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state"])
    return meeting


def minutes_save(*, meeting: Meeting, by: User, minutes: str) -> Meeting:
    """Save the minutes (Markdown, sanitised when shown) of a running or held meeting."""
    with transaction.atomic():
        locked(meeting)
        require_state(
            meeting, (MeetingState.AGENDA_PUBLISHED, MeetingState.HELD), "write the minutes"
        )
        meeting.minutes = minutes.strip()
        meeting.save(update_fields=["minutes"])
    return meeting


def minutes_publish(*, meeting: Meeting, by: User) -> Meeting:
    """held → minutes published. Refused before the meeting is held or with empty
    minutes. The caller (``cadence.tasks.minutes_publish_and_mail``) enqueues the recap."""

    def check() -> None:
        if not meeting.minutes.strip():
            raise CadenceInvalid("Write the minutes before publishing them.")

    return _move(
        meeting, (MeetingState.HELD,), MeetingState.MINUTES_PUBLISHED, "publish the minutes", check
    )


def meeting_rate(*, meeting: Meeting, by: User, score: int) -> MeetingRating:
    """``by``'s 1–10 rating of a held meeting (replaces their earlier one). Refused
    before it is held, and for someone who did not attend."""
    if not 1 <= int(score) <= 10:
        raise CadenceInvalid("Rate the meeting from 1 to 10.")
    with transaction.atomic():
        require_state(
            meeting, (MeetingState.HELD, MeetingState.MINUTES_PUBLISHED), "rate the meeting"
        )
        if not meeting.attendees.filter(pk=by.pk).exists():
            raise CadenceInvalid("Only attendees rate a meeting.")
        rating, _ = MeetingRating.objects.update_or_create(
            meeting=meeting, user=by, defaults={"score": int(score), "rated_at": timezone.now()}
        )
    return rating
