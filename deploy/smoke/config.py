"""Where the smoke run runs, what it checks in which order, and the helpers every part uses."""

from __future__ import annotations

import http.client
import os
import re
import socket
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]  # deploy/smoke/config.py → the project
RUN = str(ROOT / "deploy" / "run")

DATABASE_URL = os.environ.get(
    "SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cto_office_smoke"
)
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/8")
#: The demo's Chief of Staff (README, "Two commands"): may generate briefings.
USERNAME = "tamsin.okafor-lindqvist"
PASSWORD = "cto-office-demo"
BRIEFING_TIMEOUT = float(os.environ.get("SMOKE_BRIEFING_TIMEOUT", "180"))
STOP_GRACE_SECONDS = 30

#: The checks, in the order they run. Later ones use what earlier ones set up
#: (the signed-in session, the page HTML).
CHECKS = [
    "setup",
    "deploy_check",
    "processes_up",
    "https_redirect",
    "sign_in",
    "csrf_enforced",
    "security_headers",
    "hsts",
    "cookie_flags",
    "debug_off",
    "static_files",
    "worker_config",
    "briefing_pdf",
    "mail_transport",
    "chase_run_mails",
    "escalation_mails",
    "meeting_mails",
    "briefing_publish_mail",
    "beat_running",
    "logs_clean",
]

#: Log lines that are not the app's fault. Celery warns when it runs as root, which
#: only happens on a throw-away machine (the compose image runs as user ``app``).
ACCEPTED_LOG_LINES = re.compile(
    r"SecurityWarning: You're running the worker with superuser privileges"
)

#: Checks without which the later ones cannot run.
FATAL = {"setup", "processes_up"}


class CheckFailed(Exception):
    """A check's expectation did not hold; the message says what was seen."""


class NotReady(Exception):
    """The machine cannot run the smoke test (a service is down, a setting is unsafe)."""


def log(message: str) -> None:
    print(f"  · {message}", flush=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.25, what: str):
    """Call ``predicate`` until it returns a truthy value; raise ``CheckFailed`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except (OSError, http.client.HTTPException, redis.RedisError) as exc:
            value, last_error = None, exc
        if value:
            return value
        time.sleep(interval)
    raise CheckFailed(
        f"{what}: not within {timeout:.0f} s" + (f" ({last_error})" if last_error else "")
    )
