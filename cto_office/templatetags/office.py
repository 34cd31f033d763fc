"""Small display helpers shared by the templates: badge colours, a person's name, Markdown,
a select's options."""

from __future__ import annotations

import markdown
import nh3
from django import template
from django.utils.safestring import mark_safe

from cto_office.models import person_name

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
def person(user: object | None) -> str:
    """A person's display name: ``{{ action.owner|person }}`` (``cto_office.models.person_name``)."""
    return person_name(user)


@register.filter
def select_options(field) -> list[tuple[str, str, bool]]:
    """``[(value, label, selected)]`` of a bound choice field, values as strings.

    For writing a ``<select>`` in the page's own template: a widget renders one
    template per option, which costs more than the rest of a list page's filters.
    Iterates the choices once (a model choice field: one query, no ``COUNT``).
    """
    current = "" if field.value() is None else str(field.value())
    return [(str(value), label, str(value) == current) for value, label in field.field.choices]


@register.filter
def badge(value: str) -> str:
    """CSS class for a status, state or severity value: ``{{ action.status|badge }}``."""
    return _BADGES.get(str(value), "badge-muted")


_MARKDOWN_TAGS = {
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """User Markdown as sanitised HTML (DESIGN §5): only formatting tags, links with
    ``href`` only (nh3 adds ``rel="noopener noreferrer"`` and drops ``javascript:``),
    no images, no raw HTML, no attributes that could carry script or style."""
    if not text or not text.strip():
        return ""
    rendered = markdown.markdown(text, extensions=["sane_lists", "tables"])
    return mark_safe(nh3.clean(rendered, tags=_MARKDOWN_TAGS, attributes={"a": {"href"}}))
