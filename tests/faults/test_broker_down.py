"""Fault: Redis (the Celery broker) is down when "Generate" enqueues the briefing.

Measured before the fix: the page took 24.6 s, said "is being generated", and
left the week ``pending`` with nothing queued (the error, "the Celery application
must be restarted", came from the result backend and only reached the log).
"""

from __future__ import annotations

import time

import pytest

from briefings.models import Briefing
from briefings.tasks import QUEUE_UNREACHABLE
from tests.faults.conftest import point_celery_at
from tests.pages import page_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_generate_with_redis_down_answers_at_once_says_so_and_works_once_redis_is_back(
    client, cos, private_redis
):
    client.force_login(cos)
    point_celery_at(private_redis.url, eager=False)
    private_redis.stop()

    started = time.monotonic()
    response = client.post("/briefings/generate/", HTTP_HX_REQUEST="true")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 2.5, f"the page took {elapsed:.1f} s with Redis down"
    assert QUEUE_UNREACHABLE in page_text(response)
    briefing = Briefing.objects.get()
    assert (briefing.state, briefing.error) == (Briefing.State.FAILED, QUEUE_UNREACHABLE)

    private_redis.start()  # back, empty: the failed week is asked for again
    response = client.post("/briefings/generate/", HTTP_HX_REQUEST="true")
    assert "is being generated" in page_text(response)
    assert Briefing.objects.get().state == Briefing.State.PENDING
    assert private_redis.client().llen("celery") == 1  # queued for a worker, exactly once
