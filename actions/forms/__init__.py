"""Forms of the actions app: list filters (``filters``) and the escalation forms (``escalation``)."""

from actions.forms.action import ActionCreateForm, ActionUpdateForm
from actions.forms.escalation import (
    ConvertForm,
    DuplicateForm,
    EscalationRaiseForm,
    NoteForm,
    OptionalNoteForm,
    RouteForm,
    SnoozeForm,
    TriageForm,
)
from actions.forms.filters import ActionFilterForm, EscalationFilterForm

__all__ = [
    "ActionCreateForm",
    "ActionFilterForm",
    "ActionUpdateForm",
    "ConvertForm",
    "DuplicateForm",
    "EscalationFilterForm",
    "EscalationRaiseForm",
    "NoteForm",
    "OptionalNoteForm",
    "RouteForm",
    "SnoozeForm",
    "TriageForm",
]
