"""A real browser: Debian's Chromium driven by Playwright for Python against the live server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from briefings.services import briefing_generate
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_chief_of_staff_signs_in_opens_the_briefing_and_downloads_the_pdf(page, tmp_path):
    factories.chief_of_staff(
        username="chief", first_name="Tamsin", last_name="Okafor", password=PASSWORD
    )
    team = factories.TeamFactory(name="Verify:Pipeline Execution")
    overdue = factories.ActionItemFactory(
        team=team, due_date=timezone.localdate() - dt.timedelta(days=5)
    )
    iso = timezone.localdate().isocalendar()
    briefing = briefing_generate(iso_year=iso.year, iso_week=iso.week)

    page.goto("/")
    assert "/accounts/login/" in page.url  # everything needs login
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.click("nav >> text=Briefings")
    page.click(f"text={briefing.label}")
    page.wait_for_url(f"**/briefings/{briefing.label}/")
    assert overdue.key in page.inner_text("main")

    with page.expect_download() as download_info:
        page.click("main >> a.button:has-text('Download PDF')")
    download = download_info.value
    assert download.suggested_filename == f"cto-briefing-{briefing.label}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
    assert saved.stat().st_size == briefing.pdf.size

    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []
