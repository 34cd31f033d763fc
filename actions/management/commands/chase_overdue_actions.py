"""``python manage.py chase_overdue_actions [--date YYYY-MM-DD] [--dry-run]``."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from actions.services.chase import ChasePlan, chase_plan
from actions.tasks import chase_enqueue
from cto_office.clock import office_today
from cto_office.models import person_name


class Command(BaseCommand):
    help = (
        "Chase overdue actions: one digest per recipient for the day, up the ladder owner → "
        "team lead → Chief of Staff. Prints how many digests go to whom at which level."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day to chase, YYYY-MM-DD (default: today, office time)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the digests, send nothing"
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else office_today()
        except ValueError as exc:
            raise CommandError(f"--date {date!r} is not a date like 2026-11-23") from exc
        plan = chase_plan(day=day) if dry_run else chase_enqueue(day=day)
        self.report(plan, dry_run=dry_run)

    def report(self, plan: ChasePlan, *, dry_run: bool) -> None:
        verb = "would send" if dry_run else "sent"
        lines = sum(len(d.lines) for d in plan.digests)
        self.stdout.write(
            f"Chase of {plan.day}: {verb} {len(plan.digests)} digest(s) listing {lines} overdue action(s)."
        )
        for digest in sorted(plan.digests, key=lambda d: person_name(d.recipient)):
            levels = ", ".join(
                f"{heading.lower()}: {len(group)}" for heading, group in digest.by_level()
            )
            self.stdout.write(
                f"  {person_name(digest.recipient)} <{digest.recipient.email}> — {levels}"
            )
        for name, reason in plan.skipped:
            self.stdout.write(self.style.WARNING(f"  not chased: {name} ({reason})"))
