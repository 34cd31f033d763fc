"""The navigation marks the section of the page being shown (``cto_office.context_processors``)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "current"),
    [
        (reverse("home"), "Home"),
        (reverse("actions:register"), "Actions"),
        (reverse("actions:escalations"), "Escalations"),
        (reverse("actions:my_escalations"), "Escalations"),
        (reverse("actions:raised_to_me"), "Escalations"),
        (reverse("actions:escalation_raise"), "Raise an escalation"),
        (reverse("cadence:meetings"), "Meetings"),
        (reverse("briefings:check_ins"), "Check-ins"),
        (reverse("briefings:archive"), "Briefings"),
    ],
)
def test_the_current_section_is_marked_and_only_it(client, url, current):
    client.force_login(factories.chief_of_staff())
    header = client.get(url).content.decode().split("</header>")[0]  # the page's own tabs aside
    marked = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', header)
    assert marked == [current]
