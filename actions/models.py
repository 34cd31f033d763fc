"""The action register, the escalation inbox, and the record of chase reminders sent."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cto_office.clock import office_settings
from cto_office.models import EscalationSeverity, OfficeSettings, person_name


class KeyedModel(models.Model):
    """A model shown to people by a short key, ``<PREFIX>-<pk>`` (``ACT-123``)."""

    KEY_PREFIX = ""

    class Meta:
        abstract = True

    @property
    def key(self) -> str:
        return self.key_of(self.pk)

    @classmethod
    def key_of(cls, pk: int) -> str:
        """The key of the row with primary key ``pk`` (for ``values()`` rows): ``ACT-123``."""
        return f"{cls.KEY_PREFIX}-{pk}"

    @classmethod
    def pk_from_key(cls, text: str) -> int | None:
        """``"ACT-123"`` (any case, or just ``"123"``) → 123; anything else → None."""
        match = re.fullmatch(rf"\s*(?:{cls.KEY_PREFIX}-)?(\d+)\s*", text, flags=re.IGNORECASE)
        return int(match.group(1)) if match else None


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, today: dt.date) -> ActionQuerySet:
        """Open actions whose due date is before ``today`` (a date in the office's time zone)."""
        return self.filter(ActionItem.overdue_q(today))

    def with_due_history(self) -> ActionQuerySet:
        """Annotate ``slip_count`` (times the due date moved later, from the history) and
        ``original_due_date`` (the due date before its first move; the current one if
        never moved). Two correlated subqueries, no extra round trip."""
        moves = ActionUpdate.objects.filter(action=OuterRef("pk"), new_due_date__isnull=False)
        slips = moves.filter(new_due_date__gt=F("old_due_date")).order_by().values("action")
        return self.annotate(
            slip_count=Coalesce(Subquery(slips.annotate(n=Count("pk")).values("n")[:1]), 0),
            original_due_date=Coalesce(
                Subquery(moves.order_by("created_at", "pk").values("old_due_date")[:1]),
                F("due_date"),
            ),
        )


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionSource(models.TextChoices):
    MEETING = "meeting", "Meeting"
    DECISION = "decision", "Decision"
    ESCALATION = "escalation", "Escalation"
    MANUAL = "manual", "Manual"
    IMPORT = "import", "Import"


class ActionItem(KeyedModel):
    """One owned, dated action in the register.

    ``version`` supports optimistic concurrency: writers update with
    ``filter(pk=..., version=v).update(version=F("version") + 1, ...)`` and treat
    zero rows as a conflict. Every change is also recorded as an ``ActionUpdate``.
    """

    KEY_PREFIX = "ACT"

    Status = ActionStatus

    class Priority(models.IntegerChoices):
        CRITICAL = 1, "P1 critical"
        HIGH = 2, "P2 high"
        MEDIUM = 3, "P3 medium"
        LOW = 4, "P4 low"

    Source = ActionSource

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED)

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned"
    )
    team = models.ForeignKey(
        "cto_office.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    due_date = models.DateField()
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.MEDIUM)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    source = models.CharField(max_length=20, choices=Source, default=Source.MANUAL)
    source_meeting = models.ForeignKey(
        "cadence.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    source_decision = models.ForeignKey(
        "cadence.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    source_escalation = models.ForeignKey(
        "Escalation", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    external_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="Its key in the tool it was imported from (a Jira issue key such as TES-24).",
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "priority", "pk"]
        verbose_name = "action"
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["completed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ActionSource.values), name="action_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=4), name="action_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="action_completed_at_iff_done",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="action_version_positive"),
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~Q(external_key=""),
                name="action_external_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @staticmethod
    def overdue_q(today: dt.date) -> Q:
        """The overdue rule as a filter: open, due before ``today`` (office time zone).

        For ``filter()`` and for conditional aggregates (``Count(..., filter=...)``).
        """
        return Q(status__in=ActionItem.OPEN_STATUSES, due_date__lt=today)

    def days_overdue(self, today: dt.date) -> int:
        """Whole days past the due date on ``today``; 0 when not overdue or closed."""
        return self.days_past(self.due_date, today) if self.is_open else 0

    #: How far ahead a due date may be set: further is a typo (``2062`` for ``2026``), not a plan.
    MAX_YEARS_AHEAD = 5

    @classmethod
    def due_date_too_far(cls, due_date: dt.date, today: dt.date) -> bool:
        """Whether ``due_date`` is more than ``MAX_YEARS_AHEAD`` years after ``today`` (both
        office-time-zone dates): the one rule the services and the Jira import apply."""
        return due_date > today.replace(
            year=today.year + cls.MAX_YEARS_AHEAD, day=min(today.day, 28)
        )

    @staticmethod
    def days_past(due_date: dt.date, today: dt.date) -> int:
        """Whole days ``today`` is past ``due_date`` (both office-time-zone dates); 0 if not past."""
        return max(0, (today - due_date).days)


class ActionUpdate(models.Model):
    """One append-only entry of an action's history: who changed what, when, and why."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=ActionItem.Status, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionItem.Status, blank=True)
    old_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    reason = models.CharField("reason for the new due date", max_length=300, blank=True)
    note = models.TextField("progress note", blank=True)
    old_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["action", "created_at", "pk"]
        indexes = [models.Index(fields=["action", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_date__isnull=True) | ~Q(reason=""),
                name="action_update_due_change_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.key} update at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_slip(self) -> bool:
        """True when this update moved the due date later (counted as a slip)."""
        return bool(
            self.new_due_date and self.old_due_date and self.new_due_date > self.old_due_date
        )

    def describe(self) -> str:
        """What this update did, as a phrase after the author's name: "marked it done",
        "moved the due date from 3 Dec to 10 Dec", "added a note" (dates as office dates)."""
        parts = []
        if self.from_status and self.to_status and self.from_status != self.to_status:
            parts.append(f"marked it {ActionStatus(self.to_status).label.lower()}")
        if self.new_due_date:
            before = f" from {self.old_due_date:%-d %b}" if self.old_due_date else ""
            parts.append(f"moved the due date{before} to {self.new_due_date:%-d %b}")
        if self.new_owner_id and self.new_owner_id != self.old_owner_id:
            parts.append(f"reassigned it to {person_name(self.new_owner)}")
        if not parts and self.note:
            parts.append("added a note")
        return " and ".join(parts) or "changed it"


class EscalationQuerySet(models.QuerySet):
    def open(self) -> EscalationQuerySet:
        return self.filter(state__in=Escalation.OPEN_STATES)

    def snoozed(self, now: dt.datetime) -> EscalationQuerySet:
        """Snoozed at ``now`` (an aware datetime): out of the inbox until ``snoozed_until``."""
        return self.filter(snoozed_until__gt=now)

    def awake(self, now: dt.datetime) -> EscalationQuerySet:
        """Not snoozed at ``now``: a snooze ends by itself when its time passes (no job needed)."""
        return self.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))


class EscalationCategory(models.TextChoices):
    DELIVERY = "delivery", "Delivery"
    INCIDENT = "incident", "Incident"
    SECURITY = "security", "Security"
    PEOPLE = "people", "People"
    VENDOR = "vendor", "Vendor"
    ARCHITECTURE = "architecture", "Architecture"
    CROSS_TEAM = "cross_team", "Cross-team"


class EscalationState(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    ROUTED = "routed", "Routed"
    RAISED_TO_CTO = "raised_to_cto", "Raised to CTO"
    RESOLVED = "resolved", "Resolved"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Duplicate"


class Escalation(KeyedModel):
    """An issue raised to the CTO's office; triaged by the Chief of Staff.

    Confidential escalations are visible only to the CoS, the CTO, the person
    who raised them, the person they are routed to and the owners of actions
    made from them (enforced in ``cto_office.access``). ``sla_due_at`` is an
    aware datetime set from ``OfficeSettings.sla_hours`` for the severity.

    Every change goes through ``actions.services`` (the state machine is drawn
    in ``actions.services.escalation``), which records an ``EscalationEvent``
    and bumps ``version`` (optimistic concurrency, STYLE rule 5).
    ``snoozed_until`` (aware) hides it from the inbox until then, with
    ``snooze_reason``; ``duplicate_of`` is set in state ``duplicate`` (by the
    service, not by a constraint: deleting the original sets it to NULL);
    ``agenda_item`` is the CTO staff-meeting item it was raised on.
    """

    KEY_PREFIX = "ESC"

    Category = EscalationCategory

    Severity = EscalationSeverity

    State = EscalationState

    OPEN_STATES = (State.NEW, State.TRIAGED, State.ROUTED, State.RAISED_TO_CTO)
    CLOSED_STATES = (State.RESOLVED, State.DECLINED, State.DUPLICATE)

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    team = models.ForeignKey(
        "cto_office.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    category = models.CharField(max_length=20, choices=Category)
    severity = models.CharField(max_length=10, choices=Severity, default=Severity.MEDIUM)
    confidential = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State, default=State.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations_assigned",
    )
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations_routed",
    )
    resolution_note = models.TextField(blank=True)
    sla_due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    raised_to_cto_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    snooze_reason = models.CharField(max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    agenda_item = models.ForeignKey(
        "cadence.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    version = models.PositiveIntegerField(default=1)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "severity"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["resolved_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=EscalationState.values), name="escalation_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=EscalationCategory.values),
                name="escalation_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=EscalationSeverity.values),
                name="escalation_severity_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="routed") | Q(routed_to__isnull=False),
                name="escalation_routed_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["resolved", "declined", "duplicate"])
                | Q(resolved_at__isnull=False),
                name="escalation_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="escalation_not_duplicate_of_itself"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="escalation_version_positive"),
            models.CheckConstraint(
                condition=Q(sla_due_at__gte=F("created_at")), name="escalation_sla_after_created"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def set_sla_due_at(self, office: OfficeSettings | None = None) -> None:
        """Set ``sla_due_at`` from the office's SLA for this severity (``OfficeSettings.sla_due_at``),
        counted from ``created_at``. ``office`` saves a query when the caller has it."""
        office = office or office_settings()
        self.sla_due_at = office.sla_due_at(severity=self.severity, raised_at=self.created_at)

    # The triage SLA rule: an escalation breaches it while it is still ``new``
    # after ``sla_due_at``. Three forms of the one rule, kept side by side.

    @staticmethod
    def breaches_sla(*, state: str, sla_due_at: dt.datetime, now: dt.datetime) -> bool:
        """The rule on plain values (rows fetched with ``values()``)."""
        return state == EscalationState.NEW and now > sla_due_at

    @staticmethod
    def sla_breached_q(now: dt.datetime) -> Q:
        """The rule as a filter, for ``filter()`` and conditional aggregates."""
        return Q(state=EscalationState.NEW, sla_due_at__lt=now)

    @property
    def agenda_title(self) -> str:
        """How it is named on a CTO staff meeting's agenda (attendees see agendas): its key and
        title, or only its key when confidential; at most 200 characters (``AgendaItem.title``)."""
        if self.confidential:
            return f"{self.key}: confidential escalation for decision"
        return f"{self.key}: {self.title}"[:200]

    @staticmethod
    def sla_clock(sla_due_at: dt.datetime, now: dt.datetime) -> str:
        """The SLA clock's words: ``"3 h left"``, ``"45 min left"``, ``"breached 2 d"``.

        Whole minutes below an hour, hours below two days, then days (rounded
        down). ``static/js/inbox.js`` words it the same way to keep it live.
        """
        seconds = (sla_due_at - now).total_seconds()
        amount = Escalation.duration_words(seconds)
        return f"{amount} left" if seconds >= 0 else f"breached {amount}"

    @staticmethod
    def duration_words(seconds: float) -> str:
        """A duration's words as the inbox shows them (SLA clock, age): ``"45 min"``, ``"3 h"``,
        ``"2 d"``: whole minutes below an hour, hours below two days, then days (rounded
        down; the sign is ignored)."""
        minutes = int(abs(seconds) // 60)
        if minutes < 60:
            return f"{minutes} min"
        if minutes < 48 * 60:
            return f"{minutes // 60} h"
        return f"{minutes // (24 * 60)} d"

    def sla_breached(self, now: dt.datetime | None = None) -> bool:
        """True when still untriaged (``new``) after ``sla_due_at``."""
        return self.breaches_sla(
            state=self.state, sla_due_at=self.sla_due_at, now=now or timezone.now()
        )


class EscalationEventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    TRIAGED = "triaged", "Triaged"
    ROUTED = "routed", "Routed"
    RAISED_TO_CTO = "raised_to_cto", "Raised to the CTO"
    SENT_BACK = "sent_back", "Sent back to the Chief of Staff"
    CONVERTED = "converted", "Converted to an action"
    RESOLVED = "resolved", "Resolved"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Marked duplicate"
    SNOOZED = "snoozed", "Snoozed"
    REOPENED = "reopened", "Reopened"
    EDITED = "edited", "Edited"


class EscalationEvent(models.Model):
    """One append-only entry of an escalation's history: who did what, when, from → to state.

    Written only by ``actions.services`` (one per transition, plus an implied
    ``triaged`` entry when a transition starts from ``new``); never changed or
    deleted. ``at`` is aware (UTC in the database). ``from_state`` equals
    ``to_state`` for a change that keeps the state (snooze, edit, re-triage).
    """

    Kind = EscalationEventKind

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, choices=EscalationState, blank=True)
    to_state = models.CharField(max_length=20, choices=EscalationState)
    kind = models.CharField(max_length=20, choices=EscalationEventKind)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["escalation", "at", "pk"]
        indexes = [models.Index(fields=["escalation", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EscalationEventKind.values), name="escalation_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(to_state__in=EscalationState.values),
                name="escalation_event_to_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.escalation.key} {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class ChaseNotice(models.Model):
    """One reminder sent about an overdue action: to whom, at which ladder level, on which day.

    The unique constraint on (action, recipient, level, sent_on) makes sending the
    same reminder twice impossible, whatever a retried or duplicated job does
    (several Chiefs of Staff each get their own notice at level 3).
    ``level`` is 1 (owner), 2 (owner's team lead) or 3 (Chief of Staff);
    ``sent_on`` is a date in the office's time zone.
    """

    class Level(models.IntegerChoices):
        OWNER = 1, "Owner"
        TEAM_LEAD = 2, "Team lead"
        CHIEF_OF_STAFF = 3, "Chief of Staff"

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="chase_notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(choices=Level)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "action", "level"]
        indexes = [models.Index(fields=["sent_on", "recipient"])]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "recipient", "level", "sent_on"],
                name="chase_notice_once_per_action_recipient_level_day",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3), name="chase_notice_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.key} level {self.level} on {self.sent_on}"
