"""Combining months into quarters and years by the catalog's rule."""

from datetime import date, datetime

import pytest

from warehouse.aggregation import aggregate_rows

T = datetime(2024, 1, 1)


def month(m, value, status="A", lower=None, upper=None, verification="verified"):
    start = date(2022, m, 1)
    return ("x.count", "AF-KAB", "_T", "_T", start, start, "M", value, lower, upper, status,
            "src", "NGO", verification, T, None)  # fmt: skip


def quarter_values(rows, rule):
    return [(r[4], r[6], r[7], r[8], r[9], r[10], r[13]) for r in aggregate_rows(rows, "Q", rule)]


@pytest.mark.parametrize(("rule", "expected"), [("sum", 6.0), ("mean", 2.0), ("last", 3.0)])
def test_rules(rule, expected):
    rows = [month(3, 3.0), month(1, 1.0), month(2, 2.0)]  # out of order on purpose
    [(start, freq, value, *_)] = quarter_values(rows, rule)
    assert (start, freq, value) == (date(2022, 1, 1), "Q", expected)


def test_any_suppressed_part_suppresses_the_aggregate_and_its_bounds():
    rows = [month(1, 10.0, lower=8, upper=12), month(2, None, "S"), month(3, 12.0)]
    [(_, _, value, lower, upper, status, _)] = quarter_values(rows, "sum")
    assert (value, lower, upper, status) == (None, None, None, "S")


def test_statuses_bounds_and_verification_combine_conservatively():
    rows = [month(1, 1.0, "E", 0.5, 2.0), month(2, 2.0, "A", 1.0, 3.0, "single_source")]
    [(_, _, value, lower, upper, status, verification)] = quarter_values(rows, "sum")
    assert (value, lower, upper, status, verification) == (3.0, 1.5, 5.0, "E", "single_source")
    [(_, _, value, *_rest)] = quarter_values([month(1, None, "U"), month(2, 4.0)], "mean")
    assert value is None and _rest[2] == "U"
    [(_, _, value, _, _, status, _)] = quarter_values(
        [month(1, 0.0, "Z"), month(2, 0.0, "Z")], "sum"
    )
    assert (value, status) == (0.0, "Z")
    [(_, _, _, _, _, status, _)] = quarter_values([month(1, 0.0, "Z"), month(2, 5.0)], "sum")
    assert status == "A"


def test_rows_already_at_the_frequency_pass_and_years_span_quarters():
    rows = [month(m, float(m)) for m in range(1, 13)]
    [(start, freq, value, *_)] = [(r[4], r[6], r[7]) for r in aggregate_rows(rows, "A", "sum")]
    assert (start, freq, value) == (date(2022, 1, 1), "A", 78.0)
    assert aggregate_rows(rows, "M", "sum") == rows
