"""``manage.py derive_demo_data``: rebuild ``cto_office/demo/gitlab_engineering.json``.

Run it only when the derivation rules change; the output is committed so a
fresh clone needs neither the handbook snapshot nor Faker. The same source
gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cto_office.demo import DATA_FILE
from cto_office.demo.derive import derive_organisation, render_json

DEFAULT_SOURCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "gitlab-handbook-2022-11-10"


class Command(BaseCommand):
    help = "Derive the pseudonymised demo organisation from GitLab's handbook data (CC BY-SA 4.0)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE,
            help="The handbook snapshot folder (default: ../shared/data/gitlab-handbook-2022-11-10).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=DATA_FILE,
            help=f"Where to write the JSON (default: {DATA_FILE}).",
        )

    def handle(self, *args, source: Path, output: Path, **options) -> None:
        if not (source / "data" / "team_members" / "person").is_dir():
            raise CommandError(
                f"{source} is not a handbook snapshot (no data/team_members/person)."
            )
        data = derive_organisation(source)
        text = render_json(data)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"Wrote {output} ({len(text.encode('utf-8')) // 1024} KiB): {len(data['teams'])} teams, "
            f"{len(data['people'])} people, {len(data['vacancies'])} vacancies, "
            f"{len(data['indicators'])} indicators, {len(data['objectives'])} objectives."
        )
