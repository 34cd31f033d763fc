"""Domain errors of the action register and the escalation inbox.

Services raise them; views turn them into a re-rendered form (``ActionInvalid``,
``EscalationInvalid``, ``TransitionNotAllowed``: 422 with the user's input kept)
or a 409 (``VersionConflict``: STYLE rule 5, naming who changed what and when).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


class ActionsError(Exception):
    """Base of every domain error of the ``actions`` app; ``str(error)`` is the message shown."""


class ActionInvalid(ActionsError):
    """An action that cannot be created or changed as asked (the message says why)."""


class EscalationInvalid(ActionsError):
    """An escalation write with a bad value (the message says which and why)."""


class TransitionNotAllowed(ActionsError):
    """A transition the escalation's current state does not allow (``escalation_*`` services)."""

    def __init__(self, *, key: str, state_label: str, verb: str) -> None:
        self.key, self.state_label, self.verb = key, state_label, verb
        super().__init__(f"{key} is {state_label.lower()}: it cannot be {verb} from that state.")


class VersionConflict(ActionsError):
    """Someone changed the object since the version the user saw (optimistic concurrency).

    ``key`` is the object's key (``ESC-12``, ``ACT-40``), ``who`` that person's display
    name, ``what`` what they did ("routed it to Ada Lovelace"), ``when`` an aware
    datetime (shown in the office's time zone). Views answer 409 with this message.
    """

    def __init__(self, *, key: str, who: str, what: str, when: dt.datetime | None) -> None:
        self.key, self.who, self.what, self.when = key, who, what, when
        at = f" at {timezone.localtime(when):%H:%M on %d %b}" if when else ""
        super().__init__(
            f"{key} changed while you were looking at it: {who} {what}{at}. "
            "Nothing of yours was saved; look at its current state and try again."
        )


class EscalationConflict(VersionConflict):
    """Someone changed the escalation since the version the user saw."""


class ActionConflict(VersionConflict):
    """Someone changed the action since the version the user saw."""
