"""The action register, the escalation inbox, and the record of chase reminders sent."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cto_office.clock import office_settings
from cto_office.models import EscalationSeverity, OfficeSettings


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
        return max(0, (today - self.due_date).days) if self.is_open else 0


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


class EscalationQuerySet(models.QuerySet):
    def open(self) -> EscalationQuerySet:
        return self.filter(state__in=Escalation.OPEN_STATES)


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


class Escalation(KeyedModel):
    """An issue raised to the CTO's office; triaged by the Chief of Staff.

    Confidential escalations are visible only to the CoS, the CTO and the
    person who raised them (enforced in ``cto_office.access``). ``sla_due_at``
    is an aware datetime set from ``OfficeSettings.sla_hours`` for the severity.
    """

    KEY_PREFIX = "ESC"

    Category = EscalationCategory

    Severity = EscalationSeverity

    State = EscalationState

    OPEN_STATES = (State.NEW, State.TRIAGED, State.ROUTED, State.RAISED_TO_CTO)

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
                condition=~Q(state__in=["resolved", "declined"]) | Q(resolved_at__isnull=False),
                name="escalation_closed_has_time",
            ),
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

    def sla_breached(self, now: dt.datetime | None = None) -> bool:
        """True when still untriaged (``new``) after ``sla_due_at``."""
        return self.breaches_sla(
            state=self.state, sla_due_at=self.sla_due_at, now=now or timezone.now()
        )


class ChaseNotice(models.Model):
    """One reminder sent about an overdue action: to whom, at which ladder level, on which day.

    The unique constraint on (action, level, sent_on) makes sending the same
    reminder twice impossible, whatever a retried or duplicated job does.
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
        constraints = [
            models.UniqueConstraint(
                fields=["action", "level", "sent_on"], name="chase_notice_once_per_action_level_day"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3), name="chase_notice_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.key} level {self.level} on {self.sent_on}"
