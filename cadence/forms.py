"""Forms of the meeting pages. They only parse and validate input; the services write.

Times typed into a form are wall-clock times in the office's time zone (the
current zone during a request, ``OfficeTimeZoneMiddleware``) unless the form
has its own zone field (the series form).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from cadence.models import AgendaItemKind, MeetingKind, validate_time_zone
from cadence.recurrence import MONTH_WEEKS, WEEKDAY_NAMES, Recurrence
from cto_office.models import person_name

User = get_user_model()


def _people():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


def _limit_to_attendees(field: forms.ModelChoiceField, attendees: list) -> None:
    """Offer only the meeting's attendees, from the list the page already loaded (the
    choices cost no query; validation looks the chosen one up among them)."""
    field.queryset = User.objects.filter(pk__in=[a.pk for a in attendees])
    field.choices = [("", "—")] + [(a.pk, person_name(a)) for a in attendees]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class AgendaTemplateField(forms.CharField):
    """One agenda item per line: ``Title, minutes[, kind]`` → the series' template list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def to_python(self, value: str | None) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.rsplit(",", 2)]
            kinds = {k.lower(): k for k in AgendaItemKind.values}
            kind = AgendaItemKind.DISCUSSION
            if len(parts) == 3 and parts[2].lower() in kinds:
                kind = kinds[parts[2].lower()]
                parts = parts[:2]
            elif len(parts) == 3:
                parts = [f"{parts[0]}, {parts[1]}", parts[2]]
            if len(parts) < 2 or not parts[-1].isdigit() or int(parts[-1]) <= 0:
                raise forms.ValidationError(
                    f"Line {number}: write “Title, minutes” (e.g. “Metrics review, 10”)."
                )
            rows.append({"title": parts[0], "minutes": int(parts[1]), "kind": kind})
        return rows

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(f"{r['title']}, {r['minutes']}, {r['kind']}" for r in value)
        return value or ""


class SeriesForm(forms.Form):
    """A meeting series: what, who, and the recurrence as plain fields (``Recurrence``).

    ``current_rrule``: the rule of the series being edited. The plain fields cannot show
    every rule (``FREQ=DAILY``, ``BYMONTHDAY`` from an imported calendar); when none of
    ``RECURRENCE_FIELDS`` changed from ``initial``, ``cleaned_data["rrule"]`` is that rule
    unchanged, so renaming a series never rewrites when it meets.
    """

    RECURRENCE_FIELDS = ("freq", "interval", "weekdays", "month_week", "until", "count")

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.STAFF)
    owner = PersonChoiceField(queryset=_people())
    attendees = PeopleChoiceField(queryset=_people(), required=False)
    first_start = forms.DateTimeField(
        label="First meeting", widget=DateTimeLocalInput(), help_text="In the series' time zone."
    )
    time_zone = forms.CharField(max_length=64, initial="Europe/London")
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=5, initial=60)
    freq = forms.ChoiceField(
        label="Repeats", choices=[("weekly", "Weekly"), ("monthly", "Monthly")], initial="weekly"
    )
    interval = forms.IntegerField(label="Every", min_value=1, max_value=52, initial=1)
    weekdays = forms.TypedMultipleChoiceField(
        label="On",
        coerce=int,
        choices=list(enumerate(WEEKDAY_NAMES)),
        widget=forms.CheckboxSelectMultiple,
        help_text="Monthly: the first weekday ticked.",
    )
    month_week = forms.TypedChoiceField(
        label="Monthly: which", coerce=int, choices=MONTH_WEEKS, initial=1, required=False
    )
    until = forms.DateField(label="Until", required=False, widget=DateInput())
    count = forms.IntegerField(label="Or after (meetings)", min_value=1, required=False)
    agenda_template = AgendaTemplateField(
        required=False,
        help_text="One item per line: Title, minutes[, information|discussion|decision]",
    )

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        validate_time_zone(value)
        return value

    def __init__(self, *args: Any, current_rrule: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_rrule = current_rrule.removeprefix("RRULE:")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if self.current_rrule and not set(self.RECURRENCE_FIELDS) & set(self.changed_data):
            data["rrule"] = self.current_rrule
        else:
            data["rrule"] = self._rrule(data)
        # The typed time is a wall-clock time in the series' own zone.
        naive = data["first_start"].replace(tzinfo=None)
        data["first_start"] = naive.replace(tzinfo=zoneinfo.ZoneInfo(data["time_zone"]))
        return data

    @staticmethod
    def _rrule(data: dict[str, Any]) -> str:
        try:
            return Recurrence(
                freq=data["freq"],
                interval=data["interval"],
                weekdays=tuple(data["weekdays"]),
                month_week=data.get("month_week") or 1,
                until=data.get("until"),
                count=data.get("count"),
            ).rrule()
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class MeetingForm(forms.Form):
    """A one-off meeting (or a meeting's details: no times when editing, see ``RescheduleForm``)."""

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.OTHER)
    start = forms.DateTimeField(widget=DateTimeLocalInput())
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=5, initial=60)
    location = forms.CharField(max_length=200, required=False)
    video_url = forms.URLField(label="Video link", required=False, assume_scheme="https")
    attendees = PeopleChoiceField(queryset=_people(), required=False)
    agenda_template = AgendaTemplateField(
        label="Agenda", required=False, help_text="One item per line: Title, minutes[, kind]"
    )


class MeetingDetailsForm(forms.Form):
    """What a meeting is called, where it is and who attends (its time: ``RescheduleForm``)."""

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    location = forms.CharField(max_length=200, required=False)
    video_url = forms.URLField(label="Video link", required=False, assume_scheme="https")
    attendees = PeopleChoiceField(queryset=_people(), required=False)


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(widget=DateTimeLocalInput())
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=5)

    @property
    def end(self) -> dt.datetime:
        return self.cleaned_data["start"] + dt.timedelta(
            minutes=self.cleaned_data["duration_minutes"]
        )


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    time_box_minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=600, initial=10)
    kind = forms.ChoiceField(choices=AgendaItemKind.choices, initial=AgendaItemKind.DISCUSSION)
    presenter = PersonChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, attendees: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_attendees(self.fields["presenter"], attendees or [])


class AgendaItemEditForm(AgendaItemForm):
    """An agenda item's edit: the add form's fields plus its notes or outcome."""

    notes = forms.CharField(
        label="Notes / outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    position = forms.IntegerField(min_value=0)


class PreReadForm(forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(required=False, help_text="PDF, Office document, text or Markdown.")
    url = forms.URLField(label="Link", required=False, assume_scheme="https")
    body = forms.CharField(
        label="Text (Markdown)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    summary = forms.CharField(max_length=300)
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decided_by = PersonChoiceField(queryset=User.objects.none(), required=False)
    #: Rendered by the page as a select of the agenda (``cadence/_item_select.html``).
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, attendees: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_attendees(self.fields["decided_by"], attendees or [])


class ActionCaptureForm(forms.Form):
    title = forms.CharField(max_length=200, label="Action")
    owner = PersonChoiceField(queryset=User.objects.none())
    due_date = forms.DateField(widget=DateInput())
    #: Rendered by the page as a select of the agenda (``cadence/_item_select.html``).
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, attendees: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_attendees(self.fields["owner"], attendees or [])


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown."
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(coerce=int, choices=[(n, str(n)) for n in range(1, 11)])
