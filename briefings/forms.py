"""Forms of the briefings app."""

from __future__ import annotations

from django import forms

from briefings.services.imports import IMPORT_KINDS, MAX_IMPORT_BYTES
from briefings.services.review import COMMENTARY_MAX_CHARS


class CommentaryForm(forms.Form):
    """The Chief of Staff's commentary on a draft: Markdown, sanitised when shown."""

    commentary = forms.CharField(
        label="What I want you to look at this week",
        required=False,
        max_length=COMMENTARY_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, *italic*, lists, links. It goes on the cover of the PDF.",
    )


class CheckInForm(forms.Form):
    """A key-result check-in: the value now, the owner's confidence (0–1) and a short note."""

    value = forms.DecimalField(max_digits=14, decimal_places=2, label="Value now")
    confidence = forms.DecimalField(
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        label="Confidence (0–1)",
        help_text="How sure you are to hit the target: 0.7 means 70%.",
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class CsvImportForm(forms.Form):
    """A CSV file of one kind of briefing input (``briefings.services.imports``)."""

    kind = forms.ChoiceField(choices=[(key, kind.label) for key, kind in IMPORT_KINDS.items()])
    file = forms.FileField(
        label="CSV file",
        help_text="Comma, semicolon or tab separated, UTF-8 (Excel's BOM is fine).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,}."
            )
        return upload
