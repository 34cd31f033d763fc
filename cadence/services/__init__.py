"""Every write of the cadence (one package, split by subject): series, meetings and their state, agendas, pre-reads,
decisions, ratings and carry-over reviews.

Each function is keyword-only, takes the acting user as ``by`` and runs in one
``transaction.atomic()``. Domain errors are ``CadenceError`` subclasses whose
message is for the person who tried; nothing is half-written when one is raised.
Mails are not sent from here: ``cadence.tasks`` wraps the two publishing
services and enqueues the mails on commit.

The meeting's state machine (DESIGN.md §2): ``draft`` → ``agenda_published`` →
``held`` → ``minutes_published``; ``draft`` or ``agenda_published`` → ``cancelled``.
Live mode is a published agenda with ``live_started_at`` set; ending it marks the
meeting held. Any other move raises ``MeetingStateError``.
"""

from cadence.services.agenda import (
    action_capture,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    carry_over_review,
    decision_record,
    pre_read_acknowledge,
    pre_read_add,
)
from cadence.services.base import (
    SCHEDULE_HORIZON,
    CadenceError,
    CadenceInvalid,
    MeetingStateError,
)
from cadence.services.calendars import (
    ImportResult,
    calendar_feed_revoke,
    calendar_feed_rotate,
    calendar_import,
    import_window,
)
from cadence.services.meetings import (
    agenda_item_advance,
    agenda_publish,
    meeting_cancel,
    meeting_go_live,
    meeting_mark_held,
    meeting_rate,
    meeting_reschedule,
    meeting_schedule,
    meeting_update,
    minutes_publish,
    minutes_save,
    series_create,
    series_schedule,
    series_update,
)

__all__ = [
    "action_capture",
    "SCHEDULE_HORIZON",
    "CadenceError",
    "CadenceInvalid",
    "ImportResult",
    "calendar_feed_revoke",
    "calendar_feed_rotate",
    "calendar_import",
    "import_window",
    "MeetingStateError",
    "agenda_item_add",
    "agenda_item_advance",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "agenda_publish",
    "carry_over_review",
    "decision_record",
    "meeting_cancel",
    "meeting_go_live",
    "meeting_mark_held",
    "meeting_rate",
    "meeting_reschedule",
    "meeting_schedule",
    "meeting_update",
    "minutes_publish",
    "minutes_save",
    "pre_read_acknowledge",
    "pre_read_add",
    "series_create",
    "series_schedule",
    "series_update",
]
