""" "Make this an action" from a key result or a team in the briefing view (briefings.services.make_action)."""

import pytest
from django.urls import reverse

from actions.models import ActionItem
from briefings.models import Briefing
from briefings.services import briefing_generate
from briefings.services.make_action import ACTION_DUE_IN
from cto_office.clock import office_today
from tests import factories
from tests.briefings import dataset

URL = reverse("briefings:make_action", args=dataset.WEEK)
DETAIL = reverse("briefings:detail", args=dataset.WEEK)


def made():
    """Actions made from the briefing (the dataset has others)."""
    return ActionItem.objects.filter(description__startswith="From the weekly CTO briefing")


@pytest.fixture
def generated(week_data) -> Briefing:
    return briefing_generate(
        iso_year=dataset.WEEK[0], iso_week=dataset.WEEK[1], today=dataset.TODAY
    )


def test_cos_makes_an_owned_action_of_a_quietly_behind_key_result_in_one_click(
    client, cos, week_data, generated
):
    key_result = week_data.behind[0]
    client.force_login(cos)
    response = client.post(URL, {"key_result": key_result.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 201
    action = made().get()
    assert action.owner == key_result.owner and action.team == key_result.team
    assert action.created_by == cos
    assert action.due_date == office_today() + ACTION_DUE_IN
    assert key_result.title in action.title
    assert "2025-W47" in action.description and "pts behind" in action.description
    html = response.content.decode()
    assert "Action made" in html and action.key in html


def test_a_second_click_finds_the_open_action(client, cos, week_data, generated):
    key_result = week_data.behind[0]
    client.force_login(cos)
    client.post(URL, {"key_result": key_result.pk}, HTTP_HX_REQUEST="true")
    response = client.post(URL, {"key_result": key_result.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Already open" in response.content.decode()
    assert made().count() == 1


def test_a_team_becomes_an_action_for_its_lead(client, cos, week_data, generated):
    team = week_data.teams[0]
    client.force_login(cos)
    response = client.post(URL, {"team": team.pk})
    assert response.status_code == 302 and response["Location"] == DETAIL
    action = made().get()
    assert action.owner == team.lead and team.name in action.title


def test_nobody_to_own_it_is_422_with_the_reason(client, cos, generated):
    team = factories.TeamFactory(name="Leaderless", lead=None)
    client.force_login(cos)
    response = client.post(URL, {"team": team.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Leaderless has no lead" in response.content.decode()
    response = client.post(URL, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert not made().exists()


def test_the_buttons_are_in_the_cos_preview_only(client, cos, cto, generated):
    client.force_login(cos)
    assert "Make this an action" in client.get(DETAIL).content.decode()
    client.force_login(cto)
    assert "Make this an action" not in client.get(DETAIL).content.decode()
    assert "Make this an action" not in generated.html  # the PDF's document


def test_the_cto_may_not_make_actions(client, cto, week_data, generated):
    client.force_login(cto)
    response = client.post(URL, {"key_result": week_data.behind[0].pk})
    assert response.status_code == 403
    assert not made().exists()
