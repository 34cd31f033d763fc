"""The Chief of Staff triages by keyboard only, in Chromium: route, raise to the CTO, convert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from actions import services
from actions.models import Escalation
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_cos_triages_three_escalations_by_keyboard_and_finds_the_raised_one_on_the_agenda(page):
    cos = factories.chief_of_staff(username="chief", password=PASSWORD)
    factories.UserFactory(username="rui", first_name="Rui", last_name="Costa")
    series = factories.MeetingSeriesFactory()
    factories.OfficeSettingsFactory(cto_staff_series=series)
    meeting = factories.MeetingFactory(
        series=series, title="CTO staff meeting", start=timezone.now() + dt.timedelta(days=2)
    )
    raiser = factories.UserFactory()
    titles = ["Vendor contract lapses", "Budget for GPUs", "Flaky deploys"]
    escalations = [
        services.escalation_raise(by=raiser, title=title, category="delivery") for title in titles
    ]
    # Newest first: the rows are Flaky deploys, Budget for GPUs, Vendor contract lapses.
    flaky, budget, vendor = escalations[2], escalations[1], escalations[0]

    page.goto("/accounts/login/?next=/escalations/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/escalations/")
    assert page.inner_text("#count-new") == "3"
    page.evaluate("window.notReloaded = true")

    def row_state(escalation: Escalation, label: str) -> None:
        page.wait_for_selector(f"#esc-row-{escalation.pk} >> text={label}")

    # Route the first: j, r, type the person, Enter.
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector("#panel input[name=to]:focus")
    page.keyboard.type("rui")
    page.keyboard.press("Enter")
    row_state(flaky, "Routed")
    assert page.inner_text("#count-new") == "2"

    # Raise the second to the CTO: j, a, a note, Ctrl+Enter.
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector("#panel textarea[name=note]:focus")
    page.keyboard.type("Needs a budget decision")
    page.keyboard.press("Control+Enter")
    row_state(budget, "Raised to CTO")
    assert page.inner_text("#count-raised") == "1"

    # Convert the third to an action: j, c, the owner, Enter (due date preset).
    page.keyboard.press("j")
    page.keyboard.press("c")
    page.wait_for_selector("#panel input[name=owner]:focus")
    page.keyboard.type("rui")
    page.keyboard.press("Enter")
    row_state(vendor, "Routed")
    assert page.inner_text("#count-new") == "0"
    assert page.evaluate("window.notReloaded") is True  # counters changed without a reload

    vendor.refresh_from_db()
    assert vendor.actions.get().owner.username == "rui"
    assert Escalation.objects.get(pk=flaky.pk).routed_to.username == "rui"
    assert cos.pk  # the CoS did all of it

    page.goto(f"/meetings/{meeting.pk}/")
    assert f"{budget.key}: Budget for GPUs" in page.inner_text("main")
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []


def test_the_slower_of_two_sees_the_conflict_in_place_and_the_current_row(page):
    factories.chief_of_staff(username="chief", password=PASSWORD)
    other = factories.chief_of_staff(first_name="Ada", last_name="Lovelace")
    escalation = services.escalation_raise(
        by=factories.UserFactory(), title="Flaky deploys", category="delivery"
    )
    page.goto("/accounts/login/?next=/escalations/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/escalations/")

    page.keyboard.press("j")
    page.keyboard.press("x")
    page.wait_for_selector("#panel textarea[name=note]:focus")
    services.escalation_decline(escalation=escalation, by=other, reason="Not ours")
    page.keyboard.type("Fixed it")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#panel >> text=Ada Lovelace declined")
    assert page.input_value("#panel textarea[name=note]") == "Fixed it"
    page.wait_for_selector(f"#esc-row-{escalation.pk} >> text=Declined")


def test_a_click_on_a_row_selects_it_and_the_triage_bar_acts_on_it(page):
    factories.chief_of_staff(username="chief", password=PASSWORD)
    older = services.escalation_raise(
        by=factories.UserFactory(), title="Vendor contract lapses", category="delivery"
    )
    services.escalation_raise(
        by=factories.UserFactory(), title="Flaky deploys", category="delivery"
    )
    page.goto("/accounts/login/?next=/escalations/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/escalations/")
    assert page.is_disabled("#triage-bar button[data-verb=resolve]")  # nothing selected yet

    page.click(f"#esc-row-{older.pk} td:nth-child(5)")  # the team cell: not a link
    assert page.inner_text("#triage-bar-label").startswith(f"{older.key} Vendor contract lapses")
    page.click("#triage-bar button[data-verb=resolve]")
    page.wait_for_selector("#panel textarea[name=note]")
    page.fill("#panel textarea[name=note]", "Renewed for a year")
    page.click("#panel button[type=submit]")
    page.wait_for_selector(f"#esc-row-{older.pk} >> text=Resolved")
    assert Escalation.objects.get(pk=older.pk).state == Escalation.State.RESOLVED
