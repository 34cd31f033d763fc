"""Forms to raise an escalation and to move it through triage (one per kind of transition).

Each transition form carries ``version``, the escalation's version when the form
was shown: the service compares it (optimistic concurrency, STYLE rule 5). A
person is typed, not picked from a long select: a text input with a datalist
of names, resolved to an active user by username (``PersonField``), so routing
one takes a few keystrokes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from actions.models import Escalation
from cto_office.clock import office_settings
from cto_office.models import Team

#: What each severity means, shown beside it on the raise form with its SLA.
SEVERITY_HINTS = {
    "critical": "Production down, a security breach or a risk to people",
    "high": "Blocks a team or a committed date this week",
    "medium": "Needs a decision or help within days",
    "low": "Worth the office knowing; no deadline",
}


class PersonField(forms.CharField):
    """An active user, typed as ``Name (username)`` (what the datalist offers) or ``username``."""

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        match = re.search(r"\(([^()]+)\)\s*$", text)
        username = (match.group(1) if match else text).strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                f"No active person called {text!r}: pick one from the list."
            )
        return user


def _note(label: str = "Note", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalationRaiseForm(forms.Form):
    """Raise an escalation: any signed-in person (``escalation_raise``)."""

    title = forms.CharField(max_length=300)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. What happened, what you need, by when.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.only("pk", "name"), required=False, empty_label="No particular team"
    )
    category = forms.ChoiceField(choices=Escalation.Category.choices)
    severity = forms.ChoiceField(
        choices=Escalation.Severity.choices,
        initial=Escalation.Severity.MEDIUM,
        widget=forms.RadioSelect,
    )
    confidential = forms.BooleanField(
        required=False,
        help_text=(
            "Only the Chief of Staff, the CTO, you, and whoever it is later routed to (or who "
            "owns an action made from it) will see it. It stays out of every list, count and "
            "email for anyone else."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = office_settings().sla_hours
        self.fields["severity"].choices = [
            (value, f"{label}: {SEVERITY_HINTS[value]} (triaged within {hours[value]} h)")
            for value, label in Escalation.Severity.choices
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TriageForm(VersionForm):
    severity = forms.ChoiceField(
        choices=[("", "Keep"), *Escalation.Severity.choices], required=False
    )
    category = forms.ChoiceField(
        choices=[("", "Keep"), *Escalation.Category.choices], required=False
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.only("pk", "name"), required=False, empty_label="Keep"
    )
    assignee = PersonField(required=False, label="Assignee")


class RouteForm(VersionForm):
    to = PersonField(label="Route to")
    note = _note(required=False)


class OptionalNoteForm(VersionForm):
    note = _note(required=False)


class NoteForm(VersionForm):
    note = _note()


class ConvertForm(VersionForm):
    owner = PersonField(label="Action owner")
    due_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    title = forms.CharField(max_length=300, required=False, label="Action title")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = timezone.localdate() + dt.timedelta(days=7)


class DuplicateForm(VersionForm):
    of = forms.CharField(label="Duplicate of (key)", max_length=20)

    def clean_of(self) -> int:
        pk = Escalation.pk_from_key(self.cleaned_data["of"])
        if pk is None:
            raise forms.ValidationError("Give the other escalation's key, like ESC-12.")
        return pk


SNOOZE_HOURS = [(4, "4 hours"), (24, "1 day"), (72, "3 days"), (168, "1 week")]


class SnoozeForm(VersionForm):
    hours = forms.TypedChoiceField(choices=SNOOZE_HOURS, coerce=int, initial=24, label="Snooze for")
    reason = forms.CharField(max_length=300)
