"""Inputs of the weekly briefing (OKRs, tech debt, headcount, health indicators) and the briefing itself."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cto_office.clock import IsoWeek


class Objective(models.Model):
    """An OKR objective of a team for one period (usually a quarter).

    ``period_start`` and ``period_end`` are inclusive dates; ``quarter`` is the
    label people use (GitLab's fiscal ``FY24-Q1``, or ``2026-Q4``).
    """

    team = models.ForeignKey("cto_office.Team", on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=400)
    quarter = models.CharField(max_length=20)
    period_start = models.DateField()
    period_end = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "team__name", "pk"]
        indexes = [models.Index(fields=["period_start", "period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="objective_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter}: {self.title}"


def key_result_progress(*, start: Decimal, target: Decimal, value: Decimal) -> float:
    """Progress of a key result towards its target: ``(value - start) / (target - start)``,
    clamped to 0–1 (a fraction, not a percentage).

    The one rule behind ``KeyResult.progress``, for plain values (``values()``
    rows, or a past week's check-in value in the briefing). Works for targets
    below the start (a latency to bring down): the span is then negative. A
    zero span cannot be saved (``key_result_target_differs``); it gives 0.0.
    """
    span = float(target - start)
    return min(1.0, max(0.0, float(value - start) / span)) if span else 0.0


class KeyResult(models.Model):
    """A measurable key result: progress is ``(current - start) / (target - start)``, clamped to 0–1
    (``key_result_progress``)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    team = models.ForeignKey(
        "cto_office.Team", on_delete=models.CASCADE, related_name="key_results"
    )
    title = models.CharField(max_length=400)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    current_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    unit = models.CharField(max_length=30, blank=True, help_text="%, issues, ms, …")

    class Meta:
        ordering = ["objective", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_value=F("start_value")), name="key_result_target_differs"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> float:
        """Progress of the current value, 0–1 (``key_result_progress``)."""
        return key_result_progress(
            start=self.start_value, target=self.target_value, value=self.current_value
        )


class KeyResultCheckIn(models.Model):
    """A dated reading of a key result with the owner's confidence (0–1) of hitting it."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    confidence = models.DecimalField(
        max_digits=3, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key_result", "date"]
        verbose_name = "check-in"
        constraints = [
            models.UniqueConstraint(fields=["key_result", "date"], name="check_in_once_per_day"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="check_in_confidence_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_result} on {self.date}"


class HealthIndicator(models.Model):
    """A performance indicator used as a tech-debt or health signal (from GitLab's handbook).

    ``health`` follows the handbook's levels: 0 unknown, 1 problem, 2 attention, 3 okay.
    """

    class Health(models.IntegerChoices):
        UNKNOWN = 0, "Unknown"
        PROBLEM = 1, "Problem"
        ATTENTION = 2, "Attention"
        OKAY = 3, "Okay"

    team = models.ForeignKey("cto_office.Team", on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    target = models.CharField(max_length=300, blank=True)
    health = models.PositiveSmallIntegerField(choices=Health, default=Health.UNKNOWN)
    reasons = models.JSONField(default=list, blank=True, help_text="List of short reasons")
    is_key = models.BooleanField("key indicator", default=False)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="indicator_unique_per_team"),
            models.CheckConstraint(condition=Q(health__lte=3), name="indicator_health_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class TechDebtSnapshot(models.Model):
    """A team's technical-debt posture on one date (imported weekly or entered in admin).

    ``effort_days`` is estimated engineer-days to clear the open items;
    ``capacity_share`` is the fraction (0–1) of the team's capacity spent on debt.
    """

    team = models.ForeignKey(
        "cto_office.Team", on_delete=models.CASCADE, related_name="tech_debt_snapshots"
    )
    date = models.DateField()
    items_open = models.PositiveIntegerField()
    effort_days = models.DecimalField(max_digits=8, decimal_places=1)
    critical = models.PositiveIntegerField(default=0)
    high = models.PositiveIntegerField(default=0)
    medium = models.PositiveIntegerField(default=0)
    low = models.PositiveIntegerField(default=0)
    capacity_share = models.DecimalField(
        max_digits=3, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )

    class Meta:
        ordering = ["-date", "team__name"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="tech_debt_once_per_team_date"),
            models.CheckConstraint(
                condition=Q(capacity_share__gte=0, capacity_share__lte=1),
                name="tech_debt_share_0_1",
            ),
            models.CheckConstraint(
                condition=Q(effort_days__gte=0), name="tech_debt_effort_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} tech debt on {self.date}"


class HeadcountSnapshot(models.Model):
    """A team's headcount against plan on one date; ``starters`` and ``leavers`` count since the previous snapshot."""

    team = models.ForeignKey(
        "cto_office.Team", on_delete=models.CASCADE, related_name="headcount_snapshots"
    )
    date = models.DateField()
    filled = models.PositiveIntegerField()
    planned = models.PositiveIntegerField()
    open_requisitions = models.PositiveIntegerField(default=0)
    starters = models.PositiveIntegerField(default=0)
    leavers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date", "team__name"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="headcount_once_per_team_date"),
        ]

    def __str__(self) -> str:
        return f"{self.team} headcount on {self.date}"


class RequisitionState(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    CANCELLED = "cancelled", "Cancelled"


class Requisition(models.Model):
    """An open (or since filled or cancelled) requisition: a vacancy a team is hiring for."""

    State = RequisitionState

    team = models.ForeignKey(
        "cto_office.Team", on_delete=models.CASCADE, related_name="requisitions"
    )
    title = models.CharField(max_length=200)
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_on = models.DateField()
    state = models.CharField(max_length=10, choices=State, default=State.OPEN)

    class Meta:
        ordering = ["opened_on", "pk"]
        verbose_name = "open requisition"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RequisitionState.values), name="requisition_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def briefing_upload_to(instance: Briefing, filename: str) -> str:
    """``briefings/<ISO year>/cto-briefing-2026-W47.pdf`` (media storage)."""
    return f"briefings/{instance.week.year}/cto-briefing-{instance.week.label}.pdf"


class BriefingState(models.TextChoices):
    PENDING = "pending", "Pending"
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class Briefing(models.Model):
    """The weekly CTO briefing for one ISO week (ISO 8601: weeks start on Monday).

    ``snapshot`` is the JSON data it was rendered from (``briefings.selectors``);
    ``html`` the rendered page; ``pdf`` the WeasyPrint output. A failed run keeps
    the error in ``error`` and state ``failed``; re-running replaces the draft.
    """

    State = BriefingState

    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(53)]
    )
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    error = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    pdf = models.FileField(upload_to=briefing_upload_to, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    generation_seconds = models.FloatField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    commentary = models.TextField(
        "CoS commentary", blank=True, help_text="Markdown, added before publishing"
    )
    commentary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commentary_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the schedule published it (auto-publish hour).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-iso_year", "-iso_week"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_year", "iso_week"], name="briefing_one_per_iso_week"
            ),
            models.CheckConstraint(
                condition=Q(iso_week__gte=1, iso_week__lte=53), name="briefing_iso_week_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=BriefingState.values), name="briefing_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="briefing_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Briefing {self.label}"

    @property
    def week(self) -> IsoWeek:
        """The ISO week this briefing covers (``cto_office.clock.IsoWeek``: label, Monday, Sunday, bounds)."""
        return IsoWeek(self.iso_year, self.iso_week)

    @property
    def label(self) -> str:
        """ISO 8601 week label, e.g. ``2026-W47`` (``week.label``)."""
        return self.week.label

    @property
    def draft_version(self) -> str:
        """Which draft this is: its generation and commentary times (ISO 8601, UTC), joined.
        The publish form carries it, so that publishing a draft regenerated or annotated
        since the page was opened is refused (STYLE rule 5)."""
        return "/".join(t.isoformat() if t else "" for t in (self.generated_at, self.commentary_at))


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class BriefingDelivery(models.Model):
    """One e-mail of a published briefing to one recipient: claimed before sending, never sent twice.

    ``briefing_publish`` creates a row per recipient (the CTO and
    ``OfficeSettings.briefing_recipients``); the unique constraint makes a
    second row for the same address impossible. The delivery task claims a row
    with a conditional update (``pending``/``failed`` → ``sending``) before it
    talks to the SMTP server, then marks it ``sent`` or ``failed`` with the
    error; ``attempts`` counts the tries. A worker that dies between the
    server's "250 OK" and the ``sent`` update leaves the row ``sending``: it is
    not sent again automatically (at most once per recipient), and the page
    shows it.
    """

    State = DeliveryState

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    is_cto = models.BooleanField(default=False, help_text="Gets the link to the archive page too")
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["briefing", "-is_cto", "email"]
        verbose_name_plural = "briefing deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "email"], name="briefing_delivery_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="briefing_delivery_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="briefing_delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.briefing} to {self.email}"


class CheckInReminder(models.Model):
    """One weekly reminder to a key-result owner who had not checked in: never sent twice.

    ``briefings.services.reminders.check_in_reminders_send`` inserts the row and
    queues the mail in one transaction; the unique constraint makes a second
    reminder to the same person in the same ISO week impossible.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    key_results = models.PositiveSmallIntegerField(help_text="Key results without a check-in")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-iso_year", "-iso_week", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "iso_year", "iso_week"], name="check_in_reminder_once_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in reminder to {self.user} for {IsoWeek(self.iso_year, self.iso_week)}"
