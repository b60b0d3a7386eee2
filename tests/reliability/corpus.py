"""The bad-input corpus: partner files that are wrong in one way each, with the expected outcome.

Every case is written at test time (binary and large ones cannot be committed sensibly).
`rows` is (rows_in, rows_loaded, rows_quarantined); `error` is a fragment of the file-level
error, None when the file is taken; `reasons` maps a quarantined line to a fragment of one of
its reasons, which names the field at fault.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pipelines.sources.partner import HEADER
from warehouse.catalog import load_catalog

H = ",".join(HEADER)
GOOD = "business.women_led_closures,AF-KAB,2022-03,_T,_T,12,,,A,partner.ngo,verified"


def line(indicator="business.women_led_closures", geo="AF-KAB", period="2022-03", value="12",
         sex="_T", obs_status="A") -> str:  # fmt: skip
    return f"{indicator},{geo},{period},{sex},_T,{value},,,{obs_status},partner.ngo,verified"


def text(*lines: str, end: str = "\n") -> bytes:
    return (end.join(lines) + end).encode()


@dataclass(frozen=True)
class Case:
    name: str  # file name; also the kind of bad input
    content: bytes | Callable[[Path], None]  # bytes, or a writer for files made another way
    rows: tuple[int, int, int]
    error: str | None = None
    reasons: dict[int, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return "file" if self.error else ("row" if self.rows[2] else "none")

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        if isinstance(self.content, bytes):
            path.write_bytes(self.content)
        else:
            self.content(path)
        return path


def _symlink_outside(path: Path) -> None:
    secret = path.parent.parent / f"outside-{path.name}"
    secret.write_bytes(text(H, GOOD))
    path.symlink_to(secret)


PROVINCES = ["AFG", *sorted(c for c, p in load_catalog().places.items() if p.level == "province")]
BIG_LONG_ROWS, BIG_ROWS = 99, 35 * 286


def _hundred_mb(path: Path) -> None:
    """~100 MB: 99 rows with a 1 MB field (quarantined) and 10,010 ordinary rows (loaded).

    Built so that CI can afford it: 1.3M ordinary rows (100 MB) take minutes per path with
    the foundation reader (see the closing note of issue 8).
    """
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(H + "\n")
        for n in range(BIG_LONG_ROWS):
            handle.write(line(period=f"1994-{n % 12 + 1:02d}", value="9" * 1_000_000) + "\n")
        for day in range(286):
            period = (date(1995, 1, 1) + timedelta(days=day)).isoformat()
            handle.writelines(line(geo=geo, period=period) + "\n" for geo in PROVINCES)


def _gzip(path: Path) -> None:
    path.write_bytes(gzip.compress(text(H, GOOD)))


CASES = [
    Case("malformed_quoting.csv", text(H, GOOD, line(geo='"AF-KAB"x', period="2022-04")),
         (2, 0, 2), error="line 3: ',' expected after '\"'"),
    Case("semicolon_delimiter.csv", text(H.replace(",", ";"), GOOD.replace(",", ";")),
         (1, 0, 1), error="separated by ';'"),
    Case("utf8_bom.csv", b"\xef\xbb\xbf" + text(H, GOOD), (1, 1, 0)),
    Case("utf16.csv", (H + "\r\n" + line(period="2022-05") + "\r\n").encode("utf-16"),
         (1, 1, 0)),
    Case("windows1252.csv", text(H, line(period="2022-06"), line(geo="Hérat")).replace(
        "é".encode(), "é".encode("cp1252")), (2, 0, 2), error="line 3: byte 0xe9 is not UTF-8"),
    Case("mixed_line_endings.csv",
         f"{H}\r\n{line(period='2022-07')}\n{line(period='2022-08')}\r{line(period='2022-09')}\r\n"
         .encode(), (3, 3, 0)),
    Case("empty.csv", b"", (0, 0, 0), error="is empty"),
    Case("header_only.csv", text(H), (0, 0, 0), error="has a header but no rows"),
    Case("missing_column.csv", text(H.rsplit(",", 1)[0], GOOD.rsplit(",", 1)[0]), (1, 0, 1),
         error="line 1: header has missing column(s) verification"),
    Case("extra_column.csv", text(H + ",notes", GOOD + ",called Mrs X"), (1, 0, 1),
         error="1 unknown column(s) at position(s) 12"),
    Case("renamed_header.csv", text(H.replace("indicator_code", "indicator"), GOOD), (1, 0, 1),
         error="missing column(s) indicator_code; 1 unknown column(s) at position(s) 1"),
    Case("duplicate_column.csv", text(H.replace("lower", "value"), GOOD), (1, 0, 1),
         error="named twice"),
    Case("short_and_long_rows.csv", text(H, GOOD.rsplit(",", 2)[0], GOOD + ",extra",
                                         line(period="2022-10")), (3, 1, 2),
         reasons={2: "row: has 9 fields", 3: "row: has 12 fields"}),
    Case("wrong_types.csv", text(H, line(value="twelve"), line(period="March 2022"),
                                 line(period="2022-11")), (3, 1, 2),
         reasons={2: "value: not a number", 3: "period: not a period"}),
    Case("thousands_separator.csv", text(H, line(value='"1,234"'), line(value="1 234")),
         (2, 0, 2), reasons={2: "value: not a number", 3: "value: not a number"}),
    Case("decimal_comma.csv",
         text(H, line("employment.women_public_sector_share", "AFG", "2021", '"14,5"')),
         (1, 0, 1), reasons={2: "value: not a number"}),
    Case("nan_inf.csv", text(H, line(value="NaN"), line(value="inf", period="2022-04"),
                             line(value="-Infinity", period="2022-05")), (3, 0, 3),
         reasons={2: "value: not a number", 3: "value: not a number", 4: "value: not a number"}),
    Case("negative_count.csv", text(H, line(value="-3")), (1, 0, 1),
         reasons={2: "value: below this indicator's minimum"}),
    Case("rate_over_100.csv",
         text(H, line("employment.women_public_sector_share", "AFG", "2020", "120")), (1, 0, 1),
         reasons={2: "value: above this indicator's maximum"}),
    Case("ordinal_out_of_range.csv",
         text(H, line("movement.restriction_level", "AFG", "2022-05", "4"),
              line("movement.restriction_level", "AFG", "2022-06", "1.5")), (2, 0, 2),
         reasons={2: "value: above this indicator's maximum",
                  3: "value: this indicator takes whole numbers only"}),
    Case("future_period.csv", text(H, line(period="2099-01")), (1, 0, 1),
         reasons={2: "period: starts after today"}),
    Case("impossible_date.csv", text(H, line(period="2023-02-30"), line(period="2023-13")),
         (2, 0, 2), reasons={2: "period: not a period", 3: "period: not a period"}),
    Case("unknown_indicator.csv", text(H, line("business.women_led_closure")), (1, 0, 1),
         reasons={2: "indicator_code: not an indicator code"}),
    Case("unknown_place.csv", text(H, line(geo="AF-XYZ"), line(geo="Kabul")), (2, 0, 2),
         reasons={2: "geo_code: not an ISO 3166 place code", 3: "geo_code: not an ISO 3166"}),
    Case("duplicate_key_in_file.csv", text(H, line(period="2021-01", value="5"),
                                           line(period="2021-01", value="6")), (2, 0, 2),
         reasons={2: "[key.unique]", 3: "[key.unique]"}),
    # The same key in two files is a revision: both load, the later file's value is current.
    Case("duplicate_key_across_a.csv", text(H, line(period="2021-02", value="5")), (1, 1, 0)),
    Case("duplicate_key_across_b.csv", text(H, line(period="2021-02", value="7")), (1, 1, 0)),
    Case("one_mb_line.csv", text(H, line(value="9" * 1_000_000), line(period="2021-03")),
         (2, 1, 1), reasons={2: "value: 1000000 characters, more than 1000 [field.too_long]"}),
    Case("hundred_mb.csv", _hundred_mb, (BIG_LONG_ROWS + BIG_ROWS, BIG_ROWS, BIG_LONG_ROWS),
         reasons={2: "value: 1000000 characters", 100: "value: 1000000 characters"}),
    Case("formula_injection.csv",
         text(H, line('"=HYPERLINK(""http://evil.example"",""click"")"'),
              line(geo="@SUM(A1:A9)", period="2021-04"), line(value="=1+2", period="2021-05"),
              line(geo="+AF-KAB", period="2021-06")), (4, 0, 4),
         reasons={2: "indicator_code: not an indicator code", 3: "geo_code: not an ISO 3166",
                  4: "value: not a number", 5: "geo_code: not an ISO 3166"}),
    Case("control_characters.csv",
         text(H, line(geo="AF-\x07KAB"), line(value="1\x1b2", period="2021-07"),
              line(period="2021-08")), (3, 1, 2),
         reasons={2: "geo_code: not an ISO 3166", 3: "value: not a number"}),
    Case("newline_in_quoted_field.csv", text(H, line(geo='"AF-\nKAB"'), line(period="2021-09")),
         (2, 1, 1), reasons={2: "geo_code: not an ISO 3166"}),
    Case("nul_byte.csv", text(H, GOOD, "business\x00"), (0, 0, 0),
         error="line 3: NUL byte; a binary file"),
    Case("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), (0, 0, 0),
         error="NUL byte; a binary file"),
    Case("gzip.csv", _gzip, (0, 0, 0), error="is gzip-compressed"),
    Case("symlink_outside.csv", _symlink_outside, (0, 0, 0),
         error="points outside the landing folder"),
]  # fmt: skip
