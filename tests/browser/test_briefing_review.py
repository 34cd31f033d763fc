"""The weekly ritual in a real browser: the CoS annotates and publishes, the CTO gets the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from actions.models import ActionItem
from briefings.models import KeyResult
from briefings.selectors import briefing_default_week
from briefings.services import briefing_generate
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def flagged_key_result() -> KeyResult:
    """A key result with no check-in in a quarter two months old: quietly behind this week."""
    today = dt.date.today()
    team = factories.TeamFactory(name="Verify")
    factories.team_lead(team=team)
    objective = factories.ObjectiveFactory(
        team=team,
        period_start=today - dt.timedelta(days=60),
        period_end=today + dt.timedelta(days=30),
    )
    return factories.KeyResultFactory(
        objective=objective, title="Cut CI wait to 5 minutes", current_value=0, owner=team.lead
    )


def test_cos_annotates_and_publishes_and_the_cto_downloads_the_pdf(page, smtp_sink, tmp_path):
    factories.chief_of_staff(username="chief", password=PASSWORD)
    factories.cto(username="cto", email="cto@example.com", password=PASSWORD)
    factories.ActionItemFactory()
    key_result = flagged_key_result()
    week = briefing_default_week()
    briefing = briefing_generate(iso_year=week.year, iso_week=week.week)

    sign_in(page, "chief")
    page.goto(f"/briefings/{briefing.label}/")
    page.fill("textarea[name=commentary]", "Look at **hiring** in Verify before Tuesday.")
    page.click("text=Save commentary")
    # Swapped in without a reload: the form says so and the preview shows it.
    page.wait_for_selector("#briefing-commentary-form >> text=Saved")
    assert "Look at hiring in Verify" in page.inner_text("#briefing-commentary")
    assert page.inner_html("#briefing-commentary strong") == "hiring"

    # "Make this an action" on the quietly-behind key result: one click, swapped in place.
    page.click("#okrs tr:has-text('Cut CI wait') >> text=Make this an action")
    page.wait_for_selector("#okrs >> text=Action made")
    assert ActionItem.objects.filter(owner=key_result.owner, title__contains="Cut CI wait").exists()

    page.click("text=Publish and e-mail to the CTO")
    page.wait_for_selector("#briefing-status >> text=Published")
    assert "cto@example.com" in page.inner_text("#briefing-status")
    [mail] = smtp_sink.to("cto@example.com")
    assert "Look at **hiring**" in smtp_sink.parts(mail)[0]

    cto_context = page.context.browser.new_context(
        accept_downloads=True, base_url=page.url.split("/briefings/")[0]
    )
    cto_page = cto_context.new_page()
    sign_in(cto_page, "cto")
    cto_page.goto(f"/briefings/{briefing.label}/")
    with cto_page.expect_download() as download_info:
        cto_page.click("main >> a.button:has-text('Download PDF')")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    cover = PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text()
    assert "Look at hiring in Verify before Tuesday." in cover
    cto_context.close()

    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []


@pytest.mark.parametrize("path", ["/briefings/", "/briefings/check-ins/", "/briefings/{label}/"])
def test_briefing_pages_fit_a_390px_phone(page, path):
    factories.chief_of_staff(username="chief", password=PASSWORD)
    flagged_key_result()  # its row carries a "Make this an action" button
    week = briefing_default_week()
    briefing = briefing_generate(iso_year=week.year, iso_week=week.week)
    sign_in(page, "chief")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(path.format(label=briefing.label))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
