"""The one way our pages answer both full and htmx requests (STYLE.md rule 3)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """``HttpRequest`` with the ``htmx`` attribute django-htmx's middleware adds (for type hints)."""

    htmx: HtmxDetails


def wants_partial(request: HtmxHttpRequest) -> bool:
    """Whether ``render_page_or_partial`` answers ``request`` with the partial only: an htmx
    request, except a history restore (the back button after an htmx navigation), which
    wants the whole page. Lets a view skip what only the whole page shows."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page_or_partial(
    request: HtmxHttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only its ``partial`` (a django-template-partials name) for htmx.

    A history-restore request (the back button after an htmx navigation) wants
    the whole page, so it gets it. ``Vary: HX-Request`` keeps caches from
    serving the fragment in place of the page.
    """
    if wants_partial(request):
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
