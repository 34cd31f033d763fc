"""The smoke run from start to verdict: prepare, run the checks in order, stop, report."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time

from deploy.smoke.config import CHECKS, FATAL, CheckFailed, NotReady
from deploy.smoke.mail_checks import MailChecks
from deploy.smoke.topology_checks import TopologyChecks
from deploy.smoke.web_checks import WebChecks


class Smoke(TopologyChecks, WebChecks, MailChecks):
    """One smoke run: the temporary folder, the environment, the processes and the checks."""

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
    seconds = time.monotonic() - started
    verdict = "FAIL" if failed or interrupted else "PASS"
    print(
        f"prod-smoke {verdict}: {passed} passed, {len(failed)} failed "
        f"in {seconds:.0f} s" + (f" (failed: {', '.join(failed)})" if failed else "")
    )
    if verdict == "PASS" and not os.environ.get("SMOKE_KEEP"):
        shutil.rmtree(smoke.tmp, ignore_errors=True)
    else:
        print(f"logs, Maildir and files kept in {smoke.tmp}")
    return 0 if verdict == "PASS" else 1
