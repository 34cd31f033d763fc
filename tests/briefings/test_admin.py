"""Admin for the briefing's inputs and the briefings: progress shown by the one rule, week links."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from briefings.models import Briefing
from cto_office import access
from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_key_result_changelist_shows_progress_from_the_model_rule(
    client, cos, django_assert_max_num_queries
):
    for value in ("30", "60", "90"):
        factories.KeyResultFactory(
            title=f"KR at {value}",
            start_value=Decimal("0"),
            target_value=Decimal("200"),
            current_value=Decimal(value),
        )
    client.force_login(cos)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:briefings_keyresult_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for kr in response.context["cl"].result_list:
        assert f"{kr.progress:.0%}" in html
    assert "15%" in html and "30%" in html and "45%" in html


def test_briefing_admin_lists_weeks_with_links_to_the_page_and_pdf(client, cos):
    briefing = factories.BriefingFactory(iso_year=2026, iso_week=7)
    client.force_login(cos)
    html = client.get(reverse("admin:briefings_briefing_changelist")).content.decode()
    assert "2026-W07" in html
    change = client.get(reverse("admin:briefings_briefing_change", args=[briefing.pk]))
    assert reverse("briefings:detail", args=[2026, 7]) in change.content.decode()


def test_briefing_admin_is_closed_to_a_team_lead(client, lead):
    factories.BriefingFactory()
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    response = client.get(reverse("admin:briefings_briefing_changelist"))
    assert response.status_code == 403
    assert Briefing.objects.count() == 1


def test_briefing_admin_shows_no_briefing_to_a_clerk_without_an_office_role(client):
    """A staff user holding every briefing permission but neither CoS nor CTO sees none:
    admin lists through ``access.briefings_for``."""
    clerk = factories.UserFactory(is_staff=True, username="clerk")
    group = Group.objects.create(name="Admin clerks")
    group.permissions.set(Group.objects.get(name=access.CHIEF_OF_STAFF).permissions.all())
    clerk.groups.add(group)
    factories.BriefingFactory()
    client.force_login(clerk)
    response = client.get(reverse("admin:briefings_briefing_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_briefing_admin_is_hidden_from_staff_without_an_office_role(client):
    briefing = factories.BriefingFactory()
    clerk = factories.UserFactory(is_staff=True)
    clerk.groups.add(_admin_group())
    client.force_login(clerk)
    assert (
        client.get(reverse("admin:briefings_briefing_change", args=[briefing.pk])).status_code
        == 302
    )
    response = client.get(reverse("admin:briefings_briefing_changelist"))
    assert response.status_code == 200
    assert briefing.label not in page_text(response)


def _admin_group() -> Group:
    """A group with every permission of the product's apps, and no office role."""
    group = Group.objects.create(name="Admin clerks")
    group.permissions.set(Group.objects.get(name=access.CHIEF_OF_STAFF).permissions.all())
    return group


def test_briefing_admin_shows_the_snapshot_read_only(client, cos):
    briefing = factories.BriefingFactory(snapshot={"escalations": {"new": 4}})
    client.force_login(cos)
    response = client.get(reverse("admin:briefings_briefing_change", args=[briefing.pk]))
    assert response.status_code == 200
    html = page_text(response)
    assert "&quot;new&quot;: 4" in html
    assert 'name="commentary"' in html
    assert 'name="snapshot"' not in html and 'name="state"' not in html
    assert client.get(reverse("admin:briefings_briefing_add")).status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "objective",
        "keyresult",
        "keyresultcheckin",
        "healthindicator",
        "techdebtsnapshot",
        "headcountsnapshot",
        "requisition",
        "briefing",
    ],
)
def test_briefings_admin_pages_open(client, cos, model):
    kr = factories.KeyResultFactory()
    factories.KeyResultCheckInFactory(key_result=kr)
    factories.HealthIndicatorFactory(team=kr.team)
    factories.TechDebtSnapshotFactory(team=kr.team)
    factories.HeadcountSnapshotFactory(team=kr.team)
    factories.RequisitionFactory(team=kr.team)
    factories.BriefingFactory()
    client.force_login(cos)
    changelist = client.get(reverse(f"admin:briefings_{model}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:briefings_{model}_change", args=[obj.pk])).status_code == 200
