"""Bad input (issue 11 §4): each gets a clear error, and nothing changes in the database.

Every case below is one request (or one command) with one kind of bad input, as
the person who would plausibly send it. The test takes a fingerprint of every row
of our tables (the apps' models and the users) before and after, asserts they are
equal, and asserts the answer's status and the words that tell the person what
went wrong. Sanitising cases (script in Markdown, ``javascript:`` links) store the
text as written, which is the person's right, and assert that the page shows no
live markup instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from actions.email_links import link_path
from actions.models import Escalation
from actions.services import action_create
from actions.services.action import action_update
from tests import factories
from tests.cadence.test_calendars import EXCHANGE

pytestmark = pytest.mark.django_db

APPS = ("actions", "cadence", "briefings", "cto_office", "auth")


def fingerprint() -> str:
    """A digest of every row of our tables (the apps' and the users'), in primary-key order."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in APPS and model._meta.model_name not in ("permission",):
            for row in model.objects.order_by("pk").values():
                digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


@dataclass
class World:
    cos: object
    lead: object
    staff: object
    meeting: object
    action: object
    clients: dict  # signed in before the fingerprint (signing in writes last_login)
    expired_link: str


@pytest.fixture
def world(db, settings, monkeypatch) -> World:
    cos = factories.chief_of_staff(username="cos", email="cos@example.com")
    lead = factories.team_lead(username="lead")
    staff = factories.UserFactory(username="staff", email="staff@example.com")
    meeting = factories.MeetingFactory()
    meeting.attendees.add(staff, cos)
    action = action_create(
        by=cos, title="Rotate secrets", owner=staff, due_date=dt.date(2026, 12, 1)
    )
    settings.PRE_READ_MAX_BYTES = 2 * 1024 * 1024
    eight_days_ago = time.time() - 8 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: eight_days_ago)
        expired_link = link_path(action=action, recipient=staff, kind="done")
    clients = {}
    for user in (cos, lead, staff):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    return World(
        cos=cos,
        lead=lead,
        staff=staff,
        meeting=meeting,
        action=action,
        clients=clients,
        expired_link=expired_link,
    )


def signed_in(w: World, user) -> Client:
    return w.clients[user.username]


def upload(w: World, name: str, content: bytes):
    return signed_in(w, w.cos).post(
        reverse("cadence:pre_read_add", args=[w.meeting.pk]),
        {"title": "Q3 numbers", "file": SimpleUploadedFile(name, content)},
    )


def zip_bomb() -> bytes:
    """An Office-looking archive whose one entry inflates to 200 MB (about 200 KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                entry.write(chunk)
    return buffer.getvalue()


def raise_escalation(w: World, **fields):
    data = {"title": "Build farm is down", "category": "delivery", "severity": "high", **fields}
    return signed_in(w, w.staff).post(reverse("actions:escalation_raise"), data)


def link_post(w: World, kind: str, data: dict):
    return Client().post(link_path(action=w.action, recipient=w.staff, kind=kind), data)


def jira(w: World, tmp_path, content: bytes) -> str:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as failure:
        call_command("import_actions", str(path))
    return str(failure.value)


#: name → (request, expected status, words the answer must contain)
CASES: dict[str, tuple[Callable, int, str]] = {
    "renamed executable as a pre-read": (
        lambda w, _: upload(w, "q3.pdf", b"MZ\x90\x00\x03" + b"\0" * 200),
        422,
        "q3.pdf",
    ),
    "SVG with script as a pre-read": (
        lambda w, _: upload(
            w,
            "chart.txt",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        422,
        "chart.txt",
    ),
    "NUL byte in an escalation title": (
        lambda w, _: raise_escalation(w, title="Build\x00farm"),
        422,
        "Null characters are not allowed",
    ),
    "impossible date in a one-click link": (
        lambda w, _: link_post(w, "date", {"due_date": "2026-02-30", "reason": "Vendor"}),
        422,
        "Enter a valid date",
    ),
    "far-future date in a one-click link": (
        lambda w, _: link_post(w, "date", {"due_date": "2226-01-01", "reason": "Typo"}),
        422,
        "more than 5 years away",
    ),
    "oversize pre-read": (
        lambda w, _: upload(w, "notes.txt", b"a" * (2 * 1024 * 1024 + 1)),
        422,
        "at most 2 MB",
    ),
    "zip bomb as a pre-read": (
        lambda w, _: upload(w, "plan.docx", zip_bomb()),
        422,
        "looks like a zip bomb",
    ),
    "expired signed link": (
        lambda w, _: Client().post(w.expired_link),
        410,
        "expired",
    ),
    "id of a meeting the user may not see": (
        lambda w, _: signed_in(w, w.lead).post(
            reverse("cadence:pre_read_add", args=[w.meeting.pk]), {"title": "x"}
        ),
        404,
        "",
    ),
    "due date moved later without a reason": (
        lambda w, _: link_post(w, "date", {"due_date": "2026-12-20", "reason": ""}),
        422,
        "needs a reason",
    ),
    "mass assignment through a one-click link": (
        lambda w, _: link_post(w, "note", {"status": "dropped", "owner": w.cos.pk}),
        422,
        "This field is required",
    ),
    "tampered signed link": (
        lambda w, _: Client().post(
            link_path(action=w.action, recipient=w.staff, kind="done")[:-4] + "xyz/"
        ),
        404,
        "does not work",
    ),
    "stale version (concurrent edit)": (
        lambda w, _: link_post(w, "done", {}),  # the link saw version 1; see PREPARE
        409,
        "changed since the e-mail was sent",
    ),
    "htmx POST without a CSRF token": (
        lambda w, _: _no_csrf(w),
        403,
        "",
    ),
    "open redirect in next=": (
        lambda w, _: Client().post(
            reverse("login") + "?next=https://evil.example/",
            {"username": "staff", "password": "correct-horse-battery"},
        ),
        302,
        "",
    ),
}


#: What happens before the fingerprint is taken, for the cases that need a prior state.
PREPARE: dict[str, Callable] = {
    "stale version (concurrent edit)": lambda w: action_update(
        action=w.action, by=w.cos, version=1, note="Someone else saved first"
    ),
}


def _no_csrf(w: World):
    client = Client(enforce_csrf_checks=True)
    client.cookies = w.clients["staff"].cookies
    return client.post(
        reverse("actions:escalation_raise"),
        {"title": "x", "category": "delivery", "severity": "low"},
        headers={"HX-Request": "true"},
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_clear_error_and_changes_nothing(case, world, tmp_path):
    request, status, words = CASES[case]
    link = link_path(action=world.action, recipient=world.staff, kind="done")  # signed at version 1
    if case in PREPARE:
        PREPARE[case](world)
    before = fingerprint()
    response = (
        Client().post(link)
        if case == "stale version (concurrent edit)"
        else request(world, tmp_path)
    )
    assert response.status_code == status, response.content[:300]
    assert words in response.content.decode()
    if case == "open redirect in next=":
        assert not response["Location"].startswith("https://evil.example")
        return  # signing in updates last_login: that is the point of the request
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Name,Owner\nx,y\n", "Nothing imported"),
        (
            b"Summary,Issue key,Status\nFix,OPS-1,To Do\nFix,OPS-2,Nope\n",
            "Nothing imported: 1 problem",
        ),
        (b"Summary,Issue key,Status\n" + b"T,OPS-1,To Do\n" * 100_001, "Nothing imported"),
        (b"Summary,Issue key,Status\nFix \xed\xa0\x80,OPS-1,To Do\n", "Nothing imported"),
    ],
    ids=["wrong header", "bad row", "100,000 rows", "lone surrogate bytes"],
)
def test_a_bad_csv_is_refused_whole(world, tmp_path, content, words):
    before = fingerprint()
    assert words in jira(world, tmp_path, content)
    assert fingerprint() == before


def test_script_and_javascript_links_in_markdown_are_shown_inert(world):
    raise_escalation(
        world,
        description="<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    escalation = Escalation.objects.get()
    page = (
        signed_in(world, world.staff)
        .get(reverse("actions:escalation_detail", args=[escalation.pk]))
        .content.decode()
    )
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "onerror" not in page


def test_the_sixth_wrong_password_in_a_row_is_refused_even_when_right(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "staff", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _ics(replace: tuple[bytes, bytes], *more: tuple[bytes, bytes]) -> bytes:
    """The Exchange-style calendar of the calendar tests with ``replace`` (and ``more``) made."""
    data = EXCHANGE
    for old, new in (replace, *more):
        assert old in data
        data = data.replace(old, new)
    return data


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (_ics((b"TZOFFSETTO:+0100", b"TZOFFSETTO:+01:00xx")), "Expected UTC offset"),
        (
            _ics((b"DTSTART;TZID=W. Europe Standard Time", b"DTSTART;TZID=Olympus Mons Time")),
            "unknown time zone",
        ),
        (
            _ics((b"FREQ=WEEKLY;BYDAY=MO;UNTIL=20191230T090000Z", b"FREQ=SECONDLY")),
            "that is not a meeting series",
        ),
    ],
    ids=["broken time-zone offset", "unknown time-zone name", "a rule repeating every second"],
)
def test_a_bad_calendar_file_is_refused_whole(world, content, words):
    before = fingerprint()
    response = signed_in(world, world.cos).post(
        reverse("cadence:calendar_import"), {"file": SimpleUploadedFile("team.ics", content)}
    )
    assert response.status_code == 422
    assert words in response.content.decode()
    assert fingerprint() == before


def test_a_rule_that_never_ends_previews_a_bounded_window_and_imports_nothing_yet(world):
    endless = _ics((b";UNTIL=20191230T090000Z", b""))
    before = fingerprint()
    response = signed_in(world, world.cos).post(
        reverse("cadence:calendar_import"), {"file": SimpleUploadedFile("team.ics", endless)}
    )
    assert response.status_code == 200 and "Preview of team.ics" in response.content.decode()
    assert fingerprint() == before  # a preview only
