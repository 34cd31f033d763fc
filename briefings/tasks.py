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
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

from briefings.models import Briefing, BriefingDelivery
from briefings.selectors import briefing_auto_publish_due, briefing_default_week, briefing_due_week
from briefings.services import (
    BriefingPublishedError,
    briefing_claim,
    briefing_fail,
    briefing_generate,
)
from briefings.services.publish import (
    BriefingChangedError,
    briefing_delivery_send,
    briefing_publish,
)
from briefings.services.reminders import check_in_reminder_due, check_in_reminders_send
from briefings.services.review import (
    BriefingNotEditableError,
    briefing_comment,
    briefing_rerender,
)
from cto_office.clock import IsoWeek
from cto_office.mail import MAX_RETRIES, is_transient, retry_or_raise

logger = logging.getLogger(__name__)

#: Errors worth retrying: the database went away or timed out. A template or
#: WeasyPrint error is a bug and fails the same way every time: no retry.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

#: Recorded on the row when the broker cannot be reached (see ``briefing_enqueue``).
QUEUE_UNREACHABLE = (
    "The job queue (Redis) could not be reached, so the briefing was not queued. "
    "Try again in a few minutes; the hourly schedule also retries it once it is due."
)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=settings.TASK_RETRY_COUNTDOWN_MAX,  # under the visibility timeout
    retry_jitter=True,
    max_retries=5,
)
def generate_weekly_briefing(iso_year: int | None = None, iso_week: int | None = None) -> dict:
    """Generate the briefing of an ISO week (default: ``briefing_default_week``, which is the
    last complete week before the office's briefing weekday).

    Returns a small JSON summary. A published week is skipped (logged, not
    retried): ``briefing_generate`` refuses to overwrite it. A week drafted by
    another run since it was requested is not rendered again (``coalesce``): the
    task may be delivered twice (five clicks, a duplicate beat tick, a message
    redelivered after a worker died) and still renders once.
    """
    if iso_year is None or iso_week is None:
        week = briefing_default_week()
        iso_year, iso_week = week.year, week.week
    try:
        briefing = briefing_generate(iso_year=iso_year, iso_week=iso_week, coalesce=True)
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
    which the caller reads after ``refresh_from_db()``. If the broker cannot
    be reached, publishing gives up after about a second
    (``CELERY_TASK_PUBLISH_RETRY_POLICY``, ``CELERY_BROKER_TRANSPORT_OPTIONS``)
    and the row is marked ``failed`` with ``QUEUE_UNREACHABLE``: never left
    ``pending`` with nothing queued to finish it.

    Raises ``BriefingPublishedError`` for a published week (nothing is enqueued).
    """

    def enqueue_generation() -> None:
        # A named function, not functools.partial: Django logs a robust callback's
        # failure by its __qualname__, which a partial lacks.
        try:
            generate_weekly_briefing.delay(week.year, week.week)
        except BrokerUnreachable as exc:
            logger.warning("Briefing %s not queued: %s", week, exc)
            briefing_fail(briefing=briefing, error=QUEUE_UNREACHABLE)

    with transaction.atomic():
        briefing = briefing_claim(week=week)
        transaction.on_commit(enqueue_generation, robust=True)
    return briefing


def _enqueue_on_commit(task, *args: int) -> None:
    """``task.delay(*args)`` once the transaction commits, as a ``robust`` callback.

    Robust (Django docs, "transaction.on_commit"): with eager Celery (no
    ``REDIS_URL``) the task runs right there, and its failure, already
    recorded on its rows (a failed delivery, a draft left as it was), is
    logged rather than raised into the request that committed the write.
    """

    def enqueue() -> None:
        task.delay(*args)

    enqueue.__qualname__ = f"enqueue {task.name}"
    transaction.on_commit(enqueue, robust=True)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def rerender_briefing(briefing_id: int) -> bool:
    """Render a draft again from its stored snapshot after a commentary change (``briefing_rerender``)."""
    return briefing_rerender(briefing_id=briefing_id)


def briefing_save_commentary(*, briefing: Briefing, commentary: str, by) -> Briefing:
    """Save the commentary (``briefing_comment``) and re-render the draft's PDF after the commit.

    Raises what ``briefing_comment`` raises. With eager Celery the PDF is
    rendered within the call; with a worker the page shows the commentary at
    once and the PDF follows in seconds.
    """
    with transaction.atomic():
        briefing = briefing_comment(briefing=briefing, commentary=commentary, by=by)
        _enqueue_on_commit(rerender_briefing, briefing.pk)
    return briefing


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def deliver_briefing(self, briefing_id: int) -> dict:
    """Send a published briefing to each recipient whose delivery is pending or failed.

    Each delivery is claimed before it is sent (``briefing_delivery_send``), so a
    second run of this task, or a retry, never mails a recipient twice. A
    transient SMTP failure (4xx, connection) leaves the row ``failed`` (the page
    shows it) and retries the task (``cto_office.mail.retry_or_raise``: back-off
    capped inside the broker's visibility timeout); a permanent one
    (5xx) stays ``failed`` for the Chief of Staff to see and retry.
    """
    sent, transient = 0, None
    pending = BriefingDelivery.objects.filter(
        briefing_id=briefing_id,
        state__in=[BriefingDelivery.State.PENDING, BriefingDelivery.State.FAILED],
    ).values_list("pk", flat=True)
    for delivery_id in list(pending):
        try:
            sent += briefing_delivery_send(delivery_id=delivery_id)
        except Exception as exc:
            if not is_transient(exc):
                logger.warning("briefing delivery %s refused: %s", delivery_id, exc)
                continue
            transient = exc
    if transient is not None:
        retry_or_raise(self, transient, what=f"briefing {briefing_id}'s delivery")
    return {"sent": sent}


def briefing_publish_and_deliver(
    *, briefing: Briefing, by, seen_version: str | None = None
) -> Briefing:
    """Publish (``briefing_publish``, with ``seen_version``) and enqueue the e-mails once
    the publish has committed.

    Raises what ``briefing_publish`` raises; nothing is sent then.
    """
    briefing = briefing_publish(briefing=briefing, by=by, seen_version=seen_version)
    _enqueue_on_commit(deliver_briefing, briefing.pk)
    return briefing


def briefing_retry_deliveries(*, briefing: Briefing) -> None:
    """Enqueue sending the failed deliveries of a published briefing again (the page's retry button)."""
    _enqueue_on_commit(deliver_briefing, briefing.pk)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def publish_due_briefing() -> str | None:
    """The hourly tick of the optional auto-publish hour (``briefing_auto_publish_due``).

    Publishes this week's draft as the schedule (``by=None``) when the Chief of
    Staff has not; a briefing that changed meanwhile is left for the next tick.
    """
    briefing = briefing_auto_publish_due()
    if briefing is None:
        return None
    try:
        briefing = briefing_publish_and_deliver(briefing=briefing, by=None)
    except (BriefingChangedError, BriefingNotEditableError) as exc:
        logger.info("auto-publish skipped: %s", exc)
        return None
    return briefing.label


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def send_check_in_reminders() -> int:
    """The hourly tick of the weekly check-in reminder (``check_in_reminder_due``); returns how
    many people this tick reminded (``check_in_reminders_send``: once per person and week)."""
    today = check_in_reminder_due()
    return 0 if today is None else check_in_reminders_send(today=today)
