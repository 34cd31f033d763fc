"""Fault: the worker generating a briefing is killed with SIGKILL (OOM killer, a lost node).

The task is acknowledged only when it ends (``acks_late``), so Redis still holds
the message and gives it to another worker once the visibility timeout has
passed; the generation lock died with the killed worker's database session,
and the briefing is finished once, by the other worker, with one PDF file.

The workers are real ``deploy/run worker`` processes (prefork, as in
production) on a Redis of the test's own. To kill the first one mid-briefing,
the test holds a row lock on the briefing: the worker blocks inside the
generation (lock taken, claiming the row), where it is killed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction

from briefings.models import Briefing
from briefings.tasks import briefing_enqueue, generate_weekly_briefing
from cto_office import mail
from cto_office.clock import IsoWeek, office_today
from tests import factories
from tests.faults.conftest import point_celery_at, wait_for

#: Redis's own default visibility timeout (Celery docs, "Using Redis").
REDIS_DEFAULT_VISIBILITY_TIMEOUT = 60 * 60


def start_worker(broker_url: str, log: Path, visibility_timeout: int = 3) -> subprocess.Popen:
    """``deploy/run worker`` (one prefork child) on the test database; its own process group.

    Redis redelivers what it has not seen acknowledged after ``visibility_timeout``
    seconds (production: 15 minutes), checked every second (``worker_settings``).
    """
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": broker_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_CONCURRENCY": "1",
        "FAULTS_VISIBILITY_TIMEOUT": str(visibility_timeout),
    }
    return subprocess.Popen(
        [
            "sh",
            "deploy/run",
            "worker",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def blocked_backends() -> int:
    """Database sessions of this test database waiting for a row lock."""
    with connection.cursor() as cursor:
        # Within a transaction the statistics views are read once; read them afresh.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def pool_processes(worker_pid: int) -> list[int]:
    """The process ids of a prefork worker's pool (its child processes; Linux ``/proc``)."""
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def queue_this_weeks_briefing(private_redis) -> Briefing:
    """Ask for this week's briefing, as "Generate" does, on the test's own Redis."""
    factories.OfficeSettingsFactory()
    point_celery_at(private_redis.url, eager=False)
    briefing = briefing_enqueue(week=IsoWeek.of(office_today()))
    assert private_redis.client().llen("celery") == 1
    return briefing


def wait_until_finished(briefing: Briefing, private_redis, log: Path) -> None:
    wait_for(
        lambda: Briefing.objects.get(pk=briefing.pk).state == Briefing.State.DRAFT,
        90,
        "the briefing to be finished",
        log,
    )
    wait_for(lambda: private_redis.client().hlen("unacked") == 0, 10, "the ack", log)


def assert_rendered_once(briefing: Briefing, private_redis, log: Path) -> None:
    """One render in ``log``, one PDF file (the row's), nothing left queued to run it again."""
    briefing.refresh_from_db()
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == [Path(briefing.pdf.path)]
    assert len(re.findall(r"Briefing \S+ generated", log.read_text())) == 1
    assert private_redis.client().llen("celery") == 0


@pytest.mark.django_db(transaction=True)
def test_a_briefing_whose_worker_was_killed_is_finished_once_by_another(private_redis, tmp_path):
    briefing = queue_this_weeks_briefing(private_redis)
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    with transaction.atomic():
        Briefing.objects.select_for_update().get(pk=briefing.pk)  # held until the kill
        first = start_worker(private_redis.url, first_log)
        try:
            wait_for(lambda: blocked_backends() == 1, 60, "the first worker's run", first_log)
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool
            first.wait(timeout=10)
    redis = private_redis.client()
    # Never acknowledged: still held for its consumer, or already back in the queue.
    assert redis.hlen("unacked") + redis.llen("celery") == 1

    second = start_worker(private_redis.url, second_log)
    try:
        wait_until_finished(briefing, private_redis, second_log)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)

    assert "cto_office.mail.mail_send" in first_log.read_text()  # the worker knows every task
    assert "generated" not in first_log.read_text()
    assert_rendered_once(briefing, private_redis, second_log)


@pytest.mark.django_db(transaction=True)
def test_a_briefing_whose_pool_process_was_killed_is_run_again_at_once(private_redis, tmp_path):
    # The OOM killer's usual victim is the pool process rendering, not the worker's main
    # process: reject_on_worker_lost puts the message back at once. The production
    # visibility timeout (15 min) shows that nothing else brought it back.
    briefing = queue_this_weeks_briefing(private_redis)
    log = tmp_path / "worker.log"
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    worker = start_worker(private_redis.url, log, visibility_timeout=visibility)
    try:
        with transaction.atomic():
            Briefing.objects.select_for_update().get(pk=briefing.pk)  # held until the kill
            wait_for(lambda: blocked_backends() == 1, 60, "the worker's run", log)
            [rendering] = pool_processes(worker.pid)
            os.kill(rendering, signal.SIGKILL)
        wait_until_finished(briefing, private_redis, log)
        assert rendering not in pool_processes(worker.pid)  # a new pool process finished it
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert_rendered_once(briefing, private_redis, log)


def test_visibility_timeout_outlasts_every_held_message_and_not_much_more():
    """A message is held unacknowledged for at most its retry countdown (the worker keeps an
    ETA message, Celery docs "Using Redis" → "Caveats") plus the task's time limit; Redis
    must not hand it to a second worker before that, and should well before its one hour."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest_countdowns = {
        "generate_weekly_briefing": min(
            generate_weekly_briefing.retry_backoff
            * 2 ** (generate_weekly_briefing.max_retries - 1),
            generate_weekly_briefing.retry_backoff_max,
        ),
        "mail_send": mail.retry_countdown(mail.MAX_RETRIES - 1),
    }
    for task, countdown in longest_countdowns.items():
        assert countdown + settings.CELERY_TASK_TIME_LIMIT < visibility, task
    assert visibility <= REDIS_DEFAULT_VISIBILITY_TIMEOUT / 4
