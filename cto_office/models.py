"""The shared organisation model: teams, who is in them, and office-wide settings."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q


class TeamFunction(models.TextChoices):
    ENGINEERING = "engineering", "Engineering"
    PRODUCT = "product", "Product"
    SECURITY = "security", "Security"
    DATA = "data", "Data"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    QUALITY = "quality", "Quality"
    UX = "ux", "User experience"
    SUPPORT = "support", "Support"
    OTHER = "other", "Other"


class Team(models.Model):
    """A node of the organisation tree (division, department, sub-department or team).

    ``parent`` is null only for the root. ``lead`` is the person the chase
    ladder escalates to when an action owned by a member of this team is overdue.
    """

    Function = TeamFunction

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    function = models.CharField(max_length=20, choices=Function, default=Function.ENGINEERING)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(function__in=TeamFunction.values), name="team_function_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in the organisation: their team, job title and manager.

    One row per user (their primary team). ``manager`` mirrors the handbook's
    ``reports_to``; it is a user, not a team, because people report to people.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    title = models.CharField(max_length=200, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    class Meta:
        ordering = ["team__name", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=models.F("user")), name="membership_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.user.get_full_name() or self.user.get_username()} — {self.title} ({self.team})"
        )


def default_chase_ladder() -> list[int]:
    """Days overdue before each chase level: owner, owner's team lead, Chief of Staff."""
    return [1, 4, 8]


class EscalationSeverity(models.TextChoices):
    """How bad an escalation is; each severity has its own triage SLA in ``OfficeSettings``.

    Defined here, beside the SLA rule (``OfficeSettings.sla_due_at``), so that the
    base imports no app; ``actions.models.Escalation.Severity`` is this class.
    """

    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


def default_sla_hours() -> dict[str, int]:
    """Hours to triage an escalation, by severity."""
    return {"critical": 4, "high": 24, "medium": 72, "low": 168}


def person_name(user: object | None) -> str:
    """How the product names a person: "First Last", else the username, else "—".

    Takes a user, or a ``values()`` row with ``first_name``/``last_name``/``username``
    keys (optionally prefixed, e.g. ``owner__first_name``: pass the row through
    ``person_from_row``). The one rule behind the ``|person`` template filter.
    """
    if user is None:
        return "—"
    if isinstance(user, dict):
        first, last, username = user.get("first_name"), user.get("last_name"), user.get("username")
    else:
        first = getattr(user, "first_name", "")
        last = getattr(user, "last_name", "")
        username = getattr(user, "username", "")
    full = f"{first or ''} {last or ''}".strip()
    return full or username or "—"


def person_from_row(row: dict, prefix: str) -> str:
    """``person_name`` of the user whose fields a ``values()`` row holds under ``prefix``.

    ``person_from_row(row, "owner__")`` reads ``owner__first_name``,
    ``owner__last_name`` and ``owner__username``.
    """
    return person_name(
        {
            "first_name": row.get(f"{prefix}first_name"),
            "last_name": row.get(f"{prefix}last_name"),
            "username": row.get(f"{prefix}username"),
        }
    )


class OfficeSettings(models.Model):
    """The one row of office-wide settings, edited by the Chief of Staff in admin.

    Times are wall-clock hours in ``time_zone`` (an IANA name); weekdays follow
    Python's ``date.weekday()`` (0 = Monday). ``chase_ladder`` is a list of three
    ascending integers, days overdue before chasing the owner, the owner's team
    lead and the Chief of Staff. ``sla_hours`` maps each escalation severity to
    the hours allowed before it must be triaged. ``cto_staff_series`` is the
    CTO's staff-meeting series: an escalation raised to the CTO becomes an agenda
    item of its next upcoming meeting (``actions.services.escalation_raise_to_cto``).
    """

    WEEKDAYS = [
        (0, "Monday"),
        (1, "Tuesday"),
        (2, "Wednesday"),
        (3, "Thursday"),
        (4, "Friday"),
        (5, "Saturday"),
        (6, "Sunday"),
    ]

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    organisation_name = models.CharField(max_length=120, default="Engineering")
    time_zone = models.CharField(max_length=64, default="Europe/London")
    briefing_weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, default=4)
    briefing_hour = models.PositiveSmallIntegerField(default=16)
    chase_hour = models.PositiveSmallIntegerField(default=9)
    chase_ladder = models.JSONField(default=default_chase_ladder)
    sla_hours = models.JSONField(default=default_sla_hours)
    pre_read_reminder_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Hours before a meeting to remind attendees who have not read its pre-reads.",
    )
    cto_staff_series = models.ForeignKey(
        "cadence.MeetingSeries",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="CTO staff-meeting series",
        help_text="Escalations raised to the CTO land on the agenda of its next meeting.",
    )
    # The weekly briefing (briefings app): who gets it, when it publishes itself,
    # and the thresholds of the "quietly behind" rule (briefings.rules).
    briefing_recipients = models.TextField(
        blank=True,
        help_text="E-mail addresses that get the published briefing besides the CTO, "
        "one per line (or separated by commas).",
    )
    briefing_auto_publish_hour = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Hour (office time) on the briefing weekday at which a draft the Chief of "
        "Staff has not published is published. Empty: never automatically.",
    )
    behind_margin_start = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        help_text="Quietly behind: how far (0-1) progress may trail the share of the quarter "
        "elapsed at its start; the margin shrinks linearly to the end margin.",
    )
    behind_margin_end = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.10"),
        help_text="Quietly behind: the margin (0-1) on the quarter's last day.",
    )
    behind_stale_weeks = models.PositiveSmallIntegerField(
        default=3, help_text="Quietly behind: weeks without a check-in."
    )
    behind_off_track_confidence = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        help_text="A latest confidence at or below this is reported openly as off track: listed "
        "on its own, not as quietly behind.",
    )

    class Meta:
        verbose_name = "office settings"
        verbose_name_plural = "office settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="office_settings_singleton"),
            models.CheckConstraint(
                condition=Q(briefing_weekday__lte=6), name="office_settings_weekday"
            ),
            models.CheckConstraint(
                condition=Q(briefing_hour__lte=23), name="office_settings_briefing_hour"
            ),
            models.CheckConstraint(
                condition=Q(chase_hour__lte=23), name="office_settings_chase_hour"
            ),
            models.CheckConstraint(
                condition=Q(briefing_auto_publish_hour__lte=23),
                name="office_settings_auto_publish_hour",
            ),
            models.CheckConstraint(
                condition=Q(behind_margin_end__gte=0, behind_margin_start__lte=1)
                & Q(behind_margin_end__lte=models.F("behind_margin_start")),
                name="office_settings_behind_margins",
            ),
        ]

    def __str__(self) -> str:
        return "Office settings"

    @classmethod
    def load(cls) -> OfficeSettings:
        """Return the single row, creating it with defaults on first use."""
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def sla_due_at(self, *, severity: str, raised_at: dt.datetime) -> dt.datetime:
        """When an escalation of ``severity`` raised at ``raised_at`` must be triaged by.

        The triage SLA rule: ``sla_hours[severity]`` elapsed hours after
        ``raised_at`` (an aware datetime; the result is aware, in ``raised_at``'s zone).
        Elapsed hours, not office hours: the CTO's office answers critical
        escalations at night too. The hours are added in UTC, so a clock change
        in between does not stretch or shrink them (adding a timedelta to an
        aware datetime adds wall-clock time in its own zone: Python docs,
        "datetime" arithmetic). ``KeyError`` for an unknown severity.
        """
        elapsed = raised_at.astimezone(dt.UTC) + dt.timedelta(hours=self.sla_hours[severity])
        return elapsed.astimezone(raised_at.tzinfo)

    @property
    def briefing_recipient_list(self) -> list[str]:
        """``briefing_recipients`` as a sorted list of distinct, lower-cased addresses."""
        return sorted(
            {a.strip().lower() for a in re.split(r"[,;\s]+", self.briefing_recipients) if a.strip()}
        )

    def clean(self) -> None:
        for address in self.briefing_recipient_list:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"briefing_recipients": f"{address!r} is not an e-mail address."}
                ) from None
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"time_zone": "Use an IANA time zone such as Europe/London."})
        ladder = self.chase_ladder
        if (
            not isinstance(ladder, list)
            or len(ladder) != 3
            or not all(isinstance(d, int) and d >= 0 for d in ladder)
            or ladder != sorted(ladder)
        ):
            raise ValidationError(
                {"chase_ladder": "Give three ascending whole numbers of days, e.g. [1, 4, 8]."}
            )
        severities = set(EscalationSeverity.values)
        sla = self.sla_hours
        if (
            not isinstance(sla, dict)
            or set(sla) != severities
            or not all(isinstance(h, int) and h > 0 for h in sla.values())
        ):
            raise ValidationError(
                {"sla_hours": f"Give positive hours for each of {', '.join(sorted(severities))}."}
            )
