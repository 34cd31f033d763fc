"""Request middleware of the project."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cto_office.clock import office_settings


class OfficeTimeZoneMiddleware:
    """Make the office's time zone (``OfficeSettings.time_zone``) current for each request.

    Django renders aware datetimes in the current time zone and
    ``timezone.localdate()`` answers in it (Django docs, "Time zones: selecting
    the current time zone"), so with this middleware every page, admin
    included, shows meeting times and "today" as the office lives them,
    whatever the server's ``TIME_ZONE``. Views therefore use
    ``timezone.localtime()`` / ``timezone.localdate()``; code that runs outside
    a request (tasks, commands) uses ``cto_office.clock.office_now()``.
    One query per request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(office_settings().tz):
            return self.get_response(request)
