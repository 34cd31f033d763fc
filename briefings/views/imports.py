"""CSV imports of tech-debt, headcount and key-result figures: upload, preview, commit (Chief of Staff).

The preview parses the file and writes nothing. The file's bytes travel to
the commit step in a signed, compressed hidden field (``django.core.signing``,
valid for an hour), so the commit imports exactly what was previewed, without
keeping uploads on the server.
"""

from __future__ import annotations

import base64

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from briefings.forms import CsvImportForm
from briefings.services.imports import (
    IMPORT_KINDS,
    CsvImportError,
    csv_import_commit,
    csv_import_parse,
)
from cto_office import access

SALT = "briefings.csv-import"
#: Seconds a preview stays valid for its commit.
PREVIEW_MAX_AGE = 60 * 60
#: Rows shown in the preview table (all are checked).
PREVIEW_ROWS = 20


def _allowed(request: HttpRequest) -> None:
    if not access.can_import_briefing_data(request.user):
        raise Http404


def _page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    context.setdefault("form", CsvImportForm())
    return render(
        request, "briefings/imports.html", {"kinds": IMPORT_KINDS, **context}, status=status
    )


@require_GET
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form, the columns of each kind and their template CSVs."""
    _allowed(request)
    return _page(request)


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Parse the uploaded file and show its rows and errors; nothing is written (422 on errors)."""
    _allowed(request)
    form = CsvImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, 422, form=form)
    kind = form.cleaned_data["kind"]
    data = form.cleaned_data["file"].read()
    parsed = csv_import_parse(kind=kind, data=data)
    token = ""
    if not parsed.errors:
        token = signing.dumps(
            {"kind": kind, "data": base64.b64encode(data).decode()}, salt=SALT, compress=True
        )
    return _page(
        request,
        422 if parsed.errors else 200,
        form=form,
        parsed=parsed,
        kind=IMPORT_KINDS[kind],
        columns=list(IMPORT_KINDS[kind].columns),
        shown=[
            [row["_row"], *(row.get(column, "") for column in IMPORT_KINDS[kind].columns)]
            for row in parsed.rows[:PREVIEW_ROWS]
        ],
        token=token,
    )


@require_POST
def commit(request: HttpRequest) -> HttpResponse:
    """Import the previewed file all-or-nothing; an expired or altered preview is refused."""
    _allowed(request)
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        return _page(
            request, 400, failure="The preview is over an hour old: upload the file again."
        )
    except signing.BadSignature:
        return _page(request, 400, failure="The preview could not be read: upload the file again.")
    kind = payload["kind"]
    try:
        count = csv_import_commit(
            kind=kind, data=base64.b64decode(payload["data"]), by=request.user
        )
    except CsvImportError as exc:
        return _page(request, 422, failure=str(exc), errors=exc.errors)
    return _page(
        request,
        done=f"Imported {count} row{'s' if count != 1 else ''} of {IMPORT_KINDS[kind].label.lower()}.",
    )
