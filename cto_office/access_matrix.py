"""The authorisation matrix: what every URL answers to every kind of visitor.

This table is the expected side of ``tests/test_authorisation_matrix.py``, which
walks Django's URL resolver, builds each URL with the ids of real objects,
requests it as each visitor below (as a full page and as an htmx partial, with
GET and with POST) and compares the answer with this table. A URL pattern
without an entry here fails that test, and so does an entry whose URL is gone.
The rules themselves live in ``cto_office/access.py``; this module only states
their consequences, URL by URL, so a reviewer can read them in one place.

Visitors (``VISITORS``), relative to the object the URL is about:

- ``anonymous``: not signed in;
- ``staff``: signed in, no role, unrelated to the object;
- ``lead_owning``: team lead of the object's team;
- ``lead_other``: team lead of another team;
- ``owner``: the person who raised or owns the object (or attends the meeting);
- ``cto``, ``cos``: the CTO and the Chief of Staff.

Outcomes: ``LOGIN`` (sent to sign in: a 302 to the login page), ``ALLOWED``
(served: any answer below 500 other than 403, 404 and 405, which includes a form
re-rendered with errors or a 409 for a stale version), ``HIDDEN`` (404: the
object does not exist for this visitor), ``FORBIDDEN`` (403: a role-only page),
``NOT_ALLOWED`` (405: the method is not offered). The Django admin (``admin:``)
is left to Django's own permission checks and ``access.can_use_admin``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

VISITORS = ("anonymous", "staff", "lead_owning", "lead_other", "owner", "cto", "cos")

LOGIN = "login"
ALLOWED = "allowed"
HIDDEN = "hidden"
FORBIDDEN = "forbidden"
NOT_ALLOWED = "not allowed"


def outcomes(default: str, /, anonymous: str = LOGIN, **by_visitor: str) -> Mapping[str, str]:
    """A full row: ``default`` for every signed-in visitor, ``LOGIN`` for anonymous,
    overridden per visitor by keyword (``outcomes(HIDDEN, cos=ALLOWED)``)."""
    unknown = set(by_visitor) - set(VISITORS)
    if unknown:
        raise ValueError(f"unknown visitors {sorted(unknown)}; known: {VISITORS}")
    row = {visitor: default for visitor in VISITORS}
    row["anonymous"] = anonymous
    row.update(by_visitor)
    return MappingProxyType(row)


#: Common rows.
SIGNED_IN = outcomes(ALLOWED)
PUBLIC = outcomes(ALLOWED, anonymous=ALLOWED)
#: The CTO's office only; everyone else is told the page does not exist.
OFFICE_ONLY = outcomes(HIDDEN, cto=ALLOWED, cos=ALLOWED)
#: The method is not offered (a GET-only page's POST, a POST-only endpoint's GET).
NOT_OFFERED = outcomes(NOT_ALLOWED)
PUBLIC_GET_ONLY = outcomes(NOT_ALLOWED, anonymous=NOT_ALLOWED)
COS_ONLY = outcomes(FORBIDDEN, cos=ALLOWED)
#: A meeting's attendees and the office; everyone else is told it does not exist.
ATTENDEES = outcomes(HIDDEN, owner=ALLOWED, cto=ALLOWED, cos=ALLOWED)
#: Running a meeting: the CoS; its attendees and the CTO see it but may not run it.
MEETING_MANAGERS = outcomes(HIDDEN, owner=FORBIDDEN, cto=FORBIDDEN, cos=ALLOWED)
#: Writing the briefing: the CoS; the CTO reads it but may not change it.
BRIEFING_MANAGERS = outcomes(HIDDEN, cto=FORBIDDEN, cos=ALLOWED)
COS_ONLY_HIDDEN = outcomes(HIDDEN, cos=ALLOWED)
#: An object seen by whoever it concerns (owner, its team's lead) and the office.
CONCERNED = outcomes(HIDDEN, lead_owning=ALLOWED, owner=ALLOWED, cto=ALLOWED, cos=ALLOWED)
#: A confidential escalation: its raiser and the office only.
CONFIDENTIAL = outcomes(HIDDEN, owner=ALLOWED, cto=ALLOWED, cos=ALLOWED)


@dataclass(frozen=True)
class Expect:
    """The expected answers of one URL pattern.

    ``subject`` names the object whose ids fill the URL (a key of the test's
    ``SUBJECTS``: ``"action"``, ``"confidential_escalation"``, ``"meeting"``,
    ``"briefing"``…; ``None`` for a URL without arguments). ``get`` and ``post``
    map each visitor to an outcome; the htmx partial of a URL answers as its full page.
    """

    subject: str | None
    get: Mapping[str, str]
    post: Mapping[str, str] = field(default_factory=lambda: NOT_OFFERED)


EXPECTED: dict[str, Expect] = {
    # Sign-in pages (django.contrib.auth.urls); the names without a namespace.
    "login": Expect(None, get=PUBLIC, post=PUBLIC),
    "logout": Expect(None, get=NOT_OFFERED, post=SIGNED_IN),
    "password_change": Expect(None, get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Expect(None, get=SIGNED_IN),
    "password_reset": Expect(None, get=PUBLIC, post=PUBLIC),
    "password_reset_done": Expect(None, get=PUBLIC, post=PUBLIC_GET_ONLY),
    "password_reset_confirm": Expect("password_reset", get=PUBLIC, post=PUBLIC),
    "password_reset_complete": Expect(None, get=PUBLIC, post=PUBLIC_GET_ONLY),
    # Home.
    "home": Expect(None, get=SIGNED_IN),
    "signed_in": Expect(None, get=SIGNED_IN),
    "team_search": Expect(None, get=SIGNED_IN),
    # actions/
    "actions:register": Expect(None, get=SIGNED_IN),
    "actions:register_export": Expect(None, get=SIGNED_IN),
    "actions:action_new": Expect(None, get=SIGNED_IN, post=SIGNED_IN),
    "actions:jira_upload": Expect(None, get=COS_ONLY_HIDDEN, post=COS_ONLY_HIDDEN),
    "actions:jira_confirm": Expect(None, get=NOT_OFFERED, post=COS_ONLY_HIDDEN),
    "actions:action_detail": Expect("action", get=CONCERNED),
    "actions:action_update": Expect("action", get=NOT_OFFERED, post=CONCERNED),
    "actions:escalations": Expect(None, get=SIGNED_IN),
    "actions:escalation_detail": Expect("confidential_escalation", get=CONFIDENTIAL),
    "actions:escalation_raise": Expect(None, get=SIGNED_IN, post=SIGNED_IN),
    "actions:my_escalations": Expect(None, get=SIGNED_IN),
    "actions:raised_to_me": Expect(None, get=outcomes(FORBIDDEN, cto=ALLOWED, cos=ALLOWED)),
    "actions:bulk": Expect(None, get=NOT_OFFERED, post=COS_ONLY),
    "actions:escalation_transition": Expect(
        "escalation_transition",
        get=outcomes(HIDDEN, owner=FORBIDDEN, cto=FORBIDDEN, cos=ALLOWED),
        post=outcomes(HIDDEN, owner=FORBIDDEN, cto=FORBIDDEN, cos=ALLOWED),
    ),
    # A signed one-click link from a chase e-mail works without signing in, for anyone
    # holding it (it acts as its recipient, whoever is signed in).
    "actions:email_link": Expect("email_link", get=PUBLIC, post=PUBLIC),
    # cadence/
    "cadence:meetings": Expect(None, get=SIGNED_IN),
    "cadence:meeting_detail": Expect("meeting", get=ATTENDEES),
    "cadence:meeting_create": Expect(None, get=COS_ONLY, post=COS_ONLY),
    "cadence:meeting_edit": Expect("meeting", get=MEETING_MANAGERS, post=MEETING_MANAGERS),
    "cadence:agenda_item_update": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:agenda_publish": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:meeting_go_live": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:agenda_item_advance": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:meeting_mark_held": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:meeting_cancel": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:meeting_reschedule": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:minutes_save": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:minutes_publish": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:meeting_rate": Expect("meeting", get=NOT_OFFERED, post=ATTENDEES),
    "cadence:agenda_item_add": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:agenda_item_move": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:agenda_item_remove": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:pre_read_add": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:pre_read_acknowledge": Expect("meeting", get=NOT_OFFERED, post=ATTENDEES),
    "cadence:pre_read_download": Expect("pre_read_file", get=ATTENDEES),
    "cadence:decision_record": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:carry_over_review": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:action_capture": Expect("meeting", get=NOT_OFFERED, post=MEETING_MANAGERS),
    "cadence:meeting_ics": Expect("meeting", get=ATTENDEES),
    "cadence:meeting_pack": Expect("meeting", get=ATTENDEES),
    "cadence:series_create": Expect(None, get=COS_ONLY, post=COS_ONLY),
    "cadence:series_edit": Expect("series", get=COS_ONLY, post=COS_ONLY),
    "cadence:series_preview": Expect(None, get=NOT_OFFERED, post=COS_ONLY),
    "cadence:decision_log": Expect(None, get=SIGNED_IN),
    "cadence:decision_log_csv": Expect(None, get=SIGNED_IN),
    "cadence:calendar": Expect(None, get=SIGNED_IN),
    "cadence:calendar_feed_rotate": Expect(None, get=NOT_OFFERED, post=SIGNED_IN),
    "cadence:calendar_feed_revoke": Expect(None, get=NOT_OFFERED, post=SIGNED_IN),
    "cadence:calendar_import": Expect(None, get=NOT_OFFERED, post=COS_ONLY),
    # The feed's secret token is its credential (calendar apps cannot sign in).
    "cadence:calendar_feed": Expect("calendar_feed", get=PUBLIC, post=PUBLIC_GET_ONLY),
    # briefings/
    "briefings:archive": Expect(None, get=OFFICE_ONLY),
    "briefings:generate": Expect(
        None, get=NOT_OFFERED, post=outcomes(HIDDEN, cto=FORBIDDEN, cos=ALLOWED)
    ),
    "briefings:detail": Expect("briefing", get=OFFICE_ONLY),
    "briefings:pdf": Expect("briefing", get=OFFICE_ONLY),
    "briefings:lists_csv": Expect("briefing", get=OFFICE_ONLY),
    "briefings:status": Expect("briefing", get=OFFICE_ONLY),
    "briefings:regenerate": Expect("briefing", get=NOT_OFFERED, post=BRIEFING_MANAGERS),
    "briefings:comment": Expect("briefing", get=NOT_OFFERED, post=BRIEFING_MANAGERS),
    "briefings:publish": Expect("briefing", get=NOT_OFFERED, post=BRIEFING_MANAGERS),
    "briefings:retry": Expect("briefing", get=NOT_OFFERED, post=BRIEFING_MANAGERS),
    "briefings:make_action": Expect("briefing", get=NOT_OFFERED, post=BRIEFING_MANAGERS),
    "briefings:check_ins": Expect(None, get=SIGNED_IN),
    # A check-in is the key result's owner's word: nobody else, the office included, writes it.
    "briefings:check_in": Expect(
        "key_result", get=NOT_OFFERED, post=outcomes(HIDDEN, owner=ALLOWED)
    ),
    "briefings:imports": Expect(None, get=COS_ONLY_HIDDEN),
    "briefings:import_preview": Expect(None, get=NOT_OFFERED, post=COS_ONLY_HIDDEN),
    "briefings:import_commit": Expect(None, get=NOT_OFFERED, post=COS_ONLY_HIDDEN),
}
