"""The operating rhythm: meeting series, meetings, agendas, pre-reads and the decision log."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cadence.recurrence import expand


def validate_rrule(value: str) -> None:
    """Accept an RFC 5545 RRULE value (``FREQ=WEEKLY;BYDAY=MO``) as python-dateutil parses it."""
    try:
        rrulestr(value.removeprefix("RRULE:"), dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"Not an RFC 5545 recurrence rule: {exc}") from exc


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("Use an IANA time zone such as Europe/London.") from exc


class MeetingKind(models.TextChoices):
    STAFF = "staff", "Staff meeting"
    OFFSITE = "offsite", "Leadership offsite"
    BOARD_PREP = "board_prep", "Board prep"
    ONE_ON_ONE = "one_on_one", "1:1"
    MBR = "mbr", "Monthly business review"
    ARCHITECTURE = "architecture", "Architecture review"
    OTHER = "other", "Other"


class AgendaItemKind(models.TextChoices):
    INFORMATION = "information", "Information"
    DISCUSSION = "discussion", "Discussion"
    DECISION = "decision", "Decision"


class MeetingSeries(models.Model):
    """A recurring meeting.

    ``rrule`` is an RFC 5545 RRULE value expanded with python-dateutil from
    ``first_start``, an aware datetime whose wall-clock time is kept in
    ``time_zone`` across daylight-saving changes. ``agenda_template`` is a list
    of ``{"title": str, "minutes": int, "kind": AgendaItemKind}`` copied into
    each new meeting's agenda.
    """

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=MeetingKind, default=MeetingKind.STAFF)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_series"
    )
    default_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="series_attending"
    )
    rrule = models.CharField("recurrence (RRULE)", max_length=500, validators=[validate_rrule])
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    first_start = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(60 * 24 * 3)]
    )
    agenda_template = models.JSONField(default=list, blank=True)
    ical_uid = models.CharField(
        "iCalendar UID",
        max_length=255,
        blank=True,
        help_text="The UID of the calendar event this series was imported from.",
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.UniqueConstraint(
                fields=["ical_uid"], condition=~Q(ical_uid=""), name="series_imported_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="series_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="series_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def occurrences(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """Aware start times of the series in ``[start, end)``, in ``time_zone``
        (``cadence.recurrence.expand``: the wall-clock time holds across DST)."""
        return expand(
            self.rrule, first_start=self.first_start, time_zone=self.time_zone, start=start, end=end
        )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self) -> MeetingQuerySet:
        return self.filter(start__gte=timezone.now()).exclude(state=Meeting.State.CANCELLED)


class MeetingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    MINUTES_PUBLISHED = "minutes_published", "Minutes published"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting, standalone or an occurrence of a series. Times are aware (UTC in the database)."""

    State = MeetingState

    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=MeetingKind, default=MeetingKind.OTHER)
    start = models.DateTimeField()
    end = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    video_url = models.URLField("video link", blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings"
    )
    state = models.CharField(max_length=20, choices=State, default=State.DRAFT)
    minutes = models.TextField(blank=True, help_text="Markdown")
    original_start = models.DateTimeField(
        null=True,
        blank=True,
        help_text="For an occurrence of a series: the start the recurrence gave it "
        "(iCalendar RECURRENCE-ID), kept when the occurrence is moved.",
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: bumped when the time or state changes."
    )
    live_started_at = models.DateTimeField(null=True, blank=True)
    ical_uid = models.CharField(
        "iCalendar UID",
        max_length=255,
        blank=True,
        help_text="For a one-off meeting imported from a calendar: its event's UID.",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["start"]), models.Index(fields=["series", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="meeting_end_after_start"),
            models.CheckConstraint(
                condition=Q(state__in=MeetingState.values), name="meeting_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["series", "start"], name="meeting_one_per_series_start"
            ),
            models.UniqueConstraint(
                fields=["series", "original_start"], name="meeting_one_per_occurrence"
            ),
            models.UniqueConstraint(
                fields=["ical_uid"], condition=~Q(ical_uid=""), name="meeting_imported_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d %H:%M})"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_live(self) -> bool:
        """Running now: started in live mode and not yet marked held."""
        return self.state == MeetingState.AGENDA_PUBLISHED and self.live_started_at is not None


class AgendaItem(models.Model):
    """One time-boxed item of a meeting's agenda, ordered by ``position``."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    time_box_minutes = models.PositiveIntegerField(default=10, validators=[MinValueValidator(1)])
    kind = models.CharField(
        max_length=20, choices=AgendaItemKind, default=AgendaItemKind.DISCUSSION
    )
    notes = models.TextField("notes / outcome", blank=True, help_text="Markdown")
    started_at = models.DateTimeField(null=True, blank=True, help_text="Live mode: item opened.")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Live mode: item closed.")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_box_minutes__gt=0), name="agenda_item_time_box_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgendaItemKind.values), name="agenda_item_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def pre_read_upload_to(instance: PreRead, filename: str) -> str:
    return f"pre-reads/{instance.meeting_id}/{filename}"


class PreRead(models.Model):
    """Reading for a meeting: an uploaded file, a link, or a Markdown body (at least one).

    ``due_by`` is an aware datetime; by default the meeting's start.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pre_reads")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="pre_reads"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=pre_read_upload_to, blank=True)
    url = models.URLField("link", blank=True)
    body = models.TextField(blank=True, help_text="Markdown")
    due_by = models.DateTimeField(null=True, blank=True)
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PreReadAcknowledgement", related_name="pre_reads_read"
    )

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url="") | ~Q(body=""), name="pre_read_has_content"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PreReadAcknowledgement(models.Model):
    """That ``user`` has read ``pre_read``, and when (aware)."""

    pre_read = models.ForeignKey(PreRead, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pre_read", "user"], name="pre_read_ack_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.pre_read}"


class Decision(models.Model):
    """An entry of the decision log, taken in a meeting (optionally on one agenda item)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    summary = models.CharField(max_length=300)
    rationale = models.TextField(blank=True, help_text="Markdown")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return self.summary


class MeetingRating(models.Model):
    """One attendee's 1–10 rating of a held meeting (one per person; a new rating replaces it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_rating_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=10), name="meeting_rating_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.meeting}: {self.score}"


class MeetingMailKind(models.TextChoices):
    AGENDA = "agenda", "Agenda published"
    REMINDER = "reminder", "Pre-read reminder"
    MINUTES = "minutes", "Minutes recap"


class MeetingMail(models.Model):
    """One mail of a kind sent (or being sent) to one person about one meeting.

    The unique constraint makes a second agenda, reminder or recap to the same
    person for the same meeting impossible: the sending task claims the row
    first and sends only if it created it. ``sent_at`` is set once the SMTP
    server accepted the message.
    """

    Kind = MeetingMailKind

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MeetingMailKind)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "kind"], name="meeting_mail_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingMailKind.values), name="meeting_mail_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} for {self.meeting}"


class CarryOverReview(models.Model):
    """That the Chief of Staff reviewed, in ``meeting``, an open action or a decision
    carried over from an earlier meeting of the same series (exactly one of the two)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="carry_over_reviews"
    )
    action = models.ForeignKey(
        "actions.ActionItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True) ^ Q(decision__isnull=True),
                name="carry_over_review_one_target",
            ),
            models.UniqueConstraint(
                fields=["meeting", "action"], name="carry_over_review_action_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "decision"], name="carry_over_review_decision_once"
            ),
        ]


class CalendarFeed(models.Model):
    """A person's secret iCalendar feed token (``secrets.token_urlsafe``).

    The feed URL carries the token instead of a login (calendar apps cannot
    sign in); revoking deletes the row, and a new token makes the old URL a 404.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
