"""The base layout on a phone (390×844): no page scrolls sideways, the header's links all show.

The issue measured 455–533 px wide pages for the Chief of Staff and the CTO, whose
longer navigation (Briefings, Admin) ran out of the header. Checked for each role on
the pages every role opens: home, the action register, the escalations, a meeting
page and the briefings (a 404 page for a team lead and staff, in the same layout).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# The demo organisation's longest name and titles, so wrapping is tested on real lengths.
LONG_TITLE = "Reduce flaky end-to-end tests owned by the Developer Experience sub-department"


def _people():
    """One user per role, all attending one meeting, with actions and escalations to list."""
    lead_team = factories.TeamFactory(name="Developer Experience sub-department")
    people = {
        "cos": factories.chief_of_staff(
            username="tamsin", first_name="Tamsin", last_name="Okafor-Lindqvist", password=PASSWORD
        ),
        "cto": factories.cto(
            username="niklas",
            first_name="Niklas",
            last_name="Hamann",
            password=PASSWORD,
            is_staff=True,
        ),
        "lead": factories.team_lead(
            team=lead_team,
            username="bruce",
            first_name="Bruce",
            last_name="Velasquez",
            password=PASSWORD,
        ),
        "staff": factories.UserFactory(
            username="rebeca", first_name="Rebeca", last_name="Andrade", password=PASSWORD
        ),
    }
    meeting = factories.MeetingFactory(
        title="CTO staff meeting: architecture, delivery and hiring",
        start=timezone.now() + dt.timedelta(hours=3),
    )
    meeting.attendees.add(*people.values())
    today = timezone.localdate()
    for who in people.values():
        factories.ActionItemFactory(
            owner=who, team=lead_team, title=LONG_TITLE, due_date=today - dt.timedelta(days=44)
        )
        factories.EscalationFactory(
            raised_by=who, team=lead_team, title=f"{LONG_TITLE} will miss the committed date"
        )
    return people, meeting


def _sign_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_every_role_reads_every_page_at_390_px_without_scrolling_sideways(page):
    people, meeting = _people()
    page.set_viewport_size(PHONE)
    pages = {
        "home": reverse("home"),
        "register": reverse("actions:register"),
        "escalations": reverse("actions:escalations"),
        "meeting": reverse("cadence:meeting_detail", args=[meeting.pk]),
        "briefings": reverse("briefings:archive"),
    }
    widths: dict[tuple[str, str], int] = {}
    hidden_links: dict[tuple[str, str], list[str]] = {}
    for role, user in people.items():
        page.context.clear_cookies()
        _sign_in(page, user.username)
        for name, url in pages.items():
            response = page.goto(url)
            expected = 404 if name == "briefings" and role in ("lead", "staff") else 200
            assert response.status == expected, (role, name)
            widths[(role, name)] = page.evaluate("document.documentElement.scrollWidth")
            # Every header link lies inside the viewport (none pushed off to the right).
            hidden_links[(role, name)] = page.eval_on_selector_all(
                "header a, header button",
                "els => els.filter(e => { const r = e.getBoundingClientRect();"
                " return r.width === 0 || r.left < 0 || r.right > innerWidth; })"
                ".map(e => e.textContent.trim())",
            )
        # The office's longer navigation is all there and readable.
        nav = page.inner_text("header nav")
        if role in ("cos", "cto"):
            assert "Briefings" in nav and "Admin" in nav
    too_wide = {key: width for key, width in widths.items() if width > PHONE["width"]}
    assert too_wide == {}
    assert {key: links for key, links in hidden_links.items() if links} == {}
    assert [m for m in page.console_messages if "Content Security Policy" in m] == []


def test_a_404_on_an_htmx_request_shows_a_message_in_the_message_region(page):
    people, _ = _people()
    hidden = factories.EscalationFactory(confidential=True, title="Attrition risk")
    page.set_viewport_size(PHONE)
    _sign_in(page, people["staff"].username)
    page.goto(reverse("actions:register"))
    rows_before = page.inner_html("#action-rows")
    url = reverse("actions:escalation_detail", args=[hidden.pk])
    # An htmx GET aimed at the register's rows: the 404 must not blank or replace them.
    page.evaluate("url => htmx.ajax('GET', url, {target: '#action-rows', swap: 'outerHTML'})", url)
    message = page.wait_for_selector("#messages li.message-error")
    assert message.inner_text() == "That item no longer exists, or you cannot see it."
    assert message.get_attribute("role") == "alert"
    assert page.inner_html("#action-rows") == rows_before
    assert "Attrition risk" not in page.content()
