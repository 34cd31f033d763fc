"""``cto_office.demo.okrs``: the demo's OKR quarter around today."""

from __future__ import annotations

import datetime as dt

import pytest

from cto_office.demo.okrs import okr_quarter


@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 11, 23), dt.date(2026, 11, 29), dt.date(2027, 1, 1), dt.date(2026, 2, 1)],
)
def test_today_falls_in_the_twelfth_of_thirteen_weeks(today):
    _, start, end = okr_quarter(today)
    assert start.weekday() == 0 and end.weekday() == 6
    assert (end - start).days + 1 == 13 * 7
    assert (today - start).days // 7 == 11


def test_the_label_is_gitlab_s_fiscal_quarter_of_the_middle_day():
    assert okr_quarter(dt.date(2026, 11, 18)) == (
        "FY27-Q3",
        dt.date(2026, 8, 31),
        dt.date(2026, 11, 29),
    )
    # GitLab's FY27 runs from 1 February 2026 to 31 January 2027; Q4 is November to January.
    assert okr_quarter(dt.date(2027, 1, 1))[0] == "FY27-Q4"  # middle day 26 November 2026
    assert okr_quarter(dt.date(2027, 2, 20))[0] == "FY27-Q4"  # middle day 14 January 2027
    assert okr_quarter(dt.date(2027, 4, 20))[0] == "FY28-Q1"  # middle day 15 March 2027
