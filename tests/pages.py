"""Reading rendered pages in view tests."""

from __future__ import annotations

import re

from django.http import HttpResponse


def page_text(response: HttpResponse) -> str:
    """The response body as text."""
    return response.content.decode()


def page_stat(response: HttpResponse, stat_id: str) -> int:
    """The number shown in the page's ``<span id=stat_id>`` (the home page's tiles)."""
    match = re.search(rf'id="{stat_id}">(\d+)<', page_text(response))
    assert match, f"{stat_id} not on the page"
    return int(match.group(1))
