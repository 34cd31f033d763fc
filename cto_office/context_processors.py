"""Template context shared by every page (the navigation needs these on every request)."""

from __future__ import annotations

from django.http import HttpRequest

from cto_office import access

#: URL route prefix → navigation section, for the "current page" mark; the first that
#: matches wins (``ResolverMatch.route`` is the whole route, includes joined).
_SECTIONS = (
    ("escalations/raise/", "raise"),
    ("escalations/", "escalations"),
    ("actions/", "actions"),
    ("meetings/", "meetings"),
    ("briefings/check-ins/", "check_ins"),
    ("briefings/", "briefings"),
)


def _section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.url_name == "home":
        return "home"
    return next((section for prefix, section in _SECTIONS if match.route.startswith(prefix)), "")


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
