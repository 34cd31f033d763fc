"""The home page ("My week"), per role: composition layer, see ``cto_office.home``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cto_office.home.selectors import home_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My week, per role, in the office's time zone.

    Queries (fixed, whatever the data): session and user (2), office settings
    (1), then ``cto_office.home.selectors.home_for``'s: role groups (1); everyone's
    panels (4); Chief of Staff +3; CTO +4; team lead +5.
    """
    return render(request, "home.html", home_for(user=request.user, now=timezone.localtime()))
