"""Calendars: the person's secret feed (create, replace, revoke), the feed itself, one
meeting's .ics, and the import of an .ics file (upload → preview → confirm).

The feed is the one cadence URL without a login (calendar apps cannot sign in): the
token in its path is the credential (``CalendarFeed``), an unknown one is a 404.
Between preview and confirm the file travels back in the form, signed
(``django.core.signing``, one hour), so nothing is stored until the CoS confirms.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadence import selectors, services
from cadence.calendars import CalendarError, build_calendar, parse_calendar
from cadence.models import CalendarFeed, Meeting
from cadence.views.page import meeting_for
from cto_office import access
from cto_office.clock import office_tz
from cto_office.htmx import HtmxHttpRequest
from cto_office.mail import absolute_url

#: Largest .ics accepted for import (1 MiB: years of a busy calendar).
MAX_ICS_BYTES = 1024 * 1024
_SALT = "cadence.calendar-import"
#: The feed covers meetings from this long ago onwards.
FEED_PAST = dt.timedelta(days=90)


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cto-office"


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _meeting_url(meeting: Meeting) -> str:
    return absolute_url(reverse("cadence:meeting_detail", args=[meeting.pk]))


@login_not_required
@require_GET
def calendar_feed(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The person's meetings (attended, from 90 days ago) as an iCalendar feed; 404 for an
    unknown token and for a deactivated account (a leaver's feed stops with their login)."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user").filter(user__is_active=True), token=token
    )
    meetings = feed.user.meetings.filter(start__gte=timezone.now() - FEED_PAST).order_by("start")
    body = build_calendar(
        meetings,
        name="CTO Office meetings",
        tz=office_tz(),
        domain=_domain(),
        url_of=_meeting_url,
    )
    response = _ics_response(body, "meetings.ics")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


@require_GET
def meeting_ics(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One meeting as an .ics download (the same UID as in the feed)."""
    meeting = meeting_for(request, pk)
    body = build_calendar(
        [meeting], name=meeting.title, tz=office_tz(), domain=_domain(), url_of=_meeting_url
    )
    return _ics_response(body, f"meeting-{meeting.pk}.ics")


def _calendar_page(request, *, status=200, **extra) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {
        "feed_url": absolute_url(reverse("cadence:calendar_feed", args=[feed.token]))
        if feed
        else "",
        "feed": feed,
        "can_import": access.can_manage_meetings(request.user),
        "max_kb": MAX_ICS_BYTES // 1024,
        **extra,
    }
    return render(request, "cadence/calendar.html", context, status=status)


@require_GET
def calendar(request: HtmxHttpRequest) -> HttpResponse:
    """My calendar: the secret feed URL, and (for the CoS) the import of an .ics file."""
    return _calendar_page(request)


@require_POST
def calendar_feed_rotate(request: HtmxHttpRequest) -> HttpResponse:
    services.calendar_feed_rotate(by=request.user)
    return redirect("cadence:calendar")


@require_POST
def calendar_feed_revoke(request: HtmxHttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(by=request.user)
    return redirect("cadence:calendar")


@require_http_methods(["POST"])
def calendar_import(request: HtmxHttpRequest) -> HttpResponse:
    """Step 1 (``file``): parse and preview. Step 2 (``token``): import what was previewed."""
    if not access.can_manage_meetings(request.user):
        raise PermissionDenied("Only the Chief of Staff imports calendars.")
    if "token" in request.POST:
        try:
            payload = signing.loads(request.POST["token"], salt=_SALT, max_age=3600)
            events = parse_calendar(payload["data"].encode(), name=payload["name"])
        except signing.BadSignature:
            return _calendar_page(
                request, status=422, import_error="The preview expired: upload the file again."
            )
        except CalendarError as exc:
            return _calendar_page(request, status=422, import_error=str(exc))
        try:
            result = services.calendar_import(by=request.user, events=events)
        except services.CadenceError as exc:
            return _calendar_page(request, status=409, import_error=str(exc))
        return _calendar_page(request, imported=result)
    upload = request.FILES.get("file")
    if upload is None:
        return _calendar_page(request, status=422, import_error="Choose an .ics file.")
    if upload.size > MAX_ICS_BYTES:
        return _calendar_page(
            request,
            status=422,
            import_error=f"{upload.name} is larger than {MAX_ICS_BYTES // 1024} KB.",
        )
    data = upload.read()
    try:
        events = parse_calendar(data, name=upload.name)
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _calendar_page(request, status=422, import_error=f"{upload.name} is not UTF-8 text.")
    except CalendarError as exc:
        return _calendar_page(request, status=422, import_error=str(exc))
    start, end = services.import_window(now=timezone.now())
    known = selectors.imported_calendar_uids(events)
    preview = [
        {
            "event": event,
            "already": event.uid in known,
            "count": len(occ := event.occurrences(start, end)),
            "next": occ[:5],
            "earlier": len(event.occurrences(event.first_start, start)),
        }
        for event in events
    ]
    token = signing.dumps({"name": upload.name, "data": text}, salt=_SALT, compress=True)
    return _calendar_page(request, preview=preview, token=token, file_name=upload.name)
