"""Key-result check-ins: the service, the page (owners only), and the rule of one per day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from briefings.models import KeyResult, KeyResultCheckIn
from briefings.services.check_ins import CheckInError, key_result_check_in
from tests import factories

PAGE = reverse("briefings:check_ins")


@pytest.fixture
def kr(db, lead) -> KeyResult:
    today = timezone.localdate()
    objective = factories.ObjectiveFactory(
        period_start=today - dt.timedelta(days=30), period_end=today + dt.timedelta(days=60)
    )
    return factories.KeyResultFactory(
        objective=objective,
        owner=lead,
        title="Cut p95 pipeline time",
        start_value=Decimal(60),
        target_value=Decimal(40),
        current_value=Decimal(58),
        unit="min",
    )


def post(client, kr, **data):
    return client.post(
        reverse("briefings:check_in", args=[kr.pk]),
        {"value": "52", "confidence": "0.6", "note": "Cache landed", **data},
        HTTP_HX_REQUEST="true",
    )


def test_service_records_the_check_in_and_moves_the_current_value(kr, lead):
    today = timezone.localdate()
    key_result_check_in(
        key_result=kr, value=Decimal(50), confidence=Decimal("0.7"), note=" ok ", day=today, by=lead
    )
    # A second one the same day corrects the first.
    key_result_check_in(
        key_result=kr, value=Decimal(49), confidence=Decimal("0.6"), note="", day=today, by=lead
    )
    [check_in] = KeyResultCheckIn.objects.all()
    assert (check_in.value, check_in.confidence, check_in.author) == (49, Decimal("0.6"), lead)
    kr.refresh_from_db()
    assert kr.current_value == 49


def test_service_refuses_a_bad_confidence_or_a_day_outside_the_quarter(kr, lead):
    with pytest.raises(CheckInError, match="between 0 and 1"):
        key_result_check_in(
            key_result=kr,
            value=Decimal(1),
            confidence=Decimal("1.5"),
            note="",
            day=timezone.localdate(),
            by=lead,
        )
    with pytest.raises(CheckInError, match="outside"):
        key_result_check_in(
            key_result=kr,
            value=Decimal(1),
            confidence=Decimal("0.5"),
            note="",
            day=kr.objective.period_end + dt.timedelta(days=1),
            by=lead,
        )
    assert not KeyResultCheckIn.objects.exists()


def test_owner_sees_the_page_and_checks_in_with_htmx(
    client, lead, kr, django_assert_max_num_queries
):
    client.force_login(lead)
    with django_assert_max_num_queries(8):
        page = client.get(PAGE).content.decode()
    assert "Cut p95 pipeline time" in page and "Due this week" in page
    response = post(client, kr)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="check-in-card" id="kr-{kr.pk}"')
    assert "Checked in for" in html and "Checked in this week" in html
    kr.refresh_from_db()
    assert kr.current_value == 52


def test_invalid_check_in_comes_back_422_with_the_input(client, lead, kr):
    client.force_login(lead)
    response = post(client, kr, confidence="7", note="keep me")
    assert response.status_code == 422
    html = response.content.decode()
    assert "keep me" in html and 'value="7"' in html
    assert not KeyResultCheckIn.objects.exists()


@pytest.mark.parametrize("who", ["staff", "cto"])
def test_check_in_is_denied_to_people_who_do_not_own_the_key_result(client, request, kr, who):
    client.force_login(request.getfixturevalue(who))
    assert post(client, kr).status_code == 404
    assert "Cut p95 pipeline time" not in client.get(PAGE).content.decode()
    assert not KeyResultCheckIn.objects.exists()


def test_a_team_lead_checks_in_for_their_team(client, kr):
    lead = factories.team_lead(team=kr.team)
    client.force_login(lead)
    assert post(client, kr).status_code == 200
