"""The briefing's OKR section: the key-result progress the rule (``briefings.rules``) reads."""

from decimal import Decimal

from briefings.models import key_result_progress
from briefings.rules import BehindThresholds
from briefings.sections.okrs import okrs_section
from tests import factories
from tests.briefings import dataset


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
        section = okrs_section(
            as_of=dataset.TODAY,
            is_current=True,
            list_limit=15,
            thresholds=BehindThresholds(margin_start=0.15, margin_end=0.15),
        )
    (behind,) = section["behind"]
    assert behind["progress"] == round(kr.progress, 4) == 0.05
    assert kr.progress == key_result_progress(
        start=kr.start_value, target=kr.target_value, value=kr.current_value
    )
