from datetime import date

import pytest

from warehouse.periods import format_period, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "frequency"),
    [
        ("2022", date(2022, 1, 1), date(2022, 12, 31), "A"),
        ("2022-Q1", date(2022, 1, 1), date(2022, 3, 31), "Q"),
        ("2022-Q4", date(2022, 10, 1), date(2022, 12, 31), "Q"),
        ("2022-03", date(2022, 3, 1), date(2022, 3, 31), "M"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "M"),
        ("2022-03-15", date(2022, 3, 15), date(2022, 3, 15), "D"),
        (" 2023-11 ", date(2023, 11, 1), date(2023, 11, 30), "M"),
    ],
)
def test_parses_every_submitted_form(text, start, end, frequency):
    period = parse_period(text)
    assert (period.start, period.end, period.frequency) == (start, end, frequency)
    assert period.label == text.strip()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2022-13", "no month 13"),
        ("2023-02-30", "not a calendar date"),
        ("2022-Q5", "not a period"),
        ("22", "not a period"),
        ("2022/03", "not a period"),
        ("", "not a period"),
        ("March 2022", "not a period"),
    ],
)
def test_rejects_malformed_periods_with_a_reason(text, says):
    with pytest.raises(ValueError, match=says):
        parse_period(text)


def test_formats_labels_by_frequency():
    assert format_period(date(2022, 7, 1), "Q") == "2022-Q3"
    assert format_period(date(2022, 7, 1), "A") == "2022"
    assert format_period(date(2022, 7, 1), "M") == "2022-07"
    assert format_period(date(2022, 7, 9), "D") == "2022-07-09"
