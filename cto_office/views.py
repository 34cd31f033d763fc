"""Project-level views: the 403 and 404 answers (``handler403``/``handler404`` in ``urls.py``).

A full request gets Django's own error page (``403.html``/``404.html``, in the
base layout). An htmx request gets the message partial instead
(``_partials/message.html``), with the status kept and ``HX-Retarget: #messages`` /
``HX-Reswap: beforeend`` (htmx docs, "Response Headers"), so the reader sees a
sentence in the page's message region rather than a blank or half-swapped page;
``static/js/app.js`` lets htmx swap these two statuses. Part of the composition
layer (only ``urls.py`` names it).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import defaults

#: What a 404 says on an htmx request: never whether the object exists (access.py: absent, not denied).
NOT_FOUND_MESSAGE = "That item no longer exists, or you cannot see it."
#: What a 403 says on an htmx request when the refusal carries no sentence of its own.
FORBIDDEN_MESSAGE = "You are not allowed to do that."


def _is_htmx(request: HttpRequest) -> bool:
    # Read the header, not request.htmx: handlers also run for requests the middleware never saw.
    return request.headers.get("HX-Request") == "true"


def htmx_message(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """The message partial for an htmx request, aimed at ``#messages``, with ``status`` kept."""
    response = render(
        request, "_partials/message.html", {"message": message, "level": "error"}, status=status
    )
    response["HX-Retarget"] = "#messages"
    response["HX-Reswap"] = "beforeend"
    patch_vary_headers(response, ("HX-Request",))
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the styled page, or for htmx the message partial (the exception's text is never shown)."""
    if _is_htmx(request):
        return htmx_message(request, NOT_FOUND_MESSAGE, status=404)
    response = defaults.page_not_found(request, exception)
    patch_vary_headers(response, ("HX-Request",))
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: the styled page, or for htmx the message partial with the refusal's own sentence
    (``PermissionDenied("Only the Chief of Staff triages.")``) or a general one."""
    if _is_htmx(request):
        return htmx_message(request, str(exception) or FORBIDDEN_MESSAGE, status=403)
    response = defaults.permission_denied(request, exception)
    patch_vary_headers(response, ("HX-Request",))
    return response
