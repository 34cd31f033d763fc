"""The chase sweep over the raw SQL fetch of the overdue rows it has to chase.

The sweep is ``actions.tasks.chase_overdue_actions`` (issue 8; while it is
missing the figure is ``pending``), called in this process as beat calls it: with no arguments, for the office's today. Each
repeat runs in a transaction rolled back afterwards, so every repeat chases the
same overdue actions; the callbacks it registers with ``transaction.on_commit``
(one digest task per recipient, run eagerly: no Redis here, mail to Django's
in-memory outbox) run and are timed inside it. The baseline is one SQL query
fetching every overdue open action with its owner and team.

A sweep is stopped after ``BUDGET`` seconds (SIGALRM, this process's main
thread; the transaction is rolled back): the figure is then extrapolated from
the digests sent by then over the digests planned (``chase_plan``), and the
bench says so. No further repeats are made once one run has used the budget.
"""

from __future__ import annotations

import importlib
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core import mail
from django.db import connection, transaction
from django.test import TestCase

from bench.figures import median, ratio
from cto_office.clock import office_today

#: Where the sweep lives (module, attribute), and the plan that says how many digests it sends.
SWEEP = ("actions.tasks", "chase_overdue_actions")
PLAN = ("actions.services.chase", "chase_plan")
REPEATS = 5
#: Seconds one sweep may take before it is stopped and extrapolated.
BUDGET = 120.0

OVERDUE_SQL = """
SELECT a.id, a.title, a.due_date, a.status, a.priority, a.version,
       u.id, u.email, u.first_name, u.last_name, t.id, t.name, t.lead_id, t.parent_id
FROM actions_actionitem a
JOIN auth_user u ON u.id = a.owner_id
LEFT JOIN cto_office_team t ON t.id = a.team_id
WHERE a.status IN ('open', 'in_progress', 'blocked') AND a.due_date < %s
ORDER BY a.owner_id, a.due_date
"""


class OverBudget(BaseException):
    """Raised into a sweep that ran out of time; a BaseException so that no ``except
    Exception`` on its way (robust on-commit callbacks, task tracing) swallows it."""


@dataclass
class SweepRun:
    """One sweep: seconds, queries and mails sent; ``finished`` is False when stopped at ``BUDGET``."""

    seconds: float
    queries: int
    mails: int
    finished: bool = True


def find(entry: tuple[str, str]) -> Callable | None:
    """``module.attribute`` of ``entry``, or ``None`` while it does not exist yet."""
    module_name, name = entry
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, name, None)


def fetch_overdue() -> int:
    """Fetch every overdue open action with its owner and team in one query; return the row count."""
    with connection.cursor() as cursor:
        cursor.execute(OVERDUE_SQL, [office_today()])
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


def run_sweep_rolled_back(sweep: Callable[[], object], seconds: float = BUDGET) -> SweepRun:
    """Run ``sweep`` once within ``seconds``, its on-commit work included, and undo it."""
    mail.outbox = []
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    finished = True
    started = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(count):
        try:
            with budget(seconds), TestCase.captureOnCommitCallbacks(execute=True):
                sweep()
        except OverBudget:
            finished = False
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return SweepRun(elapsed, queries, len(mail.outbox), finished)


def planned_digests() -> int | None:
    """How many digests today's chase would send, or ``None`` if the plan is not to be found."""
    plan = find(PLAN)
    return None if plan is None else len(plan(day=office_today()).digests)


def measure_chase(log=print) -> float | None:
    """The sweep's median time over the raw fetch's, or ``None`` while the sweep does not exist."""
    fetches, rows = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        rows = fetch_overdue()
        fetches.append(time.perf_counter() - started)
    log(f"chase: raw fetch of {rows} overdue actions {median(fetches) * 1000:.1f} ms (median)")
    sweep = find(SWEEP)
    if sweep is None:
        log(
            "chase: %s.%s is not there yet (issue 8); chase_vs_fetch is pending and plugs in "
            "when it lands" % SWEEP
        )
        return None
    runs: list[SweepRun] = []
    spent = 0.0
    while len(runs) < REPEATS and spent < BUDGET:
        runs.append(run_sweep_rolled_back(sweep, BUDGET))
        spent += runs[-1].seconds
        if not runs[-1].finished:
            break
    last = runs[-1]
    if last.finished:
        seconds = median([run.seconds for run in runs])
        log(
            f"chase: sweep {seconds * 1000:.1f} ms (median of {len(runs)}), "
            f"{last.queries} queries, {last.mails} mails"
        )
    else:
        planned = planned_digests()
        if not last.mails or not planned:
            raise RuntimeError(f"the chase sweep sent nothing within {BUDGET:.0f} s")
        seconds = last.seconds * planned / last.mails
        log(
            f"chase: sweep stopped after {last.seconds:.0f} s with {last.mails} of {planned} "
            f"digests sent and {last.queries} queries ({last.queries / last.mails:.1f} per "
            f"digest); extrapolated to {seconds:.0f} s for the whole sweep"
        )
    return ratio(seconds, median(fetches))
