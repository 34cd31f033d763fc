"""``manage.py generate_briefing [--week 2026-W47]``: enqueue the weekly briefing and report on it."""

from __future__ import annotations

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.models import Briefing
from briefings.selectors import briefing_week_for
from briefings.tasks import generate_weekly_briefing
from cto_office.clock import office_settings, office_today


def parse_iso_week(text: str) -> tuple[int, int]:
    """``"2026-W47"`` (or ``2026W47``, any case) → ``(2026, 47)``; ValueError when it is not a real ISO week."""
    match = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not an ISO week like 2026-W47.")
    year, week = int(match.group(1)), int(match.group(2))
    dt.date.fromisocalendar(year, week, 1)  # raises ValueError for W00 or W53 in a 52-week year
    return year, week


class Command(BaseCommand):
    help = (
        "Generate the weekly CTO briefing through the Celery task (run in this process when "
        "REDIS_URL is unset) and print its week, state, page count, generation time and PDF path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week", help="ISO week, e.g. 2026-W47 (default: this week in the office's time zone)"
        )

    def handle(self, *args, **options) -> None:
        try:
            iso_year, iso_week = (
                parse_iso_week(options["week"])
                if options["week"]
                else briefing_week_for(office_today())
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        label = f"{iso_year}-W{iso_week:02d}"
        try:
            result = generate_weekly_briefing.delay(iso_year, iso_week)
        except Exception as exc:  # eager mode: the task's own error, already recorded on the row
            raise CommandError(f"Briefing {label} failed: {type(exc).__name__}: {exc}") from exc
        if not generate_weekly_briefing.app.conf.task_always_eager:
            self.stdout.write(
                f"Queued briefing {label} as task {result.id}; a worker will generate it."
            )
            return
        briefing = Briefing.objects.filter(iso_year=iso_year, iso_week=iso_week).first()
        if briefing is None:  # pragma: no cover - the task always creates the row
            raise CommandError(f"No briefing row for {label}.")
        if result.result and result.result.get("skipped"):
            self.stdout.write(self.style.WARNING(f"Briefing {label} is published; left as it is."))
        self.stdout.write(f"Week:       {briefing.label}")
        self.stdout.write(f"State:      {briefing.get_state_display()}")
        self.stdout.write(f"Pages:      {briefing.page_count}")
        if briefing.generated_at is not None:
            generated_at = briefing.generated_at.astimezone(office_settings().tz)
            self.stdout.write(
                f"Generated:  {generated_at:%Y-%m-%d %H:%M:%S %Z} in "
                f"{briefing.generation_seconds:.2f} s"
            )
        self.stdout.write(f"PDF:        {briefing.pdf.path if briefing.pdf else '—'}")
