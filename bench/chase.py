"""The chase sweep over the raw SQL fetch of the overdue rows it has to chase.

The sweep is ``actions.tasks.chase_overdue_actions`` as beat's worker runs it, in
this process, for the office's today: it plans the day's digests and queues one
``send_chase_digest`` task per recipient on commit. Those sends are separate tasks
that a worker runs one by one, not part of the sweep: the callbacks are captured and
counted here, not run (with no Redis they would run eagerly and time the SMTP
backend instead). One digest's send is timed on its own for the detail line. Each
repeat runs in a transaction rolled back afterwards, so every repeat plans the same
overdue actions. The baseline is one SQL query fetching every overdue open action
with its owner and team.

A sweep is stopped after ``BUDGET`` seconds (SIGALRM, this process's main thread;
the transaction is rolled back), and the figure is then reported as over budget.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test import TestCase

from actions.models import ActionItem
from actions.services.chase import chase_plan, chase_send_digest
from actions.tasks import chase_overdue_actions
from bench.figures import median, ratio
from cto_office.clock import office_today

REPEATS = 5
#: Seconds one sweep may take before it is stopped.
BUDGET = 120.0

OVERDUE_SQL = """
SELECT a.id, a.title, a.due_date, a.status, a.priority, a.version,
       u.id, u.email, u.first_name, u.last_name, t.id, t.name, t.lead_id, t.parent_id
FROM actions_actionitem a
JOIN auth_user u ON u.id = a.owner_id
LEFT JOIN cto_office_team t ON t.id = a.team_id
WHERE a.status = ANY(%s) AND a.due_date < %s
ORDER BY a.owner_id, a.due_date
"""


class OverBudget(BaseException):
    """Raised into a sweep that ran out of time; a BaseException so that no ``except
    Exception`` on its way swallows it."""


@dataclass
class SweepRun:
    """One sweep: seconds, queries and digest tasks queued on commit."""

    seconds: float
    queries: int
    queued: int


def fetch_overdue() -> int:
    """Fetch every overdue open action with its owner and team in one query; return the row count."""
    with connection.cursor() as cursor:
        cursor.execute(OVERDUE_SQL, [[s.value for s in ActionItem.OPEN_STATUSES], office_today()])
        return len(cursor.fetchall())


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise ``OverBudget`` in this (main) thread once ``seconds`` have passed."""

    def expire(signum, frame):
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_sweep_rolled_back() -> SweepRun:
    """Run the sweep once within ``BUDGET``, capture what it queues on commit, undo it.

    Raises ``RuntimeError`` when the sweep does not finish within the budget.
    """
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(count):
        try:
            with budget(BUDGET), TestCase.captureOnCommitCallbacks() as queued:
                chase_overdue_actions()
        except OverBudget:
            raise RuntimeError(f"the chase sweep did not finish within {BUDGET:.0f} s") from None
        finally:
            transaction.set_rollback(True)
        elapsed = time.perf_counter() - started
    return SweepRun(elapsed, queries, len(queued))


def time_one_send() -> tuple[float, int] | None:
    """Seconds and lines of the biggest digest's send (to Django's outbox), rolled back.

    The median of ``REPEATS`` warm sends: the first pays for importing the URLconf.
    """
    plan = chase_plan(day=office_today())
    if not plan.digests:
        return None
    digest = max(plan.digests, key=lambda d: len(d.lines))
    recipient = get_user_model().objects.get(pk=digest.recipient.pk)  # as the task loads them
    seconds = []
    for _ in range(REPEATS + 1):
        mail.outbox = []
        started = time.perf_counter()
        with transaction.atomic():
            chase_send_digest(recipient=recipient, day=plan.day)
            transaction.set_rollback(True)
        seconds.append(time.perf_counter() - started)
    return median(seconds[1:]), len(digest.lines)


def measure_chase(log=print) -> float:
    """The sweep's median time over the raw fetch's."""
    fetches, rows = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        rows = fetch_overdue()
        fetches.append(time.perf_counter() - started)
    log(f"chase: raw fetch of {rows} overdue actions {median(fetches) * 1000:.1f} ms (median)")
    runs = [run_sweep_rolled_back() for _ in range(REPEATS)]
    seconds = median([run.seconds for run in runs])
    log(
        f"chase: sweep {seconds * 1000:.1f} ms (median of {len(runs)}), "
        f"{runs[-1].queries} queries, {runs[-1].queued} digest tasks queued"
    )
    if send := time_one_send():
        log(f"chase: one digest's send (the biggest, {send[1]} lines) {send[0] * 1000:.1f} ms")
    return ratio(seconds, median(fetches))
