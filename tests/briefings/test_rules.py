"""The "quietly behind" rule (briefings.rules): each reason, the shrinking margin, off track apart."""

import datetime as dt

import pytest

from briefings.rules import BehindThresholds, CheckInReading, key_result_verdict

START = dt.date(2025, 11, 1)
AS_OF = dt.date(2025, 12, 8)
RULE = BehindThresholds(margin_start=0.25, margin_end=0.10, stale_weeks=3, off_track_confidence=0.3)


def readings(*confidences: float, last: dt.date = AS_OF) -> list[CheckInReading]:
    """Weekly check-ins ending on ``last``, oldest first."""
    n = len(confidences)
    return [
        CheckInReading(last - dt.timedelta(weeks=n - 1 - i), c) for i, c in enumerate(confidences)
    ]


def verdict(progress, elapsed, check_ins):
    return key_result_verdict(
        progress=progress,
        elapsed=elapsed,
        period_start=START,
        as_of=AS_OF,
        check_ins=check_ins,
        thresholds=RULE,
    )


def test_the_margin_shrinks_as_the_quarter_ends():
    assert RULE.margin(0.0) == pytest.approx(0.25)
    assert RULE.margin(0.5) == pytest.approx(0.175)
    assert RULE.margin(1.0) == pytest.approx(0.10)


def test_progress_trailing_time_by_more_than_the_margin_is_quietly_behind():
    v = verdict(0.31, 0.62, readings(0.7, 0.7, 0.7))
    assert v.state == "quietly_behind"
    assert v.reasons == ["progress 31% at 62% of the quarter (31 pts behind; allowed 16)"]


def test_the_same_gap_is_fine_early_in_the_quarter_but_not_late():
    assert verdict(0.05, 0.25, readings(0.7, 0.7, 0.7)).state == "on_track"  # 20 pts < 21
    assert verdict(0.70, 0.90, readings(0.7, 0.7, 0.7)).state == "quietly_behind"  # 20 > 11.5


def test_confidence_falling_at_two_check_ins_in_a_row():
    v = verdict(0.70, 0.60, readings(0.9, 0.8, 0.6, 0.4))
    assert v.reasons == ["confidence 0.8 → 0.6 → 0.4"]


@pytest.mark.parametrize("confidences", [(0.8, 0.6, 0.6), (0.8, 0.6, 0.7), (0.9, 0.6)])
def test_one_fall_or_a_flat_reading_is_not_a_trend(confidences):
    assert verdict(0.70, 0.60, readings(*confidences)).state == "on_track"


def test_no_check_in_for_three_weeks_is_quietly_behind():
    v = verdict(0.70, 0.60, readings(0.7, 0.7, last=AS_OF - dt.timedelta(weeks=3)))
    assert v.reasons == ["no check-in for 3 weeks (last on 17 Nov)"]
    assert verdict(0.7, 0.6, readings(0.7, last=AS_OF - dt.timedelta(days=20))).state == "on_track"


def test_no_check_in_at_all_in_an_old_enough_quarter():
    assert verdict(0.7, 0.6, []).reasons == ["no check-in this quarter"]


def test_reported_off_track_is_its_own_list_not_quietly_behind():
    v = verdict(0.10, 0.60, readings(0.5, 0.4, 0.3))
    assert v.state == "off_track"
    assert v.reasons == ["reported off track: confidence 0.3"]


def test_every_reason_is_given_when_several_fire():
    v = verdict(0.1, 0.6, readings(0.9, 0.7, 0.5, last=AS_OF - dt.timedelta(weeks=4)))
    assert [r.split()[0] for r in v.reasons] == ["progress", "confidence", "no"]
