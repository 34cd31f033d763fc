"""``python -m bench``: prepare the bench database, measure, print the figures.

Ends with exactly these lines, in this order (scripts read them):
``RATIO briefing_vs_weasyprint``, ``PAGES briefing``, ``RATIO inbox_vs_minimal``,
``RATIO register_vs_minimal``, ``RATIO meeting_vs_minimal``,
``RATIO home_vs_minimal``, ``RATIO chase_vs_fetch``,
``RATIO throughput_inbox_vs_minimal``. Everything before them is the detail
(one line per measurement, prefixed with its part).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import django

from bench.environment import bench_database_url, bench_environ, ensure_database
from bench.figures import pages_line, parse_figures, ratio, ratio_line

#: The bound of each figure (DESIGN.md §5): (at most?, value).
GOALS = {
    "briefing_vs_weasyprint": (True, 1.25),
    "pages:briefing": (True, 16),
    "inbox_vs_minimal": (True, 3),
    "register_vs_minimal": (True, 3),
    "meeting_vs_minimal": (True, 3),
    "home_vs_minimal": (True, 3),
    "chase_vs_fetch": (True, 3),
    "throughput_inbox_vs_minimal": (False, 0.33),
}


def goal_lines(output: str) -> list[str]:
    """``goal: <figure> <value> (<= 3): met`` per figure of ``output``, for the reader."""
    lines = []
    for name, value in parse_figures(output).items():
        at_most, bound = GOALS[name]
        if value is None:
            verdict = "pending"
        else:
            verdict = "met" if (value <= bound if at_most else value >= bound) else "NOT met"
        lines.append(f"goal: {name} {value} ({'<=' if at_most else '>='} {bound}): {verdict}")
    return lines


def log(message: str) -> None:
    print(message, flush=True)


def prepare(workdir: Path) -> dict[str, str]:
    """Create, migrate and (once) seed the bench database; collect static files. The environment."""
    url = bench_database_url(dict(os.environ))
    if ensure_database(url):
        log(f"setup: created the database {url.rsplit('/', 1)[-1]}")
    env = bench_environ(url, workdir)
    os.environ.clear()
    os.environ.update(env)
    django.setup()
    # Imported once Django is set up: they load models.
    from django.core.management import call_command

    from cto_office.demo.context import LARGE
    from cto_office.demo.organisation import demo_organisation_exists
    from cto_office.demo.seed import seed_demo
    from cto_office.models import Team

    call_command("migrate", verbosity=0, interactive=False)
    if demo_organisation_exists():
        teams = Team.objects.count()
        if teams < 150:
            raise SystemExit(
                f"The bench database holds a smaller organisation ({teams} teams); drop it "
                "and run make bench again."
            )
        log("setup: the large organisation is already seeded; reusing it")
    else:
        report = seed_demo(scale=LARGE)
        rows = ", ".join(f"{count} {name}" for name, count in report.counts.items())
        log(f"setup: seeded the large organisation in {report.seconds:.1f} s ({rows})")
    call_command("collectstatic", verbosity=0, interactive=False)
    return env


def session_cookie(username: str) -> str:
    """A ``Cookie`` header value signing ``username`` in (a real session row)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> int:
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cto-office-bench-"))
    try:
        env = prepare(workdir)
        from django.urls import reverse

        from bench.briefing import measure_briefing
        from bench.chase import measure_chase
        from bench.load import measure_throughput
        from bench.pages import PAGES, PEOPLE, measure_pages

        briefing, pages = measure_briefing(log)
        page_ratios = measure_pages(log)
        chase = measure_chase(log)
        load = measure_throughput(
            env,
            session_cookie(PEOPLE["CoS"]),
            {"minimal": reverse("signed_in"), "inbox": reverse("actions:escalations")},
            workdir,
            log,
        )
        throughput = ratio(load["inbox"].per_second, load["minimal"].per_second)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(
        f"bench: done in {time.perf_counter() - started:.0f} s; page ratios are the worse of "
        f"{' and '.join(PEOPLE)}"
    )
    lines = [ratio_line("briefing_vs_weasyprint", briefing), pages_line("briefing", pages)]
    lines += [ratio_line(f"{page}_vs_minimal", page_ratios.get(page)) for page in PAGES]
    lines += [ratio_line("chase_vs_fetch", chase)]
    lines += [ratio_line("throughput_inbox_vs_minimal", throughput)]
    print("\n".join([*goal_lines("\n".join(lines)), *lines]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
