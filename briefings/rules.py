"""The "quietly behind" rule: which key results a CTO should hear about before the monthly
business review (DESIGN.md §2, issue 10).

A key result is **quietly behind** when nobody has said it is in trouble but
the numbers do, for any of three reasons:

1. **Progress trails time.** Progress (0–1, ``key_result_progress``) is below
   the share of the period elapsed by more than a margin that shrinks as the
   period ends: ``margin_start`` on its first day, ``margin_end`` on its last,
   linear in between (early in a quarter work is lumpy; late, a gap is real).
2. **Confidence falling.** The owner's confidence fell at each of the last two
   check-ins (three readings, strictly decreasing: 0.8 → 0.6 → 0.4).
3. **Gone quiet.** No check-in for ``stale_weeks`` weeks (or none at all once
   the period is that old).

A key result whose latest confidence is at or below ``off_track_confidence``
has been reported **off track** openly by its owner: it is listed on its own,
never as quietly behind (the CTO already knows; the flag would be noise).

The thresholds live in ``OfficeSettings`` (``behind_margin_start``,
``behind_margin_end``, ``behind_stale_weeks``, ``behind_off_track_confidence``)
so the Chief of Staff tunes them in admin. Pure functions: no queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

#: Readings needed to see two falls in a row.
CONFIDENCE_READINGS = 3

KeyResultState = Literal["on_track", "quietly_behind", "off_track"]


@dataclass(frozen=True)
class BehindThresholds:
    """The rule's thresholds; fractions 0–1 except ``stale_weeks``.

    Defaults match ``OfficeSettings``'s; ``from_office`` reads a settings row.
    """

    margin_start: float = 0.25
    margin_end: float = 0.10
    stale_weeks: int = 3
    off_track_confidence: float = 0.30

    @classmethod
    def from_office(cls, office) -> BehindThresholds:
        """From an ``OfficeSettings`` row (Decimals become floats)."""
        return cls(
            margin_start=float(office.behind_margin_start),
            margin_end=float(office.behind_margin_end),
            stale_weeks=int(office.behind_stale_weeks),
            off_track_confidence=float(office.behind_off_track_confidence),
        )

    def margin(self, elapsed: float) -> float:
        """The allowed gap between time elapsed and progress at ``elapsed`` (0–1) of the period."""
        return self.margin_start + (self.margin_end - self.margin_start) * elapsed


@dataclass(frozen=True)
class CheckInReading:
    """One check-in as the rule needs it: its date and the owner's confidence (0–1)."""

    date: dt.date
    confidence: float


@dataclass(frozen=True)
class KeyResultVerdict:
    """What the rule says of one key result, with the reasons in words for the briefing."""

    state: KeyResultState
    reasons: list[str] = field(default_factory=list)


def _confidence(value: float | Decimal) -> str:
    """``0.8``, ``0.45``: a confidence as people write it."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def key_result_verdict(
    *,
    progress: float,
    elapsed: float,
    period_start: dt.date,
    as_of: dt.date,
    check_ins: list[CheckInReading],
    thresholds: BehindThresholds,
) -> KeyResultVerdict:
    """Judge one key result on ``as_of`` (an office date).

    ``progress`` and ``elapsed`` are fractions 0–1; ``check_ins`` are the latest
    readings on or before ``as_of``, oldest first (``CONFIDENCE_READINGS`` are
    enough). Returns ``off_track`` (with the owner's reported confidence as the
    reason), ``quietly_behind`` with one reason per rule that fired, in the
    order of the module docstring, or ``on_track`` with no reasons.
    """
    if check_ins and check_ins[-1].confidence <= thresholds.off_track_confidence:
        return KeyResultVerdict(
            "off_track", [f"reported off track: confidence {_confidence(check_ins[-1].confidence)}"]
        )
    reasons = []
    margin = thresholds.margin(elapsed)
    if progress < elapsed - margin:
        reasons.append(
            f"progress {progress:.0%} at {elapsed:.0%} of the quarter "
            f"({(elapsed - progress) * 100:.0f} pts behind; allowed {margin * 100:.0f})"
        )
    last = check_ins[-CONFIDENCE_READINGS:]
    if len(last) == CONFIDENCE_READINGS and all(
        a.confidence > b.confidence for a, b in zip(last, last[1:])
    ):
        reasons.append("confidence " + " → ".join(_confidence(c.confidence) for c in last))
    stale_after = dt.timedelta(weeks=thresholds.stale_weeks)
    if check_ins and as_of - check_ins[-1].date >= stale_after:
        weeks = (as_of - check_ins[-1].date).days // 7
        reasons.append(f"no check-in for {weeks} weeks (last on {check_ins[-1].date:%-d %b})")
    elif not check_ins and as_of - period_start >= stale_after:
        reasons.append("no check-in this quarter")
    return KeyResultVerdict("quietly_behind" if reasons else "on_track", reasons)
