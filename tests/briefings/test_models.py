"""Briefing models: key-result progress (one rule) and a briefing's ISO week."""

import datetime as dt
from decimal import Decimal

import pytest

from briefings.models import Briefing, KeyResult, briefing_upload_to, key_result_progress
from cto_office.clock import IsoWeek


@pytest.mark.parametrize(
    "start, target, value, progress",
    [
        ("0", "100", "50", 0.5),
        ("0", "100", "150", 1.0),  # past the target: clamped
        ("10", "100", "0", 0.0),  # below the start: clamped
        ("400", "200", "350", 0.25),  # a target below the start (a latency to bring down)
        ("5", "5", "7", 0.0),  # no span (refused by a constraint): no division by zero
    ],
)
def test_key_result_progress_on_plain_values(start, target, value, progress):
    assert (
        key_result_progress(start=Decimal(start), target=Decimal(target), value=Decimal(value))
        == progress
    )


def test_key_result_progress_property_is_the_same_rule():
    kr = KeyResult(
        start_value=Decimal("400"), target_value=Decimal("200"), current_value=Decimal("350")
    )
    assert kr.progress == key_result_progress(
        start=kr.start_value, target=kr.target_value, value=kr.current_value
    )
    assert kr.progress == 0.25


def test_briefing_week_is_an_iso_week():
    briefing = Briefing(iso_year=2026, iso_week=1)
    assert briefing.week == IsoWeek(2026, 1)
    assert briefing.label == briefing.week.label == "2026-W01"
    # ISO 2026-W01 starts in the previous calendar year.
    assert (briefing.week.monday, briefing.week.sunday) == (
        dt.date(2025, 12, 29),
        dt.date(2026, 1, 4),
    )


def test_briefing_pdf_is_filed_under_its_iso_year_and_week():
    briefing = Briefing(iso_year=2026, iso_week=7)
    assert briefing_upload_to(briefing, "x.pdf") == "briefings/2026/cto-briefing-2026-W07.pdf"
