"""The organisation admin (``cto_office.admin``) and the briefing admin pages opened by the office."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cto_office import access
from cto_office.models import OfficeSettings
from tests import factories

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


def _text(response) -> str:
    return response.content.decode()


def _stat(response, stat_id: str) -> int:
    """The number shown in the home page's ``<span id=stat_id>``."""
    match = re.search(rf'id="{stat_id}">(\d+)<', _text(response))
    assert match, f"{stat_id} not on the page"
    return int(match.group(1))


# Admin: organisation and briefings


def test_office_settings_admin_is_a_singleton(client, cos):
    client.force_login(cos)
    response = client.get(reverse("admin:cto_office_officesettings_changelist"))
    assert response["Location"] == reverse("admin:cto_office_officesettings_add")
    OfficeSettings.load()
    response = client.get(reverse("admin:cto_office_officesettings_changelist"))
    assert response["Location"] == reverse("admin:cto_office_officesettings_change", args=[1])
    assert client.get(reverse("admin:cto_office_officesettings_add")).status_code == 403
    assert (
        client.get(reverse("admin:cto_office_officesettings_delete", args=[1])).status_code == 403
    )


def test_team_admin_lists_teams_with_a_fixed_number_of_queries(
    client, cos, django_assert_max_num_queries
):
    parent = factories.TeamFactory()
    for _ in range(20):
        factories.team_lead(team=factories.TeamFactory(parent=parent))
    client.force_login(cos)
    # the admin's own queries (session, user, permissions, counts, sidebar) and one page: none per row
    # +1: the office's time zone, read by OfficeTimeZoneMiddleware
    with django_assert_max_num_queries(10):
        assert client.get(reverse("admin:cto_office_team_changelist")).status_code == 200
    assert client.get(reverse("admin:cto_office_team_change", args=[parent.pk])).status_code == 200


def test_user_admin_shows_the_team(client, cos, lead):
    client.force_login(cos)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert lead.led_teams.get().name in _text(response)


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
    assert briefing.label not in _text(response)


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
    html = _text(response)
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
