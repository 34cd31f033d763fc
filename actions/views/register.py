"""The action register: its list page and its CSV export.

Every row comes through ``cto_office.access`` (``selectors.filtered_actions``). The
list binds its GET filters to ``ActionFilterForm`` (an invalid value, or the id of a
person the viewer may not see, is ignored), and answers htmx requests (filters,
pagination, a refresh after a new action) with the ``rows`` partial of the same
template, adding ``Vary: HX-Request``. The rows' inline updates are in
``actions.views.action_page``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions import selectors
from actions.forms import ActionFilterForm
from actions.models import ActionItem
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial, wants_partial


@require_GET
def register(request: HtmxHttpRequest) -> HttpResponse:
    """The action register: the actions the user may see, filtered and sorted as the URL
    says, overdue highlighted with when each was last chased, each row updatable in place.

    Queries: session and user (2), office settings (1), role groups (1), a team lead's
    team tree (2), the filtered team or owner (0 to 2: the form validates an id by loading
    it) and the filtered team's subtree (0 or 1), the count and the page (2), the header
    counts (1, full page only). None per row.
    """
    today = timezone.localdate()
    form = ActionFilterForm(request.GET, user=request.user)
    filters = form.filters()
    context = {
        "page": selectors.action_register(
            user=request.user, filters=filters, today=today, page_number=request.GET.get("page")
        ),
        "filters": filters,
        "owner_filtered": form.owner_filtered(),
        "team_filtered": form.team_filtered(),
        "form": form,
        "scope": access.action_scope(request.user),
        "can_import": access.can_import_actions(request.user),
        "statuses": ActionItem.Status.choices,
    }
    if not wants_partial(request):
        context["counts"] = selectors.register_counts(user=request.user, today=today)
    return render_page_or_partial(request, "actions/register.html", context, partial="rows")


class _Echo:
    """A file-like object whose ``write`` returns the line (``csv.writer`` into a stream)."""

    def write(self, value: str) -> str:
        return value


@require_GET
def register_export(request: HtmxHttpRequest) -> StreamingHttpResponse:
    """The register's rows as CSV: exactly the filtered, access-scoped rows of the same URL's
    filters (every page), UTF-8 with a byte-order mark so that spreadsheets read it as UTF-8,
    ISO dates, streamed (Django docs, "Streaming large CSV files").

    Queries: as the list's, then one per 500 rows.
    """
    today = timezone.localdate()
    filters = ActionFilterForm(request.GET, user=request.user).filters()
    writer = csv.writer(_Echo())
    rows = selectors.export_rows(
        user=request.user, filters=filters, today=today, tz=timezone.get_current_timezone()
    )
    lines = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="actions-{today.isoformat()}.csv"'
    return response


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    """The lines after a UTF-8 byte-order mark (Excel reads a CSV without one as ANSI)."""
    yield "\ufeff"
    yield from lines
