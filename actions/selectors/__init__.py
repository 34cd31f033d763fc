"""Reads for the action register, the escalation inbox and the weekly briefing, each built for
a fixed number of queries and, except the briefing's sections, scoped through ``cto_office.access``.

Split by page: ``register`` (the action register), ``inbox`` (escalations),
``briefing`` (the briefing's whole-office sections); re-exported here.
"""

from actions.selectors.action_page import action_detail
from actions.selectors.briefing import (
    NO_TEAM,
    briefing_actions_section,
    briefing_escalations_section,
)
from actions.selectors.common import PAGE_SIZE
from actions.selectors.inbox import (
    EscalationFilters,
    escalation_detail,
    escalation_list,
    inbox_counts,
    mark_clocks,
    my_escalations,
    raised_to,
)
from actions.selectors.register import (
    ME,
    MY_TEAMS,
    SORTS,
    ActionFilters,
    action_register,
    export_rows,
    filtered_actions,
    register_counts,
    with_overdue_days,
)

__all__ = [
    "ME",
    "MY_TEAMS",
    "SORTS",
    "NO_TEAM",
    "PAGE_SIZE",
    "ActionFilters",
    "EscalationFilters",
    "action_detail",
    "action_register",
    "briefing_actions_section",
    "briefing_escalations_section",
    "escalation_detail",
    "escalation_list",
    "export_rows",
    "filtered_actions",
    "inbox_counts",
    "mark_clocks",
    "my_escalations",
    "raised_to",
    "register_counts",
    "with_overdue_days",
]
