"""Small helpers shared by the briefing's sections: JSON numbers, day labels, latest-per-team rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Model, QuerySet, Window
from django.db.models.functions import RowNumber


def json_number(value: Decimal | float | None) -> float | None:
    """A JSON number: ints stay ints, Decimals become floats (or ints when whole), 4 decimals."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else round(as_float, 4)


def day_label(day: dt.date) -> str:
    """``23 Nov``: how the briefing writes a day."""
    return f"{day.day} {day:%b}"


def latest_per_team(
    model: type[Model], on_or_before: dt.date, fields: Iterable[str]
) -> QuerySet[dict]:
    """``values()`` rows of the latest ``model`` row per team dated on or before a day.

    One query: a ``ROW_NUMBER()`` window per team, newest first, keeps row 1.
    ``model`` has ``team`` and ``date`` fields (the snapshot models).
    """
    return (
        model.objects.filter(date__lte=on_or_before)
        .annotate(rn=Window(RowNumber(), partition_by=[F("team_id")], order_by=[F("date").desc()]))
        .filter(rn=1)
        .values("team_id", *fields)
    )
