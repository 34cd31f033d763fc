"""The whole weekly briefing generation over WeasyPrint's own rendering of the same final HTML.

``briefings.services.briefing_generate`` (snapshot queries, template, PDF,
storage, row update) for this week, ``REPEATS`` times (a re-run replaces the
draft); then WeasyPrint alone on the HTML it produced, as many times, through
``briefings.services.briefing_render_pdf``: the same base URL, static-files
fetcher and options (a tagged PDF, ``pdf_tags``, which costs WeasyPrint over half
again as much as an untagged one, 5.5 s against 3.4 s at the large scale: its work,
not ours). The goal is a ratio ≤ 1.25 and at
most 16 pages at any size (DESIGN.md §5).
"""

from __future__ import annotations

import time

from bench.figures import median, ratio
from briefings.services import briefing_generate, briefing_render_pdf
from cto_office.clock import IsoWeek, office_today

REPEATS = 3


def measure_briefing(log=print) -> tuple[float, int]:
    """``(generation / WeasyPrint ratio of medians, page count)`` for this week's briefing."""
    week = IsoWeek.of(office_today())
    generation = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        briefing = briefing_generate(iso_year=week.year, iso_week=week.week)
        generation.append(time.perf_counter() - started)
    rendering = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        briefing_render_pdf(html=briefing.html)
        rendering.append(time.perf_counter() - started)
    figure = ratio(median(generation), median(rendering))
    log(
        f"briefing: {week} generated in {median(generation):.2f} s (median of {REPEATS}), "
        f"WeasyPrint alone {median(rendering):.2f} s, {briefing.page_count} pages, "
        f"{len(briefing.html) // 1024} KiB of HTML"
    )
    return figure, briefing.page_count
