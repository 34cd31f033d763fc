"""The bench's arithmetic and its output lines: medians, percentiles, ratios, and their parser."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence

#: What a figure that cannot be measured yet prints instead of a number.
PENDING = "pending"

_LINE = re.compile(r"^(RATIO|PAGES) (\w+) (\S+)$")


def median(samples: Sequence[float]) -> float:
    """The median of ``samples`` (at least one)."""
    return statistics.median(samples)


def percentile(samples: Sequence[float], share: float) -> float:
    """The ``share`` (0–1) percentile by the nearest-rank method: a value that was observed."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; a zero denominator is an error, not infinity."""
    if denominator <= 0:
        raise ValueError(f"cannot divide by {denominator!r}")
    return numerator / denominator


def ratio_line(name: str, value: float | None) -> str:
    """``RATIO <name> <value>`` with two decimals, or ``RATIO <name> pending`` for ``None``."""
    return f"RATIO {name} {PENDING if value is None else f'{value:.2f}'}"


def pages_line(name: str, pages: int) -> str:
    """``PAGES <name> <n>``."""
    return f"PAGES {name} {pages}"


def parse_figures(output: str) -> dict[str, float | int | None]:
    """The figures of a bench's output: ``{"briefing_vs_weasyprint": 1.1, "pages:briefing": 9, …}``.

    ``RATIO`` lines give floats (``None`` when pending), ``PAGES`` lines ints
    under ``pages:<name>``; every other line is ignored.
    """
    figures: dict[str, float | int | None] = {}
    for line in output.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        kind, name, value = match.groups()
        if kind == "PAGES":
            figures[f"pages:{name}"] = int(value)
        else:
            figures[name] = None if value == PENDING else float(value)
    return figures
