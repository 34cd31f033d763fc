"""``python manage.py import_calendar FILE.ics [--dry-run] [--owner USERNAME] [--since DATE]``.

Reads an .ics export (Google Calendar, Outlook/Exchange, Apple Calendar) and
creates its series and meetings (``cadence.services.calendar_import``), all or
nothing: meetings from now (or from ``--since``, to bring history in) to the
scheduling horizon. ``--dry-run`` prints what would be imported and writes
nothing. A file that cannot be read stops with a message naming the event and property.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadence import services
from cadence.calendars import CalendarError, parse_calendar
from cto_office import access
from cto_office.clock import office_tz


class Command(BaseCommand):
    help = "Import meeting series and meetings from an iCalendar (.ics) file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show, write nothing.")
        parser.add_argument(
            "--owner", help="Username owning the series (default: the first Chief of Staff)."
        )
        parser.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            help="Also import occurrences from this date (YYYY-MM-DD, office time zone) on; "
            "default: from now.",
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        owner: str | None,
        since: dt.date | None,
        **options,
    ) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        try:
            events = parse_calendar(data, name=file.name)
        except CalendarError as exc:
            raise CommandError(str(exc)) from exc
        now = timezone.now()
        since_at = dt.datetime.combine(since, dt.time(0), tzinfo=office_tz()) if since else None
        start, end = services.import_window(now=now, since=since_at)
        total = 0
        for event in events:
            occurrences = event.occurrences(start, end)
            total += len(occurrences)
            kind = f"series {event.rrule}" if event.rrule else "single"
            self.stdout.write(
                f"{event.title}: {kind} in {event.time_zone}, {len(occurrences)} occurrence(s)"
                f", {len(event.exdates)} excluded, {len(event.overrides)} overridden"
            )
        self.stdout.write(f"{len(events)} event(s), {total} occurrence(s).")
        if dry_run:
            self.stdout.write("Dry run: nothing imported.")
            return
        user = self._owner(owner)
        try:
            result = services.calendar_import(by=user, events=events, now=now, since=since_at)
        except services.CadenceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.series} series and {result.meetings} meetings "
                f"({result.cancelled} cancelled), owned by {user.get_username()}; "
                f"{result.already} event(s) imported before left as they are."
            )
        )

    def _owner(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user named {username!r}.")
            return user
        user = access.chiefs_of_staff().first()
        if user is None:
            raise CommandError("No Chief of Staff to own the import: pass --owner USERNAME.")
        return user
