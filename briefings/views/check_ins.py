"""The check-ins page: key-result owners post value, confidence and a note (also on a phone)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from briefings.forms import CheckInForm
from briefings.models import KeyResult
from briefings.selectors import check_in_rows
from briefings.services.check_ins import CheckInError, key_result_check_in
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial


@require_GET
def check_ins(request: HtmxHttpRequest) -> HttpResponse:
    """The current key results the user may check in, each with its last reading and a form."""
    today = timezone.localdate()  # the office's date: the middleware set its zone
    rows = check_in_rows(key_results=access.key_results_for_check_in(request.user), today=today)
    for row in rows:
        row["form"] = CheckInForm(initial={"value": row["value"], "confidence": row["confidence"]})
    return render_page_or_partial(
        request, "briefings/check_ins.html", {"rows": rows, "today": today}, partial="list"
    )


@require_POST
def check_in(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Post one check-in; htmx gets the key result's card back (422 with the input when invalid).

    A key result the user may not check in is a 404 (``access.key_results_for_check_in``).
    """
    key_result = get_object_or_404(access.key_results_for_check_in(request.user), pk=pk)
    today = timezone.localdate()
    form = CheckInForm(request.POST)
    status, saved = 422, False
    if form.is_valid():
        try:
            key_result_check_in(
                key_result=key_result,
                value=form.cleaned_data["value"],
                confidence=form.cleaned_data["confidence"],
                note=form.cleaned_data["note"],
                day=today,
                by=request.user,
            )
        except CheckInError as exc:
            form.add_error(None, str(exc))
        else:
            status, saved = 200, True
    if not request.htmx and saved:
        return redirect("briefings:check_ins")
    [row] = check_in_rows(key_results=KeyResult.objects.filter(pk=pk), today=today) or [None]
    if row is None:
        raise Http404("This key result is not in a current period.")
    row["form"] = (
        form
        if not saved
        else CheckInForm(initial={"value": row["value"], "confidence": row["confidence"]})
    )
    return render_page_or_partial(
        request,
        "briefings/check_ins.html",
        {"row": row, "saved": saved, "today": today, "rows": [row]},
        partial="card",
        status=status,
    )
