"""The database itself refuses briefing rows that break a rule."""

from __future__ import annotations

from briefings.models import Briefing
from tests import factories
from tests.constraints import refused


def test_one_briefing_per_iso_week(db):
    Briefing.objects.create(iso_year=2026, iso_week=47)
    refused(lambda: Briefing.objects.create(iso_year=2026, iso_week=47))
    assert Briefing.objects.create(iso_year=2026, iso_week=48).label == "2026-W48"


def test_iso_week_must_exist(db):
    refused(lambda: Briefing.objects.create(iso_year=2026, iso_week=54))


def test_state_outside_the_choices_is_refused(db):
    briefing = factories.BriefingFactory()
    refused(lambda: Briefing.objects.filter(pk=briefing.pk).update(state="bogus"))


def test_published_briefing_records_when(db):
    briefing = factories.BriefingFactory()
    refused(lambda: Briefing.objects.filter(pk=briefing.pk).update(state=Briefing.State.PUBLISHED))
