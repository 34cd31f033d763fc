"""The production commands have one source (``deploy/run``), and the worker's timeouts fit together.

``make prod-smoke`` (``python -m deploy.smoke``) runs the topology for real; these
tests keep the cheap promises true on every ``make test``: compose and the
smoke run start the same ``deploy/run`` roles, and Redis's visibility timeout
covers every task's time limit and longest retry countdown.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml
from django.conf import settings

from cto_office.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "deploy" / "run"
SMOKE = ROOT / "deploy" / "smoke"
APPS = ("actions", "briefings", "cadence", "cto_office")


def run_roles() -> set[str]:
    """The roles ``deploy/run`` accepts: the arms of its ``case``."""
    return set(re.findall(r"^  ([a-z]+)\)$", RUN.read_text(), re.M))


def test_deploy_run_is_an_executable_shell_script_that_refuses_unknown_roles():
    assert RUN.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(RUN)]).returncode == 0
    done = subprocess.run([str(RUN), "nonsense"], capture_output=True, text=True)
    assert done.returncode == 64
    assert "usage: deploy/run web|worker|beat|migrate|collectstatic" in done.stderr
    assert run_roles() == {"web", "worker", "beat", "migrate", "collectstatic"}


def test_compose_runs_the_app_through_deploy_run():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    commands = {name: services[name]["command"] for name in ("migrate", "web", "worker", "beat")}
    assert commands == {role: ["deploy/run", role] for role in commands}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["environment"]["DEBUG"] == "false"
    dockerfile = services["web"]["build"]["dockerfile_inline"]
    assert "deploy/run collectstatic" in dockerfile


def test_prod_smoke_starts_the_same_roles_as_compose():
    smoke = "\n".join(path.read_text() for path in sorted(SMOKE.glob("*.py")))
    started = set(re.findall(r'self\.start\("(\w+)", \[RUN, "(\w+)"', smoke))
    assert started == {("web", "web"), ("worker", "worker"), ("beat", "beat")}
    assert re.search(r"self\.run\(\[RUN, \"migrate\"\]\)", smoke)
    assert re.search(r"self\.run\(\[RUN, \"collectstatic\"\]\)", smoke)
    assert re.search(
        r"^prod-smoke:.*\n\t.*python -m deploy\.smoke$", (ROOT / "Makefile").read_text(), re.M
    )


def _longest_retry_countdown(task) -> int:
    """The longest countdown Celery's ``autoretry_for`` back-off gives a task, in seconds.

    Celery computes ``min(retry_backoff_max, retry_backoff * 2 ** retries)`` for
    retries 0 … ``max_retries - 1`` (``celery.utils.time.get_exponential_backoff_interval``),
    jitter only lowering it; ``retry_backoff=True`` means a factor of 1. A task
    without back-off retries after ``default_retry_delay``.
    """
    if not getattr(task, "autoretry_for", ()):
        return 0
    backoff = getattr(task, "retry_backoff", False)
    if not backoff:
        return int(task.default_retry_delay or 0)
    factor = 1 if backoff is True else int(backoff)
    return min(
        int(getattr(task, "retry_backoff_max", 600)), factor * 2 ** (int(task.max_retries) - 1)
    )


def test_visibility_timeout_covers_time_limit_and_retry_countdowns_and_is_under_an_hour():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    time_limit = settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < time_limit < visibility < 3600
    celery_app.loader.import_default_modules()
    ours = {name: task for name, task in celery_app.tasks.items() if name.startswith(APPS)}
    assert "briefings.tasks.generate_weekly_briefing" in ours
    for name, task in ours.items():
        held = _longest_retry_countdown(task) + (task.time_limit or time_limit)
        assert held < visibility, f"{name} may be held {held} s, visibility timeout {visibility} s"
