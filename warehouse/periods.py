"""ISO 8601 periods as submitted (`2022`, `2022-Q1`, `2022-03`, `2022-03-15`) and as served."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?$"
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    frequency: str  # D, M, Q or A

    @property
    def label(self) -> str:
        return format_period(self.start, self.frequency)


def parse_period(text: str) -> Period:
    """Parse one period; raise ValueError saying what is wrong (it reaches the submitter)."""
    match = _PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a period (use 2022, 2022-Q1, 2022-03 or 2022-03-15)")
    year = int(match["year"])
    if match["quarter"]:
        first = (int(match["quarter"]) - 1) * 3 + 1
        return Period(date(year, first, 1), _month_end(year, first + 2), "Q")
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month}")
        if match["day"]:
            try:
                day = date(year, month, int(match["day"]))
            except ValueError as exc:
                raise ValueError(f"'{text}' is not a calendar date ({exc})") from None
            return Period(day, day, "D")
        return Period(date(year, month, 1), _month_end(year, month), "M")
    return Period(date(year, 1, 1), date(year, 12, 31), "A")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Cached: a served series labels hundreds of rows from a few hundred distinct periods, and
# the f-string formatting was ~5% of a cold series request's samples (docs/benchmarks.md).
@lru_cache(maxsize=8192)
def format_period(start: date, frequency: str) -> str:
    """The label a monitor reads for a period that starts on `start`."""
    if frequency == "A":
        return f"{start.year:04d}"
    if frequency == "Q":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if frequency == "M":
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()


def period_columns(text: str | None) -> tuple[date | None, date | None, str | None]:
    """(start, end, frequency) of a period, or three Nones when it does not parse: the
    period rule then quarantines the row with its reason."""
    try:
        period = parse_period(text or "")
    except ValueError:
        return None, None, None
    return period.start, period.end, period.frequency
