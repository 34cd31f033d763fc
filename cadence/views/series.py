"""Meeting series: create and edit, with the next occurrences shown before saving.

The form's recurrence fields become an RRULE (``cadence.recurrence.Recurrence``),
expanded in the series' own time zone. "Preview" (a button, and an htmx request
whenever a field changes) renders the next occurrences without saving anything.
The Chief of Staff's pages (``access.can_manage_meetings``); others get 403.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadence import forms, services
from cadence.models import MeetingSeries
from cadence.recurrence import WEEKDAY_CODES, describe, expand
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial

PREVIEW_COUNT = 6


def _require_manager(request: HtmxHttpRequest) -> None:
    if not access.can_manage_meetings(request.user):
        raise PermissionDenied("Only the Chief of Staff manages meeting series.")


def _next(rrule: str, first_start: dt.datetime, time_zone: str, after: dt.datetime):
    """The first ``PREVIEW_COUNT`` occurrences from ``after`` (looking up to three years on)."""
    return expand(
        rrule,
        first_start=first_start,
        time_zone=time_zone,
        start=after,
        end=after + dt.timedelta(days=3 * 366),
        limit=PREVIEW_COUNT,
    )


def _preview(form: forms.SeriesForm) -> list[dt.datetime]:
    data = form.cleaned_data
    return _next(data["rrule"], data["first_start"], data["time_zone"], data["first_start"])


def _initial(series: MeetingSeries) -> dict[str, Any]:
    """The form's fields for an existing series (the RRULE read back into the plain fields
    where it is one the form writes; otherwise the nearest, and ``SeriesForm`` keeps the
    series' own rule while those fields are left as they are)."""
    local = series.first_start.astimezone(zoneinfo.ZoneInfo(series.time_zone))
    parts = dict(
        p.split("=", 1) for p in series.rrule.removeprefix("RRULE:").split(";") if "=" in p
    )
    days = [d[-2:] for d in parts.get("BYDAY", WEEKDAY_CODES[local.weekday()]).split(",")]
    month_week = parts.get("BYDAY", "")[:-2] if parts.get("FREQ") == "MONTHLY" else ""
    return {
        "title": series.title,
        "kind": series.kind,
        "owner": series.owner_id,
        "attendees": list(series.default_attendees.values_list("pk", flat=True)),
        "first_start": local.replace(tzinfo=None),
        "time_zone": series.time_zone,
        "duration_minutes": series.duration_minutes,
        "freq": "monthly" if parts.get("FREQ") == "MONTHLY" else "weekly",
        "interval": int(parts.get("INTERVAL", 1)),
        "weekdays": [WEEKDAY_CODES.index(d) for d in days if d in WEEKDAY_CODES],
        "month_week": int(month_week) if month_week.lstrip("-").isdigit() else 1,
        "count": int(parts["COUNT"]) if "COUNT" in parts else None,
        "until": dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        if "UNTIL" in parts
        else None,
        "agenda_template": series.agenda_template,
    }


def _save(request: HtmxHttpRequest, form: forms.SeriesForm, series: MeetingSeries | None):
    data = form.cleaned_data
    fields = {
        "by": request.user,
        "title": data["title"],
        "owner": data["owner"],
        "rrule": data["rrule"],
        "time_zone": data["time_zone"],
        "first_start": data["first_start"],
        "duration_minutes": data["duration_minutes"],
        "kind": data["kind"],
        "attendees": data["attendees"],
        "agenda_template": data["agenda_template"],
    }
    if series is None:
        return services.series_create(**fields)
    return services.series_update(series=series, **fields)


def _series_form_page(request: HtmxHttpRequest, series: MeetingSeries | None) -> HttpResponse:
    _require_manager(request)
    initial = _initial(series) if series else {"owner": request.user.pk}
    form = forms.SeriesForm(
        request.POST or None, initial=initial, current_rrule=series.rrule if series else ""
    )
    occurrences: list[dt.datetime] = []
    if series and request.method == "GET":
        occurrences = _next(series.rrule, series.first_start, series.time_zone, timezone.now())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            occurrences = _preview(form)
            if "save" in request.POST:
                try:
                    saved = _save(request, form, series)
                except services.CadenceError as exc:
                    form.add_error(None, str(exc))
                    status = 422
                else:
                    return redirect("cadence:series_edit", saved.pk)
        else:
            status = 422
    upcoming = (
        list(series.meetings.filter(start__gte=timezone.now()).order_by("start")[:10])
        if series
        else []
    )
    return render_page_or_partial(
        request,
        "cadence/series_form.html",
        {
            "form": form,
            "series": series,
            "rule": describe(series.rrule) if series else "",
            "occurrences": occurrences,
            "upcoming": upcoming,
        },
        partial="preview",
        status=status,
    )


@require_http_methods(["GET", "POST"])
def series_create(request: HtmxHttpRequest) -> HttpResponse:
    return _series_form_page(request, None)


@require_http_methods(["GET", "POST"])
def series_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _series_form_page(request, get_object_or_404(MeetingSeries, pk=pk))


@require_POST
def series_preview(request: HtmxHttpRequest) -> HttpResponse:
    """The next occurrences of the form as typed (htmx, on every change); saves nothing."""
    _require_manager(request)
    form = forms.SeriesForm(request.POST)
    occurrences = _preview(form) if form.is_valid() else []
    return render_page_or_partial(
        request,
        "cadence/series_form.html",
        {"form": form, "occurrences": occurrences, "preview_only": True},
        partial="preview",
        status=200 if form.is_valid() else 422,
    )
