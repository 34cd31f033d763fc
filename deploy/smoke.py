"""``make prod-smoke``: the production topology, started for real on this machine and checked.

What it does, in order:

1. Recreates a throw-away PostgreSQL database (``SMOKE_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/cto_office_smoke``; its name must contain
   ``smoke``, so the script never drops anything else) and empties one Redis
   database (``SMOKE_REDIS_URL``, default ``redis://127.0.0.1:6379/8``). Both
   servers must already run; the script never starts, stops or reconfigures them.
2. Runs, with the production environment (``DEBUG=false``, a freshly generated
   ``SECRET_KEY``, ``SECURE_SSL_REDIRECT`` left at its production default),
   ``deploy/run migrate`` and ``deploy/run collectstatic`` into a temporary
   ``STATIC_ROOT``, Django's ``check --deploy`` and ``seed_demo``.
3. Starts an SMTP sink (aiosmtpd, a Maildir in the temporary folder) and
   ``deploy/run web``, ``deploy/run worker`` and ``deploy/run beat``: the very
   commands ``docker-compose.yml`` runs. Each gets its own process group.
4. Drives the app over HTTP like a browser behind a TLS-terminating proxy
   (every request says ``X-Forwarded-Proto: https``, as the proxy would; cookies
   and CSRF handled as a browser does), and prints one ``PASS``/``FAIL``/``PENDING``
   line per check (``CHECKS`` below; a check pending on another issue is listed
   in ``PENDING``).
5. Stops everything it started by process group id (SIGTERM, then SIGKILL after
   a grace period) on success, failure, Ctrl-C or SIGTERM, and checks that none
   of those processes is left.

Exit status: 0 when every check passed, 1 when one failed, 2 when the machine
is not ready (PostgreSQL or Redis unreachable, a bad ``SMOKE_DATABASE_URL``).
The temporary folder (logs, Maildir, static files, media) is removed after a
passing run and kept, with its path printed, after a failing one
(``SMOKE_KEEP=1`` keeps it always).

To add a check: write ``def check_<name>(self) -> str`` on ``Smoke`` that
raises ``CheckFailed`` (or any exception) with what went wrong and returns a
short detail on success, and add its name to ``CHECKS`` where its
prerequisites have run. Move entries from ``PENDING`` to ``CHECKS`` as the
issues they wait on land.
"""

from __future__ import annotations

import http.client
import io
import json
import mailbox
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import redis
from psycopg import sql
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
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

#: Checks that wait on features other issues deliver: (name, what it will check, issue).
PENDING = [
    (
        "chase_run_mails",
        "`manage.py chase_overdue_actions` through the worker mails one digest per recipient "
        "to the sink; a second run the same day sends none",
        8,
    ),
    (
        "briefing_publish_mail",
        "publishing the briefing mails the PDF to the CTO and the listed recipients, "
        "once per recipient",
        10,
    ),
    (
        "escalation_mails",
        "a critical escalation mails the CoS; routing it mails the raiser and the owner",
        7,
    ),
    (
        "meeting_mails",
        "publishing an agenda and the minutes mails the attendees once each",
        9,
    ),
]


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


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """A minimal browser for one origin behind a TLS proxy: a cookie jar, no redirects followed.

    ``secure=True`` sends ``X-Forwarded-Proto: https``, which is what the
    TLS-terminating proxy in front of gunicorn adds; Django trusts it through
    ``SECURE_PROXY_SSL_HEADER``. Cookies are kept and sent back as a browser
    talking HTTPS to the proxy would (``Secure`` cookies included). Every
    ``Set-Cookie`` header seen is kept in ``set_cookies`` for the flag checks.
    """

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        headers: dict | None = None,
        secure: bool = True,
        timeout: float = 30,
    ) -> Response:
        send = {"User-Agent": "cto-office-prod-smoke", "Accept": "text/html,*/*"}
        if secure:
            send["X-Forwarded-Proto"] = "https"
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST":  # what a browser sends with a same-origin form or fetch
            send["Origin"] = self.origin
            send["Referer"] = self.origin + path
        send.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=send)
            raw = conn.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read(), 0.0)
        finally:
            conn.close()
        response.seconds = time.monotonic() - started
        for header in response.all("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.set_cookies[name] = header
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path


class Smoke:
    """One smoke run: the temporary folder, the environment, the processes and the checks."""

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

    # ------------------------------------------------------------------ checks

    def check_setup(self) -> str:
        self.run([RUN, "migrate"])
        collected = self.run([RUN, "collectstatic"]).stdout.strip().splitlines()
        seeded = self.manage("seed_demo").stdout.strip().splitlines()
        return (
            f"deploy/run migrate; deploy/run collectstatic: {collected[-1] if collected else ''}; "
            f"seed_demo: {seeded[0] if seeded else ''}"
        )

    def check_deploy_check(self) -> str:
        done = self.manage("check", "--deploy", "--fail-level", "WARNING")
        output = (done.stdout + done.stderr).strip()
        if "no issues" not in output:
            raise CheckFailed(output)
        return f"manage.py check --deploy --fail-level WARNING: {output.splitlines()[-1]}"

    def check_processes_up(self) -> str:
        self.start_all()
        started = time.monotonic()

        def web_answers() -> bool:
            return self.browser.request("GET", "/accounts/login/", timeout=5).status == 200

        wait_for(web_answers, timeout=60, what="gunicorn answering /accounts/login/")

        def smtp_answers() -> bool:
            with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=2) as sock:
                return sock.recv(100).startswith(b"220")

        wait_for(smtp_answers, timeout=30, what="SMTP sink greeting")

        def worker_answers() -> bool:
            done = subprocess.run(
                [*_celery(), "inspect", "ping", f"--destination={self.worker_name}", "--timeout=2"],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
            )
            return done.returncode == 0 and "pong" in done.stdout

        wait_for(worker_answers, timeout=90, interval=1, what=f"worker {self.worker_name} ping")
        for process in self.processes:
            if process.popen.poll() is not None:
                raise CheckFailed(f"{process.name} exited {process.popen.returncode}")
        return (
            f"web :{self.port}, worker {self.worker_name}, beat, SMTP sink :{self.smtp_port} "
            f"up in {time.monotonic() - started:.1f} s"
        )

    def check_https_redirect(self) -> str:
        response = self.browser.request("GET", "/accounts/login/", secure=False)
        location = response.header("Location") or ""
        expected = f"https://127.0.0.1:{self.port}/accounts/login/"
        if response.status != 301 or location != expected:
            raise CheckFailed(f"plain HTTP got {response.status} Location {location!r}")
        return f"plain HTTP → 301 {location}"

    def check_sign_in(self) -> str:
        page = self.browser.request("GET", "/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match or "csrftoken" not in self.browser.cookies:
            raise CheckFailed(f"login page {page.status}, token found: {bool(match)}")
        login = self.browser.request(
            "POST",
            "/accounts/login/",
            form={
                "csrfmiddlewaretoken": match.group(1),
                "username": USERNAME,
                "password": PASSWORD,
                "next": "/",
            },
        )
        if login.status != 302 or "sessionid" not in self.browser.cookies:
            raise CheckFailed(f"sign-in answered {login.status}: {login.text[:300]}")
        home = self.browser.request("GET", login.header("Location") or "/")
        if home.status != 200 or 'name="password"' in home.text or "Sign out" not in home.text:
            raise CheckFailed(f"home page after sign-in: {home.status}")
        self.home_html = home.text
        return f"{USERNAME} signed in (302 → {login.header('Location')}, home 200)"

    def check_csrf_enforced(self) -> str:
        response = self.browser.request(
            "POST", "/briefings/generate/", form={}, headers={"HX-Request": "true"}
        )
        if response.status != 403:
            raise CheckFailed(f"a POST without a CSRF token answered {response.status}")
        return "a signed-in POST without a CSRF token → 403"

    def check_security_headers(self) -> str:
        expected = {
            "X-Frame-Options": lambda v: v == "DENY",
            "X-Content-Type-Options": lambda v: v == "nosniff",
            "Referrer-Policy": lambda v: v == "same-origin",
            "Cross-Origin-Opener-Policy": lambda v: v == "same-origin",
        }
        problems = []
        for path in ("/accounts/login/", "/"):
            response = self.browser.request("GET", path)
            for name, ok in expected.items():
                value = response.header(name)
                if value is None or not ok(value):
                    problems.append(f"{path} {name}: {value!r}")
            csp = response.header("Content-Security-Policy") or ""
            directives = {
                part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()
            }
            wanted = {
                "default-src": ["'self'"],
                "script-src": ["'self'"],
                "object-src": ["'none'"],
                "frame-ancestors": ["'none'"],
                "base-uri": ["'self'"],
                "form-action": ["'self'"],
            }
            for directive, sources in wanted.items():
                if directives.get(directive) != sources:
                    problems.append(f"{path} CSP {directive}: {directives.get(directive)}")
            if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
                problems.append(f"{path} CSP allows unsafe-inline/eval: {csp}")
        if problems:
            raise CheckFailed("; ".join(problems))
        return "CSP (self only, no inline), X-Frame-Options DENY, nosniff, Referrer-Policy, COOP"

    def check_hsts(self) -> str:
        secure = self.browser.request("GET", "/").header("Strict-Transport-Security") or ""
        match = re.match(r"max-age=(\d+)", secure)
        if not match or int(match.group(1)) < 24 * 3600 or "includeSubDomains" not in secure:
            raise CheckFailed(f"over HTTPS: {secure!r}")
        plain = self.browser.request("GET", "/accounts/login/", secure=False)
        if plain.header("Strict-Transport-Security"):
            raise CheckFailed("HSTS sent over plain HTTP (RFC 6797 §7.2: only over HTTPS)")
        return f"over HTTPS: {secure}; none over plain HTTP"

    def check_cookie_flags(self) -> str:
        wanted = {
            "sessionid": ("secure", "httponly", "samesite=lax"),
            "csrftoken": ("secure", "samesite=lax"),
        }
        problems, seen = [], []
        for name, flags in wanted.items():
            header = self.browser.set_cookies.get(name)
            if header is None:
                problems.append(f"{name} never set")
                continue
            attributes = {part.strip().lower() for part in header.split(";")[1:]}
            missing = [flag for flag in flags if flag not in attributes]
            if missing:
                problems.append(f"{name} lacks {missing}: {header}")
            seen.append(f"{name}: {'/'.join(flags)}")
        if problems:
            raise CheckFailed("; ".join(problems))
        return "; ".join(seen)

    def check_debug_off(self) -> str:
        response = self.browser.request("GET", "/no-such-page-smoke/")
        if response.status != 404 or "URLconf" in response.text or "DEBUG = True" in response.text:
            raise CheckFailed(f"unknown URL answered {response.status} with Django's debug page")
        return "an unknown URL is a plain 404, no debug page"

    def check_static_files(self) -> str:
        found = re.findall(
            r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', self.home_html
        )
        if len(found) < 2:
            raise CheckFailed(f"no hashed static URLs in the home page: {found}")
        details = []
        for url in found:
            response = self.browser.request("GET", url, headers={"Accept-Encoding": "gzip, br"})
            cache = response.header("Cache-Control") or ""
            encoding = response.header("Content-Encoding")
            if (
                response.status != 200
                or "max-age=315360000" not in cache
                or "immutable" not in cache
            ):
                raise CheckFailed(f"{url}: {response.status}, Cache-Control {cache!r}")
            if encoding not in ("gzip", "br"):
                raise CheckFailed(f"{url}: not served compressed (Content-Encoding {encoding!r})")
            if not (self.static_root / url.removeprefix("/static/")).is_file():
                raise CheckFailed(f"{url} is not in the collected STATIC_ROOT")
            details.append(f"{url.rsplit('/', 1)[-1]} ({encoding})")
        return f"{', '.join(details)}: 200, Cache-Control {cache}"

    def check_worker_config(self) -> str:
        done = self.run(
            [
                *_celery(),
                "inspect",
                "conf",
                "--json",
                f"--destination={self.worker_name}",
                "--timeout=5",
            ]
        )
        table = json.loads(done.stdout)[self.worker_name]

        def conf(key: str):  # the worker reports Django's names (CELERY_…) or Celery's own
            return table.get(key, table.get(f"CELERY_{key.upper()}"))

        visibility = (conf("broker_transport_options") or {}).get("visibility_timeout", 3600)
        time_limit = conf("task_time_limit")
        problems = []
        if not conf("task_acks_late") or not conf("task_reject_on_worker_lost"):
            problems.append("acks_late / reject_on_worker_lost off")
        if conf("task_always_eager"):
            problems.append("task_always_eager is on")
        if not time_limit:
            problems.append("no task_time_limit")
        elif not time_limit < visibility < 3600:
            problems.append(
                f"visibility_timeout {visibility} s not between the time limit ({time_limit} s) and 1 h"
            )
        if problems:
            raise CheckFailed("; ".join(problems))
        return f"acks_late, reject_on_worker_lost, time limit {time_limit} s < visibility timeout {visibility} s"

    def check_briefing_pdf(self) -> str:
        archive = self.browser.request("GET", "/briefings/")
        token = re.search(r'"X-CSRFToken": "([^"]+)"', archive.text)
        if archive.status != 200 or not token:
            raise CheckFailed(f"briefing archive {archive.status}, CSRF token found: {bool(token)}")
        started = time.monotonic()
        queued = self.browser.request(
            "POST",
            "/briefings/generate/",
            form={},
            headers={
                "HX-Request": "true",
                "HX-Current-URL": self.browser.origin + "/briefings/",
                "X-CSRFToken": token.group(1),
            },
        )
        label = re.search(r"Briefing (\d{4}-W\d{2}) is being generated", queued.text)
        if queued.status != 200 or not label:
            raise CheckFailed(f"Generate answered {queued.status}: {queued.text[:300]}")
        if queued.seconds > 3:  # the issue asks "within a second or two"; margin for 2 shared cores
            raise CheckFailed(f"Generate took {queued.seconds:.1f} s to answer (queued, not run)")

        def pdf_ready() -> Response | None:
            response = self.browser.request("GET", f"/briefings/{label.group(1)}/pdf/")
            return response if response.status == 200 else None

        pdf = wait_for(pdf_ready, timeout=BRIEFING_TIMEOUT, interval=1, what="the briefing PDF")
        waited = time.monotonic() - started
        if pdf.header("Content-Type") != "application/pdf" or not pdf.body.startswith(b"%PDF-"):
            raise CheckFailed(f"not a PDF: {pdf.header('Content-Type')} {pdf.body[:20]!r}")
        worker_log = self.log_text("worker")
        if not re.search(
            r"Task briefings\.tasks\.generate_weekly_briefing\[[^\]]+\] succeeded", worker_log
        ):
            raise CheckFailed(
                "the PDF exists but the worker's log does not show the task succeeding"
            )
        pages = len(PdfReader(io.BytesIO(pdf.body)).pages)
        return (
            f"{label.group(1)}: Generate answered in {queued.seconds:.2f} s, the worker's PDF "
            f"({len(pdf.body) // 1024} KiB, {pages} pages) downloadable after {waited:.1f} s"
        )

    def check_mail_transport(self) -> str:
        before = self.mail_count()
        self.manage("sendtestemail", "smoke@example.com")
        wait_for(lambda: self.mail_count() > before, timeout=15, what="the test mail in the sink")
        messages = list(mailbox.Maildir(self.maildir, factory=None, create=False))
        recipients = [message["To"] for message in messages]
        if "smoke@example.com" not in recipients:
            raise CheckFailed(f"sink holds mail for {recipients}")
        return f"EMAIL_URL delivers: sendtestemail → {self.mail_count()} message(s) in the sink"

    def check_beat_running(self) -> str:
        beat = next(p for p in self.processes if p.name == "beat")
        if beat.popen.poll() is not None:
            raise CheckFailed(f"beat exited {beat.popen.returncode}")
        wait_for(
            lambda: "beat: Starting..." in self.log_text("beat"), timeout=30, what="beat start"
        )
        schedule = list(self.tmp.glob("celerybeat-schedule*"))
        if not schedule:
            raise CheckFailed("beat wrote no schedule file")
        return f"beat alive (pid {beat.popen.pid}), schedule file {schedule[0].name} written"

    def check_logs_clean(self) -> str:
        pattern = re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b|Warning:")
        problems = []
        for process in self.processes:
            for line in self.log_text(process.name).splitlines():
                if pattern.search(line) and not ACCEPTED_LOG_LINES.search(line):
                    problems.append(f"{process.name}: {line.strip()[:200]}")
        if problems:
            raise CheckFailed(
                "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
            )
        return "no tracebacks, errors or warnings in the web, worker, beat and SMTP logs"

    # ------------------------------------------------------------------ helpers

    def log_text(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def mail_count(self) -> int:
        new = self.maildir / "new"
        return len(list(new.iterdir())) if new.is_dir() else 0

    def record(self, name: str, status: str, detail: str, seconds: float | None = None) -> None:
        self.results.append((name, status, detail))
        took = f"{seconds:5.1f}s" if seconds is not None else " " * 6
        print(f"{status:<7} {name:<22} {took}  {detail}", flush=True)

    def run_checks(self) -> None:
        """Run ``CHECKS`` in order; after a failed ``FATAL`` one the rest are failed unrun."""
        fatal_failure = ""
        for name in CHECKS:
            if fatal_failure:
                self.record(name, "FAIL", f"not run: {fatal_failure} failed")
                continue
            started = time.monotonic()
            try:
                detail = getattr(self, f"check_{name}")()
            except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next check runs
                message = (
                    str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
                )
                self.record(name, "FAIL", message, time.monotonic() - started)
                if name in FATAL:
                    fatal_failure = name
            else:
                self.record(name, "PASS", detail, time.monotonic() - started)
        for name, what, issue in PENDING:
            self.record(name, "PENDING", f"lands with issue {issue}: {what}")


def _celery() -> list[str]:
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


def _raise_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    started = time.monotonic()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_on_signal)
    print("make prod-smoke: gunicorn, Celery worker and beat, PostgreSQL, Redis, an SMTP sink")
    smoke = Smoke()
    interrupted = False
    try:
        smoke.prepare_services()
        smoke.run_checks()
    except NotReady as exc:
        print(f"NOT READY {exc}", file=sys.stderr)
        shutil.rmtree(smoke.tmp, ignore_errors=True)
        return 2
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: stopping what was started", file=sys.stderr)
    finally:
        if smoke.processes:
            stopping = time.monotonic()
            ok, detail = smoke.stop_all()
            smoke.record("stopped", "PASS" if ok else "FAIL", detail, time.monotonic() - stopping)
    failed = [name for name, status, _ in smoke.results if status == "FAIL"]
    passed = sum(status == "PASS" for _, status, _ in smoke.results)
    pending = sum(status == "PENDING" for _, status, _ in smoke.results)
    seconds = time.monotonic() - started
    verdict = "FAIL" if failed or interrupted else "PASS"
    print(
        f"prod-smoke {verdict}: {passed} passed, {len(failed)} failed, {pending} pending "
        f"in {seconds:.0f} s" + (f" (failed: {', '.join(failed)})" if failed else "")
    )
    if verdict == "PASS" and not os.environ.get("SMOKE_KEEP"):
        shutil.rmtree(smoke.tmp, ignore_errors=True)
    else:
        print(f"logs, Maildir and files kept in {smoke.tmp}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
