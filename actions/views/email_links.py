"""The page behind a one-click link in a chase e-mail: no sign-in, see ``actions.email_links``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from actions.email_links import KINDS, LinkRefused, read_link
from actions.errors import ActionConflict, ActionInvalid
from actions.forms.email_link import EmailLinkForm
from actions.models import ActionStatus
from actions.services.action import action_update

#: At most this many link requests per minute from one address (django-ratelimit).
EMAIL_LINK_RATE = "20/m"


@login_not_required
@ratelimit(key="ip", rate=EMAIL_LINK_RATE, method=ratelimit.ALL, block=False)
@require_http_methods(["GET", "POST"])
def email_link(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm page (GET, changes nothing) and the change itself (POST) of a signed link.

    Answers 429 when rate-limited, 410 for an expired link, 404 for a tampered or
    unknown one, 409 when the action changed since the e-mail (or the link was used),
    422 for a form error (the input is kept), 200 otherwise.
    """
    if getattr(request, "limited", False):
        return render(request, "actions/email_link.html", {"state": "limited"}, status=429)
    try:
        claim = read_link(token)
    except LinkRefused as refused:
        status = 410 if refused.reason == "expired" else 404
        return render(request, "actions/email_link.html", {"state": refused.reason}, status=status)
    form = EmailLinkForm(request.POST if request.method == "POST" else None, kind=claim.kind)
    context = {"state": "confirm", "claim": claim, "form": form, "label": KINDS[claim.kind]}
    if request.method == "GET":
        return render(request, "actions/email_link.html", context)
    if not form.is_valid():
        return render(request, "actions/email_link.html", context, status=422)
    changes = {"status": ActionStatus.DONE} if claim.kind == "done" else form.cleaned_data
    try:
        action = action_update(
            action=claim.action, by=claim.recipient, version=claim.version, **changes
        )
    except ActionConflict as conflict:
        return render(
            request,
            "actions/email_link.html",
            {**context, "state": "conflict", "error": conflict},
            status=409,
        )
    except ActionInvalid as invalid:
        form.add_error(None, str(invalid))
        return render(request, "actions/email_link.html", context, status=422)
    return render(
        request, "actions/email_link.html", {**context, "state": "applied", "action": action}
    )
