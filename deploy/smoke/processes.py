"""The processes of a smoke run: the services prepared, the roles started, all of them stopped.

Each long-running process (``deploy/run web``, ``worker``, ``beat``, the SMTP sink)
gets its own process group; ``Topology.stop_all`` signals only the pids and groups
it created, nothing looked up by name.
"""

from __future__ import annotations

import mailbox
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from psycopg import sql

from deploy.smoke.browser import Browser
from deploy.smoke.config import (
    DATABASE_URL,
    REDIS_URL,
    ROOT,
    RUN,
    STOP_GRACE_SECONDS,
    CheckFailed,
    NotReady,
    free_port,
    log,
)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path


class Topology:
    """One smoke run's machinery: the temporary folder, the production environment, the
    throw-away database and Redis, and the processes started (and stopped) in it.

    ``results`` (``main.Smoke.record``) and ``home_html`` (``web_checks``) are the
    run's state the checks share.
    """

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="cto-office-smoke-"))
        self.port = free_port()
        self.smtp_port = free_port()
        self.maildir = self.tmp / "mail"
        self.static_root = self.tmp / "static"
        self.processes: list[Process] = []
        self.browser = Browser("127.0.0.1", self.port)
        self.worker_name = f"smoke-{os.getpid()}@{socket.gethostname()}"
        self.home_html = ""
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **os.environ,
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "VIRTUAL_ENV": str(Path(bin_dir).parent),
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "cto_office.settings",
            # The production settings, as compose sets them.
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.browser.origin,
            "SITE_URL": self.browser.origin,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "DEFAULT_FROM_EMAIL": "CTO Office <cto-office@example.com>",
            "STATIC_ROOT": str(self.static_root),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "BEAT_SCHEDULE_FILE": str(self.tmp / "celerybeat-schedule"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            # Two cores shared with other work: a small footprint.
            "WEB_CONCURRENCY": "2",
            "CELERY_CONCURRENCY": "1",
            "LOG_LEVEL": "INFO",
        }
        for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "TIME_ZONE", "PROXY_COUNT"):
            self.env.pop(name, None)  # production defaults, not whatever the caller's shell has
        self.results: list[tuple[str, str, str]] = []

    # ------------------------------------------------------------------ set-up

    def prepare_services(self) -> None:
        """Recreate the smoke database and empty the smoke Redis database."""
        parts = urlsplit(DATABASE_URL)
        dbname = parts.path.lstrip("/")
        if parts.scheme not in ("postgres", "postgresql", "pgsql") or "smoke" not in dbname:
            raise NotReady(
                f"SMOKE_DATABASE_URL={DATABASE_URL!r}: a PostgreSQL database whose name contains "
                "'smoke' is required (the smoke run drops and recreates it)."
            )
        maintenance = parts._replace(path="/postgres").geturl()
        try:
            with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        except psycopg.OperationalError as exc:
            raise NotReady(f"PostgreSQL at {parts.hostname}:{parts.port or 5432}: {exc}") from exc
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
        except redis.RedisError as exc:
            raise NotReady(f"Redis at {REDIS_URL}: {exc}") from exc
        log(f"database {dbname} recreated, Redis {REDIS_URL} emptied, files in {self.tmp}")

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return self.run([sys.executable, "manage.py", *args], timeout=timeout)

    def run(self, argv: list[str], *, timeout: float = 300) -> subprocess.CompletedProcess:
        done = subprocess.run(
            argv, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise CheckFailed(
                f"{' '.join(argv[-3:])} exited {done.returncode}: "
                + (done.stderr.strip() or done.stdout.strip())[-2000:]
            )
        return done

    def start(self, name: str, argv: list[str]) -> Process:
        """Start a long-running process in its own process group (its pgid is its pid)."""
        log_path = self.tmp / f"{name}.log"
        with open(log_path, "wb") as out:
            popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log_path)
        self.processes.append(process)
        log(f"started {name} (pid {popen.pid})")
        return process

    def start_all(self) -> None:
        mailbox.Maildir(self.maildir, create=True)  # new/, cur/, tmp/ for aiosmtpd's Mailbox
        self.start(
            "smtp",
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "--nosetuid",
                "--listen",
                f"127.0.0.1:{self.smtp_port}",
                "--class",
                "aiosmtpd.handlers.Mailbox",
                str(self.maildir),
            ],
        )
        self.start("web", [RUN, "web"])
        self.start("worker", [RUN, "worker", f"--hostname={self.worker_name}"])
        self.start("beat", [RUN, "beat"])

    def stop_all(self) -> tuple[bool, str]:
        """Stop every process we started, as a supervisor would, and make sure nothing is left.

        SIGTERM goes to each process we started (gunicorn's master and Celery's
        main process shut their own children down gracefully on it); whatever
        outlives ``STOP_GRACE_SECONDS``, and any process still in one of our
        process groups afterwards, gets SIGKILL. Only the pids and process groups
        we created are signalled; nothing is looked up by name. A second Ctrl-C
        or SIGTERM while stopping is ignored, so the clean-up finishes.

        Returns whether everything stopped cleanly (no SIGKILL needed, nothing
        left, no traceback in the logs while shutting down) and a detail.
        """
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        logged = {p.name: len(self.log_text(p.name)) for p in self.processes}
        for process in self.processes:
            if process.popen.poll() is None:
                process.popen.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        problems = []
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                problems.append(f"{process.name} needed SIGKILL")
                _kill_group(process.popen.pid)
                process.popen.wait(timeout=10)
        # The leaders are reaped; their children (gunicorn's and Celery's
        # worker processes) must have gone with them.
        for process in self.processes:
            for _ in range(50):
                if not _group_alive(process.popen.pid):
                    break
                time.sleep(0.1)
            else:
                problems.append(f"{process.name}'s children outlived it (killed)")
                _kill_group(process.popen.pid)
        for process in self.processes:
            tail = self.log_text(process.name)[logged[process.name] :]
            if "Traceback" in tail:
                problems.append(f"{process.name} logged a traceback while stopping")
        pids = ", ".join(f"{p.name} {p.popen.pid}" for p in self.processes)
        if problems:
            return False, f"{'; '.join(problems)} ({pids})"
        return True, f"{len(self.processes)} processes and their children stopped ({pids})"

    # ------------------------------------------------------------------ helpers

    def log_text(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def mail_count(self) -> int:
        new = self.maildir / "new"
        return len(list(new.iterdir())) if new.is_dir() else 0


def celery_argv() -> list[str]:
    return [str(Path(sys.executable).parent / "celery"), "--app", "cto_office"]


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - the group exists but is not ours
        return True
    return True
