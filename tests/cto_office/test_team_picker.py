"""The searchable team picker: ``/teams/search/`` (``cto_office.views.team_search``) and its partial."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cto_office.views import TEAM_PICKER_LIMIT
from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def radios(response) -> list[tuple[str, str, bool]]:
    """``(name, value, checked)`` of each radio in the answer, in order."""
    html = response.content.decode()
    return [
        (name, value, bool(checked))
        for name, value, checked in re.findall(
            r'<input type="radio" name="([^"]*)" value="([^"]*)"( checked)?>', html
        )
    ]


def search(client, **params):
    return client.get(reverse("team_search"), params, HTTP_HX_REQUEST="true")


def test_search_lists_the_teams_whose_name_contains_the_text_by_name(client, staff):
    verify = factories.TeamFactory(name="Verify:Pipeline Execution Backend")
    runner = factories.TeamFactory(name="Verify:Runner")
    factories.TeamFactory(name="Create:Source Code")
    client.force_login(staff)
    response = search(client, team_q="verify", name="team")
    assert response.status_code == 200
    assert radios(response) == [
        ("team", "", True),
        ("team", str(verify.pk), False),
        ("team", str(runner.pk), False),
    ]
    assert "Create:Source Code" not in page_text(response)


def test_the_selected_team_stays_checked_whatever_the_search(client, staff):
    chosen = factories.TeamFactory(name="Gitaly:Cluster")
    other = factories.TeamFactory(name="Gitaly:Git")
    client.force_login(staff)
    response = search(client, team_q="gitaly", name="team", team=str(chosen.pk))
    assert radios(response) == [
        ("team", "", False),
        ("team", str(chosen.pk), True),
        ("team", str(other.pk), False),
    ]
    unrelated = search(client, team_q="nothing like it", name="team", team=str(chosen.pk))
    assert ("team", str(chosen.pk), True) in radios(unrelated)


def test_a_search_with_no_match_says_so(client, staff):
    factories.TeamFactory(name="Plan:Optimize")
    client.force_login(staff)
    response = search(client, team_q="zzz", name="team")
    assert radios(response) == [("team", "", True)]
    assert "No team's name contains “zzz”." in page_text(response)


def test_an_empty_search_lists_no_team(client, staff):
    factories.TeamFactory(name="Plan:Optimize")
    client.force_login(staff)
    response = search(client, team_q="  ", name="team")
    assert radios(response) == [("team", "", True)]
    assert "No team" not in page_text(response)


def test_many_matches_are_capped_and_ask_for_more_of_the_name(
    client, staff, django_assert_max_num_queries
):
    for n in range(TEAM_PICKER_LIMIT + 5):
        factories.TeamFactory(name=f"Infrastructure group {n:02d}")
    client.force_login(staff)
    with django_assert_max_num_queries(5):
        response = search(client, team_q="infrastructure", name="team", team="")
    assert len(radios(response)) == TEAM_PICKER_LIMIT + 1  # and "Any team"
    assert "More teams match: type more of the name." in page_text(response)


def test_the_radios_take_the_fields_name_and_a_bad_name_falls_back(client, staff):
    team = factories.TeamFactory(name="Secure:Composition Analysis")
    client.force_login(staff)
    named = search(client, team_q="secure", name="concerned_team")
    assert ("concerned_team", str(team.pk), False) in radios(named)
    bad = search(client, team_q="secure", name='x" onclick="alert(1)')
    assert {name for name, _, _ in radios(bad)} == {"team"}
    assert "onclick" not in bad.content.decode()


def test_search_needs_login(client):
    response = client.get(reverse("team_search"), {"team_q": "verify"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_included_picker_asks_the_search_view_and_shows_the_choice():
    team = factories.TeamFactory(name="Verify:Runner")
    html = render_to_string("_partials/team_picker.html", {"name": "team", "selected": team})
    assert f'hx-get="{reverse("team_search")}"' in html
    assert 'hx-include="closest fieldset"' in html
    assert f'<input type="radio" name="team" value="{team.pk}" checked>' in html
    assert '<input type="radio" name="team" value="" >' not in html
    assert "<option" not in html
