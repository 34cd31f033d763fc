"""Forms of the action register's writes: the inline update (row and action page) and a new action.

Each binds only what the user typed; the rules (a later due date needs a reason, nothing
to change, a due date years away) are the services' (``actions.services.action``), whose
``ActionInvalid`` the views show on the form with 422 and the input kept.
"""

from __future__ import annotations

from typing import Any

from django import forms

from actions.forms.escalation import PersonField
from actions.models import ActionItem
from cto_office import access
from cto_office.models import Team


class ActionUpdateForm(forms.Form):
    """Status, progress note, new due date with its reason; ``version`` is the version the
    user saw (hidden). Binds the POST only: the template ``actions/_action_update_form.html``
    renders the fields itself (fifty rows' forms on a page, kept cheap)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(choices=ActionItem.Status.choices)
    note = forms.CharField(
        label="Progress note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = forms.DateField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Reason for a later date",
        required=False,
        max_length=300,
        help_text="Needed when the date moves later.",
    )


class OwnerField(PersonField):
    """An active person the viewer may name (``access.people_for``), typed as
    ``Name (username)`` or ``username``; anyone else reads as unknown."""

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        self.people = people
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        user = super().clean(value)
        if user is not None and not self.people.filter(pk=user.pk).exists():
            raise forms.ValidationError(
                f"No active person called {value!r}: pick one from the list."
            )
        return user


class ActionCreateForm(forms.Form):
    """A new action (``action_create``, source "manual"): the owner is someone the viewer may
    name (``access.people_for``: a staff member only themselves); the team comes from the
    searchable team picker (a team id)."""

    title = forms.CharField(max_length=300)
    owner = forms.CharField()  # replaced in __init__: it needs the viewer
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(queryset=Team.objects.only("pk", "name"), required=False)
    priority = forms.TypedChoiceField(
        coerce=int, choices=ActionItem.Priority.choices, initial=ActionItem.Priority.MEDIUM
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Markdown."
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-action-%s")
        super().__init__(*args, **kwargs)
        self.people = access.people_for(user).filter(is_active=True)
        self.fields["owner"] = OwnerField(
            people=self.people,
            help_text="Type a name and pick it from the list.",
            widget=forms.TextInput(attrs={"list": "new-action-people", "autocomplete": "off"}),
        )
