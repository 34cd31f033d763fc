"""Pages of the briefings app: the archive, a briefing's preview, its PDF, and "generate".

Only the Chief of Staff and the CTO see briefings: every view fetches through
``access.briefings_for`` / ``access.can_see_briefings``, so anyone else gets a
404 (not a 403 that would confirm the page exists).
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from briefings.models import Briefing
from briefings.services import BriefingPublishedError
from briefings.tasks import briefing_enqueue
from cto_office import access
from cto_office.clock import IsoWeek
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial


def _archive_context(request: HtmxHttpRequest, **extra) -> dict:
    briefings = list(
        access.briefings_for(request.user).only(
            "pk",
            "iso_year",
            "iso_week",
            "state",
            "error",
            "pdf",
            "page_count",
            "generated_at",
            "generation_seconds",
            "published_at",
        )
    )
    return {
        "briefings": briefings,
        "can_manage": access.can_manage_briefings(request.user),
        "polling": any(b.state == Briefing.State.PENDING for b in briefings),
        **extra,
    }


def _archive_response(request: HtmxHttpRequest, context: dict, status: int = 200) -> HttpResponse:
    return render_page_or_partial(
        request, "briefings/archive.html", context, partial="archive-list", status=status
    )


@require_GET
def archive(request: HtmxHttpRequest) -> HttpResponse:
    """Every week's briefing, newest first; htmx polls the list while one is pending."""
    if not access.can_see_briefings(request.user):
        raise Http404
    return _archive_response(request, _archive_context(request))


@require_POST
def generate(request: HtmxHttpRequest) -> HttpResponse:
    """Queue this week's briefing (Chief of Staff). htmx gets the archive list back; others a redirect.

    ``briefing_enqueue`` claims the week's row and enqueues the task on commit.
    With eager Celery (no ``REDIS_URL``) the briefing is generated during the
    request; a failure is recorded on the row as ``failed`` with its error,
    which the notice repeats and the list shows. A published week is a 409.
    """
    if not access.can_see_briefings(request.user):
        raise Http404
    if not access.can_manage_briefings(request.user):
        return HttpResponse("Only the Chief of Staff generates briefings.", status=403)
    week = IsoWeek.of(timezone.localdate())  # the office's date: the middleware set its zone
    status, error = 200, False
    try:
        briefing = briefing_enqueue(week=week)
    except BriefingPublishedError:
        notice, error, status = f"Briefing {week} is published; it is not regenerated.", True, 409
    else:
        briefing.refresh_from_db()
        if briefing.state == Briefing.State.PENDING:
            notice = f"Briefing {week} is being generated."
        elif briefing.state == Briefing.State.FAILED:
            notice, error = f"Briefing {week} failed: {briefing.error}", True
        else:
            notice = f"Briefing {week} generated: {briefing.get_state_display().lower()}, {briefing.page_count} pages."
    if not request.htmx:
        return redirect("briefings:archive")
    return _archive_response(
        request, _archive_context(request, notice=notice, notice_error=error), status
    )


def _get_briefing(request: HttpRequest, year: int, week: int) -> Briefing:
    """The briefing of ``year``-W``week`` if the user may see it; 404 otherwise, and for a week
    that does not exist (``IsoWeek`` refuses W00, W54, or W53 of a 52-week year)."""
    try:
        iso_week = IsoWeek(year, week)
    except ValueError:
        raise Http404("No such ISO week.") from None
    return get_object_or_404(
        access.briefings_for(request.user), iso_year=iso_week.year, iso_week=iso_week.week
    )


@require_GET
def detail(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """One week's briefing: the preview rendered from its stored snapshot, and the PDF download."""
    briefing = _get_briefing(request, year, week)
    return render(
        request,
        "briefings/detail.html",
        {
            "briefing": briefing,
            "s": briefing.snapshot,
            "can_manage": access.can_manage_briefings(request.user),
        },
    )


@require_GET
def pdf(request: HttpRequest, year: int, week: int) -> FileResponse:
    """The stored PDF as a download named ``cto-briefing-<year>-W<week>.pdf``."""
    briefing = _get_briefing(request, year, week)
    if not briefing.pdf or not briefing.pdf.storage.exists(briefing.pdf.name):
        raise Http404("This briefing has no PDF yet.")
    return FileResponse(
        briefing.pdf.open("rb"),
        as_attachment=True,
        filename=f"cto-briefing-{briefing.week.label}.pdf",
        content_type="application/pdf",
    )
