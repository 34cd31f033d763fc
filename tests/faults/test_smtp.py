"""Faults of the mail server, for the mail base (``cto_office.mail.mail_send``).

A 421 answer is retried until delivered and a 550 is not retried: those two are
``tests/cto_office/test_mail.py``. Here: the server down, the server hanging,
a task delivered again after the server had accepted its message, and Redis
down when a mail is queued. The
worker is a real Celery worker on Redis (``redis_worker``) and the server a
real SMTP server on loopback (``tests/mail.py``).
"""

from __future__ import annotations

import time

import pytest
from django.core.mail.message import make_msgid
from django.db import transaction

from cto_office.mail import mail_enqueue, mail_send
from tests.faults.conftest import free_port, point_celery_at, wait_for
from tests.mail import start_sink

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = {"template": "mail/test_notice", "context": {"name": "Ada", "path": "/"}}


def test_a_mail_queued_while_the_server_is_down_is_delivered_once_it_is_back(
    redis_worker, settings
):
    port = free_port()  # nothing listens here yet: connection refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.MAIL_RETRY_BACKOFF_SECONDS = 1  # retries after 1, 2, 4 ... seconds

    mail_enqueue(to=["ada@example.com"], **NOTICE)
    time.sleep(1.5)  # the first attempt, and probably the first retry, are refused
    controller, sink = start_sink(port)
    try:
        wait_for(lambda: sink.messages, 30, "the retried mail")
        time.sleep(1)  # nothing else arrives
        assert len(sink.messages) == 1
    finally:
        controller.stop()


def test_a_server_that_stops_answering_is_retried_and_the_mail_delivered_once(
    smtp_sink, redis_worker, settings
):
    settings.EMAIL_TIMEOUT = 1
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0
    smtp_sink.stall_next, smtp_sink.stall_seconds = 1, 2  # hangs past the client's timeout

    started = time.monotonic()
    mail_enqueue(to=["ada@example.com"], **NOTICE)
    wait_for(lambda: smtp_sink.messages, 30, "the retried mail")
    assert time.monotonic() - started < 10  # the timeout, not the task's time limit
    time.sleep(2)
    [message] = smtp_sink.messages
    assert message["Message-ID"]  # fixed by mail_enqueue, the same on every attempt
    assert smtp_sink.stall_next == 0  # the first attempt did hang


def test_a_task_delivered_again_after_the_server_accepted_its_mail_sends_nothing(smtp_sink):
    # What acks_late does after a worker died between the server's "250" and the
    # acknowledgement: the same task message (same Message-ID) runs again.
    task_message = {"to": ["ada@example.com"], **NOTICE, "message_id": make_msgid()}
    assert mail_send.apply(kwargs=task_message).get() == 1
    assert mail_send.apply(kwargs=task_message).get() == 0
    [message] = smtp_sink.messages
    assert message["Message-ID"] == task_message["message_id"]


def test_a_mail_queued_while_redis_is_down_is_sent_from_the_committing_process(
    smtp_sink, private_redis, settings
):
    settings.CACHES = {  # the sent mark's cache is that Redis too
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        },
    }
    point_celery_at(private_redis.url, eager=False)
    private_redis.stop()

    started = time.monotonic()
    with transaction.atomic():
        mail_enqueue(to=["ada@example.com"], **NOTICE)
    assert time.monotonic() - started < 5
    assert len(smtp_sink.messages) == 1


def test_with_redis_down_a_refusing_server_costs_the_request_one_attempt_not_the_backoffs(
    smtp_sink, private_redis, settings
):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        },
    }
    point_celery_at(private_redis.url, eager=False)
    private_redis.stop()
    smtp_sink.fail_next = 3  # 421 three times

    with transaction.atomic():
        mail_enqueue(to=["ada@example.com"], **NOTICE)  # the failure is logged, not raised
    assert smtp_sink.fail_next == 2  # one attempt, not a retry after another
    assert smtp_sink.messages == []
