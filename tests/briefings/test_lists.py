"""The PDF shows the top of each long list; the browser and the CSV have them all (briefings.lists)."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from briefings.lists import FULL_LISTS, PDF_TOP, briefing_lists_csv
from briefings.models import Briefing
from briefings.services import briefing_generate
from tests.briefings import dataset
from tests.briefings.test_services import pdf_text

TEAMS = 18  # dataset.build(scale=3): more teams than the PDF's tables show


@pytest.fixture
def big(db) -> Briefing:
    dataset.build(scale=3)
    return briefing_generate(
        iso_year=dataset.WEEK[0], iso_week=dataset.WEEK[1], today=dataset.TODAY
    )


def test_the_pdf_shows_the_top_rows_and_links_the_full_lists(big):
    shown = PDF_TOP["teams"]
    _, text = pdf_text(big)
    note = f"{shown} of {TEAMS} shown; all {TEAMS} in the browser view and in"
    # Key results, overdue actions, tech debt and headcount per team.
    assert text.count(note) == 4
    csv_url = settings.SITE_URL + reverse("briefings:lists_csv", args=[2025, 47])
    assert f'href="{csv_url}"' in big.html


def test_the_browser_view_shows_every_row(client, cos, big):
    client.force_login(cos)
    html = client.get(reverse("briefings:detail", args=[2025, 47])).content.decode()
    assert " shown; all " not in html
    for team in big.snapshot["tech_debt"]["teams"]:
        assert team["team"] in html


def test_the_csv_holds_every_full_list(client, cto, big):
    client.force_login(cto)
    response = client.get(reverse("briefings:lists_csv", args=[2025, 47]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cto-briefing-2025-W47-lists.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    titles = [title for title, _, _ in FULL_LISTS.values()]
    assert [r[0] for r in rows if r and r[0] in titles] == titles
    debt = rows.index(["Tech debt per team"])
    assert rows[debt + 1][:2] == ["team", "date"]
    assert len(rows[debt + 2 : rows.index([], debt)]) == TEAMS


def test_an_empty_list_keeps_its_block():
    text = briefing_lists_csv({"week": {"label": "2025-W47"}})
    assert text.count("(none)") == len(FULL_LISTS)


def test_a_briefing_without_data_has_no_csv(client, cos, db):
    Briefing.objects.create(iso_year=2025, iso_week=47)
    client.force_login(cos)
    assert client.get(reverse("briefings:lists_csv", args=[2025, 47])).status_code == 404


def test_each_tech_debt_row_has_its_sparkline(big):
    rows = big.snapshot["tech_debt"]["teams"]
    assert all(len(row["trend"]) >= 2 for row in rows)
    assert big.html.count('class="sparkline"') == PDF_TOP["teams"]
