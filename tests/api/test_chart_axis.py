"""The chart's axes: round ticks, figures as people write them, labels that never collide."""

import re
from datetime import date

import pytest

from api import chart


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 3_950_000, [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]),
        (0, 12_000, [0, 2_500, 5_000, 7_500, 10_000, 12_500]),
        (0, 0.8, [0, 0.2, 0.4, 0.6, 0.8]),
        (-3, 7, [-4, -2, 0, 2, 4, 6, 8]),
        (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_ticks_are_round_and_cover_the_values(low, high, ticks):
    assert chart.nice_ticks(low, high) == pytest.approx(ticks)


def test_figures_have_thousands_separators_in_each_language():
    assert chart.number(4_000_000, "en") == "4,000,000"
    assert chart.number(1_234_567.5, "fa-AF", 1) == "۱٬۲۳۴٬۵۶۷٫۵"
    assert chart.number(-2_500, "ps") == "−۲٬۵۰۰"
    assert chart.digits("2022-03", "fa-AF") == "۲۰۲۲-۰۳"


def _line(values: list[float | None], start: int = 2019) -> chart.Line:
    points = [
        chart.Point(date(start + i // 12, i % 12 + 1, 1), f"{start + i // 12}-{i % 12 + 1:02d}",
                    value, "A" if value is not None else "S")
        for i, value in enumerate(values)
    ]  # fmt: skip
    return chart.Line("AFG · UNHCR", points)


def test_a_chart_of_millions_prints_no_exponent_and_labels_years_apart():
    drawing = chart.svg([_line([3.5e6 + 1e4 * i for i in range(60)])], chart.Axis())
    assert "e+" not in drawing
    assert ">3,000,000</text>" in drawing and ">4,000,000</text>" in drawing
    ticks = re.findall(r'<text class="tick" x="([\d.]+)" y="[\d.]+" '
                       r'text-anchor="(?:middle|start|end)">(\d{4})<', drawing)  # fmt: skip
    assert [year for _, year in ticks] == ["2019", "2020", "2021", "2022", "2023"]
    xs = [float(x) for x, _ in ticks]
    assert all(b - a >= len("2019") * chart.CHAR for a, b in zip(xs, xs[1:], strict=False))


def test_ordinal_axes_name_their_levels_and_decrees_get_numbered_badges():
    levels = {0: "none", 1: "partial", 2: "mahram for long-distance travel", 3: "any outing"}
    markers = [chart.Marker(date(2019, 3, 1), "First", "https://example.org/a"),
               chart.Marker(date(2019, 3, 5), "Second", "https://example.org/b")]  # fmt: skip
    drawing = chart.svg([_line([1, 2, None, 3])], chart.Axis(levels=levels), markers)
    for value, name in levels.items():
        assert f">{value} · {name}</text>" in drawing
    # Two decrees four days apart: their badges go in two rows, never on top of each other.
    badges = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="9"/>', drawing)
    assert len(badges) == 2 and badges[0][1] != badges[1][1]
    assert (
        'href="https://example.org/b"' in drawing and "<title>2019-03-05: Second</title>" in drawing
    )
    assert drawing.count('class="point-suppressed"') == 1


def test_an_unnamed_score_gets_one_tick_per_whole_value():
    drawing = chart.svg([_line([1, 2, 2, 4])], chart.Axis(whole=(0, 4)))
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', drawing)
    assert [t for t in ticks if "-" not in t] == ["0", "1", "2", "3", "4"]
