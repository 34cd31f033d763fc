"""Pages show times in the office's time zone, not the server's."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests import factories


def test_meeting_times_are_shown_in_the_office_time_zone(client, cos, office_in):
    office_in("America/New_York")  # the server stays in Europe/London
    meeting = factories.MeetingFactory(
        title="Board prep",
        start=dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC),  # 11:00 in New York (EDT)
        end=dt.datetime(2026, 3, 12, 16, 0, tzinfo=dt.UTC),
    )
    client.force_login(cos)

    page = client.get(reverse("cadence:meeting_detail", args=[meeting.pk])).content.decode()

    assert "Thursday 12 March 2026, 11:00–12:00" in page
    assert "15:00" not in page
