"""The rules every conformed batch must meet, derived from the catalog.

Each rule is a Great Expectations 1.x expectation tagged with a stable name, the field it
checks and a sentence for the quarantine reason. Building them needs no GX import, so the
list can be read and tested cheaply; `gx_batch.py` turns them into expectations.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from warehouse.catalog import (
    AGE_GROUP,
    SEX,
    SUBMITTED_OBS_STATUS,
    VALUELESS_OBS_STATUS,
    VERIFICATION,
    Catalog,
)
from warehouse.observation import KEY

# The column numbering the files validated together, so a key repeats within a file only.
BATCH_COLUMN = "_batch"
# Columns whose combination may appear once per batch: the observation key.
KEY_COLUMNS = [*KEY, BATCH_COLUMN]
# period_start as days since 1970 (float, null when unparseable): GX compares float columns
# vectorised but dates one row at a time in Python (seconds per million rows).
PERIOD_DAY = "_period_day"
EPOCH = date(1970, 1, 1)
NUMBER = r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$"
WHOLE_NUMBER = r"^[-+]?\d+(?:\.0*)?$"


@dataclass(frozen=True)
class Rule:
    name: str  # stable id, e.g. "value.in_range"; appears in quarantine reasons and checks
    field: str  # the submitted field a person has to fix
    message: str
    expectation: str  # GX expectation class name
    kwargs: dict = dataclasses.field(default_factory=dict)
    row_condition: str | None = None  # pandas query restricting the rule to some rows


def _in(column: str, values) -> dict:
    return {"column": column, "value_set": sorted(values)}


def observation_rules(catalog: Catalog, today: date) -> list[Rule]:
    """Every row-level rule, in the order reasons are reported."""
    rules = [
        Rule("indicator.known", "indicator_code", "not an indicator code in the catalog",
             "ExpectColumnValuesToBeInSet", _in("indicator_code", catalog.indicators)),
        Rule("geo.known", "geo_code", "not an ISO 3166 place code in the catalog",
             "ExpectColumnValuesToBeInSet", _in("geo_code", catalog.places)),
        Rule("period.parseable", "period", "not a period (2022, 2022-Q1, 2022-03, 2022-03-15)",
             "ExpectColumnValuesToNotBeNull", {"column": "period_start"}),
        Rule("period.not_future", "period", f"starts after today ({today.isoformat()})",
             "ExpectColumnValuesToBeBetween",
             {"column": PERIOD_DAY, "max_value": float((today - EPOCH).days)}),
        Rule("period.not_before_earliest", "period",
             f"starts before {catalog.earliest_year}, the catalog's earliest year",
             "ExpectColumnValuesToBeBetween",
             {"column": PERIOD_DAY,
              "min_value": float((date(catalog.earliest_year, 1, 1) - EPOCH).days)}),
        Rule("sex.known", "sex", f"not one of {', '.join(SEX)}",
             "ExpectColumnValuesToBeInSet", _in("sex", SEX)),
        Rule("age_group.known", "age_group", f"not one of {', '.join(AGE_GROUP)}",
             "ExpectColumnValuesToBeInSet", _in("age_group", AGE_GROUP)),
        Rule("obs_status.known", "obs_status", f"not one of {', '.join(SUBMITTED_OBS_STATUS)}",
             "ExpectColumnValuesToBeInSet", _in("obs_status", SUBMITTED_OBS_STATUS)),
        Rule("verification.known", "verification", f"not one of {', '.join(VERIFICATION)}",
             "ExpectColumnValuesToBeInSet", _in("verification", VERIFICATION)),
        Rule("source.known", "source_id", "not a source id in the catalog",
             "ExpectColumnValuesToBeInSet", _in("source_id", catalog.sources)),
        Rule("value.number", "value", "not a number",
             "ExpectColumnValuesToMatchRegex", {"column": "value_raw", "regex": NUMBER}),
        Rule("lower.number", "lower", "not a number",
             "ExpectColumnValuesToMatchRegex", {"column": "lower_raw", "regex": NUMBER}),
        Rule("upper.number", "upper", "not a number",
             "ExpectColumnValuesToMatchRegex", {"column": "upper_raw", "regex": NUMBER}),
        Rule("value.present", "value", "empty, but obs_status is not M or U",
             "ExpectColumnValuesToNotBeNull", {"column": "value"},
             f"obs_status not in {list(VALUELESS_OBS_STATUS)}"),
        Rule("value.absent", "value", "given, but obs_status M or U means there is none",
             "ExpectColumnValuesToBeNull", {"column": "value_raw"},
             f"obs_status in {list(VALUELESS_OBS_STATUS)}"),
        Rule("value.zero", "value", "obs_status Z (true zero) needs value 0",
             "ExpectColumnValuesToBeBetween", {"column": "value", "min_value": 0, "max_value": 0},
             "obs_status == 'Z'"),
        Rule("lower.not_above_value", "lower", "above value",
             "ExpectColumnValuesToBeBetween", _not_below("value", "lower")),
        Rule("upper.not_below_value", "upper", "below value",
             "ExpectColumnValuesToBeBetween", _not_below("upper", "value")),
        Rule("key.unique", "indicator_code", "the same observation key appears twice in the file",
             "ExpectCompoundColumnsToBeUnique", {"column_list": KEY_COLUMNS}),
    ]  # fmt: skip
    rules.extend(_indicator_rules(catalog))
    return rules


def _pairs(column: str, pairs) -> dict:
    """In-set over `<indicator>|<value>` strings: GX's own pair-in-set loops over rows in Python."""
    return {"column": f"_indicator_{column}", "value_set": sorted(f"{a}|{b}" for a, b in pairs)}


# "a >= b" rules check the column a - b >= 0 (null when either is missing, so skipped): GX's
# column-pair expectations copy the whole frame per metric to drop missing values, which cost
# most of validation's time; for finite floats a - b >= 0 exactly when a >= b.
DIFFERENCES = {
    "_value_minus_lower": ("value", "lower"),
    "_upper_minus_value": ("upper", "value"),
    "_value_minus_min": ("value", "_min"),
    "_max_minus_value": ("_max", "value"),
    "_lower_minus_min": ("lower", "_min"),
    "_max_minus_upper": ("_max", "upper"),
}


def _not_below(column_a: str, column_b: str) -> dict:
    (column,) = (name for name, pair in DIFFERENCES.items() if pair == (column_a, column_b))
    return {"column": column, "min_value": 0.0}


def _indicator_rules(catalog: Catalog) -> list[Rule]:
    """Rules that depend on the row's indicator.

    They read the catalog through the columns `catalog_columns` adds, so a few expectations
    cover every indicator: one expectation per indicator with a row condition costs GX a pandas
    query each (seconds per batch).
    """
    indicators = catalog.indicators.values()
    geo_pairs = {(i.code, f"{level}:{i.geo_scope}") for i in indicators for level in i.geo_levels}
    return [
        Rule("sex.allowed", "sex", "not a sex disaggregation this indicator has",
             "ExpectColumnValuesToBeInSet",
             _pairs("sex", {(i.code, s) for i in indicators for s in i.sex})),
        Rule("age_group.allowed", "age_group", "not an age group this indicator has",
             "ExpectColumnValuesToBeInSet",
             _pairs("age_group", {(i.code, a) for i in indicators for a in i.age_group})),
        Rule("geo.allowed", "geo_code", "outside this indicator's geographic scope or levels",
             "ExpectColumnValuesToBeInSet",
             _pairs("geo_code", geo_pairs)),
        Rule("value.in_range", "value", "below this indicator's minimum",
             "ExpectColumnValuesToBeBetween", _not_below("value", "_min")),
        Rule("value.in_range", "value", "above this indicator's maximum",
             "ExpectColumnValuesToBeBetween", _not_below("_max", "value")),
        Rule("lower.in_range", "lower", "below this indicator's minimum",
             "ExpectColumnValuesToBeBetween", _not_below("lower", "_min")),
        Rule("upper.in_range", "upper", "above this indicator's maximum",
             "ExpectColumnValuesToBeBetween", _not_below("_max", "upper")),
        Rule("value.whole", "value", "this indicator takes whole numbers only",
             "ExpectColumnValuesToMatchRegex", {"column": "value_raw", "regex": WHOLE_NUMBER},
             "_whole == True"),
    ]  # fmt: skip


def catalog_columns(catalog: Catalog, frame) -> dict:
    """Per-row catalog facts the indicator rules compare against (null for unknown codes)."""
    codes = frame["indicator_code"].astype(str)  # the frame's text may be categorical
    indicators = catalog.indicators
    known = {
        "_min": codes.map({c: i.min for c, i in indicators.items()}).astype("float64"),
        "_max": codes.map({c: i.max for c, i in indicators.items()}).astype("float64"),
    }
    whole = codes.map({c: i.integral for c, i in indicators.items()})
    columns = {"_whole": whole.fillna(False).astype(bool)}
    for column in ("sex", "age_group"):
        pairs = codes + "|" + frame[column].astype(str)
        columns[f"_indicator_{column}"] = pairs.astype("category")
    places = codes + "|" + frame["geo_code"].astype(str)
    classes = {pair: _geo_pair_class(catalog, pair) for pair in places.unique()}
    columns["_indicator_geo_code"] = places.map(classes).astype("category")
    for name, (a, b) in DIFFERENCES.items():
        columns[name] = known.get(a, frame.get(a)) - known.get(b, frame.get(b))
    return columns


def _geo_pair_class(catalog: Catalog, pair: str) -> str:
    """`<indicator>|<place>` -> `<indicator>|<class>`, computed once per distinct pair.

    A code with a "|" in it is no catalog code, so a wrong split still gives "unknown".
    """
    code, geo = pair.split("|", 1)
    return f"{code}|{_geo_class(catalog, catalog.indicators.get(code), geo)}"


def _geo_class(catalog: Catalog, indicator, geo: str) -> str:
    """A place as an indicator's scope sees it: its level, and "world" or its country.

    Comparing (indicator, class) pairs instead of (indicator, place) pairs keeps the rule's
    value set small (GX spends seconds on a set of every country for every indicator).
    """
    place = catalog.places.get(geo)
    if place is None or indicator is None:
        return "unknown"
    scope = "world" if indicator.geo_scope == "world" else (place.parent or place.code)
    return f"{place.level}:{scope}"
