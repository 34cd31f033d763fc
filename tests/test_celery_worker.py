"""Integration: the weekly briefing task run by a real Celery worker over Redis.

The worker is Celery's own test worker (``celery.contrib.testing.worker``):
a real consumer in a thread of this process, taking the task from Redis and
writing to the test database through its own connection, which is why the
test uses ``transactional_db`` (committed rows, visible across connections).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from briefings.models import Briefing
from briefings.tasks import generate_weekly_briefing
from tests import factories


def test_worker_generates_the_weekly_briefing_pdf(redis_worker):
    team = factories.TeamFactory(name="Verify:Pipeline Security")
    factories.ActionItemFactory(team=team, due_date=timezone.localdate() - dt.timedelta(days=3))
    iso = timezone.localdate().isocalendar()

    # Results are not kept in production (CELERY_TASK_IGNORE_RESULT); this test waits for one.
    result = generate_weekly_briefing.apply_async((iso.year, iso.week), ignore_result=False)
    result.get(timeout=120)

    briefing = Briefing.objects.get(iso_year=iso.year, iso_week=iso.week)
    assert briefing.state == Briefing.State.DRAFT
    assert briefing.pdf.read(5) == b"%PDF-"
    assert briefing.page_count >= 1

    # Run again: the same week is replaced, not duplicated.
    generate_weekly_briefing.apply_async((iso.year, iso.week), ignore_result=False).get(timeout=120)
    assert Briefing.objects.filter(iso_year=iso.year, iso_week=iso.week).count() == 1
