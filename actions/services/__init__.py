"""Every write of the action register and the escalation inbox (``<entity>_<verb>`` services).

The package splits by entity (``action``, ``escalation`` with its state machine in ``escalation_state``,
``escalation_record`` for raising and editing, ``escalation_mail``)
so that no module passes ~400 lines; everything is re-exported here, so callers
import ``from actions.services import action_create, escalation_route``.
"""

from actions.services.action import (
    action_create,
    action_edit,
    action_reassign,
    action_update,
)
from actions.services.escalation import (
    escalation_convert_to_action,
    escalation_decline,
    escalation_mark_duplicate,
    escalation_raise_to_cto,
    escalation_reopen,
    escalation_resolve,
    escalation_route,
    escalation_send_back,
    escalation_snooze,
    escalation_triage,
)
from actions.services.escalation_record import escalation_edit, escalation_raise

__all__ = [
    "action_create",
    "action_edit",
    "action_reassign",
    "action_update",
    "escalation_convert_to_action",
    "escalation_decline",
    "escalation_edit",
    "escalation_mark_duplicate",
    "escalation_raise",
    "escalation_raise_to_cto",
    "escalation_reopen",
    "escalation_resolve",
    "escalation_route",
    "escalation_send_back",
    "escalation_snooze",
    "escalation_triage",
]
