"""The admin's forms that carry the version the editor loaded (optimistic concurrency in
Django admin, STYLE rule 5): the shared ``SeenVersionForm`` and the action's form."""

from __future__ import annotations

from django import forms

from actions.errors import VersionConflict
from actions.models import ActionItem
from actions.services.action import check_version


class SeenVersionForm(forms.ModelForm):
    """A model admin form that carries the version the editor loaded (``seen_version``, hidden)
    and checks it before saving (an error on the form, input kept); the service checks it again
    under its row lock. Subclasses say how in ``check_seen_version``."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def check_seen_version(self, seen: int) -> None:
        """Raise a ``VersionConflict`` if the saved object moved past version ``seen``."""
        raise NotImplementedError

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk:
            try:
                self.check_seen_version(data.get("seen_version") or 0)
            except VersionConflict as error:
                raise forms.ValidationError(str(error)) from error
        return data


class ActionItemAdminForm(SeenVersionForm):
    """The admin's action form. Adding one is ``action_create``; a change goes through
    ``action_reassign`` (owner), ``action_edit`` (title, description, team, priority) and
    ``action_update`` (status, due date with its ``reason``, progress ``note``), each with the
    version the editor loaded, so that of two admin saves the second gets the conflict."""

    reason = forms.CharField(
        required=False,
        max_length=300,
        label="Reason for a new due date",
        help_text="Needed when the due date moves later (it counts as a slip).",
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Progress note"
    )

    class Meta:
        model = ActionItem
        fields = ("title", "description", "owner", "team", "due_date", "priority", "status")

    def check_seen_version(self, seen: int) -> None:
        check_version(self.instance, seen)
