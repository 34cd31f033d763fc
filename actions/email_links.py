"""One-click links in chase e-mails: signed, bound to one recipient, one action and its version.

A link carries ``{"a": action id, "u": recipient id, "v": action version, "k": kind}``
signed with ``django.core.signing.TimestampSigner`` (salted per purpose, Django docs
"Cryptographic signing") and expires after ``MAX_AGE`` (7 days). Opening it shows a
confirm page without signing in and changes nothing (a GET is safe: mail scanners
follow links); the change happens on POST, as the recipient, through the action
services. Because the link names the version the e-mail showed, a link used once (the
change bumps the version), or an action changed since by anyone, is refused by the
service's version check (``ActionConflict``) and the page says who changed what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from actions.models import ActionItem
from cto_office import access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_AGE = dt.timedelta(days=7)
SALT = "actions.email-link.v1"
Kind = Literal["done", "note", "date"]
KINDS: dict[str, str] = {
    "done": "Mark done",
    "note": "Add a progress note",
    "date": "Propose a new date",
}


class LinkRefused(Exception):
    """The link cannot be used: ``reason`` is ``"expired"``, ``"tampered"`` or ``"unknown"``."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class LinkClaim:
    """What a valid link allows: ``recipient`` may do ``kind`` to ``action`` seen at ``version``."""

    action: ActionItem
    recipient: User
    version: int
    kind: Kind


def link_token(*, action: ActionItem, recipient: User, kind: Kind) -> str:
    """The signed token of a one-click link (URL-safe base64 with a timestamp)."""
    if kind not in KINDS:
        raise ValueError(f"unknown link kind {kind!r}")
    payload = {"a": action.pk, "u": recipient.pk, "v": action.version, "k": kind}
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)


def link_path(*, action: ActionItem, recipient: User, kind: Kind) -> str:
    """The site-relative URL of a one-click link (``absolute_url`` makes it absolute)."""
    return reverse(
        "actions:email_link", args=[link_token(action=action, recipient=recipient, kind=kind)]
    )


def read_link(token: str) -> LinkClaim:
    """The claim of ``token``; raises ``LinkRefused`` when it is expired, tampered with, or
    names an action or person that no longer exists, is inactive, or may no longer see it
    (``access.can_edit_action``). Two or three queries."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkRefused("expired") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkRefused("tampered") from exc
    action = ActionItem.objects.filter(pk=payload.get("a")).first()
    recipient = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if action is None or recipient is None or payload.get("k") not in KINDS:
        raise LinkRefused("unknown")
    if not access.can_edit_action(recipient, action):
        raise LinkRefused("unknown")
    return LinkClaim(
        action=action, recipient=recipient, version=int(payload["v"]), kind=payload["k"]
    )
