"""The briefing's OKR section: the quietly-behind rule and the key-result progress it reads."""

from decimal import Decimal

import pytest

from briefings.models import key_result_progress
from briefings.sections.okrs import BEHIND_MARGIN, okrs_section, quietly_behind_reasons
from tests import factories
from tests.briefings import dataset

# The quietly-behind rule (DESIGN.md §2)


def test_behind_on_progress_fires_with_reason():
    reasons = quietly_behind_reasons(progress=0.30, elapsed=0.60, confidences=[0.7, 0.7, 0.8])
    assert reasons == ["progress 30% with 60% of the period gone (30 pts behind)"]


def test_falling_confidence_fires_even_when_progress_is_fine():
    reasons = quietly_behind_reasons(progress=0.70, elapsed=0.60, confidences=[0.9, 0.8, 0.8, 0.6])
    assert reasons == ["confidence falling 0.80 → 0.80 → 0.60"]


def test_both_rules_give_both_reasons():
    reasons = quietly_behind_reasons(progress=0.1, elapsed=0.5, confidences=[0.6, 0.5, 0.4])
    assert len(reasons) == 2


@pytest.mark.parametrize(
    "progress, elapsed, confidences",
    [
        (0.50, 0.60, [0.7, 0.7, 0.7]),  # 10 pts short is within the margin
        (0.60 - BEHIND_MARGIN, 0.60, [0.7]),  # exactly at the margin is not behind
        (0.80, 0.60, [0.8, 0.6, 0.7]),  # confidence dipped, then recovered
        (0.80, 0.60, [0.9, 0.6]),  # two check-ins are not a trend
    ],
)
def test_on_track_gives_no_reason(progress, elapsed, confidences):
    assert quietly_behind_reasons(progress=progress, elapsed=elapsed, confidences=confidences) == []


def test_okr_section_reads_progress_through_the_key_result_rule(db, django_assert_num_queries):
    objective = factories.ObjectiveFactory(
        period_start=dataset.QUARTER[1], period_end=dataset.QUARTER[2]
    )
    kr = factories.KeyResultFactory(
        objective=objective,
        start_value=Decimal("400"),
        target_value=Decimal("200"),  # a latency to bring down
        current_value=Decimal("390"),
    )
    with django_assert_num_queries(2):
        section = okrs_section(as_of=dataset.TODAY, is_current=True, list_limit=15)
    (behind,) = section["behind"]
    assert behind["progress"] == round(kr.progress, 4) == 0.05
    assert kr.progress == key_result_progress(
        start=kr.start_value, target=kr.target_value, value=kr.current_value
    )
