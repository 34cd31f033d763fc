"""The Chief of Staff runs a meeting in a real browser: agenda from a template, keyboard
and drag-and-drop reorder, publish, live capture of a decision and an action with the
item's timer running, minutes published and mailed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actions.models import ActionItem
from cadence.models import Meeting
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_of_staff_runs_a_meeting_from_agenda_to_minutes(page, smtp_sink):
    cos = factories.chief_of_staff(
        username="chief", first_name="Tamsin", last_name="Okafor", password=PASSWORD
    )
    lead = factories.team_lead(username="lead", first_name="Bruce", last_name="Velasquez")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    # Build the agenda from a template on the one-off meeting form.
    page.goto("/meetings/new/")
    page.fill("input[name=title]", "Platform staff meeting")
    page.fill("input[name=start]", "2030-01-07T10:00")
    page.fill("input[name=duration_minutes]", "45")
    page.select_option("select[name=attendees]", [str(cos.pk), str(lead.pk)])
    page.fill(
        "textarea[name=agenda_template]",
        "Context, 10, information\nVendor choice, 20, decision\nHiring plan, 10",
    )
    page.click("button:has-text('Schedule meeting')")
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get(title="Platform staff meeting")
    titles = page.locator("#agenda-list .agenda-title")
    expect(titles).to_have_text(["Context", "Vendor choice", "Hiring plan"])
    expect(page.locator("#agenda-total")).to_have_text("40 of 45 min planned")

    # Reorder by keyboard: focus "Move down" on the first item and press Enter.
    page.focus("button[aria-label='Move “Context” down']")
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Vendor choice", "Context", "Hiring plan"])
    # Drag and drop posts the same move (meeting.js, after htmx).
    rows = page.locator("#agenda-list .agenda-row")
    rows.nth(2).drag_to(rows.nth(0))
    expect(titles).to_have_text(["Hiring plan", "Vendor choice", "Context"])

    page.click("button:has-text('Publish agenda')")
    expect(page.locator("#meeting-state")).to_have_text("Agenda published")
    page.click("button:has-text('Start meeting (live mode)')")
    expect(page.locator("#meeting-state")).to_have_text("Live")
    timer = page.locator(".agenda-row.is-running [role=timer]")
    expect(timer).to_be_visible()
    expect(timer).not_to_have_text("0:00", timeout=3000)  # the timer ticks in the browser

    page.fill("#decision-form input[name=summary]", "Go with vendor B")
    page.select_option("#decision-form select[name=decided_by]", str(lead.pk))
    page.click("#decision-form button:has-text('Record decision')")
    expect(page.locator("#decisions")).to_contain_text("Go with vendor B")

    page.fill("#action-form input[name=title]", "Sign the vendor B contract")
    page.select_option("#action-form select[name=owner]", str(lead.pk))
    page.fill("#action-form input[name=due_date]", "2030-01-21")
    page.click("#action-form button:has-text('Add action')")
    expect(page.locator("#actions")).to_contain_text("Sign the vendor B contract")
    action = ActionItem.objects.get(title="Sign the vendor B contract")
    expect(page.locator("#actions")).to_contain_text(action.key)

    page.click("button:has-text('End meeting')")
    expect(page.locator("#meeting-state")).to_have_text("Held")
    page.fill("textarea[name=minutes]", "We chose **vendor B**.")
    page.click("button:has-text('Save minutes')")
    expect(page.locator("#minutes .markdown strong")).to_have_text("vendor B")
    page.click("button:has-text('Publish minutes')")
    expect(page.locator("#meeting-state")).to_have_text("Minutes published")

    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_PUBLISHED
    assert [d.summary for d in meeting.decisions.all()] == ["Go with vendor B"]
    assert action.source_meeting_id == meeting.pk and action.owner == lead
    [recap] = [m for m in smtp_sink.to(lead.email) if "Minutes:" in str(m["Subject"])]
    text, _html = smtp_sink.parts(recap)
    assert "Go with vendor B" in text and action.key in text
    assert [m for m in page.console_messages if "Content Security Policy" in m] == []
    assert errors == []
