"""What the action register's and the inbox's selectors share: page size, the open-by-default
status filter."""

from __future__ import annotations

from django.db.models import QuerySet

PAGE_SIZE = 50


def open_by_default(qs: QuerySet, field: str, value: str) -> QuerySet:
    """The list filter on a status-like ``field``: "" means the open ones (the lists' default),
    "all" means every one, anything else that one value."""
    if value == "":
        return qs.open()
    return qs if value == "all" else qs.filter(**{field: value})
