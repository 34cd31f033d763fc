"""``manage.py seed_demo``: the demo organisation (GitLab's Engineering division, pseudonymised) and its quarter.

Idempotent: when the organisation exists it creates nothing and only prints
the demo logins, so ``make run`` can call it every time. ``--scale large``
builds DESIGN.md §5's organisation instead (about 2,000 engineers, a year of
activity; ``cto_office.demo.large``). ``--reset`` deletes
the demo's rows first (and every other row of the product's tables: use it on
a demo database only).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from actions.models import ActionItem, Escalation
from briefings.models import Briefing, Objective, Requisition
from cadence.models import Decision, Meeting, MeetingSeries
from cto_office.demo.context import SCALES, Scale
from cto_office.demo.loader import CHIEF_OF_STAFF, format_logins
from cto_office.demo.seed import demo_data, seed_demo
from cto_office.models import Membership, Team


class Command(BaseCommand):
    help = "Create the demo organisation and a quarter of activity around today; print the demo logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all teams, meetings, actions, escalations, OKRs, snapshots, briefings and "
            "the demo users first (demo databases only).",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="small: the demo (387 people, a quarter); large: about 2,000 engineers in 230 "
            "teams with a year of activity, for benchmarks.",
        )

    def handle(self, *args, reset: bool = False, scale: str = "small", **options) -> None:
        size = SCALES[scale]
        if reset:
            self._reset(size)
        try:
            report = seed_demo(scale=size)
        except IntegrityError as exc:
            raise CommandError(
                "The database already has teams or users that clash with the demo organisation "
                f"({exc}). Seed an empty database, or use --reset on a demo database."
            ) from exc
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"Seeded the demo organisation in {report.seconds:.1f} s.")
            )
            width = max(len(name) for name in report.counts)
            for name, count in report.counts.items():
                self.stdout.write(f"  {name.ljust(width)}  {count:>6}")
        else:
            self.stdout.write("The demo organisation already exists; nothing created.")
        self.stdout.write("\nDemo logins:\n" + format_logins())

    @transaction.atomic
    def _reset(self, scale: Scale) -> None:
        """Delete in an order that respects the PROTECT foreign keys."""
        ActionItem.objects.all().delete()  # updates and chase notices cascade
        Escalation.objects.all().delete()
        Decision.objects.all().delete()
        Meeting.objects.all().delete()  # agenda items, pre-reads and acknowledgements cascade
        MeetingSeries.objects.all().delete()
        Objective.objects.all().delete()  # key results and check-ins cascade
        Requisition.objects.all().delete()
        Briefing.objects.all().delete()
        Membership.objects.all().delete()
        # Snapshots and indicators cascade with their team; children before parents.
        while Team.objects.exists():
            Team.objects.filter(children__isnull=True).delete()
        data = demo_data(scale)
        usernames = [p["username"] for p in data["people"]] + [CHIEF_OF_STAFF["username"]]
        get_user_model().objects.filter(username__in=usernames, is_superuser=False).delete()
        self.stdout.write("Deleted the previous demo data.")
