"""The shared organisation model: teams, who is in them, and office-wide settings."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
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


def default_sla_hours() -> dict[str, int]:
    """Hours to triage an escalation, by severity."""
    return {"critical": 4, "high": 24, "medium": 72, "low": 168}


class OfficeSettings(models.Model):
    """The one row of office-wide settings, edited by the Chief of Staff in admin.

    Times are wall-clock hours in ``time_zone`` (an IANA name); weekdays follow
    Python's ``date.weekday()`` (0 = Monday). ``chase_ladder`` is a list of three
    ascending integers, days overdue before chasing the owner, the owner's team
    lead and the Chief of Staff. ``sla_hours`` maps each escalation severity to
    the hours allowed before it must be triaged.
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

    def clean(self) -> None:
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
        from actions.models import Escalation

        severities = {s.value for s in Escalation.Severity}
        sla = self.sla_hours
        if (
            not isinstance(sla, dict)
            or set(sla) != severities
            or not all(isinstance(h, int) and h > 0 for h in sla.values())
        ):
            raise ValidationError(
                {"sla_hours": f"Give positive hours for each of {', '.join(sorted(severities))}."}
            )
