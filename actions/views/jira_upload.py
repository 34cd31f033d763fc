"""Importing actions from a Jira CSV export in the browser (Chief of Staff): upload, preview, confirm.

The preview runs ``actions_import_jira`` with ``dry_run`` (everything rolled back) and
shows the issues it would create, update or leave unchanged, or every error by row and
column. The uploaded bytes wait for the confirmation in the user's session (server side:
nothing travels back through the browser), with their SHA-256; the confirm form carries
that digest, and the import runs only if the file in the session still has it. So a
second upload in another tab, or a tampered form, can never import a file other than the
one this preview showed. Someone who may not import sees a 404.
"""

from __future__ import annotations

import base64
import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from actions.forms.jira import JiraConfirmForm, JiraUploadForm
from actions.jira import JiraFileError
from actions.services.jira_import import actions_import_jira
from cto_office import access

#: The session key holding the previewed file: {"sha256": hex, "name": str, "data": base64}.
SESSION_KEY = "actions.jira_upload"
#: Issue keys listed per outcome in the preview (all are counted).
PREVIEW_KEYS = 60


def _allowed(request: HttpRequest) -> None:
    if not access.can_import_actions(request.user):
        raise Http404


def _page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    context.setdefault("form", JiraUploadForm())
    context["preview_keys"] = PREVIEW_KEYS
    return render(request, "actions/jira_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def jira_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: preview the file (nothing written); 422 with every error
    by row and column when it cannot be imported."""
    _allowed(request)
    if request.method == "GET":
        return _page(request)
    form = JiraUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, 422, form=form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        result = actions_import_jira(by=request.user, data=data, dry_run=True)
    except JiraFileError as error:
        request.session.pop(SESSION_KEY, None)
        return _page(request, 422, form=form, errors=error.errors, name=upload.name)
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {
        "sha256": digest,
        "name": upload.name,
        "data": base64.b64encode(data).decode(),
    }
    confirm = JiraConfirmForm(initial={"sha256": digest})
    return _page(request, result=result, confirm=confirm, name=upload.name, sha256=digest)


@require_POST
def jira_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, all rows or none; refused (409) when the session holds no
    file with the confirmed SHA-256 (previewed elsewhere since, or already imported)."""
    _allowed(request)
    form = JiraConfirmForm(request.POST)
    stored = request.session.get(SESSION_KEY) or {}
    data = base64.b64decode(stored.get("data", ""))
    if not form.is_valid() or hashlib.sha256(data).hexdigest() != form.cleaned_data["sha256"]:
        return _page(
            request,
            409,
            failure="This preview is no longer the file waiting to be imported (another upload "
            "replaced it, or it was imported already): upload the file again.",
        )
    try:
        result = actions_import_jira(by=request.user, data=data)
    except JiraFileError as error:  # the register changed since the preview (e.g. a user left)
        return _page(request, 422, errors=error.errors, name=stored["name"])
    del request.session[SESSION_KEY]
    return _page(request, done=result, name=stored["name"])
