"""``bench.figures`` and ``bench.environment``: the bench's arithmetic, its output lines and its database."""

from __future__ import annotations

import pytest

from bench.environment import bench_database_url
from bench.figures import (
    median,
    pages_line,
    parse_figures,
    percentile,
    ratio,
    ratio_line,
)
from bench.run import goal_lines


def test_median_of_odd_and_even_counts():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5


def test_percentile_is_an_observed_value_by_nearest_rank():
    samples = [float(n) for n in range(1, 101)]  # 1..100
    assert percentile(samples, 0.95) == 95.0
    assert percentile(samples, 0.5) == 50.0
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_ratio_refuses_a_zero_denominator():
    assert ratio(3.0, 2.0) == 1.5
    with pytest.raises(ValueError):
        ratio(1.0, 0.0)


def test_lines_round_trip_through_the_parser():
    output = "\n".join(
        [
            "pages: inbox CoS 12.0 ms",
            ratio_line("briefing_vs_weasyprint", 1.0749),
            pages_line("briefing", 12),
            ratio_line("chase_vs_fetch", None),
            "RATIO not a figure line",
        ]
    )
    assert ratio_line("x", 1.0749) == "RATIO x 1.07"
    assert ratio_line("x", None) == "RATIO x pending"
    assert parse_figures(output) == {
        "briefing_vs_weasyprint": 1.07,
        "pages:briefing": 12,
        "chase_vs_fetch": None,
    }


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"BENCH_DATABASE_URL": "postgres://u@h:1/mine"}, "postgres://u@h:1/mine"),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cto_office_scale?x=1"},
            "postgres://postgres@127.0.0.1:5432/cto_office_bench",
        ),
        (
            {"DATABASE_URL": "sqlite:////tmp/x.sqlite3"},
            "postgres://postgres@127.0.0.1:5432/cto_office_bench",
        ),
        ({}, "postgres://postgres@127.0.0.1:5432/cto_office_bench"),
    ],
)
def test_the_bench_database_is_its_own(environ, expected):
    assert bench_database_url(environ) == expected


def test_goal_lines_say_which_bounds_are_met():
    output = "\n".join(
        [
            ratio_line("inbox_vs_minimal", 3.5),
            ratio_line("throughput_inbox_vs_minimal", 0.4),
            pages_line("briefing", 16),
            ratio_line("chase_vs_fetch", None),
        ]
    )
    assert goal_lines(output) == [
        "goal: inbox_vs_minimal 3.5 (<= 3): NOT met",
        "goal: throughput_inbox_vs_minimal 0.4 (>= 0.33): met",
        "goal: pages:briefing 16 (<= 16): met",
        "goal: chase_vs_fetch None (<= 3): pending",
    ]
