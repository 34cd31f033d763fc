"""Template context shared by every page (the navigation needs these on every request)."""

from __future__ import annotations

from django.http import HttpRequest

from cto_office import access

# URL namespace (or bare URL name) → navigation section, for the "current page" mark.
_SECTIONS = {
    "home": "home",
    "cadence": "meetings",
    "briefings": "briefings",
}
_ESCALATION_URLS = {"escalations", "escalation_detail"}


def _section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "actions":
        return "escalations" if match.url_name in _ESCALATION_URLS else "actions"
    return _SECTIONS.get(match.namespace or match.url_name or "", "")


def roles(request: HttpRequest) -> dict:
    """``role`` (the user's most senior role), ``can_see_briefings``, ``can_use_admin`` and
    ``nav_section`` for the navigation: the templates show what these say, and decide nothing.

    Costs one query per request at most: the role groups are cached on the user.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_section": _section(request)}
    return {
        "role": access.role_label(user),
        "can_see_briefings": access.can_see_briefings(user),
        "can_use_admin": access.can_use_admin(user),
        "nav_section": _section(request),
    }
