"""Pages of the briefings app: the archive, a briefing's review page (preview, generation
status, commentary, publish, deliveries), its PDF, and "generate".

Only the Chief of Staff and the CTO see briefings: every view fetches through
``access.briefings_for`` / ``access.can_see_briefings``, so anyone else gets a
404 (not a 403 that would confirm the page exists).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from briefings.charts import CHART_TEAMS, briefing_charts
from briefings.forms import CommentaryForm
from briefings.lists import BROWSER_TOP, briefing_lists_csv
from briefings.models import Briefing, BriefingDelivery, KeyResult
from briefings.selectors import briefing_default_week
from briefings.services import BriefingPublishedError
from briefings.services.make_action import BriefingActionError, briefing_make_action
from briefings.services.publish import BriefingChangedError
from briefings.services.review import BriefingNotEditableError
from briefings.tasks import (
    briefing_enqueue,
    briefing_publish_and_deliver,
    briefing_retry_deliveries,
    briefing_save_commentary,
)
from cto_office import access
from cto_office.clock import IsoWeek
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial
from cto_office.models import Team


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
        "default_week": briefing_default_week(today=timezone.localdate()),
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
    # The office's date (the middleware set its zone); before the briefing
    # weekday that means the last complete week (briefing_default_week).
    week = briefing_default_week(today=timezone.localdate())
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


def _detail_context(request: HttpRequest, briefing: Briefing, **extra) -> dict:
    can_manage = access.can_manage_briefings(request.user)
    editable = can_manage and briefing.state != Briefing.State.PUBLISHED
    deliveries = list(briefing.deliveries.all()) if can_manage else []
    unsent = (BriefingDelivery.State.PENDING, BriefingDelivery.State.FAILED)
    return {
        "briefing": briefing,
        "s": briefing.snapshot,
        "charts": briefing_charts(briefing.snapshot) if briefing.snapshot else {},
        "charts_teams": CHART_TEAMS,
        "top": BROWSER_TOP,  # every row: the PDF shows the top ones
        "can_manage": can_manage,
        # "Make this an action" buttons in the preview (never in the PDF: no such key there).
        "can_make_actions": can_manage,
        "deliveries": deliveries,
        "unsent_deliveries": sum(1 for d in deliveries if d.state in unsent),
        "commentary_form": CommentaryForm(initial={"commentary": briefing.commentary})
        if editable
        else None,
        **extra,
    }


@require_GET
def detail(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """One week's briefing: its state, the CoS's review tools, and the preview from its snapshot."""
    briefing = _get_briefing(request, year, week)
    return render(request, "briefings/detail.html", _detail_context(request, briefing))


@require_GET
def status(request: HtmxHttpRequest, year: int, week: int) -> HttpResponse:
    """The status block, which htmx polls while a generation runs.

    Once the briefing is no longer pending the answer also replaces the
    preview out of band, so the fresh draft (or the failure) shows without a reload.
    """
    briefing = _get_briefing(request, year, week)
    return render_page_or_partial(
        request,
        "briefings/detail.html",
        _detail_context(request, briefing, refresh_preview=True),
        partial="status-refresh",
    )


def _managed_briefing(request: HttpRequest, year: int, week: int) -> Briefing:
    """The briefing for the Chief of Staff to change: 404 if unseen, 403 for the CTO."""
    briefing = _get_briefing(request, year, week)
    if not access.can_manage_briefings(request.user):
        raise PermissionDenied("Only the Chief of Staff reviews and publishes briefings.")
    return briefing


def _status_response(
    request: HtmxHttpRequest,
    briefing: Briefing,
    notice: str,
    *,
    error: bool = False,
    status: int = 200,
) -> HttpResponse:
    if not request.htmx:
        return redirect("briefings:detail", briefing.iso_year, briefing.iso_week)
    briefing.refresh_from_db()
    context = _detail_context(
        request, briefing, notice=notice, notice_error=error, refresh_preview=True
    )
    return render_page_or_partial(
        request, "briefings/detail.html", context, partial="status-refresh", status=status
    )


@require_POST
def regenerate(request: HtmxHttpRequest, year: int, week: int) -> HttpResponse:
    """Queue a (re)generation of this week with fresh data; also the failed state's retry button.

    Answers at once with the status block, which polls until the job is done.
    """
    briefing = _managed_briefing(request, year, week)
    try:
        briefing_enqueue(week=briefing.week)
    except BriefingPublishedError as exc:
        return _status_response(request, briefing, str(exc), error=True, status=409)
    return _status_response(request, briefing, f"Regenerating {briefing.label} with fresh data.")


@require_POST
def comment(request: HtmxHttpRequest, year: int, week: int) -> HttpResponse:
    """Save the commentary; htmx gets the form back and the preview's commentary out of band."""
    briefing = _managed_briefing(request, year, week)
    form = CommentaryForm(request.POST)
    status_code, saved = 422, False
    if form.is_valid():
        try:
            briefing = briefing_save_commentary(
                briefing=briefing, commentary=form.cleaned_data["commentary"], by=request.user
            )
        except BriefingNotEditableError as exc:
            form.add_error(None, str(exc))
            status_code = 409
        else:
            status_code, saved = 200, True
    if not request.htmx:
        if saved:
            return redirect("briefings:detail", briefing.iso_year, briefing.iso_week)
        return render(
            request,
            "briefings/detail.html",
            _detail_context(request, briefing, commentary_form=form),
            status=status_code,
        )
    return render_page_or_partial(
        request,
        "briefings/detail.html",
        _detail_context(request, briefing, commentary_form=form, commentary_saved=saved),
        partial="commentary-saved",
        status=status_code,
    )


@require_POST
def publish(request: HtmxHttpRequest, year: int, week: int) -> HttpResponse:
    """Publish the draft the page showed (its ``draft_version``) and send it; a draft
    regenerated or annotated since is a 409 naming when, and nothing is published."""
    briefing = _managed_briefing(request, year, week)
    try:
        briefing = briefing_publish_and_deliver(
            briefing=briefing, by=request.user, seen_version=request.POST.get("draft_version", "")
        )
    except (BriefingNotEditableError, BriefingChangedError) as exc:
        return _status_response(request, briefing, str(exc), error=True, status=409)
    return _status_response(request, briefing, f"Published {briefing.label}; e-mailing it now.")


@require_POST
def retry_deliveries(request: HtmxHttpRequest, year: int, week: int) -> HttpResponse:
    """Send the failed e-mails of a published briefing again (each recipient still gets one)."""
    briefing = _managed_briefing(request, year, week)
    briefing_retry_deliveries(briefing=briefing)
    return _status_response(request, briefing, "Sending the failed e-mails again.")


@require_POST
def make_action(request: HtmxHttpRequest, year: int, week: int) -> HttpResponse:
    """ "Make this an action" on a key result (``key_result``) or a team (``team``), both ids.

    htmx gets the button's replacement: the action made (or the one already
    open), or the reason none can be made (422). Others are sent back to the page.
    """
    briefing = _managed_briefing(request, year, week)
    key_result = team = None
    try:
        if request.POST.get("key_result"):
            key_result = KeyResult.objects.select_related("team__lead", "owner").get(
                pk=int(request.POST["key_result"])
            )
        elif request.POST.get("team"):
            team = Team.objects.select_related("lead").get(pk=int(request.POST["team"]))
        action, created = briefing_make_action(
            briefing=briefing, by=request.user, key_result=key_result, team=team
        )
    except (ValueError, KeyResult.DoesNotExist, Team.DoesNotExist) as exc:
        error = (
            str(exc)
            if isinstance(exc, BriefingActionError)
            else "Say which key result or team to make an action of."
        )
        if not request.htmx:
            return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
        return render_page_or_partial(
            request, "briefings/detail.html", {"error": error}, partial="action-made", status=422
        )
    if not request.htmx:
        return redirect("briefings:detail", briefing.iso_year, briefing.iso_week)
    return render_page_or_partial(
        request,
        "briefings/detail.html",
        {"action": action, "created": created},
        partial="action-made",
        status=201 if created else 200,
    )


@require_GET
def lists_csv(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """The full lists of a briefing's snapshot as one CSV download (``briefing_lists_csv``),
    linked from the PDF where a list is cut. A briefing not generated yet is a 404."""
    briefing = _get_briefing(request, year, week)
    if not briefing.snapshot:
        raise Http404("This briefing has no data yet.")
    filename = f"cto-briefing-{briefing.week.label}-lists.csv"
    return HttpResponse(
        briefing_lists_csv(briefing.snapshot),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
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
