"""Faults: the same job asked for several times at once.

Five Chiefs of Staff (or one impatient one) pressing "Generate" together, and
two beat schedulers ticking in the same hour: the week is rendered once and
leaves exactly one PDF file, the one its row points at. Measured before the fix:
five concurrent requests rendered five times and left four unreferenced PDFs;
two ticks rendered twice. Two chase runs of one day at once send each person
one digest.
The generation task runs eagerly in each request's thread here, which is as
concurrent as five workers: each has its own database connection.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from actions.models import ChaseNotice
from actions.tasks import chase_overdue_actions
from briefings import services, tasks
from briefings.models import Briefing
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Counts WeasyPrint renders (one entry per PDF rendered, from any thread)."""
    counted: list[int] = []
    render = services.briefing_render_pdf

    def counting_render(*, html: str) -> tuple[bytes, int]:
        counted.append(1)
        return render(html=html)

    monkeypatch.setattr(services, "briefing_render_pdf", counting_render)
    return counted


def run_together(count: int, job: Callable[[], object]) -> list[object]:
    """Run ``job`` in ``count`` threads released at the same instant; return their results."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # reported by the assertions of the caller
            results[index] = exc
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def pdf_files() -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_five_concurrent_generate_requests_render_once_and_leave_one_file(cos, renders):
    factories.OfficeSettingsFactory()

    def press_generate() -> int:
        client = Client()
        client.force_login(cos)
        return client.post("/briefings/generate/", HTTP_HX_REQUEST="true").status_code

    assert run_together(5, press_generate) == [200] * 5
    briefing = Briefing.objects.get()
    assert briefing.state == Briefing.State.DRAFT
    assert len(renders) == 1
    assert pdf_files() == [Path(briefing.pdf.path)]


def test_a_duplicate_beat_tick_generates_one_briefing(renders):
    # Due since Monday 00:00 of this week in the office's time zone, so both ticks find it due.
    factories.OfficeSettingsFactory(briefing_weekday=0, briefing_hour=0)

    labels = run_together(2, tasks.generate_due_briefing)

    briefing = Briefing.objects.get()
    assert labels == [briefing.label] * 2
    assert briefing.state == Briefing.State.DRAFT
    assert len(renders) == 1
    assert pdf_files() == [Path(briefing.pdf.path)]
    # A tick after the briefing exists finds nothing due.
    assert tasks.generate_due_briefing() is None
    assert len(renders) == 1


def test_two_chase_runs_of_one_day_at_once_send_each_person_one_digest(smtp_sink):
    day = dt.date(2026, 11, 23)
    factories.OfficeSettingsFactory(chase_ladder=[1, 4, 8])
    team = factories.TeamFactory(name="Verify")
    factories.team_lead(team, username="lee", email="lee@example.com")
    owner = factories.UserFactory(username="ola", email="ola@example.com")
    factories.MembershipFactory(user=owner, team=team)
    factories.chief_of_staff(username="cos", email="cos@example.com")
    for days_late in (1, 5, 9):  # the owner, then also the lead, then also the CoS
        factories.ActionItemFactory(
            owner=owner, team=team, due_date=day - dt.timedelta(days=days_late)
        )

    run_together(2, lambda: chase_overdue_actions(day.isoformat()))

    for address in ("ola@example.com", "lee@example.com", "cos@example.com"):
        assert len(smtp_sink.to(address)) == 1, address
    assert ChaseNotice.objects.count() == 3 + 2 + 1  # one per action and rung of the ladder
