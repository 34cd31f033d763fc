"""The form of a one-click link from a chase e-mail (``actions.views.email_links``)."""

from __future__ import annotations

from django import forms


class EmailLinkForm(forms.Form):
    """The one field a one-click e-mail link asks for: nothing (done), a note, or a date and reason.

    ``kind`` is the link's kind (``actions.email_links.KINDS``); fields not used by it
    are removed, so only what the link offers can be changed (no mass assignment).
    """

    note = forms.CharField(
        label="Progress note", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    due_date = forms.DateField(label="New due date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Why the date moves", max_length=300, required=False)

    FIELDS = {"done": (), "note": ("note",), "date": ("due_date", "reason")}

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FIELDS[kind]:
                del self.fields[name]
