"""The decision log: every decision the user may see, searchable, and its CSV export."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from cadence import selectors
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial
from cto_office.models import person_name

PAGE_SIZE = 50


@require_GET
def decision_log(request: HtmxHttpRequest) -> HttpResponse:
    """Decisions (newest first) matching ``q``. Queries: session, user, role groups,
    office settings, count and page: 6 whatever the size of the log."""
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(selectors.decision_log(user=request.user, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page_or_partial(
        request, "cadence/decision_log.html", {"page": page, "q": query}, partial="rows"
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


#: A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """``value`` as a spreadsheet shows it, never as a formula: a summary typed in a meeting
    as ``=HYPERLINK(...)`` is prefixed with ``'`` (OWASP "CSV injection")."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@require_GET
def decision_log_csv(request: HtmxHttpRequest) -> StreamingHttpResponse:
    """The decision log (as filtered by ``q``) as CSV, streamed in chunks of 500 rows; text
    cells that a spreadsheet would run as a formula are defused (``_cell``)."""
    query = request.GET.get("q", "").strip()[:200]
    writer = csv.writer(_Echo())
    rows = selectors.decision_log(user=request.user, query=query)

    def lines():
        yield writer.writerow(
            [
                "decided_on",
                "summary",
                "rationale",
                "decided_by",
                "meeting",
                "meeting_start",
                "agenda_item",
            ]
        )
        for d in rows.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    d.decided_on.isoformat(),
                    _cell(d.summary),
                    _cell(d.rationale),
                    _cell(person_name(d.decided_by) if d.decided_by else ""),
                    _cell(d.meeting.title),
                    d.meeting.start.isoformat(),
                    _cell(d.agenda_item.title if d.agenda_item else ""),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decision-log.csv"'
    return response
