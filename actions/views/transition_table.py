"""The escalation transitions as the pages offer them: label, shortcut key, form, service call.

One table, read by the inbox (its row buttons and keyboard shortcuts) and by
``actions.views.transitions`` (the forms and their POSTs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from actions import forms as f
from actions import services
from actions.errors import EscalationInvalid
from actions.models import Escalation
from cto_office import access
from cto_office.htmx import HtmxHttpRequest


def _duplicate(e: Escalation, by, d: dict, request: HtmxHttpRequest) -> Any:
    original = access.escalations_for(request.user).filter(pk=d["of"]).first()
    if original is None:
        raise EscalationInvalid(f"No escalation {Escalation.key_of(d['of'])} you can see.")
    return services.escalation_mark_duplicate(escalation=e, of=original, by=by)


@dataclass(frozen=True)
class Transition:
    """One transition as the pages offer it: label, shortcut key, form, and the service call."""

    verb: str
    label: str
    key: str
    form: type[forms.Form]
    run: Callable[[Escalation, Any, dict, HtmxHttpRequest], Any]
    decides: bool = False  # the CTO may make it on an escalation raised to them


TRANSITIONS = {
    t.verb: t
    for t in (
        Transition(
            "triage",
            "Triage",
            "e",
            f.TriageForm,
            lambda e, by, d, r: services.escalation_triage(
                escalation=e,
                by=by,
                severity=d["severity"] or None,
                category=d["category"] or None,
                team=d["team"],
                assignee=d["assignee"],
            ),
        ),
        Transition(
            "route",
            "Route",
            "r",
            f.RouteForm,
            lambda e, by, d, r: services.escalation_route(
                escalation=e, to=d["to"], by=by, note=d["note"]
            ),
        ),
        Transition(
            "raise",
            "Raise to CTO",
            "a",
            f.OptionalNoteForm,
            lambda e, by, d, r: services.escalation_raise_to_cto(
                escalation=e, by=by, note=d["note"]
            ),
        ),
        Transition(
            "convert",
            "Convert to action",
            "c",
            f.ConvertForm,
            lambda e, by, d, r: services.escalation_convert_to_action(
                escalation=e,
                by=by,
                owner=d["owner"],
                due_date=d["due_date"],
                title=d["title"] or None,
            ),
        ),
        Transition(
            "resolve",
            "Resolve",
            "x",
            f.NoteForm,
            lambda e, by, d, r: services.escalation_resolve(escalation=e, by=by, note=d["note"]),
            decides=True,
        ),
        Transition(
            "decline",
            "Decline",
            "d",
            f.NoteForm,
            lambda e, by, d, r: services.escalation_decline(escalation=e, by=by, reason=d["note"]),
        ),
        Transition("duplicate", "Duplicate", "u", f.DuplicateForm, _duplicate),
        Transition(
            "snooze",
            "Snooze",
            "s",
            f.SnoozeForm,
            lambda e, by, d, r: services.escalation_snooze(
                escalation=e,
                until=timezone.now() + dt.timedelta(hours=d["hours"]),
                reason=d["reason"],
                by=by,
            ),
        ),
        Transition(
            "send_back",
            "Send back",
            "b",
            f.NoteForm,
            lambda e, by, d, r: services.escalation_send_back(escalation=e, by=by, note=d["note"]),
            decides=True,
        ),
        Transition(
            "reopen",
            "Reopen",
            "o",
            f.NoteForm,
            lambda e, by, d, r: services.escalation_reopen(escalation=e, by=by, note=d["note"]),
        ),
    )
}


#: The buttons (and shortcut keys) on each open row of the inbox: (verb, label, key).
ROW_BUTTONS = [
    (t.verb, t.label, t.key) for t in TRANSITIONS.values() if t.verb not in ("send_back", "reopen")
]


def allowed_for(user, escalation: Escalation, transition: Transition) -> bool:
    """Whether ``user`` may make ``transition`` on ``escalation`` (``cto_office.access`` decides:
    the CoS triages; the CTO resolves or sends back what was raised to them)."""
    if access.can_triage_escalations(user):
        return transition.verb != "send_back" or access.can_decide_escalation(user, escalation)
    return transition.decides and access.can_decide_escalation(user, escalation)


def offered(user, escalation: Escalation) -> list[Transition]:
    """The transitions the escalation's page offers ``user``: reopen for a closed one, the
    others for an open one, each only if ``allowed_for``."""
    wanted = (
        ("reopen",) if not escalation.is_open else tuple(v for v in TRANSITIONS if v != "reopen")
    )
    return [TRANSITIONS[v] for v in wanted if allowed_for(user, escalation, TRANSITIONS[v])]
