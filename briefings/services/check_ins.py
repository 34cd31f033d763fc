"""Key-result check-ins posted by their owners (DESIGN.md §4, "Check-ins")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from briefings.models import KeyResult, KeyResultCheckIn

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["CheckInError", "key_result_check_in"]


class CheckInError(ValueError):
    """A check-in that cannot be taken: a confidence outside 0–1, or a day outside the key result's period."""


def key_result_check_in(
    *,
    key_result: KeyResult,
    value: Decimal,
    confidence: Decimal,
    note: str,
    day: dt.date,
    by: User,
) -> KeyResultCheckIn:
    """Record ``by``'s check-in of ``key_result`` on ``day`` (an office date) and move its current value.

    One check-in per key result and day (``check_in_once_per_day``): a second
    one the same day replaces the first (a corrected reading, not a new week).
    ``confidence`` is 0–1 (the owner's confidence of hitting the target).
    The key result's ``current_value`` becomes ``value`` when this is its
    latest check-in. Locks the key result row (``select_for_update``) so two
    check-ins of the same key result are applied one after the other. Raises
    ``CheckInError`` for a confidence outside 0–1 or a day outside the
    objective's period. Access is the caller's: ``access.key_results_for_check_in``.
    """
    if not Decimal(0) <= confidence <= Decimal(1):
        raise CheckInError("Confidence is between 0 and 1 (0.7 means 70% sure to hit the target).")
    with transaction.atomic():
        kr = KeyResult.objects.select_for_update().select_related("objective").get(pk=key_result.pk)
        if not kr.objective.period_start <= day <= kr.objective.period_end:
            raise CheckInError(
                f"{day:%-d %b %Y} is outside {kr.objective.quarter} "
                f"({kr.objective.period_start:%-d %b} – {kr.objective.period_end:%-d %b %Y})."
            )
        check_in, _ = KeyResultCheckIn.objects.update_or_create(
            key_result=kr,
            date=day,
            defaults={"value": value, "confidence": confidence, "note": note.strip(), "author": by},
        )
        if not kr.check_ins.filter(date__gt=day).exists():
            KeyResult.objects.filter(pk=kr.pk).update(current_value=value)
    return check_in
