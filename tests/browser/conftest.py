"""The browser tests' shared fixture: Debian's Chromium driven by Playwright for Python."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connections

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


@pytest.fixture
def page(live_server, monkeypatch) -> Iterator:
    """A Chromium page on the live server (Playwright's default 1280×720 window), with the
    console messages it logged in ``page.console_messages``."""
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
