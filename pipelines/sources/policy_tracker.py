"""The Afghanistan policy tracker: cited decrees restricting women, and reported figures.

`decrees.csv` rows become policy events (served by /v1/events) and derived series by
province x month: the most severe movement level in force, whether girls' secondary
schools are open, and how many restrictive decrees are in force per domain. A decree is in
force from the month it takes effect (date_effective, else date_announced; a `YYYY-MM` date
means that month) through the tracker's latest decree month, or up to the day before a
lift listed in policy_tracker.yaml. A national decree (scope `AF`) applies to the national
row AFG and all 34 provinces; a provincial one to its province only. Nothing is inferred
that no decree states: months with no decree in force have no point, and levels are the
decrees' own. Every derived point names its decrees (a `basis` note).

`figures.csv` rows become observations with their citation: `E` for estimates,
approximations, derived values and bounds; `upper` for "fewer than" figures and `lower`
for "at least / over" figures, both equal to the printed value. A day-dated figure belongs
to its month. A row whose measure has no catalog indicator is quarantined naming it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import pyarrow as pa
import yaml

from pipelines.batches import ConformedBatch, FileRejected, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.long_records import conformed_batch, raw_json, read_table
from warehouse.catalog import Catalog
from warehouse.events import CITATION_FIELDS, EVENT_SCHEMA, NOTE_SCHEMA
from warehouse.load import QUARANTINE_SCHEMA
from warehouse.periods import parse_period

ADAPTER = "policy_tracker"
SOURCE_ID = "policy_tracker"
FIGURES_SOURCE_ID = "policy_tracker.figures"
DECREE_COLUMNS = (
    "decree_id",
    "date_announced",
    "date_effective",
    "issuer",
    "domain",
    "scope",
    "summary",
    "movement_level",
    "girls_secondary_open",
    "source_url",
    "source_publisher",
    "source_title",
    "source_date",
    "evidence",
)
FIGURE_COLUMNS = (
    "figure_id",
    "indicator",
    "geo",
    "period",
    "value",
    "unit",
    "definition_note",
    "source_url",
    "source_publisher",
    "source_title",
    "source_date",
    "evidence",
)
CITATION_COLUMNS = ("source_url", "source_publisher", "source_title", "source_date", "evidence")
MAX_EVIDENCE_WORDS = 25  # the tracker's terms: quotations of at most 25 words per row
NATIONAL = "AF"
MOVEMENT = "movement.restriction_level"
GIRLS_SECONDARY = "education.girls_secondary_schools_open"
IN_FORCE = "policy.restrictions_in_force"  # all domains; per domain: IN_FORCE + "_" + domain
DOMAINS = (
    "employment",
    "education",
    "public_space",
    "media",
    "business",
    "dress",
    "justice",
    "movement",
    "other",
)
ESTIMATE = re.compile(r"estimate|approximate|derived|bound", re.IGNORECASE)
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@cache
def mapping() -> dict:
    """policy_tracker.yaml: lifted decrees, figure sources and figure indicators."""
    text = resources.files("pipelines").joinpath("sources", "policy_tracker.yaml").read_text()
    return yaml.safe_load(text)


def read_policy_tracker_file(path: Path) -> RawBatch:
    """Every row of decrees.csv or figures.csv as text; the header says which file it is."""
    data, _, lines = read_table(path, ",")
    header = [name.strip() for name in lines[0][1]]
    expected = DECREE_COLUMNS if "decree_id" in header else FIGURE_COLUMNS
    missing = [name for name in expected if name not in header]
    if missing:
        raise FileRejected(
            f"{path.name}: line 1: missing column(s) {', '.join(missing)} of the "
            "policy tracker's decrees.csv / figures.csv header"
        )
    rows: dict[str, list] = {name: [] for name in (*expected, "_line", "_raw")}
    malformed = []
    for line, fields in lines[1:]:
        row = {name: value.strip() for name, value in zip(header, fields, strict=False)}
        if len(fields) != len(header):
            reason = (
                f"row: has {len(fields)} fields, the header has {len(header)} [row.field_count]"
            )
            malformed.append({"line": line, "raw": raw_json(row), "reasons": [reason]})
            continue
        for name in expected:
            rows[name].append(row[name])
        rows["_line"].append(line)
        rows["_raw"].append(raw_json(row))
    schema = pa.schema(
        [*((n, pa.string()) for n in expected), ("_line", pa.int64()), ("_raw", pa.string())]
    )
    return RawBatch(
        ADAPTER,
        path.name,
        hashlib.sha256(data).hexdigest(),
        pa.table(rows, schema=schema),
        pa.Table.from_pylist(malformed, schema=QUARANTINE_SCHEMA),
    )


def conform_policy_tracker(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    if "decree_id" in batch.records.column_names:
        return _conform_decrees(batch, catalog)
    return _conform_figures(batch, catalog)


# Decrees ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decree:
    id: str
    line: int
    geo: str  # AFG or a province code
    domain: str
    start: date  # first month in force (its first day)
    last: date | None  # last month in force, None while not lifted
    latest: date  # the later month of its two dates: how far the file's knowledge reaches
    movement_level: int | None
    girls_open: int | None

    def applies_to(self, geo: str) -> bool:
        return self.geo in ("AFG", geo)

    def in_force(self, month: date) -> bool:
        return self.start <= month and (self.last is None or month <= self.last)


def _month(day: date) -> date:
    return day.replace(day=1)


def _date(text: str) -> date | None:
    """First day of a `YYYY-MM-DD` or `YYYY-MM` date, None when it is neither."""
    if not DATE.match(text):
        return None
    try:
        return parse_period(text).start
    except ValueError:
        return None


def _common_problems(record: dict, key: str, seen: set[str]) -> list[str]:
    problems = []
    if not record[key]:
        problems.append(f"{key}: empty")
    elif record[key] in seen:
        problems.append(f"{key}: '{record[key]}' appears twice in the file")
    seen.add(record[key])
    problems += [
        f"{name}: empty; every row must cite its page"
        for name in CITATION_COLUMNS
        if not record[name]
    ]
    words = len(record["evidence"].replace("...", " ").split())
    if words > MAX_EVIDENCE_WORDS:
        problems.append(
            f"evidence: {words} words; the tracker's terms allow quotations of at "
            f"most {MAX_EVIDENCE_WORDS}"
        )
    return problems


def _level(text: str, allowed: range, name: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if text.isdigit() and int(text) in allowed:
        return int(text)
    problems.append(f"{name}: '{text}' is not one of {', '.join(map(str, allowed))}")
    return None


def _decree(record: dict, catalog: Catalog, seen: set[str]) -> tuple[Decree | None, list[str]]:
    """The decree a row states, or the reasons it cannot be used (each naming its field)."""
    problems = _common_problems(record, "decree_id", seen)
    for name in ("issuer", "summary"):
        if not record[name]:
            problems.append(f"{name}: empty")
    announced = _date(record["date_announced"])
    if announced is None:
        problems.append(
            f"date_announced: '{record['date_announced']}' is not a date "
            "(YYYY-MM-DD, or YYYY-MM when only the month is known)"
        )
    effective = _date(record["date_effective"]) if record["date_effective"] else announced
    if record["date_effective"] and effective is None:
        problems.append(
            f"date_effective: '{record['date_effective']}' is not a date (YYYY-MM-DD or YYYY-MM)"
        )
    scope = record["scope"]
    geo = "AFG" if scope == NATIONAL else scope
    if geo != "AFG" and getattr(catalog.places.get(geo), "parent", None) != "AFG":
        problems.append(
            f"scope: '{scope}' is neither AF (national) nor an ISO 3166-2:AF province code"
        )
    if record["domain"] not in DOMAINS:
        problems.append(f"domain: '{record['domain']}' is not one of {', '.join(DOMAINS)}")
    top = int(catalog.indicators[MOVEMENT].max)
    level = _level(record["movement_level"], range(1, top + 1), "movement_level", problems)
    girls = _level(record["girls_secondary_open"], range(2), "girls_secondary_open", problems)
    if problems:
        return None, problems
    lifted = mapping()["lifted"].get(record["decree_id"])
    last = _month(date.fromordinal(lifted["lifted_on"].toordinal() - 1)) if lifted else None
    start = _month(effective)
    return Decree(
        record["decree_id"],
        record["_line"],
        geo,
        record["domain"],
        start,
        last,
        max(start, _month(announced)),
        level,
        girls,
    ), []


def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _points(decrees: list[Decree], geo: str, month: date) -> list[tuple[str, int, list[str]]]:
    """(indicator, value, basis) of one place and month: only what decrees in force state."""
    active = [d for d in decrees if d.applies_to(geo) and d.in_force(month)]
    if not active:
        return []
    points = [(IN_FORCE, len(active), [d.id for d in active])]
    for domain in DOMAINS:
        counted = [d.id for d in active if d.domain == domain]
        if counted:
            points.append((f"{IN_FORCE}_{domain}", len(counted), counted))
    levels = [d for d in active if d.movement_level is not None]
    if levels:
        top = max(d.movement_level for d in levels)
        points.append((MOVEMENT, top, [d.id for d in levels if d.movement_level == top]))
    flags = [d for d in active if d.girls_open is not None]
    if flags:
        # The most recent decree in force that says whether schools are open decides.
        value = max(flags, key=lambda d: (d.start, d.line)).girls_open
        points.append((GIRLS_SECONDARY, value, [d.id for d in flags if d.girls_open == value]))
    return points


def _parsed(batch: RawBatch, catalog: Catalog, parse) -> tuple[list[tuple], list[dict]]:
    """(record, what it states) for each usable row; quarantine rows for the others."""
    seen: set[str] = set()
    usable, unmapped = [], []
    for record in batch.records.to_pylist():
        parsed, problems = parse(record, catalog, seen)
        if parsed is None:
            # Tagged like the catalog rules' reasons, so /v1/quality counts them by field.
            reasons = [f"{p} [tracker.{p.split(':', 1)[0]}]" for p in problems]
            unmapped.append({"line": record["_line"], "raw": record["_raw"], "reasons": reasons})
        else:
            usable.append((record, parsed))
    return usable, unmapped


def _conform_decrees(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    # Load inputs.
    usable, unmapped = _parsed(batch, catalog, _decree)
    decrees = [decree for _, decree in usable]
    events = [_event(record, decree) for record, decree in usable]
    # Process data: series run through the latest month any decree in the file names, so
    # they never claim knowledge past the tracker's compilation.
    rows, notes = [], []
    if decrees:
        last = max(d.latest for d in decrees)
        lines = {d.id: d.line for d in decrees}
        geos = ["AFG", *sorted(c for c, p in catalog.places.items() if p.parent == "AFG")]
        for month in _months(min(d.start for d in decrees), last):
            period = f"{month:%Y-%m}"
            for geo in geos:
                for indicator, value, basis in _points(decrees, geo, month):
                    trace = {
                        "indicator_code": indicator,
                        "geo_code": geo,
                        "period": period,
                        "basis": basis,
                    }
                    rows.append(
                        {
                            "source_id": SOURCE_ID,
                            "indicator_code": indicator,
                            "geo_code": geo,
                            "period": period,
                            "sex": "_T",
                            "age_group": "_T",
                            "obs_status": "A",
                            "verification": "single_source",
                            "value": str(value),
                            "_line": min(lines[i] for i in basis),
                            "_raw": raw_json(trace),
                        }
                    )
                    notes.append(_note(indicator, geo, month, "M", SOURCE_ID, basis=basis))
    # Save outputs.
    conformed = conformed_batch(batch, rows, unmapped, catalog)
    conformed.events = pa.Table.from_pylist(events, schema=EVENT_SCHEMA)
    conformed.notes = pa.Table.from_pylist(notes, schema=NOTE_SCHEMA)
    conformed.replaces = (SOURCE_ID,)  # decrees.csv is the whole register
    return conformed


def _event(record: dict, decree: Decree) -> dict:
    effective = record["date_effective"] or record["date_announced"]
    return {
        "id": decree.id,
        "date_announced": record["date_announced"],
        "date_effective": record["date_effective"] or None,
        "effective_on": _date(effective),
        "issuer": record["issuer"],
        "domain": decree.domain,
        "scope": decree.geo,
        "summary": record["summary"],
        **_citation(record),
        "source_id": SOURCE_ID,
    }


def _citation(record: dict) -> dict:
    return dict(zip(CITATION_FIELDS, (record[c] for c in CITATION_COLUMNS), strict=True))


def _note(
    indicator: str,
    geo: str,
    period_start: date,
    frequency: str,
    source_id: str,
    *,
    basis: list[str] | None = None,
    citation: dict | None = None,
) -> dict:
    """A point note (warehouse.events.NOTE_SCHEMA): its decrees or its citation."""
    return {
        "indicator_code": indicator,
        "geo_code": geo,
        "period_start": period_start,
        "frequency": frequency,
        "sex": "_T",
        "age_group": "_T",
        "source_id": source_id,
        "basis": basis,
        **(citation or dict.fromkeys(CITATION_FIELDS)),
    }


# Figures ----------------------------------------------------------------------------------


def _figure(record: dict, catalog: Catalog, seen: set[str]) -> tuple[dict | None, list[str]]:
    """The observation a figure row states, or the reasons it cannot be used."""
    problems = _common_problems(record, "figure_id", seen)
    override = mapping()["figure_indicators"].get(record["figure_id"], {})
    code = override.get("indicator", record["indicator"])
    indicator = catalog.indicators.get(code)
    if indicator is None:
        problems.append(
            f"indicator: '{code}' (figure {record['figure_id']}) is not mapped to "
            "a catalog indicator; it is kept here, unmapped, until one measures "
            "it (pipelines/sources/policy_tracker.yaml)"
        )
    elif (indicator.value_type == "percent") != record["unit"].startswith("percent"):
        problems.append(f"unit: '{record['unit']}' does not measure {code} ({indicator.unit})")
    geo = "AFG" if record["geo"] == NATIONAL else record["geo"]
    if geo not in catalog.places:
        problems.append(f"geo: '{record['geo']}' is neither AF nor a place code WPPI knows")
    period = str(override.get("period", record["period"]))
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        problems.append(f"period: {exc}")
    if problems:
        return None, problems
    if parsed.frequency == "D" and indicator.frequency != "D":
        period = period[:7]  # a day-dated figure belongs to its month
    value = record["value"]
    bound = record["unit"].lower()
    estimate = ESTIMATE.search(record["unit"]) or ESTIMATE.search(record["definition_note"])
    return {
        "source_id": mapping()["figure_sources"].get(record["figure_id"], FIGURES_SOURCE_ID),
        "indicator_code": code,
        "geo_code": geo,
        "period": period,
        "sex": "_T",
        "age_group": "_T",
        "value": value,
        "obs_status": "E" if estimate else "A",
        "lower": value if "lower bound" in bound else None,
        "upper": value if "upper bound" in bound else None,
        "verification": "single_source",
        "_line": record["_line"],
        "_raw": record["_raw"],
    }, []


def _conform_figures(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    usable, unmapped = _parsed(batch, catalog, _figure)
    notes = []
    for record, row in usable:
        period = parse_period(row["period"])
        key = (row["indicator_code"], row["geo_code"], period.start, period.frequency)
        notes.append(_note(*key, row["source_id"], citation=_citation(record)))
    conformed = conformed_batch(batch, [row for _, row in usable], unmapped, catalog)
    conformed.notes = pa.Table.from_pylist(notes, schema=NOTE_SCHEMA)
    # figures.csv is every figure the tracker holds: a new edition replaces the last.
    conformed.replaces = (FIGURES_SOURCE_ID, *sorted(set(mapping()["figure_sources"].values())))
    return conformed


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Afghanistan policy tracker decrees.csv / figures.csv",
    read=read_policy_tracker_file,
    conform=conform_policy_tracker,
    source_id=SOURCE_ID,
    # The folder monitors deliver the files in, and the start of each file's header.
    folders=("afghanistan_policy_tracker",),
    signatures=("decree_id,date_announced,date_effective", "figure_id,indicator,geo,period"),
    freshness=Freshness(data_period="P1Y"),
)
