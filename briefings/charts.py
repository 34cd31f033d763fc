"""Server-side SVG charts of the briefing, drawn with leather from a stored snapshot.

Why leather (https://leather.readthedocs.io): it is a small, pure-Python
library that writes plain SVG (ElementTree, so labels are escaped) with no
JavaScript and no dependencies; WeasyPrint draws that SVG inline in the PDF
and browsers show the same markup in the preview. matplotlib's SVG backend
would bring numpy and Pillow and a second of import time for four small
charts; pygal's SVG expects its JavaScript for tooltips.
(leather draws dots only on numeric axes, so per-team charts are overlapping bars.)

The charts read well in black-and-white print: series differ by shade
(near-black against light grey) and by shape (bars against dots, solid against
dashed lines), never by hue alone. leather's look is module-level state
(``leather.theme``); ``_THEME`` is applied once when this module is imported:
DejaVu Sans (the PDF's font), white background, grey ticks.

Every function takes snapshot data (JSON values) and returns an SVG string,
or "" when there is nothing to draw; the template marks it safe.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import leather
from leather import theme

_THEME = {
    "background_color": "#ffffff",
    "title_font_family": "DejaVu Sans",
    "legend_font_family": "DejaVu Sans",
    "axis_title_font_family": "DejaVu Sans",
    "tick_font_family": "DejaVu Sans",
    "legend_font_size": 12,
    "tick_font_size": 11,
    "tick_font_char_width": 6.5,
    "label_color": "#374151",
    "tick_color": "#d1d5db",
    "zero_color": "#6b7280",
    "default_series_colors": ["#1f2937", "#9ca3af", "#4b5563", "#d1d5db"],
    "margin": 0.04,
}
for _name, _value in _THEME.items():
    setattr(theme, _name, _value)

DARK, LIGHT = "#1f2937", "#9ca3af"
#: Teams in a per-team chart: the ones furthest from plan (the tables list all).
CHART_TEAMS = 10


def _svg(chart: leather.Chart, width: int, height: int, label: str) -> str:
    """The chart as an inline ``<svg>`` that scales to its container (viewBox), titled for screen readers."""
    root = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        role="img",
        **{"class": "chart", "aria-label": label},
    )
    title = ET.SubElement(root, "title")
    title.text = label
    root.append(chart.to_svg_group(width, height))
    return ET.tostring(root, encoding="unicode")


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def okr_progress_chart(okrs: dict[str, Any]) -> str:
    """Key-result progress (dark bars) against time elapsed (light bars behind), per team,
    in %: the teams furthest behind first, at most ``CHART_TEAMS``."""
    teams = sorted(okrs.get("teams") or [], key=lambda t: t["progress"] - t["expected"])
    teams = teams[:CHART_TEAMS]
    if not teams:
        return ""
    names = [_short(t["team"]) for t in reversed(teams)]
    chart = leather.Chart()
    chart.add_x_scale(0, 100)
    chart.add_x_axis(ticks=[0, 25, 50, 75, 100], tick_formatter=lambda v, i, c: f"{v:.0f}%")
    # Overlapping bars: time elapsed (light) behind progress (dark); the light
    # part that shows is how far a team trails.
    chart.add_bars(
        [(round(t["expected"] * 100), n) for t, n in zip(reversed(teams), names)],
        name="time elapsed",
        fill_color=LIGHT,
    )
    chart.add_bars(
        [(round(t["progress"] * 100), n) for t, n in zip(reversed(teams), names)],
        name="progress",
        fill_color=DARK,
    )
    return _svg(
        chart, 640, 60 + 26 * len(teams), "Key-result progress against time elapsed, per team"
    )


def debt_trend_chart(trend: list[dict[str, Any]]) -> str:
    """Tech-debt effort (engineer-days, all teams) per week over the last 12 weeks, a line."""
    points = [(dt.date.fromisoformat(p["date"]), p["effort_days"]) for p in trend or []]
    if len(points) < 2:
        return ""
    chart = leather.Chart()
    chart.add_y_scale(0, max(v for _, v in points) * 1.1 or 1)
    chart.add_x_axis(tick_formatter=lambda d, i, c: f"{d:%-d %b}")
    chart.add_line(points, name="effort, engineer-days", stroke_color=DARK, width=2)
    return _svg(chart, 640, 220, "Tech-debt effort in engineer-days over twelve weeks")


def headcount_chart(headcount: dict[str, Any]) -> str:
    """Filled (dark bars) against planned (light bars behind), per team: the biggest gaps first."""
    teams = sorted(headcount.get("teams") or [], key=lambda t: (-t["gap"], t["team"]))
    teams = teams[:CHART_TEAMS]
    if not teams:
        return ""
    names = [_short(t["team"]) for t in reversed(teams)]
    chart = leather.Chart()
    chart.add_x_scale(0, max(t["planned"] for t in teams) or 1)
    chart.add_bars(
        [(t["planned"], n) for t, n in zip(reversed(teams), names)],
        name="planned",
        fill_color=LIGHT,
    )
    chart.add_bars(
        [(t["filled"], n) for t, n in zip(reversed(teams), names)], name="filled", fill_color=DARK
    )
    return _svg(chart, 640, 60 + 26 * len(teams), "Headcount filled against planned, per team")


def history_chart(history: list[dict[str, Any]]) -> str:
    """Overdue actions (solid) and key results quietly behind (dashed) at each of the last
    weeks' briefings, from their stored snapshots."""
    weeks = [h for h in history or [] if h.get("overdue_actions") is not None]
    if len(weeks) < 2:
        return ""
    chart = leather.Chart()
    chart.add_x_scale(0, len(weeks) - 1)
    labels = [h["week"][-3:] for h in weeks]
    chart.add_x_axis(ticks=list(range(len(weeks))), tick_formatter=lambda v, i, c: labels[int(v)])
    chart.add_line(
        [(i, h["overdue_actions"]) for i, h in enumerate(weeks)],
        name="overdue actions",
        stroke_color=DARK,
        width=2,
    )
    chart.add_line(
        [(i, h["key_results_behind"] or 0) for i, h in enumerate(weeks)],
        name="key results quietly behind",
        stroke_color=DARK,
        width=1.5,
        stroke_dasharray="5,3",
    )
    return _svg(chart, 640, 220, "Overdue actions and key results quietly behind, week by week")


def sparkline(values: list[float] | None, *, width: int = 64, height: int = 14) -> str:
    """A tiny inline line of ``values`` (oldest first) for a table cell, or "" for fewer than two.

    Plain SVG (a polyline and a dot on the latest value), near-black so it prints;
    scaled to the values' own range: it shows the shape, the table gives the numbers.
    """
    points = [float(v) for v in values or [] if v is not None]
    if len(points) < 2:
        return ""
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    step = (width - 4) / (len(points) - 1)
    xy = [
        (2 + i * step, height - 2 - (v - low) / span * (height - 4)) for i, v in enumerate(points)
    ]
    root = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=str(width),
        height=str(height),
        role="img",
        **{"class": "sparkline", "aria-label": f"from {points[0]:g} to {points[-1]:g}"},
    )
    ET.SubElement(
        root,
        "polyline",
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in xy),
        fill="none",
        stroke=DARK,
        **{"stroke-width": "1.2"},
    )
    ET.SubElement(root, "circle", cx=f"{xy[-1][0]:.1f}", cy=f"{xy[-1][1]:.1f}", r="1.6", fill=DARK)
    return ET.tostring(root, encoding="unicode")


def briefing_charts(snapshot: dict[str, Any]) -> dict[str, str]:
    """All four charts of a snapshot, by name, for the template."""
    return {
        "okrs": okr_progress_chart(snapshot.get("okrs") or {}),
        "debt": debt_trend_chart((snapshot.get("tech_debt") or {}).get("trend") or []),
        "headcount": headcount_chart(snapshot.get("headcount") or {}),
        "history": history_chart(snapshot.get("history") or []),
    }
