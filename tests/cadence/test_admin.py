"""Admin for the cadence: every page opens, lists run a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.models import MeetingSeries
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadence_rows():
    series = factories.MeetingSeriesFactory()
    meeting = factories.MeetingFactory(series=series)
    meeting.attendees.add(*[factories.UserFactory() for _ in range(3)])
    item = factories.AgendaItemFactory(meeting=meeting)
    pre_read = factories.PreReadFactory(meeting=meeting, agenda_item=item)
    factories.PreReadAcknowledgementFactory(pre_read=pre_read)
    factories.DecisionFactory(meeting=meeting, agenda_item=item)
    return meeting


@pytest.mark.parametrize(
    "model",
    ["meetingseries", "meeting", "agendaitem", "preread", "prereadacknowledgement", "decision"],
)
def test_cadence_admin_pages_open(client, cos, cadence_rows, model):
    client.force_login(cos)
    changelist = client.get(reverse(f"admin:cadence_{model}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:cadence_{model}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:cadence_{model}_add")).status_code == 200


def test_meeting_admin_shows_agenda_and_pre_read_inlines(client, cos, cadence_rows):
    client.force_login(cos)
    html = client.get(
        reverse("admin:cadence_meeting_change", args=[cadence_rows.pk])
    ).content.decode()
    assert 'name="agenda_items-0-title"' in html
    assert 'name="pre_reads-0-title"' in html


def test_meeting_admin_changelist_counts_attendees_without_a_query_per_row(
    client, cos, django_assert_max_num_queries
):
    people = [factories.UserFactory() for _ in range(5)]
    for _ in range(30):
        factories.MeetingFactory(series=None).attendees.add(*people)
    client.force_login(cos)
    # +1: the office's time zone, read by OfficeTimeZoneMiddleware
    with django_assert_max_num_queries(13):
        response = client.get(reverse("admin:cadence_meeting_changelist"))
    assert [m.attendee_total for m in response.context["cl"].result_list] == [5] * 30


def test_pre_read_admin_shows_acknowledgements(client, cos, cadence_rows):
    pre_read = cadence_rows.pre_reads.get()
    client.force_login(cos)
    html = client.get(reverse("admin:cadence_preread_change", args=[pre_read.pk])).content.decode()
    assert 'name="acknowledgements-0-user"' in html


def test_admin_moves_meeting_state_only_through_the_services(client, cos, cadence_rows):
    client.force_login(cos)
    draft_without_agenda = factories.MeetingFactory()
    url = reverse("admin:cadence_meeting_changelist")
    response = client.post(
        url,
        {
            "action": "publish_agenda",
            "_selected_action": [cadence_rows.pk, draft_without_agenda.pk],
        },
        follow=True,
    )
    cadence_rows.refresh_from_db()
    draft_without_agenda.refresh_from_db()
    assert cadence_rows.state == "agenda_published"
    assert draft_without_agenda.state == "draft"
    assert "Add at least one agenda item" in response.content.decode()
    html = client.get(reverse("admin:cadence_meeting_change", args=[cadence_rows.pk])).content
    assert b'name="state"' not in html


def test_series_saved_in_admin_gets_its_meetings(client, cos):
    client.force_login(cos)
    response = client.post(
        reverse("admin:cadence_meetingseries_add"),
        {
            "title": "Admin series",
            "kind": "staff",
            "owner": cos.pk,
            "default_attendees": [cos.pk],
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "time_zone": "Europe/London",
            "first_start_0": "2030-01-01",
            "first_start_1": "10:00:00",
            "duration_minutes": 30,
            "agenda_template": "[]",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    series = MeetingSeries.objects.get(title="Admin series")
    assert series.meetings.count() == 13
    assert list(series.meetings.first().attendees.all()) == [cos]
