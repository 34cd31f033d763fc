"""Escalation pages: raising, the inbox's transitions (htmx and plain), bulk, denied cases,
"My escalations", "Raised to me", and their query ceilings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Escalation
from tests import factories

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _url(escalation: Escalation, verb: str) -> str:
    return reverse("actions:escalation_transition", args=[escalation.pk, verb])


def _raise(by, **kwargs) -> Escalation:
    return services.escalation_raise(
        by=by, **{"title": "Flaky deploys", "category": "delivery", **kwargs}
    )


def test_anyone_signed_in_raises_an_escalation(client, staff):
    client.force_login(staff)
    page = client.get(reverse("actions:escalation_raise"))
    assert page.status_code == 200 and "triaged within 4 h" in _text(page)
    response = client.post(
        reverse("actions:escalation_raise"),
        {"title": "Build farm", "category": "incident", "severity": "high", "confidential": "on"},
    )
    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:escalation_detail", args=[escalation.pk])
    assert (escalation.raised_by, escalation.confidential, escalation.severity) == (
        staff,
        True,
        "high",
    )


def test_a_bad_raise_keeps_the_input_and_saves_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("actions:escalation_raise"),
        {"title": "", "description": "Keep me", "category": "x"},
    )
    assert response.status_code == 422
    assert "Keep me" in _text(response)
    assert not Escalation.objects.exists()


def test_every_page_links_to_the_raise_form(client, staff):
    client.force_login(staff)
    assert reverse("actions:escalation_raise") in _text(client.get(reverse("actions:register")))


def test_my_escalations_shows_mine_with_state_owner_and_history(client, cos, staff):
    mine = _raise(staff)
    services.escalation_route(
        escalation=mine,
        to=factories.UserFactory(first_name="Rui", last_name="Costa"),
        by=cos,
        note="",
    )
    other = _raise(factories.UserFactory(), title="Not mine")
    client.force_login(staff)
    html = _text(client.get(reverse("actions:my_escalations")))
    assert mine.key in html and "Rui Costa" in html and "routed" in html
    assert other.key not in html


def test_route_from_the_inbox_swaps_the_row_and_updates_the_counters(client, cos, staff):
    escalation = _raise(staff)
    owner = factories.UserFactory(username="rui")
    client.force_login(cos)
    form = client.get(_url(escalation, "route") + "?origin=inbox", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and 'list="people-list"' in _text(form)
    response = client.post(
        _url(escalation, "route"),
        {"version": 1, "to": "rui", "note": "", "origin": "inbox"},
        HTTP_HX_REQUEST="true",
    )
    html = _text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="esc-row-{escalation.pk}"')
    assert 'id="inbox-counters" hx-swap-oob="true"' in html
    assert '<span class="stat-value" id="count-new">0</span>' in html
    escalation.refresh_from_db()
    assert (escalation.state, escalation.routed_to) == ("routed", owner)


def test_a_transition_without_javascript_redirects(client, cos, staff):
    escalation = _raise(staff)
    client.force_login(cos)
    response = client.post(_url(escalation, "resolve"), {"version": 1, "note": "Done"})
    assert response.status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == "resolved"


def test_an_invalid_transition_form_is_422_in_the_panel_with_input_kept(client, cos, staff):
    escalation = _raise(staff)
    client.force_login(cos)
    response = client.post(
        _url(escalation, "route"),
        {"version": 1, "to": "nobody-here", "note": "Keep this note", "origin": "inbox"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#panel"
    assert "Keep this note" in _text(response) and "No active person" in _text(response)


def test_the_loser_of_a_race_gets_409_naming_who_did_what(client, cos, staff):
    escalation = _raise(staff)
    other = factories.chief_of_staff(first_name="Ada", last_name="Lovelace")
    services.escalation_decline(escalation=escalation, by=other, reason="Not ours")
    client.force_login(cos)
    response = client.post(
        _url(escalation, "resolve"),
        {"version": 1, "note": "My note", "origin": "inbox"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    html = _text(response)
    assert "Ada Lovelace declined" in html and "My note" in html
    # the row as it is now, swapped out of band beside the message
    assert f'<tr id="esc-row-{escalation.pk}" hx-swap-oob="true"' in html and "Declined" in html


def test_a_refused_transition_is_a_message_not_a_blank_swap(client, cos, staff):
    escalation = _raise(staff)
    client.force_login(cos)
    response = client.post(
        _url(escalation, "reopen"), {"version": 1, "note": "Why"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422 and "cannot be reopened" in _text(response)


@pytest.mark.parametrize("who", ["lead", "staff"])
def test_others_get_404_for_a_confidential_escalation_its_partials_and_history(
    client, request, who, cos
):
    escalation = _raise(cos, confidential=True, title="Secret")
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("actions:escalation_detail", args=[escalation.pk]),
        _url(escalation, "route"),
    ):
        assert client.get(url).status_code == 404
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(_url(escalation, "resolve"), {"version": 1, "note": "x"}).status_code == 404
    found = client.get(reverse("actions:escalations"), {"q": "Secret", "state": "all"})
    assert list(found.context["page"]) == []


def test_the_routed_owner_sees_a_confidential_escalation_and_is_told(client, cos, staff):
    escalation = _raise(cos, confidential=True, title="Secret")
    services.escalation_route(escalation=escalation, to=staff, by=cos, note="")
    client.force_login(staff)
    html = _text(client.get(reverse("actions:escalation_detail", args=[escalation.pk])))
    assert "Secret" in html and "Confidential: seen only by" in html


def test_staff_may_not_triage(client, staff):
    escalation = _raise(staff)
    client.force_login(staff)
    assert client.get(_url(escalation, "route")).status_code == 403
    assert client.post(reverse("actions:bulk"), {"bulk_verb": "resolve"}).status_code == 403


def test_bulk_is_all_or_nothing(client, cos, staff):
    first, second = _raise(staff), _raise(staff)
    services.escalation_decline(escalation=second, by=cos, reason="No")
    client.force_login(cos)
    response = client.post(
        reverse("actions:bulk"),
        {
            "bulk_verb": "resolve",
            "bulk_note": "Fixed",
            "selected": [f"{first.pk}.1", f"{second.pk}.4"],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422 and "Nothing was changed" in _text(response)
    assert Escalation.objects.get(pk=first.pk).state == "new"
    third = _raise(staff)
    response = client.post(
        reverse("actions:bulk"),
        {
            "bulk_verb": "resolve",
            "bulk_note": "Fixed",
            "selected": [f"{first.pk}.1", f"{third.pk}.1"],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert set(Escalation.objects.filter(state="resolved").values_list("pk", flat=True)) == {
        first.pk,
        third.pk,
    }


def test_inbox_filters_sla_confidential_snoozed_and_search(client, cos, staff):
    now = timezone.now()
    breached = factories.EscalationFactory(
        created_at=now - dt.timedelta(days=4), sla_due_at=now - dt.timedelta(days=1), title="Late"
    )
    secret = factories.EscalationFactory(confidential=True, title="Hush", description="payroll")
    snoozed = _raise(staff, title="Later")
    services.escalation_snooze(
        escalation=snoozed, until=now + dt.timedelta(hours=3), reason="Wait", by=cos
    )
    client.force_login(cos)

    def keys(**params) -> set[str]:
        return {e.key for e in client.get(reverse("actions:escalations"), params).context["page"]}

    assert keys() == {breached.key, secret.key}
    assert keys(sla="breached") == {breached.key}
    assert keys(confidential="yes") == {secret.key}
    assert keys(snoozed="only") == {snoozed.key}
    assert keys(q="payroll") == {secret.key}
    assert keys(q=breached.key) == {breached.key}
    assert [
        e.key for e in client.get(reverse("actions:escalations"), {"sort": "age"}).context["page"]
    ][0] == breached.key


def test_raise_to_cto_then_the_cto_decides_on_their_page(client, cos, cto, staff):
    series = factories.MeetingSeriesFactory()
    factories.OfficeSettingsFactory(cto_staff_series=series)
    meeting = factories.MeetingFactory(series=series)
    escalation = _raise(staff)
    client.force_login(cos)
    client.post(_url(escalation, "raise"), {"version": 1, "note": "Budget"})
    client.force_login(cto)
    html = _text(client.get(reverse("actions:raised_to_me")))
    assert escalation.key in html and meeting.title in html
    response = client.post(_url(escalation, "resolve"), {"version": 2, "note": "Approved"})
    assert response.status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).resolution_note == "Approved"


def test_raised_to_me_is_for_the_office_only(client, staff):
    client.force_login(staff)
    assert client.get(reverse("actions:raised_to_me")).status_code == 403


def test_raised_to_me_runs_a_fixed_number_of_queries(
    client, cos, cto, django_assert_max_num_queries
):
    for _ in range(12):
        escalation = _raise(factories.UserFactory())
        services.escalation_raise_to_cto(escalation=escalation, by=cos, note="Decide")
    client.force_login(cto)
    # session, user, office time zone, role groups, escalations, events
    with django_assert_max_num_queries(6):
        assert client.get(reverse("actions:raised_to_me")).status_code == 200


def test_inbox_as_the_cos_runs_a_fixed_number_of_queries(
    client, cos, django_assert_max_num_queries
):
    for i in range(30):
        _raise(factories.UserFactory(), confidential=i % 5 == 0)
    client.force_login(cos)
    # session, user, office time zone, role groups, counters, count, page, assignee list
    with django_assert_max_num_queries(8):
        response = client.get(reverse("actions:escalations"))
    assert len(response.context["page"]) == 30 and 'data-key="r"' in _text(response)
    # A filter or page change swaps the rows only: no counters, no filter lists.
    with django_assert_max_num_queries(6):
        rows = client.get(
            reverse("actions:escalations"), {"page": 1}, headers={"HX-Request": "true"}
        )
    assert rows.context["counts"] is None and "inbox-row" in _text(rows)
