"""Small display helpers shared by the templates: badge colours for states."""

from __future__ import annotations

from django import template

register = template.Library()

_BADGES = {
    # action status
    "open": "badge-info",
    "in_progress": "badge-info",
    "blocked": "badge-danger",
    "done": "badge-ok",
    "dropped": "badge-muted",
    # escalation state
    "new": "badge-warn",
    "triaged": "badge-info",
    "routed": "badge-info",
    "raised_to_cto": "badge-danger",
    "resolved": "badge-ok",
    "declined": "badge-muted",
    # escalation severity
    "critical": "badge-danger",
    "high": "badge-warn",
    "medium": "badge-info",
    "low": "badge-muted",
    # meeting state
    "draft": "badge-muted",
    "agenda_published": "badge-info",
    "held": "badge-ok",
    "minutes_published": "badge-ok",
    "cancelled": "badge-muted",
    # briefing state
    "pending": "badge-muted",
    "published": "badge-ok",
    "failed": "badge-danger",
}


@register.filter
def badge(value: str) -> str:
    """CSS class for a status, state or severity value: ``{{ action.status|badge }}``."""
    return _BADGES.get(str(value), "badge-muted")
