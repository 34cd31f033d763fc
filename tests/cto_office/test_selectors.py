"""The office's settings and clock (``cto_office.selectors``)."""

from __future__ import annotations

import datetime as dt

import pytest

from cto_office.clock import office_now, office_settings, office_today
from cto_office.models import OfficeSettings

pytestmark = pytest.mark.django_db


def test_office_settings_without_a_row_are_the_defaults_and_nothing_is_written(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        office = office_settings()
    assert office.time_zone == "Europe/London"
    assert not OfficeSettings.objects.exists()


@pytest.mark.parametrize(
    ("time_zone", "today"),
    [("Pacific/Auckland", dt.date(2026, 3, 11)), ("Europe/London", dt.date(2026, 3, 10))],
)
def test_office_today_is_the_date_in_the_office_time_zone(office_in, time_zone, today):
    instant = office_in(time_zone)  # the server's time zone stays Europe/London
    assert office_today() == office_today(instant) == today
    local = office_now()
    assert local == instant and str(local.tzinfo) == time_zone
