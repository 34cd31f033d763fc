"""Project-level views: the 403 and 404 answers (``handler403``/``handler404`` in ``urls.py``),
``signed_in``, the smallest page of ours (the baseline of ``make bench``), and
``team_search``, the answers of the searchable team picker
(``_partials/team_picker.html``).

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
from django.views.decorators.http import require_GET

from cto_office.models import Team

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


@require_GET
def signed_in(request: HttpRequest) -> HttpResponse:
    """The "you are signed in as …" page: the layout and nothing else, behind the same login.

    ``make bench`` divides each main page's server time by this page's: what
    every page pays anyway (session, user, role groups, the layout) is the
    baseline, the rest is the page's own work. Queries: office settings (1, the
    time-zone middleware), session and user (2), role groups (1).
    """
    return render(request, "signed_in.html")


#: Teams a picker search lists at most; past that it asks for more of the name.
TEAM_PICKER_LIMIT = 20


@require_GET
def team_search(request: HttpRequest) -> HttpResponse:
    """The team picker's matches: ``?team_q=<text>&name=<field>&<field>=<selected team id>``.

    Answers the ``results`` partial of ``_partials/team_picker.html``: a radio
    per team whose name contains the text (case-insensitive, by name, at most
    ``TEAM_PICKER_LIMIT``, with a hint to type more when there are more), the
    currently selected team kept checked, and "Any team". An empty search lists
    none; a field name that is not an identifier falls back to ``team``. Team
    names are no secret: every signed-in person may search them, as every team
    filter lists them. Queries: session and user (2), office settings (1), the
    selected team (0 or 1), the matches (0 or 1).
    """
    name = request.GET.get("name", "")
    name = name if name.isidentifier() else "team"
    query = request.GET.get("team_q", "").strip()[:100]
    selected_id = request.GET.get(name, "")
    selected = Team.objects.filter(pk=selected_id).first() if selected_id.isdigit() else None
    teams = []
    if query:
        teams = list(
            Team.objects.filter(name__icontains=query)
            .order_by("name", "pk")
            .only("pk", "name")[: TEAM_PICKER_LIMIT + 1]
        )
    context = {
        "name": name,
        "selected": selected,
        "team_q": query,
        "teams": teams[:TEAM_PICKER_LIMIT],
        "more": len(teams) > TEAM_PICKER_LIMIT,
    }
    return render(request, "_partials/team_picker.html#results", context)
