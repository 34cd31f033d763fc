"""Past weeks recorded for a new archive, so the first briefing has "what changed" and a history
(briefings.services.history)."""

from briefings.models import Briefing
from briefings.services import HISTORY_WEEKS, briefing_generate
from briefings.services.history import briefing_record_past_weeks
from cto_office.clock import IsoWeek
from tests.briefings import dataset
from tests.briefings.test_services import pdf_text

WEEK = IsoWeek(*dataset.WEEK)


def test_past_weeks_are_recorded_oldest_first_each_compared_with_the_one_before(week_data, cos):
    recorded = briefing_record_past_weeks(before=WEEK, weeks=3, by=cos, today=dataset.TODAY)
    assert [b.label for b in recorded] == ["2025-W44", "2025-W45", "2025-W46"]
    for briefing in recorded:
        assert briefing.state == Briefing.State.PUBLISHED and briefing.published_by == cos
        assert not briefing.pdf and not briefing.deliveries.exists()
        assert briefing.published_at.isoweekday() == 5  # the office's briefing day, Friday
    assert recorded[0].snapshot["changes"]["previous_week"] is None
    assert recorded[2].snapshot["changes"]["previous_week"] == "2025-W45"
    assert [h["week"] for h in recorded[2].snapshot["history"]] == [
        "2025-W44",
        "2025-W45",
        "2025-W46",
    ]


def test_a_week_with_a_briefing_is_left_alone(week_data, cos):
    Briefing.objects.create(iso_year=2025, iso_week=46, snapshot={})
    recorded = briefing_record_past_weeks(before=WEEK, weeks=2, by=cos, today=dataset.TODAY)
    assert [b.label for b in recorded] == ["2025-W45"]
    assert Briefing.objects.get(iso_year=2025, iso_week=46).snapshot == {}


def test_the_first_briefing_then_says_what_changed_and_draws_the_weeks(week_data, cos):
    briefing_record_past_weeks(before=WEEK, weeks=HISTORY_WEEKS - 1, by=cos, today=dataset.TODAY)
    briefing = briefing_generate(iso_year=2025, iso_week=47, today=dataset.TODAY)
    assert briefing.snapshot["changes"]["previous_week"] == "2025-W46"
    assert len(briefing.snapshot["history"]) == HISTORY_WEEKS
    _, text = pdf_text(briefing)
    assert "What changed since 2025-W46" in text
    assert 'aria-label="Overdue actions and key results quietly behind' in briefing.html
