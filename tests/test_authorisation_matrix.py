"""The authorisation matrix (issue 11 §3): every URL × every visitor × page/partial × GET/POST.

The URL patterns come from Django's resolver, so a URL added without an entry in
``cto_office/access_matrix.py`` fails ``test_every_url_has_an_expected_row``. The
objects behind the URLs are real rows built by ``world``; each visitor stands in a
known relation to them (see the table's docstring). POSTs carry no data: an
allowed visitor gets a form error, a 409 or a redirect, never a 403/404, and a
refused one gets exactly the 403/404 the table says.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions.email_links import link_token
from briefings.services import briefing_generate
from cto_office.access_matrix import (
    ALLOWED,
    EXPECTED,
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    VISITORS,
)
from cto_office.clock import IsoWeek, office_today
from tests import factories

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}


def url_names(patterns=None, namespace: str = "") -> Iterator[str]:
    """Every named URL pattern of the project, as ``namespace:name``, admin excluded."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            yield from url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def world(db) -> dict:
    """The visitors and the objects the URLs are about (see ``access_matrix``)."""
    team_a, team_b = factories.TeamFactory(), factories.TeamFactory()
    owner = factories.UserFactory(username="owner")
    factories.MembershipFactory(user=owner, team=team_a)
    visitors = {
        "anonymous": None,
        "staff": factories.UserFactory(username="staff"),
        "lead_owning": factories.team_lead(team_a, username="lead_owning"),
        "lead_other": factories.team_lead(team_b, username="lead_other"),
        "owner": owner,
        "cto": factories.cto(username="cto"),
        "cos": factories.chief_of_staff(username="cos"),
    }
    meeting = factories.MeetingFactory()
    meeting.attendees.add(owner)
    factories.AgendaItemFactory(meeting=meeting)
    pre_read = factories.PreReadFactory(meeting=meeting)
    pre_read.file.save("matrix.txt", ContentFile(b"Pre-read for the matrix."), save=True)
    week = IsoWeek.of(office_today())
    briefing = briefing_generate(iso_year=week.year, iso_week=week.week)  # a real draft and PDF
    action = factories.ActionItemFactory(owner=owner, team=team_a)
    confidential = factories.EscalationFactory(raised_by=owner, team=team_a, confidential=True)
    subjects = {
        None: {},
        "action": {"pk": action.pk},
        "email_link": {"token": link_token(action=action, recipient=owner, kind="note")},
        "confidential_escalation": {"pk": confidential.pk},
        "escalation_transition": {"pk": confidential.pk, "verb": "resolve"},
        "meeting": {"pk": meeting.pk},
        "pre_read_file": {"pre_read_pk": pre_read.pk},
        "series": {"pk": factories.MeetingSeriesFactory().pk},
        "calendar_feed": {"token": factories.CalendarFeedFactory(user=owner).token},
        "briefing": {"year": briefing.iso_year, "week": briefing.iso_week},
        "key_result": {"pk": factories.KeyResultFactory(owner=owner).pk},
        "password_reset": {"uidb64": "MQ", "token": "set-password"},
    }
    return {"visitors": visitors, "subjects": subjects}


def outcome_of(response) -> str:
    """The table's name for an answer (see ``access_matrix``)."""
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response["Location"].startswith(f"{login}?next="):
        return LOGIN
    return {404: HIDDEN, 403: FORBIDDEN, 405: NOT_ALLOWED}.get(
        response.status_code, ALLOWED if response.status_code < 500 else "error"
    )


def signed_in(user) -> Client:
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_has_an_expected_row():
    names = set(url_names())
    assert sorted(names - set(EXPECTED)) == [], "URLs with no row in cto_office/access_matrix.py"
    assert sorted(set(EXPECTED) - names) == [], "rows in access_matrix.py for URLs that are gone"


def test_every_url_answers_every_visitor_as_the_matrix_says(world, capsys):
    requests = [
        (name, method, variant, visitor)
        for method in ("get", "post")
        for visitor in VISITORS
        for name in sorted(EXPECTED)
        for variant in ("page", "partial")
    ]
    clients = {visitor: signed_in(world["visitors"][visitor]) for visitor in VISITORS}
    mismatches = []
    for name, method, variant, visitor in requests:
        expect = EXPECTED[name]
        url = reverse(name, kwargs=world["subjects"][expect.subject])
        client = clients[visitor]
        headers = {"HX-Request": "true"} if variant == "partial" else {}
        with transaction.atomic():  # every request sees the same world: undo what it changed
            response = getattr(client, method)(url, headers=headers)
            transaction.set_rollback(True)
        wanted = getattr(expect, method)[visitor]
        got = outcome_of(response)
        if name == "logout":  # signed out by the request itself: sign back in
            clients[visitor] = signed_in(world["visitors"][visitor])
        if got != wanted:
            mismatches.append(
                f"{method.upper()} {url} ({variant}) as {visitor}: {got}, want {wanted}"
            )
    with capsys.disabled():
        print(f"\nauthorisation matrix: {len(requests)} requests, {len(mismatches)} mismatches")
    assert mismatches == []
