"""Celery tasks of the briefings app: thin wrappers over ``briefings.services``, and
``briefing_enqueue``, the one way the view and the command ask for a briefing.

They rely on these settings (``cto_office/settings.py``, namespace ``CELERY_``):

- ``CELERY_TASK_SERIALIZER = "json"`` / ``CELERY_ACCEPT_CONTENT = ["json"]``:
  arguments are primitive ints, never model instances;
- ``CELERY_TASK_ACKS_LATE`` and ``CELERY_TASK_REJECT_ON_WORKER_LOST``: a worker
  killed mid-run leaves the message on the queue; re-running is safe because
  generation is idempotent per ISO week (one row, the file replaced);
- ``CELERY_TASK_ALWAYS_EAGER`` (no ``REDIS_URL``) with
  ``CELERY_TASK_EAGER_PROPAGATES``: in the embedded default ``.delay()`` runs
  the task in the caller's process and raises its errors there;
- ``CELERY_BEAT_SCHEDULE["weekly-briefing-tick"]``: beat calls
  ``generate_due_briefing`` every hour at minute 5;
- ``CELERY_TIMEZONE`` only places that tick; the briefing's own day and hour
  are read from ``OfficeSettings`` in the office's time zone.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from briefings.models import Briefing
from briefings.selectors import briefing_due_week
from briefings.services import BriefingPublishedError, briefing_claim, briefing_generate
from cto_office.clock import IsoWeek, office_today

logger = logging.getLogger(__name__)

#: Errors worth retrying: the database went away or timed out. A template or
#: WeasyPrint error is a bug and fails the same way every time: no retry.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=5,
)
def generate_weekly_briefing(iso_year: int | None = None, iso_week: int | None = None) -> dict:
    """Generate the briefing of an ISO week (default: the current week in the office's time zone).

    Returns a small JSON summary. A published week is skipped (logged, not
    retried): ``briefing_generate`` refuses to overwrite it.
    """
    if iso_year is None or iso_week is None:
        week = IsoWeek.of(office_today())
        iso_year, iso_week = week.year, week.week
    try:
        briefing = briefing_generate(iso_year=iso_year, iso_week=iso_week)
    except BriefingPublishedError as exc:
        logger.info("%s", exc)
        return {"week": exc.briefing.label, "state": exc.briefing.state, "skipped": True}
    return {
        "week": briefing.label,
        "state": briefing.state,
        "page_count": briefing.page_count,
        "generation_seconds": briefing.generation_seconds,
    }


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def generate_due_briefing() -> str | None:
    """The hourly beat tick: enqueue this week's briefing once its day and hour have come.

    "Due" is decided by ``briefings.selectors.briefing_due_week`` from
    ``OfficeSettings.briefing_weekday`` and ``briefing_hour`` in the office's
    time zone; a week with a draft or published briefing is left alone, a
    pending or failed one is tried again on the next tick. Enqueued with
    ``delay_on_commit`` so it never runs before the caller's transaction commits.
    """
    week = briefing_due_week()
    if week is None:
        return None
    generate_weekly_briefing.delay_on_commit(week.year, week.week)
    return week.label


def briefing_enqueue(*, week: IsoWeek) -> Briefing:
    """Claim ``week``'s briefing (state ``pending``) and enqueue its generation; return the row.

    The row is marked pending at once, so the archive shows it (and polls);
    ``generate_weekly_briefing`` is enqueued when the transaction commits
    (``transaction.on_commit``), never before: a worker must find the row.
    The callback is ``robust`` (Django docs, "transaction.on_commit"): with
    ``CELERY_TASK_ALWAYS_EAGER`` (no ``REDIS_URL``) the task runs right there
    and a failed generation is not raised to the caller but recorded on the
    row, state ``failed`` with its ``error`` (``briefing_generate`` does that),
    which the caller reads after ``refresh_from_db()``; if the broker cannot
    be reached, the row stays ``pending`` and the hourly tick tries again.

    Raises ``BriefingPublishedError`` for a published week (nothing is enqueued).
    """

    def enqueue_generation() -> None:
        # A named function, not functools.partial: Django logs a robust callback's
        # failure by its __qualname__, which a partial lacks.
        generate_weekly_briefing.delay(week.year, week.week)

    with transaction.atomic():
        briefing = briefing_claim(week=week)
        transaction.on_commit(enqueue_generation, robust=True)
    return briefing
