"""The organisation admin (``cto_office.admin``): office settings, teams, users."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cto_office.models import OfficeSettings
from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


# Admin: the organisation


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
    assert lead.led_teams.get().name in page_text(response)
