"""A line chart of observation series drawn as SVG on the server (no script needed to see it).

Suppressed (`S`) and missing (`M`, `U`) points get no value, so they are drawn as distinct
markers in a strip below the axis and break the line, never as zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from html import escape

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 70
STRIP = HEIGHT - 28  # y of the "no value" strip
LEGEND_LINE = 18  # one legend line per series below the chart: labels name the publisher
PALETTE = ("#1b6ca8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    return float(-(-value // magnitude) * magnitude)


def svg(series: dict[str, list[tuple[str, float | None, str]]]) -> str:
    """SVG for {label: [(period, value, obs_status), ...]}, points in period order."""
    periods = sorted({p for points in series.values() for p, _, _ in points})
    values = [v for points in series.values() for _, v, _ in points if v is not None]
    top = _nice_max(max(values, default=0.0))
    span = max(len(periods) - 1, 1)
    x_of = {p: LEFT + (WIDTH - LEFT - RIGHT) * i / span for i, p in enumerate(periods)}

    def y(value: float) -> float:
        return TOP + (STRIP - 40 - TOP) * (1 - value / top)

    height = HEIGHT + LEGEND_LINE * max(len(series) - 1, 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" aria-label="Line chart">',
        f'<line class="axis" x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{y(0):.1f}" text-anchor="end">0</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{y(top) + 4:.1f}" text-anchor="end">{top:g}</text>',
        f'<text class="strip-label" x="{LEFT - 6}" y="{STRIP + 4}" '
        'text-anchor="end">no value</text>',
    ]  # fmt: skip
    step = max(1, len(periods) // 8)
    for period in periods[::step]:
        parts.append(f'<text class="tick" x="{x_of[period]:.1f}" y="{y(0) + 16:.1f}" '
                     f'text-anchor="middle">{escape(period)}</text>')  # fmt: skip
    for index, (label, points) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<text class="legend" x="{LEFT}" y="{HEIGHT - 4 + LEGEND_LINE * index}" '
                     f'fill="{colour}">● {escape(label)}</text>')  # fmt: skip
        parts.append(f'<g class="series" data-label="{escape(label)}" stroke="{colour}" '
                     f'fill="{colour}">')  # fmt: skip
        segment: list[str] = []
        segments = [segment]
        for period, value, status in points:
            x = x_of[period]
            tip = f"<title>{escape(label)} {escape(period)}: "
            if value is None:
                segments.append(segment := [])
                kind = "suppressed" if status == "S" else "missing"
                parts.append(f'<rect class="point-{kind}" data-period="{escape(period)}" '
                             f'x="{x - 4:.1f}" y="{STRIP - 4}" width="8" height="8">'
                             f'{tip}{kind} ({escape(status)})</title></rect>')  # fmt: skip
                continue
            segment.append(f"{x:.1f},{y(value):.1f}")
            parts.append(f'<circle class="point" data-period="{escape(period)}" '
                         f'data-value="{value:g}" cx="{x:.1f}" cy="{y(value):.1f}" r="3">'
                         f"{tip}{value:g}</title></circle>")  # fmt: skip
        for line in segments:
            if len(line) > 1:
                parts.append(f'<polyline fill="none" points="{" ".join(line)}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def group_points(rows: list[tuple[str, str, str, float | None, str]],
                 label: Callable[[str, str], str],
                 ) -> dict[str, list[tuple[str, float | None, str]]]:  # fmt: skip
    """(geo, source, period, value, status) rows into one chart series per place and source
    (never two values of one period on a line), labelled `label(geo, source)`."""
    grouped: dict[str, list] = defaultdict(list)
    for geo, source, period, value, status in rows:
        grouped[label(geo, source)].append((period, value, status))
    return dict(grouped)
