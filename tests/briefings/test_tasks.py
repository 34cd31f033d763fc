import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from briefings import tasks
from briefings.models import Briefing
from briefings.selectors import briefing_default_week, briefing_due_week
from briefings.services import BriefingPublishedError
from cto_office.clock import IsoWeek
from tests import factories
from tests.briefings import dataset


def test_weekly_task_defaults_to_this_week_in_office_time_zone(db):
    factories.OfficeSettingsFactory()
    result = tasks.generate_weekly_briefing.delay().get()
    week = briefing_default_week()
    assert result["week"] == f"{week.year}-W{week.week:02d}"
    assert result["state"] == "draft"
    assert Briefing.objects.get().page_count == result["page_count"]


def test_weekly_task_skips_a_published_week(db):
    factories.BriefingFactory(
        iso_year=2025, iso_week=47, state=Briefing.State.PUBLISHED, published_at=timezone.now()
    )
    result = tasks.generate_weekly_briefing.delay(2025, 47).get()
    assert result == {"week": "2025-W47", "state": "published", "skipped": True}


def test_weekly_task_retries_only_transient_errors():
    assert OperationalError in tasks.generate_weekly_briefing.autoretry_for
    assert RuntimeError not in tasks.generate_weekly_briefing.autoretry_for
    assert tasks.generate_weekly_briefing.acks_late


def test_due_tick_enqueues_when_the_hour_has_come(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(tasks.generate_weekly_briefing, "delay", lambda *args: calls.append(args))
    monkeypatch.setattr(tasks, "briefing_due_week", lambda: IsoWeek(2025, 47))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.generate_due_briefing.delay().get() == "2025-W47"
    assert calls == [(2025, 47)]


def test_due_tick_does_nothing_before_the_hour(db, monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.generate_weekly_briefing, "delay", lambda *args: calls.append(args))
    monkeypatch.setattr(tasks, "briefing_due_week", lambda: None)
    assert tasks.generate_due_briefing.delay().get() is None
    assert calls == []


@pytest.mark.parametrize(
    "state, due", [("draft", False), ("published", False), ("failed", True), ("pending", True)]
)
def test_due_week_skips_weeks_already_generated(db, state, due):
    factories.OfficeSettingsFactory(briefing_weekday=4, briefing_hour=16)
    factories.BriefingFactory(
        iso_year=2025,
        iso_week=47,
        state=state,
        published_at=timezone.now() if state == "published" else None,
    )
    now = dt.datetime(2025, 11, 21, 17, 5, tzinfo=dataset.LONDON)
    assert briefing_due_week(now=now) == (IsoWeek(2025, 47) if due else None)


@pytest.mark.django_db(transaction=True)  # the task is enqueued on commit: let commits happen
def test_command_generates_and_reports(week_data):
    out = StringIO()
    call_command("generate_briefing", "--week", "2025-W47", stdout=out)
    text = out.getvalue()
    briefing = Briefing.objects.get()
    assert "Week:       2025-W47" in text
    assert "State:      Draft" in text
    assert f"Pages:      {briefing.page_count}" in text
    assert briefing.pdf.path in text


@pytest.mark.parametrize("week", ["2025-47", "2025-W53", "W47", "2025-W00"])
def test_command_rejects_bad_weeks(db, week):
    with pytest.raises(CommandError):
        call_command("generate_briefing", "--week", week, stdout=StringIO())


# briefing_enqueue: claim the week's row, enqueue the task on commit


def test_enqueue_claims_the_row_and_enqueues_only_on_commit(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(tasks.generate_weekly_briefing, "delay", lambda *args: calls.append(args))
    factories.BriefingFactory(
        iso_year=2025, iso_week=47, state=Briefing.State.FAILED, error="RuntimeError: boom"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        briefing = tasks.briefing_enqueue(week=IsoWeek(2025, 47))
        assert calls == []  # nothing before the commit
    assert (briefing.state, briefing.error) == (Briefing.State.PENDING, "")
    assert Briefing.objects.get().state == Briefing.State.PENDING
    for callback in callbacks:
        callback()
    assert calls == [(2025, 47)]  # primitive ids


def test_enqueue_refuses_a_published_week_and_enqueues_nothing(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(tasks.generate_weekly_briefing, "delay", lambda *args: calls.append(args))
    factories.BriefingFactory(
        iso_year=2025, iso_week=47, state=Briefing.State.PUBLISHED, published_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BriefingPublishedError):
        tasks.briefing_enqueue(week=IsoWeek(2025, 47))
    assert calls == []
    assert Briefing.objects.get().state == Briefing.State.PUBLISHED


@pytest.mark.django_db(transaction=True)  # the task runs when the enqueueing transaction commits
def test_enqueue_records_a_failed_generation_on_the_row(monkeypatch):
    factories.OfficeSettingsFactory()

    def broken(**kwargs):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr("briefings.services.briefing_render_pdf", broken)
    briefing = tasks.briefing_enqueue(week=IsoWeek(2025, 47))  # eager Celery: runs here
    briefing.refresh_from_db()
    assert briefing.state == Briefing.State.FAILED
    assert briefing.error == "RuntimeError: WeasyPrint exploded"


@pytest.mark.django_db(transaction=True)
def test_command_reports_a_failed_generation(monkeypatch):
    factories.OfficeSettingsFactory()

    def broken(**kwargs):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr("briefings.services.briefing_render_pdf", broken)
    with pytest.raises(CommandError, match="2025-W47 failed: RuntimeError: WeasyPrint exploded"):
        call_command("generate_briefing", "--week", "2025-W47", stdout=StringIO())
    assert Briefing.objects.get().state == Briefing.State.FAILED


def test_command_leaves_a_published_week_as_it_is(db):
    factories.BriefingFactory(
        iso_year=2025, iso_week=47, state=Briefing.State.PUBLISHED, published_at=timezone.now()
    )
    out = StringIO()
    call_command("generate_briefing", "--week", "2025-W47", stdout=out)
    assert "is published; left as it is" in out.getvalue()
    assert "State:      Published" in out.getvalue()
