"""Pages of the action register (read-only first versions).

Every object is fetched through ``cto_office.access``: what a user may not see
is a 404. Login is enforced for all of them by ``LoginRequiredMiddleware``.
The list pages bind their GET filters to a form (``actions.forms``; an invalid
value is ignored), read through ``actions.selectors``, and answer htmx
requests (filters, pagination) with the ``rows`` partial of the same template,
adding ``Vary: HX-Request``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions import selectors
from actions.forms import ActionFilterForm
from cto_office import access
from cto_office.htmx import HtmxHttpRequest, render_page_or_partial


@require_GET
def register(request: HtmxHttpRequest) -> HttpResponse:
    """The action register: the actions the user may see, filtered, overdue highlighted.

    Queries: session and user (2), role groups (1), office settings (1), a
    team lead's team tree (2), the filtered team or owner (0 to 2: the form
    validates an id by loading it), the count and the page (2), the team list
    for the filter (1, full page only).
    """
    form = ActionFilterForm(request.GET)
    filters = form.filters()
    context = {
        "page": selectors.action_register(
            user=request.user,
            filters=filters,
            today=timezone.localdate(),
            page_number=request.GET.get("page"),
        ),
        "filters": filters,
        "owner_filtered": form.owner_filtered(),
        "form": form,
        "scope": access.action_scope(request.user),
    }
    return render_page_or_partial(request, "actions/register.html", context, partial="rows")


@require_GET
def action_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One action and its full update history; one the user may not see is a 404.

    Its source meeting, escalation and decision reach the template only when the
    user may see them (``access.meetings_for``/``escalations_for``/``decisions_for``);
    otherwise they are None and the page neither names nor links them.
    """
    action = get_object_or_404(
        access.actions_for(request.user).select_related(
            "owner", "team", "created_by", "source_decision"
        ),
        pk=pk,
    )
    context = {
        "action": action,
        **selectors.action_detail(user=request.user, action=action, today=timezone.localdate()),
    }
    decision = action.source_decision
    meeting = context["source_meeting"]
    if decision is not None and not (meeting is not None and meeting.pk == decision.meeting_id):
        decision = access.decisions_for(request.user).filter(pk=decision.pk).first()
    context["source_decision"] = decision
    return render(request, "actions/action_detail.html", context)
