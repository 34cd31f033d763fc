"""Template helpers for the briefing's lists (``briefings.lists``): cut for the PDF, whole in the
browser; and the sparklines in their tables.

The PDF is rendered with ``top`` = ``briefings.lists.PDF_TOP`` in its context;
the browser view has no ``top``, so ``|top`` returns every row there.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from briefings.charts import sparkline as draw_sparkline

register = template.Library()


@register.filter
def top(rows: list | None, limit: Any) -> list:
    """The first ``limit`` rows (the PDF), or all of them when ``limit`` is empty (the browser)."""
    rows = rows or []
    return rows[: int(limit)] if limit else rows


@register.filter
def sparkline(values: list | None) -> SafeString:
    """A table cell's sparkline of ``values`` (``briefings.charts.sparkline``: built with
    ElementTree from numbers, so safe to mark as such)."""
    return mark_safe(draw_sparkline(values))


@register.filter
def beyond(rows: list | None, limit: Any) -> int:
    """How many rows ``|top`` leaves out (0 in the browser)."""
    return max(0, len(rows or []) - int(limit)) if limit else 0


@register.simple_tag(takes_context=True)
def more(context: template.Context, rows: list | None, limit: Any, total: int | None = None) -> str:
    """The note under a list that shows fewer rows than there are, or "".

    ``rows`` are the rows the snapshot holds, ``limit`` the PDF's cut (empty in
    the browser), ``total`` how many there are (default ``len(rows)``: the
    snapshot holds them all). In the PDF a list held in full points to the
    CSV of the briefing's full lists (an absolute link: the PDF leaves the site).
    """
    rows = rows or []
    total = len(rows) if total is None else total
    shown = min(len(rows), int(limit)) if limit else len(rows)
    if shown >= total:
        return ""
    if limit and len(rows) == total:
        week = context["s"]["week"]
        url = context.get("site_url", "") + reverse(
            "briefings:lists_csv", args=[week["iso_year"], week["iso_week"]]
        )
        return format_html(
            '<p class="more">{} of {} shown; all {} in the browser view and in '
            '<a href="{}">the CSV of this briefing\'s full lists</a>.</p>',
            shown,
            total,
            total,
            url,
        )
    return format_html(
        '<p class="more">{} of {} shown; the counts above cover all {}.</p>', shown, total, total
    )
