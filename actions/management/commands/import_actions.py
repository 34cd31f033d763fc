"""``python manage.py import_actions FILE.csv [--dry-run] [--by USERNAME] [--unassigned-owner USERNAME]
[--default-due YYYY-MM-DD]``: actions from a Jira "Export CSV" file, all rows or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actions.jira import JiraFileError
from actions.services.jira_import import actions_import_jira
from cto_office import access


class Command(BaseCommand):
    help = "Import actions from a Jira CSV export. Re-importing a file updates the same actions."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--by", help="username recorded as the importer (default: the Chief of Staff)"
        )
        parser.add_argument(
            "--unassigned-owner", help="username owning unassigned issues (default: --by)"
        )
        parser.add_argument(
            "--default-due", help="due date of issues without one, YYYY-MM-DD (default: in 14 days)"
        )

    def _user(self, username: str | None, option: str):
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"{option} {username!r}: no active user with that username") from exc

    def handle(
        self,
        *args,
        file: Path,
        dry_run=False,
        by=None,
        unassigned_owner=None,
        default_due=None,
        **options,
    ):
        importer = self._user(by, "--by") or access.chiefs_of_staff().first()
        if importer is None:
            raise CommandError("No Chief of Staff to record as the importer: pass --by USERNAME.")
        try:
            due = dt.date.fromisoformat(default_due) if default_due else None
        except ValueError as exc:
            raise CommandError(
                f"--default-due {default_due!r} is not a date like 2026-12-01"
            ) from exc
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            result = actions_import_jira(
                by=importer,
                data=data,
                unassigned_owner=self._user(unassigned_owner, "--unassigned-owner"),
                default_due_date=due,
                dry_run=dry_run,
            )
        except JiraFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Nothing imported: {len(exc.errors)} problem(s) in {file.name}."
            ) from exc
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.total} issue(s) from {file.name}: {len(result.created)} new, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged."
        )
        for note in result.notes:
            self.stdout.write(f"  {note}")
