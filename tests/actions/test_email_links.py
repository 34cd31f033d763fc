"""One-click signed links from chase e-mails (issue 8 §4)."""

from __future__ import annotations

import datetime as dt
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from actions import email_links
from actions.email_links import link_path
from actions.models import ActionItem
from actions.services import action_create
from actions.tasks import chase_overdue_actions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def action(cos, staff):
    staff.email = "staff@example.com"
    staff.save()
    return action_create(by=cos, title="Rotate secrets", owner=staff, due_date=dt.date(2026, 11, 1))


def test_opening_a_link_changes_nothing_and_posting_applies_it_as_the_recipient(
    client, action, staff
):
    path = link_path(action=action, recipient=staff, kind="done")
    page = client.get(path)
    assert page.status_code == 200 and b"Rotate secrets" in page.content
    assert ActionItem.objects.get().status == "open"
    done = client.post(path)
    assert done.status_code == 200 and b"marked done" in done.content
    action.refresh_from_db()
    assert action.status == "done"
    assert action.updates.latest("created_at").author == staff


def test_a_link_used_once_says_so_and_changes_nothing_more(client, action, staff):
    path = link_path(action=action, recipient=staff, kind="note")
    assert client.post(path, {"note": "Half done"}).status_code == 200
    again = client.post(path, {"note": "Half done"})
    assert again.status_code == 409
    assert b"already done its job" in again.content and b"added a note" in again.content
    assert action.updates.count() == 2


def test_a_new_date_needs_a_reason_and_keeps_the_input(client, action, staff):
    path = link_path(action=action, recipient=staff, kind="date")
    response = client.post(path, {"due_date": "2026-12-20", "reason": ""})
    assert response.status_code == 422
    assert b"needs a reason" in response.content and b'value="2026-12-20"' in response.content
    ok = client.post(path, {"due_date": "2026-12-20", "reason": "Vendor late"})
    assert ok.status_code == 200
    assert ActionItem.objects.get().due_date == dt.date(2026, 12, 20)


def test_only_the_fields_of_the_link_can_change(client, action, staff):
    path = link_path(action=action, recipient=staff, kind="note")
    client.post(
        path,
        {"note": "Progress", "due_date": "2030-01-01", "reason": "sneaky", "status": "dropped"},
    )
    action.refresh_from_db()
    assert (action.due_date, action.status) == (dt.date(2026, 11, 1), "open")


def test_an_expired_link_is_refused_politely(client, action, staff, monkeypatch):
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: eight_days_ago)
    path = link_path(action=action, recipient=staff, kind="done")
    monkeypatch.undo()
    response = client.post(path)
    assert response.status_code == 410 and b"expired" in response.content
    assert ActionItem.objects.get().status == "open"


def test_a_tampered_link_is_refused(client, action, staff):
    path = link_path(action=action, recipient=staff, kind="done")
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-3] + ("abc" if not token.endswith("abc") else "xyz"))
    assert client.post(forged).status_code == 404
    assert ActionItem.objects.get().status == "open"


def test_a_link_for_an_action_the_recipient_may_no_longer_see_is_refused(client, action, cos):
    stranger = factories.UserFactory()
    path = link_path(action=action, recipient=stranger, kind="done")
    assert client.post(path).status_code == 404
    assert ActionItem.objects.get().status == "open"


def test_link_requests_are_rate_limited_per_address(client, action, staff):
    path = link_path(action=action, recipient=staff, kind="done")
    answers = [client.get(path).status_code for _ in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429


@pytest.mark.django_db(transaction=True)
def test_the_digest_links_work_from_the_mail(client, smtp_sink, settings):
    factories.OfficeSettingsFactory(chase_ladder=[1, 4, 8])
    owner = factories.UserFactory(email="ola@example.com")
    factories.ActionItemFactory(owner=owner, due_date=dt.date(2026, 11, 20))
    chase_overdue_actions("2026-11-23")
    text, html = smtp_sink.parts(smtp_sink.to("ola@example.com")[0])
    done_url = re.search(r"Mark done: (\S+)", text).group(1)
    assert done_url.startswith(settings.SITE_URL) and done_url in html
    assert client.post(urlsplit(done_url).path).status_code == 200
    assert ActionItem.objects.get().status == "done"


def test_max_age_is_seven_days():
    assert email_links.MAX_AGE == dt.timedelta(days=7)
