"""``seed_demo --scale large``: the grown organisation (``demo.large``) and a year of activity."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zoneinfo
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.models import ActionItem, Escalation
from briefings.models import KeyResultCheckIn, Objective
from cadence.models import Meeting, MeetingSeries
from cto_office.demo.context import LARGE, SETTLED_AFTER
from cto_office.demo.large.organisation import TEAM_SIZE, scale_organisation
from cto_office.demo.loader import demo_login_people, load_data
from cto_office.demo.seed import demo_data, seed_demo
from cto_office.models import Team

NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))

#: LARGE with fewer rows, so the test runs in seconds: every code path of the large scale.
TRIMMED = dataclasses.replace(
    LARGE,
    escalations=300,
    actions=3000,
    imported_actions=100,
    meetings_back=16 * dt.timedelta(weeks=1),
)


@pytest.fixture(scope="module")
def grown() -> dict:
    return scale_organisation(load_data())


def test_the_grown_organisation_has_about_2000_people_in_150_to_250_teams(grown):
    assert 150 <= len(grown["teams"]) <= 250
    assert 1_900 <= len(grown["people"]) <= 2_200


def test_the_original_organisation_and_demo_logins_are_kept(grown):
    data = load_data()
    assert grown["teams"][: len(data["teams"])] == data["teams"]
    assert grown["people"][: len(data["people"])] == data["people"]
    assert demo_login_people(grown) == demo_login_people(data)
    assert load_data() == data  # not mutated


def test_new_people_have_fresh_names_never_numbered_clones(grown):
    people = grown["people"]
    assert len({p["username"] for p in people}) == len(people)
    assert len({(p["first_name"], p["last_name"]) for p in people}) == len(people)
    assert not [p for p in people if re.search(r"\d", p["first_name"] + p["last_name"])]
    firsts = {p["first_name"] for p in load_data()["people"]}
    assert {p["first_name"] for p in people} == firsts  # the pseudonyms' own names


def test_every_new_team_has_a_manager_reporting_to_the_split_teams_lead(grown):
    data = load_data()
    old = {t["slug"]: t for t in data["teams"]}
    people = {p["id"]: p for p in grown["people"]}
    new_teams = [t for t in grown["teams"] if t["slug"] not in old]
    sizes = Counter(p["team"] for p in grown["people"])
    for team in new_teams:
        parent = old[team["parent"]]
        assert parent["level"] == "team" and team["function"] == parent["function"]
        manager = people[team["lead"]]
        assert manager["team"] == team["slug"] and "Manager" in manager["title"]
        assert manager["manager"] in (parent["lead"], *[t["lead"] for t in data["teams"]])
        assert TEAM_SIZE[0] + 1 <= sizes[team["slug"]] <= TEAM_SIZE[1] + 1
    assert {p["manager"] for p in grown["people"] if p["team"] == new_teams[0]["slug"]} >= {
        new_teams[0]["lead"]
    }


def test_a_large_seed_builds_the_organisation_and_a_year_of_activity(db):
    report = seed_demo(now=NOW, scale=TRIMMED)
    assert report.created
    data = demo_data(LARGE)
    assert Team.objects.count() == len(data["teams"])
    assert get_user_model().objects.count() == len(data["people"]) + 1  # and the Chief of Staff
    # The office's five series and three per reporting unit.
    assert MeetingSeries.objects.filter(title__endswith="leadership meeting").count() >= 10
    assert Meeting.objects.filter(start__lt=NOW - 15 * dt.timedelta(weeks=1)).exists()
    assert ActionItem.objects.count() == TRIMMED.actions
    assert Escalation.objects.count() == TRIMMED.escalations
    # Four OKR quarters, each with its weekly check-ins.
    assert len(set(Objective.objects.values_list("quarter", flat=True))) == 4
    assert KeyResultCheckIn.objects.filter(date__lt=NOW.date() - dt.timedelta(weeks=40)).exists()
    # What is long past is settled: old escalations closed, old actions nearly all closed.
    old = Escalation.objects.filter(created_at__lt=NOW - SETTLED_AFTER)
    assert old.exists()
    assert not old.exclude(state__in=["resolved", "declined"]).exists()
    long_due = ActionItem.objects.filter(due_date__lt=NOW.date() - SETTLED_AFTER)
    assert long_due.filter(status__in=ActionItem.OPEN_STATUSES).count() < long_due.count() * 0.1


def test_the_command_takes_a_scale(db, monkeypatch):
    seen = []
    monkeypatch.setattr(
        "cto_office.management.commands.seed_demo.seed_demo",
        lambda scale: seen.append(scale) or seed_demo(now=NOW, scale=TRIMMED),
    )
    out = io.StringIO()
    call_command("seed_demo", "--scale", "large", stdout=out)
    assert seen == [LARGE]
    assert "Seeded the demo organisation" in out.getvalue()
