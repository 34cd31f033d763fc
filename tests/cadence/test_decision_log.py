"""The decision log: access-scoped, searchable (full-text on PostgreSQL), CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(staff):
    mine = factories.MeetingFactory(title="Platform staff meeting", minutes="We discussed vendors.")
    mine.attendees.add(staff)
    other = factories.MeetingFactory(title="Board prep")
    factories.DecisionFactory(meeting=mine, summary="Adopt the new deployment pipeline")
    factories.DecisionFactory(meeting=mine, summary="Freeze hiring", rationale="Budget is tight")
    factories.DecisionFactory(meeting=other, summary="Secret acquisition")


def test_staff_sees_and_searches_only_their_meetings_decisions(client, staff, decisions):
    client.force_login(staff)
    html = client.get(reverse("cadence:decision_log")).content.decode()
    assert "Freeze hiring" in html and "Secret acquisition" not in html
    html = client.get(reverse("cadence:decision_log"), {"q": "pipelines"}).content.decode()
    assert "Adopt the new deployment pipeline" in html and "Freeze hiring" not in html
    html = client.get(reverse("cadence:decision_log"), {"q": "budget"}).content.decode()
    assert "Freeze hiring" in html
    html = client.get(
        reverse("cadence:decision_log"), {"q": "acquisition"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert html.lstrip().startswith('<div id="decision-rows"') and "No decision matches" in html


def test_csv_export_follows_search_and_access(client, staff, cos, decisions):
    client.force_login(staff)
    response = client.get(reverse("cadence:decision_log_csv"), {"q": "hiring"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["decided_on", "summary"]
    assert [r[1] for r in rows[1:]] == ["Freeze hiring"]
    client.force_login(cos)
    response = client.get(reverse("cadence:decision_log_csv"))
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) == 4


def test_csv_export_defuses_spreadsheet_formulas(client, cos):
    factories.DecisionFactory(summary='=HYPERLINK("http://evil.example","Click")', rationale="-1+2")
    client.force_login(cos)
    response = client.get(reverse("cadence:decision_log_csv"))
    [_header, row] = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert row[1] == '\'=HYPERLINK("http://evil.example","Click")' and row[2] == "'-1+2"


def test_decision_log_query_count_is_fixed(client, cos, django_assert_max_num_queries):
    for _ in range(30):
        factories.DecisionFactory(decided_by=factories.UserFactory())
    client.force_login(cos)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("cadence:decision_log")).status_code == 200


def test_meeting_search_finds_agenda_items_decisions_and_minutes_the_user_may_see(client, staff):
    mine = factories.MeetingFactory(title="Guild sync", minutes="Talked about observability.")
    mine.attendees.add(staff)
    factories.AgendaItemFactory(meeting=mine, title="Kubernetes upgrade")
    factories.AgendaItemFactory(meeting=mine, title="Budget")
    factories.DecisionFactory(meeting=mine, summary="Retire the Jenkins servers")
    factories.DecisionFactory(meeting=mine, summary="Hire two SREs")
    factories.MeetingFactory(title="Kubernetes board prep")
    client.force_login(staff)
    html = client.get(reverse("cadence:meetings"), {"q": "kubernetes"}).content.decode()
    assert "Guild sync" in html and "board prep" not in html
    html = client.get(reverse("cadence:meetings"), {"q": "observability"}).content.decode()
    assert "Guild sync" in html
    html = client.get(reverse("cadence:meetings"), {"q": "jenkins"}).content.decode()
    assert "Guild sync" in html and html.count("Guild sync") == 1
    html = client.get(reverse("cadence:meetings"), {"q": "nothing-like-this"}).content.decode()
    assert "No meeting matches" in html
