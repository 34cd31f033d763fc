"""The checks of the topology: set-up, processes up, worker settings, briefing PDF, mail, beat, logs."""

from __future__ import annotations

import io
import json
import mailbox
import re
import socket
import subprocess
import time

from pypdf import PdfReader

from deploy.smoke.browser import Response
from deploy.smoke.config import (
    ACCEPTED_LOG_LINES,
    BRIEFING_TIMEOUT,
    ROOT,
    RUN,
    CheckFailed,
    wait_for,
)
from deploy.smoke.processes import Topology, celery_argv


class TopologyChecks(Topology):
    """``check_<name>`` for the process-level checks in ``CHECKS``; each returns a detail or raises."""

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
                [
                    *celery_argv(),
                    "inspect",
                    "ping",
                    f"--destination={self.worker_name}",
                    "--timeout=2",
                ],
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

    def check_worker_config(self) -> str:
        done = self.run(
            [
                *celery_argv(),
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
