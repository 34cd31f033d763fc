"""Integration: the weekly briefing task run by a real Celery worker over Redis.

The worker is Celery's own test worker (``celery.contrib.testing.worker``):
a real consumer in a thread of this process, taking the task from Redis and
writing to the test database through its own connection, which is why the
test uses ``transactional_db`` (committed rows, visible across connections).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from briefings.models import Briefing
from briefings.tasks import generate_weekly_briefing
from cto_office.celery import app as celery_app
from tests import factories
from tests.conftest import require_service

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_answers(url: str) -> bool:
    if not url:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_worker(transactional_db):
    """A Celery worker consuming from Redis (REDIS_URL), torn down after the test."""
    require_service("Redis", _redis_answers(REDIS_URL), "set REDIS_URL to a running Redis")
    import celery.contrib.testing.tasks  # noqa: F401  registers celery.ping for the start-up check

    conf = celery_app.conf
    saved = {k: conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=True, shutdown_timeout=30):
            yield
    finally:
        conf.update(saved)


def test_worker_generates_the_weekly_briefing_pdf(redis_worker):
    team = factories.TeamFactory(name="Verify:Pipeline Security")
    factories.ActionItemFactory(team=team, due_date=timezone.localdate() - dt.timedelta(days=3))
    iso = timezone.localdate().isocalendar()

    result = generate_weekly_briefing.delay(iso.year, iso.week)
    result.get(timeout=120)

    briefing = Briefing.objects.get(iso_year=iso.year, iso_week=iso.week)
    assert briefing.state == Briefing.State.DRAFT
    assert briefing.pdf.read(5) == b"%PDF-"
    assert briefing.page_count >= 1

    # Run again: the same week is replaced, not duplicated.
    generate_weekly_briefing.delay(iso.year, iso.week).get(timeout=120)
    assert Briefing.objects.filter(iso_year=iso.year, iso_week=iso.week).count() == 1
