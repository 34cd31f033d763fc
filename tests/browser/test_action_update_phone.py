"""A team lead, on a 390 px wide phone, moves an action's due date with a reason, in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_team_lead_on_a_phone_moves_a_due_date_with_a_reason(page):
    lead = factories.team_lead(username="lead", password=PASSWORD)
    team = lead.led_teams.get()
    member = factories.UserFactory()
    due = timezone.localdate() - dt.timedelta(days=2)
    action = factories.ActionItemFactory(
        owner=member, team=team, title="Renew the TLS certs", due_date=due
    )
    factories.ActionItemFactory(title="Someone else's")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/accounts/login/?next=/actions/")
    page.fill("input[name=username]", "lead")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/actions/")
    page.click("text=My team's actions")
    page.wait_for_url("**owner=teams**")
    assert page.inner_text("#count-overdue") == "1"
    page.evaluate("window.notReloaded = true")

    row = page.locator(f"#action-{action.pk}")
    row.locator("summary").click()
    later = due + dt.timedelta(days=14)
    row.locator("input[name=due_date]").fill(later.isoformat())
    # Without a reason: refused, the date kept.
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#action-{action.pk} >> text=needs a reason")
    row = page.locator(f"#action-{action.pk}")
    assert row.locator("input[name=due_date]").input_value() == later.isoformat()
    row.locator("input[name=reason]").fill("Waiting for the new CA contract")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#action-{action.pk} >> text=Saved.")
    assert page.inner_text("#count-overdue") == "0"  # the header counts, out of band
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no reload
    # Nothing wider than the phone: no zooming or sideways scrolling needed.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    action.refresh_from_db()
    assert action.due_date == later and action.version == 2
    update = action.updates.get()
    assert (update.author, update.reason) == (lead, "Waiting for the new CA contract")
