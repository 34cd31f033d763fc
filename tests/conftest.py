"""Shared fixtures.

Services some tests need (Redis, Chromium) go through ``require_service``: on a
developer's machine a missing service skips those tests with the reason; in CI
(``CI`` set, as ``.ci/run`` does) it fails them, so nothing is ever skipped there.
CI must also run on PostgreSQL, which ``pytest_configure`` checks.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from cto_office.celery import app as celery_app
from tests import factories
from tests.mail import start_sink


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI must run against PostgreSQL: set DATABASE_URL=postgres://…")
    # psycopg's pool keeps connections open in the live server's and the Celery
    # worker's threads, which stops pytest-django dropping the test database.
    from django.conf import settings

    settings.DATABASES["default"].get("OPTIONS", {}).pop("pool", None)


def require_service(name: str, available: bool, how: str) -> None:
    """Skip (locally) or fail (in CI) the calling test when ``name`` is not available."""
    if available:
        return
    message = f"{name} is not available: {how}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Files go to a per-test folder; passwords hash fast; rate limits start from zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # django-ratelimit counts requests in a cache; CI's default cache is one Redis
    # shared by every test (and every run), so each test counts in a cache of its own.
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratelimit-{tmp_path}",
        },
    }
    settings.RATELIMIT_USE_CACHE = "ratelimit"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in the test's own thread unless a test starts a real worker.

    ``CELERY_TASK_ALWAYS_EAGER`` follows REDIS_URL at start-up; tests must not
    depend on whether the developer's shell has REDIS_URL set.
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


#: 11:30 UTC on Tuesday 10 March 2026: still the 10th in London (GMT), already
#: 00:30 on Wednesday the 11th in Auckland (NZDT, UTC+13).
DATES_DIFFER = dt.datetime(2026, 3, 10, 11, 30, tzinfo=dt.UTC)


@pytest.fixture
def office_in(db, settings, monkeypatch) -> Callable[[str], dt.datetime]:
    """``office_in("Pacific/Auckland")``: the office's settings row says that time zone, the
    server's stays Europe/London, and the clock stops at 11:30 UTC on 10 March 2026, when
    the two dates differ (it is 00:30 on the 11th in Auckland). Returns that instant."""

    def _office_in(time_zone: str) -> dt.datetime:
        settings.TIME_ZONE = "Europe/London"
        factories.OfficeSettingsFactory(time_zone=time_zone)
        monkeypatch.setattr(timezone, "now", lambda: DATES_DIFFER)
        return DATES_DIFFER

    return _office_in


@pytest.fixture
def cos(db):
    return factories.chief_of_staff(username="cos")


@pytest.fixture
def cto(db):
    return factories.cto(username="cto")


@pytest.fixture
def lead(db):
    return factories.team_lead(username="lead")


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="staff")


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback (``tests/mail.py``); Django's SMTP backend sends to it."""
    controller, sink = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        controller.stop()


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
    conf = celery_app.conf
    saved = {k: conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    try:
        # No ping check: it waits for a result, and results are not kept
        # (CELERY_TASK_IGNORE_RESULT); start_worker returns once the consumer is up.
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        conf.update(saved)
