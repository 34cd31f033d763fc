"""A real browser: Debian's Chromium driven by Playwright for Python against the live server."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
from django.db import connections
from django.utils import timezone

from briefings.services import briefing_generate
from tests import factories
from tests.conftest import require_service

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"
# Without the background-networking flags Chromium keeps dialling out, which this
# machine's closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, monkeypatch) -> Iterator:
    require_service("Chromium", os.access(CHROMIUM, os.X_OK), "apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls
    # made by the test itself are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, base_url=live_server.url)
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
        page.console_messages = messages
        yield page
        context.close()
        browser.close()
        # Inside sync_playwright the test's ORM calls run in another context
        # (Playwright's greenlet), so they get a connection of their own that
        # pytest-django never sees; close it or the test database cannot be dropped.
        connections.close_all()


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
