"""Series pages: the plain recurrence form, the preview of the next occurrences, save and edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.models import MeetingSeries

pytestmark = pytest.mark.django_db


def _form(cos, **extra):
    data = {
        "title": "CTO staff meeting",
        "kind": "staff",
        "owner": cos.pk,
        "attendees": [cos.pk],
        "first_start": "2030-03-22T10:00",
        "time_zone": "Europe/London",
        "duration_minutes": 60,
        "freq": "weekly",
        "interval": 1,
        "weekdays": [4],
        "month_week": 1,
        "agenda_template": "Metrics, 10, information\nHiring, 20",
    }
    data.update(extra)
    return data


def test_preview_shows_the_next_occurrences_and_saves_nothing(client, cos):
    client.force_login(cos)
    response = client.post(reverse("cadence:series_preview"), _form(cos), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="occurrences"')
    # 10:00 London before and after the clock change of 31 March 2030.
    assert "Fri 22 Mar 2030, 10:00" in html and "Fri 5 Apr 2030, 10:00" in html
    assert not MeetingSeries.objects.exists()


def test_save_creates_the_series_and_edit_reads_it_back(client, cos):
    client.force_login(cos)
    response = client.post(reverse("cadence:series_create"), {**_form(cos), "save": "1"})
    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert series.rrule == "FREQ=WEEKLY;BYDAY=FR"
    assert series.meetings.first().agenda_items.count() == 2
    page = client.get(reverse("cadence:series_edit", args=[series.pk]))
    assert page.context["form"].initial["weekdays"] == [4]
    response = client.post(
        reverse("cadence:series_edit", args=[series.pk]),
        {**_form(cos, freq="monthly", month_week=-1), "save": "1"},
    )
    series.refresh_from_db()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=-1FR"


def test_bad_recurrence_is_422_with_input_kept(client, cos, lead):
    client.force_login(cos)
    response = client.post(
        reverse("cadence:series_create"), {**_form(cos, weekdays=[]), "save": "1"}
    )
    assert response.status_code == 422 and 'value="CTO staff meeting"' in response.content.decode()
    client.force_login(lead)
    assert client.get(reverse("cadence:series_create")).status_code == 403


def test_saving_a_series_whose_rule_the_form_cannot_show_keeps_its_rule(client, cos):
    client.force_login(cos)
    client.post(reverse("cadence:series_create"), {**_form(cos), "save": "1"})
    series = MeetingSeries.objects.get()
    MeetingSeries.objects.filter(pk=series.pk).update(rrule="FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")
    page = client.get(reverse("cadence:series_edit", args=[series.pk]))
    assert "Repeats now: <strong>Every day on weekdays</strong>" in page.content.decode()
    initial = page.context["form"].initial
    client.post(  # a rename, with the repeat fields as the page showed them
        reverse("cadence:series_edit", args=[series.pk]),
        {
            **_form(cos, title="Renamed"),
            **{name: initial[name] for name in ("freq", "interval", "weekdays", "month_week")},
            "save": "1",
        },
    )
    series.refresh_from_db()
    assert (series.title, series.rrule) == ("Renamed", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")
