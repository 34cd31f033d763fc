"""Requests per second of the inbox over our smallest page, under gunicorn as in production.

gunicorn is started the way production starts it (``deploy/run web``, settings
in ``deploy/gunicorn.conf.py``, ``WEB_CONCURRENCY`` workers) on a free
loopback port, in its own process group, and stopped by its process id at the
end. ``CLIENTS`` threads, each with its own connection and the Chief of
Staff's session cookie, request one path until ``MAX_REQUESTS`` answers or
``MAX_SECONDS`` have passed, whichever comes first; only 127.0.0.1 is ever
contacted.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.figures import median, percentile

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 10
MAX_REQUESTS = 400
MAX_SECONDS = 45.0
#: Seconds gunicorn has to answer its first request.
START_TIMEOUT = 60.0


@dataclass
class LoadResult:
    """What one path answered under load: requests/s, latencies (seconds), failures."""

    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def describe(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s: {self.per_second:.1f} req/s, "
            f"p50 {median(self.latencies) * 1000:.0f} ms, "
            f"p95 {percentile(self.latencies, 0.95) * 1000:.0f} ms, {self.failures} failed"
        )


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    """``deploy/run web`` bound to ``127.0.0.1:port``, output to ``log_path``; waits until it answers."""
    env = env | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "run"), "web"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            get(port, "/accounts/login/", cookie="")
            return process
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s; see {log_path}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    """SIGTERM to the process group we started (gunicorn and its workers), SIGKILL after 20 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def get(port: int, path: str, cookie: str, conn: http.client.HTTPConnection | None = None) -> int:
    """One GET on loopback; the status (the body is read and dropped)."""
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    return response.status


def hammer(port: int, path: str, cookie: str, clients: int = CLIENTS) -> LoadResult:
    """``clients`` threads GET ``path`` until ``MAX_REQUESTS`` answers or ``MAX_SECONDS``."""
    lock = threading.Lock()
    latencies: list[float] = []
    failures = 0
    started = time.perf_counter()
    deadline = started + MAX_SECONDS

    def client() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if len(latencies) + failures >= MAX_REQUESTS or time.perf_counter() > deadline:
                    return
            begun = time.perf_counter()
            try:
                ok = get(port, path, cookie, conn) == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - begun)
                else:
                    failures += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(len(latencies), time.perf_counter() - started, latencies, failures)


def measure_throughput(
    env: dict[str, str], cookie: str, paths: dict[str, str], workdir: Path, log=print
) -> dict[str, LoadResult]:
    """``{name: LoadResult}`` for each of ``paths`` (name → path) under the same gunicorn."""
    port = free_port()
    process = start_gunicorn(env, port, workdir / "gunicorn.log")
    try:
        results = {}
        for name, path in paths.items():
            for _ in range(2 * CLIENTS):  # warm every worker up
                if get(port, path, cookie) != 200:
                    raise RuntimeError(f"{path} does not answer 200 under gunicorn")
            results[name] = hammer(port, path, cookie)
            log(f"load: {name:<8} {CLIENTS} clients, {results[name].describe()}")
        return results
    finally:
        stop_gunicorn(process)
