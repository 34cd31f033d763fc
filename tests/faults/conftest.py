"""Fixtures for the fault tests: services of our own that a test may stop.

The machine's PostgreSQL and Redis are never stopped: a test that takes Redis
away starts its own ``redis-server`` on a free loopback port (no persistence)
and stops that one, by its process id.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from cto_office.celery import app as celery_app
from tests.conftest import require_service


def wait_for(condition: Callable[[], object], timeout: float, what: str, log: Path | None = None):
    """Poll ``condition`` every 0.1 s until it is true; fail after ``timeout`` seconds,
    saying ``what`` was awaited and showing ``log`` (a worker's output) if given."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            shown = f":\n{log.read_text()}" if log else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{shown}")
        time.sleep(0.1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A ``redis-server`` of this test's own, on a free port, that the test may stop and restart."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = self.client()
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)


def point_celery_at(url: str, *, eager: bool) -> None:
    """Send tasks to the broker at ``url`` from now on (forgetting pooled connections)."""
    celery_app.conf.update(broker_url=url, task_always_eager=eager)
    celery_app._after_fork()  # Celery's own reset of its connection and producer pools


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    """A running Redis of the test's own (``.stop()``, ``.start()``); stopped after the test."""
    require_service("redis-server", shutil.which("redis-server") is not None, "install redis")
    server = PrivateRedis(tmp_path)
    server.start()
    saved = celery_app.conf.broker_url
    try:
        yield server
    finally:
        point_celery_at(saved, eager=True)
        server.stop()
