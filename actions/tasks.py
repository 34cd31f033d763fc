"""Celery tasks of the actions app: the daily chase of overdue actions.

Settings they rely on (``cto_office/settings.py``): ``CELERY_TASK_ACKS_LATE`` and
``CELERY_TASK_REJECT_ON_WORKER_LOST`` (a killed worker's task runs again; both tasks
are idempotent per day through ``ChaseNotice``), JSON arguments only, and
``CELERY_BEAT_SCHEDULE["daily-chase-tick"]``, which calls ``chase_due_tick`` hourly;
the chase itself happens from ``OfficeSettings.chase_hour`` in the office's time zone.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction

from actions.services.chase import ChasePlan, chase_plan, chase_send_digest
from cto_office.clock import office_now, office_settings, office_today
from cto_office.mail import MAX_RETRIES, retry_or_raise

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_chase_digest(self, recipient_id: int, day: str) -> int:
    """Send one recipient's digest for ``day`` (ISO date, office time zone); see
    ``actions.services.chase.chase_send_digest``. Retries transient SMTP failures."""
    recipient = get_user_model().objects.get(pk=recipient_id)
    try:
        return chase_send_digest(recipient=recipient, day=dt.date.fromisoformat(day))
    except Exception as exc:
        retry_or_raise(self, exc, what=f"chase digest to {recipient.email}")
        raise


def chase_enqueue(*, day: dt.date) -> ChasePlan:
    """Plan ``day``'s chase and queue one ``send_chase_digest`` per recipient on commit.

    Each recipient is its own task, so an SMTP failure for one never blocks the
    others (``robust`` on-commit callbacks: in the embedded default, where tasks run
    eagerly, a failed send is logged and the next recipient still gets theirs).
    Returns the plan (digests and skipped recipients) for the caller to report.
    """
    plan = chase_plan(day=day)
    with transaction.atomic():
        for digest in plan.digests:
            transaction.on_commit(
                lambda pk=digest.recipient.pk: send_chase_digest.delay(pk, day.isoformat()),
                robust=True,
            )
    for name, reason in plan.skipped:
        logger.warning("chase %s: %s not chased (%s)", day, name, reason)
    return plan


@shared_task(acks_late=True)
def chase_overdue_actions(day: str | None = None) -> dict:
    """Chase the overdue actions of ``day`` (ISO date; default today in the office's time zone).

    Idempotent: a second run the same day queues nothing (``chase_plan`` leaves out
    whoever already has a notice for the day). Returns a JSON summary.
    """
    when = dt.date.fromisoformat(day) if day else office_today()
    plan = chase_enqueue(day=when)
    return {"day": when.isoformat(), "digests": len(plan.digests), "skipped": len(plan.skipped)}


@shared_task
def chase_due_tick() -> dict | None:
    """Hourly (beat): run today's chase once the office's chase hour has come.

    Running every hour after that hour is harmless (the day's chase is idempotent) and
    catches up a day whose chase-hour tick was missed.
    """
    if office_now().hour < office_settings().chase_hour:
        return None
    return chase_overdue_actions()
