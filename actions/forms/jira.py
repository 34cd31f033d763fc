"""The Jira upload page's forms: the file, then the confirmation of what was previewed."""

from __future__ import annotations

from django import forms

#: The largest Jira export accepted, in bytes (a few thousand issues).
MAX_JIRA_BYTES = 2 * 1024 * 1024


class JiraUploadForm(forms.Form):
    """A Jira "Export CSV" file, at most ``MAX_JIRA_BYTES``."""

    file = forms.FileField(
        label="Jira CSV export",
        help_text="Jira's Export → CSV (all fields or current fields), any locale; at most 2 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_JIRA_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {MAX_JIRA_BYTES:,}."
            )
        return upload


class JiraConfirmForm(forms.Form):
    """Confirm the import of the previewed file, named by its SHA-256 (hex)."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
