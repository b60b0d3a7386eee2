"""A line chart of observation series drawn as SVG on the server (no script needed to see it).

The x axis is time (points at their period's start, decree markers on their effective day);
the y axis has nice ticks with thousands separators in the page's language, or the level
names of an ordinal indicator. Suppressed (`S`) and missing (`M`, `U`) points get no value,
so they are drawn as distinct markers in a strip below the axis and break the line, never as
zero. The SVG scales to its container; on a narrow screen the stylesheet enlarges its text,
so every position here is computed for the larger text and nothing overlaps at either size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

WIDTH = 520
PLOT_HEIGHT = 210
TOP = 8  # above the plot, before any row of decree badges
RIGHT = 14
BADGE_ROW = 22  # a row of numbered decree badges
TICK_ROOM = 30  # x tick labels under the plot
STRIP_ROOM = 30  # the "no value" strip, when a point has no value
CHAR = 17 * 0.62  # widest character advance at the largest font the stylesheet sets
RIGHT_TO_LEFT = ("fa-AF", "ps")
PALETTE = ("#1b6ca8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4", "12 4", "1 2")
_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_MARKS = str.maketrans(",.-", "٬٫−")


@dataclass(frozen=True)
class Point:
    day: date  # the period's first day: where the point sits on the time axis
    period: str  # the period's label (2022-03, 2022-Q1, 2022)
    value: float | None
    status: str


@dataclass(frozen=True)
class Line:
    label: str
    points: list[Point]


@dataclass(frozen=True)
class Marker:
    """A decree drawn as a vertical mark on the day it took effect."""

    day: date
    title: str
    url: str


@dataclass(frozen=True)
class Axis:
    language: str = "en"
    levels: dict[int, str] = field(default_factory=dict)  # ordinal indicators: value -> name
    no_value: str = "no value"
    # Scores and flags without level names (0-4, 0/1): one tick per whole value in range.
    whole: tuple[int, int] | None = None


def style(index: int) -> tuple[str, str]:
    """(colour, dash pattern) of the index-th line: dashes tell lines apart in grey print."""
    return PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]


def digits(text: str, language: str) -> str:
    """Dates and period labels in the language's digits (Dari and Pashto write ۰–۹)."""
    return text if language == "en" else text.translate(_DIGITS)


def number(value: float, language: str, decimals: int = 0) -> str:
    """A figure with thousands separators; Dari and Pashto use their own digits and marks."""
    text = f"{value:,.{decimals}f}"
    return text if language == "en" else text.translate(_MARKS).translate(_DIGITS)


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [round(first + i * step, 10) for i in range(count + 1)]


def _decimals(values: list[float]) -> int:
    """The fewest decimals (at most 3) that show every value exactly."""
    return next((d for d in range(3) if all(abs(round(v, d) - v) < 1e-9 for v in values)), 3)


def _text_width(text: str) -> float:
    return len(text) * CHAR


def _badge_rows(xs: list[float], gap: float) -> list[int]:
    """A row for each badge so that badges in one row are at least `gap` apart."""
    last: list[float] = []
    rows = []
    for x in xs:
        row = next((r for r, at in enumerate(last) if x - at >= gap), len(last))
        if row == len(last):
            last.append(x)
        last[row] = x
        rows.append(row)
    return rows


def _month(point: Point) -> int | None:
    """Months since year 0 of a yearly, quarterly or monthly point (None for days)."""
    if len(point.period) == 10:
        return None
    return point.day.year * 12 + point.day.month - 1


def _x_labels(points: list[Point], x_of) -> list[tuple[Point, str]]:
    """(point, label) for the periods to label: those on round steps (each month, quarter,
    January of each year, every 5 years...), the smallest step that keeps labels apart at
    the largest text size. A step of whole years labels its Januaries by the year alone."""
    if not points:
        return []
    months = [m for m in (_month(p) for p in points) if m is not None]
    if len(months) < len(points):  # daily points: every k-th
        choices = [
            [(p, p.period) for p in points[::k]] for k in (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365)
        ]
    else:
        choices = [
            [
                (p, str(p.day.year) if step >= 12 else p.period)
                for p, m in zip(points, months, strict=True)
                if m % step == 0
            ]
            for step in (1, 3, 6, 12, 24, 60, 120, 240, 600)
        ]
    for chosen in choices:
        if not chosen:
            continue
        xs = [x_of(p.day) for p, _ in chosen]
        widest = max(_text_width(text) for _, text in chosen) + 12
        if all(b - a >= widest for a, b in zip(xs, xs[1:], strict=False)):
            return chosen
    return [(points[0], points[0].period)]


def _y_ticks(axis: Axis, values: list[float]) -> tuple[list[float], list[str]]:
    """(values, labels) of the y ticks: level names for an ordinal indicator, each whole
    value of an unnamed score, else round numbers from zero (or below, for negatives)."""
    if axis.levels:
        named = sorted(axis.levels)
        return [float(t) for t in named], [
            f"{number(t, axis.language)} · {axis.levels[t]}" for t in named
        ]
    if axis.whole and axis.whole[1] - axis.whole[0] <= 10:
        whole = [float(t) for t in range(axis.whole[0], axis.whole[1] + 1)]
        return whole, [number(t, axis.language) for t in whole]
    ticks = nice_ticks(min(0.0, *values) if values else 0.0, max(values, default=1.0))
    decimals = _decimals(ticks)
    return ticks, [number(t, axis.language, decimals) for t in ticks]


def svg(lines: list[Line], axis: Axis, markers: Sequence[Marker] = ()) -> str:
    """SVG of the lines (one per place and source), with numbered decree markers."""
    points = [p for line in lines for p in line.points]
    days = sorted({p.day for p in points})
    values = [p.value for p in points if p.value is not None]
    shown = list(markers) if days else []  # the caller picks those in the charted range
    first = days[0] if days else date.today()
    last = max([*days, *(m.day for m in shown)], default=first)
    span = max((last - first).days, 1)

    ticks, tick_text = _y_ticks(axis, values)
    strip = any(p.value is None for p in points)
    strip_label = axis.no_value if strip else ""
    # Level names sit inside the plot above their grid line; numbers go in the left margin.
    margin = (
        max(
            [_text_width(strip_label)]
            + ([] if axis.levels else [_text_width(t) for t in tick_text])
        )
        + 10
    )
    left = round(max(margin, 14))
    plot = (left, WIDTH - RIGHT)

    def x_of(day: date) -> float:
        if len(days) == 1 and not shown:
            return (plot[0] + plot[1]) / 2
        return plot[0] + (plot[1] - plot[0]) * (day - first).days / span

    badge_x = [x_of(m.day) for m in shown]
    rows = _badge_rows(badge_x, 24)
    # Room above the top grid line for its label (level names sit above their line).
    top = TOP + BADGE_ROW * (max(rows) + 1 if rows else 0) + (22 if axis.levels else 10)
    bottom = top + PLOT_HEIGHT
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1

    def y(value: float) -> float:
        return bottom - PLOT_HEIGHT * (value - low) / (high - low)

    strip_y = bottom + TICK_ROOM + 14
    height = bottom + TICK_ROOM + (STRIP_ROOM if strip else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}"'
        f' direction="ltr" role="img" aria-label="Line chart">',
        f'<line class="axis" x1="{left}" y1="{y(low):.1f}" x2="{plot[1]}" y2="{y(low):.1f}"/>',
    ]
    on_top = []  # level names, drawn over the lines (their halo keeps them legible)
    for tick, text in zip(ticks, tick_text, strict=True):
        at = y(tick)
        if tick != low:
            parts.append(
                f'<line class="grid" x1="{left}" y1="{at:.1f}" x2="{plot[1]}" y2="{at:.1f}"/>'
            )
        if axis.levels and axis.language in RIGHT_TO_LEFT:  # names read from the right
            on_top.append(
                f'<text class="tick level" x="{plot[1] - 4}" y="{at - 5:.1f}" '
                f'direction="rtl">{escape(text)}</text>'
            )
        elif axis.levels:
            on_top.append(
                f'<text class="tick level" x="{left + 4}" y="{at - 5:.1f}">{escape(text)}</text>'
            )
        else:
            parts.append(
                f'<text class="tick" x="{left - 6}" y="{at + 4:.1f}" '
                f'text-anchor="end">{escape(text)}</text>'
            )
    periods = list({p.day: p for p in sorted(points, key=lambda p: p.day)}.values())
    for point, label in _x_labels(periods, x_of):
        x, half = x_of(point.day), _text_width(label) / 2
        anchor = "end" if x + half > WIDTH - 2 else "start" if x - half < 2 else "middle"
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" '
            f'y2="{bottom + 4}"/>'
            f'<text class="tick" x="{x:.1f}" y="{bottom + 24}" text-anchor="{anchor}">'
            f"{escape(digits(label, axis.language))}</text>"
        )
    if strip:
        parts.append(
            f'<text class="strip-label" x="{left - 6}" y="{strip_y + 4}" '
            f'text-anchor="end">{escape(strip_label)}</text>'
        )
    for number_, (marker, x, row) in enumerate(zip(shown, badge_x, rows, strict=True), 1):
        badge_y = TOP + BADGE_ROW * row + 10
        parts.append(
            f'<a class="decree" href="{escape(marker.url)}" data-day="{marker.day}">'
            f"<title>{escape(marker.day.isoformat())}: {escape(marker.title)}</title>"
            f'<line x1="{x:.1f}" y1="{badge_y + 9}" x2="{x:.1f}" y2="{bottom}"/>'
            f'<circle cx="{x:.1f}" cy="{badge_y}" r="9"/>'
            f'<text class="badge" x="{x:.1f}" y="{badge_y + 4}" text-anchor="middle">'
            f"{number(number_, axis.language)}</text></a>"
        )
    for index, line in enumerate(lines):
        # Later lines are drawn thinner on top of earlier ones: equal values stay visible.
        width = min(2 + 1.5 * (len(lines) - 1 - index), 6.5)
        parts.append(_series(line, index, width, x_of, y, strip_y, axis.language))
    parts += on_top
    parts.append("</svg>")
    return "\n".join(parts)


def _series(line: Line, index: int, width: float, x_of, y, strip_y: float, language: str) -> str:
    colour, dash = style(index)
    label = escape(line.label)
    radius = 3 if len(line.points) <= 24 else 2
    parts = [
        f'<g class="series" data-label="{label}" stroke="{colour}" fill="{colour}" '
        f'stroke-width="{width}">'
    ]
    segment: list[str] = []
    segments = [segment]
    for point in line.points:
        x, period = x_of(point.day), escape(point.period)
        tip = f"<title>{label} {period}: "
        if point.value is None:
            segments.append(segment := [])
            kind = "suppressed" if point.status == "S" else "missing"
            parts.append(
                f'<rect class="point-{kind}" data-period="{period}" '
                f'x="{x - 4:.1f}" y="{strip_y - 4}" width="8" height="8">'
                f"{tip}{kind} ({escape(point.status)})</title></rect>"
            )
            continue
        segment.append(f"{x:.1f},{y(point.value):.1f}")
        figure = number(point.value, language, _decimals([point.value]))
        parts.append(
            f'<circle class="point" data-period="{period}" '
            f'data-value="{point.value}" cx="{x:.1f}" cy="{y(point.value):.1f}" '
            f'r="{radius}">{tip}{figure}</title></circle>'
        )
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    for run in segments:
        if len(run) > 1:
            parts.append(f'<polyline fill="none"{dashed} points="{" ".join(run)}"/>')
    parts.append("</g>")
    return "".join(parts)
