"""``manage.py generate_briefing [--week 2026-W47]``: enqueue the weekly briefing and report on it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.selectors import briefing_default_week
from briefings.services import BriefingPublishedError
from briefings.tasks import briefing_enqueue, generate_weekly_briefing
from cto_office.clock import IsoWeek, office_settings


class Command(BaseCommand):
    help = (
        "Generate the weekly CTO briefing through the Celery task (run in this process when "
        "REDIS_URL is unset) and print its week, state, page count, generation time and PDF path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week",
            help="ISO week, e.g. 2026-W47 (default: the week before the briefing weekday, else this week)",
        )

    def handle(self, *args, **options) -> None:
        try:
            week = IsoWeek.parse(options["week"]) if options["week"] else briefing_default_week()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            briefing = briefing_enqueue(week=week)
        except BriefingPublishedError as exc:
            briefing = exc.briefing
            self.stdout.write(self.style.WARNING(f"Briefing {week} is published; left as it is."))
        else:
            if not generate_weekly_briefing.app.conf.task_always_eager:
                self.stdout.write(f"Queued briefing {week}; a worker will generate it.")
                return
            # Eager Celery: the task ran when briefing_enqueue's transaction committed.
            briefing.refresh_from_db()
            if briefing.state == briefing.State.FAILED:
                raise CommandError(f"Briefing {week} failed: {briefing.error}")
        self.stdout.write(f"Week:       {briefing.week}")
        self.stdout.write(f"State:      {briefing.get_state_display()}")
        self.stdout.write(f"Pages:      {briefing.page_count}")
        if briefing.generated_at is not None:
            generated_at = briefing.generated_at.astimezone(office_settings().tz)
            self.stdout.write(
                f"Generated:  {generated_at:%Y-%m-%d %H:%M:%S %Z} in "
                f"{briefing.generation_seconds:.2f} s"
            )
        self.stdout.write(f"PDF:        {briefing.pdf.path if briefing.pdf else '—'}")
