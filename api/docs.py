"""OpenAPI documentation: response models (docs only; bodies are pre-serialised with orjson),
examples, and the status codes every resource can answer with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from api.formats import MEDIA_TYPES

SNAPSHOT = "20260101T120000.000Z-1a2b3c4d"
STAMP = "2026-01-01T12:00:00Z"


_NAME_STATUS = (
    "original (the English catalog or ISO name), iso-codes (a country name "
    "translated by iso-codes), or our translation's review status: reviewed or "
    "unreviewed (catalog/translations.yaml)."
)


class ProblemBody(BaseModel):
    type: str = Field(description="Always about:blank (the title says what happened).")
    title: str
    status: int
    detail: str = Field(description="What is wrong and how to fix it.")
    instance: str = Field(description="The path that was requested.")
    parameter: str | None = Field(None, description="The offending parameter, when one is.")


class Indicator(BaseModel):
    code: str
    name: str
    name_lang: str = Field(description="Language `name` is in (English when untranslated).")
    name_status: str = Field(description=_NAME_STATUS)
    definition: str
    unit: str
    value_type: str
    min_value: float
    max_value: float
    frequency: str
    topic: str
    aggregation: str = Field(description="How finer periods combine: sum, mean or last.")
    tier: str = Field(description="public, or restricted (data served to authorised keys).")
    suppression_threshold: int
    sex: list[str]
    age_group: list[str]
    geo_scope: str
    geo_levels: list[str]
    has_data: bool | None = Field(
        description="Whether this snapshot holds public data for it; "
        "null for restricted indicators."
    )


class IndicatorsBody(BaseModel):
    data: list[Indicator]


class Coverage(BaseModel):
    places: int
    geos: list[str]
    first_period: str | None
    last_period: str | None
    last_updated: str | None = Field(description="UTC time the newest value was recorded.")
    sources: list[str]


class IndicatorDetail(Indicator):
    coverage: Coverage | None = Field(description="Null for restricted indicators.")


class IndicatorBody(BaseModel):
    data: IndicatorDetail


class Geography(BaseModel):
    code: str
    name: str
    name_lang: str
    name_status: str = Field(description=_NAME_STATUS)
    level: str
    parent: str | None


class GeographiesBody(BaseModel):
    data: list[Geography]


class Source(BaseModel):
    id: str
    name: str
    publisher: str
    licence: str
    url: str
    type: str
    demo: bool = Field(description="True for invented demonstration figures (never real).")


class SourcesBody(BaseModel):
    data: list[Source]


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    publisher: str
    title: str = Field(description="A bracketed title is the curator's label, not a headline.")
    date: str = Field(description="Publication date of the cited page (YYYY-MM-DD or YYYY-MM).")
    evidence: str | None = Field(None, description="Quotation of at most 25 words.")


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    date_announced: str = Field(description="YYYY-MM-DD, or YYYY-MM when only the month is known.")
    date_effective: str | None = Field(description="May precede date_announced.")
    issuer: str
    domain: str
    scope: str = Field(description="AFG for a national decree, else the province code.")
    summary: str
    citation: Citation
    evidence: str = Field(description="Quotation of at most 25 words from the cited page.")


class EventsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    snapshot: str
    data: list[Event]


class Point(BaseModel):
    period: str
    value: float | None = Field(description="Null when suppressed (S) or missing (M, U).")
    lower: float | None
    upper: float | None
    obs_status: str
    source: str
    demo: bool = Field(description="True when the value is invented demonstration data.")
    basis: list[str] | None = Field(
        None,
        description="Ids of the decrees (/v1/events) that set a derived point; only on "
        "such points.",
    )
    citation: Citation | None = Field(
        None, description="The cited page of a reported figure; only on such points."
    )


_NAME_LANG = "Language the name before it is in: the requested one, or en where untranslated."


class Series(BaseModel):
    geo: str
    geo_name: str = Field(description="Name of the place in the requested language.")
    name_lang: str = Field(description=_NAME_LANG)
    sex: str
    age_group: str
    source: str | None = Field(
        description="The source of every point (a series per source); null for the empty "
        "series of a place without data."
    )
    publisher: str | None
    demo: bool = Field(description="True when the source is invented demonstration data.")
    points: list[Point]


class SeriesBody(BaseModel):
    indicator: str
    indicator_name: str = Field(description="Name of the indicator in the requested language.")
    name_lang: str = Field(description=_NAME_LANG)
    unit: str
    snapshot: str
    access: str
    note: str | None = Field(
        description="Set when a place asked for has no data: which places have some."
    )
    series: list[Series]


class Observation(BaseModel):
    indicator_code: str
    geo_code: str
    sex: str
    age_group: str
    period: str
    period_start: str
    period_end: str
    frequency: str
    value: float | None
    lower: float | None
    upper: float | None
    obs_status: str
    source_id: str
    source_type: str
    verification: str
    recorded_at: str
    superseded_at: str | None
    indicator_name: str
    geo_name: str
    name_lang: str = Field(
        description="Language of both names on the row (when either has no "
        "translation in the requested language, both are in English)."
    )
    demo: bool = Field(description="True when the value is invented demonstration data.")


class ObservationsBody(BaseModel):
    snapshot: str
    next: str | None = Field(description="Link to the next page; null on the last page.")
    data: list[Observation]


class Change(BaseModel):
    period: str
    recorded_at: str
    indicator_code: str
    geo_code: str
    sex: str
    age_group: str
    period_start: str
    frequency: str
    source_id: str
    change: str = Field(description="added (first value for the key) or revised.")
    value: float | None
    obs_status: str
    previous_value: float | None
    previous_obs_status: str | None
    superseded_at: str | None
    demo: bool


class ChangesBody(BaseModel):
    snapshot: str
    next: str | None
    data: list[Change]


class ChangeCount(BaseModel):
    indicator_code: str
    source_id: str
    added: int = Field(description="Values recorded for a key that had none.")
    revised: int = Field(description="Values that replaced an earlier one.")
    withdrawn: int = Field(description="Keys whose value was closed with nothing after it.")


class ChangesSummaryBody(BaseModel):
    snapshot: str
    since: str = Field(description="The instant counted from (UTC), durations resolved.")
    next: None = Field(description="Always null: a summary is one page.")
    data: list[ChangeCount]


class ChangesAnswer(RootModel[ChangesBody | ChangesSummaryBody]):
    """The rows, or with summary=true the counts per indicator and source."""


class FailedCheck(BaseModel):
    check: str
    rows: int


class QualityRun(BaseModel):
    adapter: str
    run_id: str
    finished_at: str
    batches: int
    batches_rejected: int
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    failed_checks: list[FailedCheck]


class QualityBody(BaseModel):
    data: list[QualityRun]


class HealthBody(BaseModel):
    status: str
    snapshot: str
    published_at: str
    observations: int = Field(description="Current public observations in the snapshot.")


HEALTH_RESPONSES: dict[int | str, dict] = {
    200: {"model": HealthBody, "description": "Serving; the snapshot in use.",
          "content": {"application/json": {"example": {
              "status": "ok", "snapshot": "20260101T120000.000Z-1a2b3c4d",
              "published_at": "2026-01-01T12:00:00Z", "observations": 2988}}}},
}  # fmt: skip


class SnapshotEntry(BaseModel):
    id: str
    published_at: str
    current: bool


class SnapshotsBody(BaseModel):
    data: list[SnapshotEntry]


_INDICATOR = {
    "code": "business.women_led_closures", "name": "Women-led business closures",
    "name_lang": "en", "name_status": "original",
    "definition": "Number of businesses owned or managed by women that "
    "closed or were forced to close in the period.", "unit": "businesses",
    "value_type": "count", "min_value": 0, "max_value": 100000, "frequency": "M",
    "topic": "business", "aggregation": "sum", "tier": "public", "suppression_threshold": 5,
    "sex": ["_T"], "age_group": ["_T"], "geo_scope": "AFG", "geo_levels": ["country", "province"],
    "has_data": True,
}  # fmt: skip
INDICATORS_EXAMPLE = {"data": [_INDICATOR]}
INDICATOR_EXAMPLE = {"data": {**_INDICATOR, "coverage": {
    "places": 2, "geos": ["AF-KAB", "AFG"], "first_period": "2021-01", "last_period": "2024-12",
    "last_updated": STAMP, "sources": ["wppi.sample"]}}}  # fmt: skip
GEOGRAPHIES_EXAMPLE = {"data": [{"code": "AF-KAB", "name": "Kābul", "name_lang": "en",
                                 "name_status": "original",
                                 "level": "province", "parent": "AFG"}]}  # fmt: skip
SOURCES_EXAMPLE = {"data": [{"id": "partner.un", "name": "UN monitoring submissions",
    "publisher": "United Nations human-rights monitoring", "licence": "CC-BY-4.0",
    "url": "https://example.org/wppi/un", "type": "UN", "demo": False}]}  # fmt: skip
SERIES_EXAMPLE = {"indicator": "business.women_led_closures",
    "indicator_name": "Women-led business closures", "name_lang": "en", "unit": "businesses",
    "snapshot": SNAPSHOT, "access": "public", "note": None, "series": [{"geo": "AF-KAB",
    "geo_name": "Kābul", "name_lang": "en", "sex": "_T", "age_group": "_T",
    "source": "partner.ngo",
    "publisher": "WPPI partner organisations (identity withheld for their protection)",
    "demo": False,
    "points": [{"period": "2022-01", "value": 21.0, "lower": None, "upper": None,
                "obs_status": "A", "source": "partner.ngo", "demo": False},
               {"period": "2022-02", "value": None, "lower": None, "upper": None,
                "obs_status": "S", "source": "partner.ngo", "demo": False}]}]}  # fmt: skip
_OBSERVATION = {"indicator_code": "business.women_led_closures", "geo_code": "AF-KAB",
    "sex": "_T", "age_group": "_T", "period": "2022-01", "period_start": "2022-01-01",
    "period_end": "2022-01-31", "frequency": "M", "value": 21.0, "lower": None, "upper": None,
    "obs_status": "A", "source_id": "wppi.sample", "source_type": "NGO",
    "verification": "corroborated", "recorded_at": STAMP, "superseded_at": None,
    "demo": True, "indicator_name": "Women-led business closures", "geo_name": "Kābul",
    "name_lang": "en"}  # fmt: skip
_NEXT = (
    "/v1/observations?limit=1&cursor=627573696e6573732e776f6d656e5f6c65645f636c6f737572"
    "6573.41462d4b4142.5f54.5f54.18993.4d.777070692e73616d706c65.1767268800000000"
)
OBSERVATIONS_EXAMPLE = {"snapshot": SNAPSHOT, "next": _NEXT,
                        "data": [_OBSERVATION]}  # fmt: skip
CHANGES_EXAMPLE = {"snapshot": SNAPSHOT, "next": None, "data": [{"period": "2022-01",
    "recorded_at": STAMP, "indicator_code": "business.women_led_closures",
    "geo_code": "AF-KAB", "sex": "_T", "age_group": "_T", "period_start": "2022-01-01",
    "frequency": "M", "source_id": "partner.ngo", "change": "revised", "value": 22.0,
    "obs_status": "A", "previous_value": 21.0, "previous_obs_status": "A",
    "superseded_at": None, "demo": False}]}  # fmt: skip
QUALITY_EXAMPLE = {"data": [{"adapter": "partner", "run_id": "8f1c0e7a", "finished_at": STAMP,
    "batches": 1, "batches_rejected": 0, "rows_in": 2988, "rows_loaded": 2986,
    "rows_quarantined": 2, "failed_checks": [{"check": "value.in_range", "rows": 2}]}]}  # fmt: skip
EVENT_COLUMNS = ("id", "date_announced", "date_effective", "issuer", "domain", "scope",
                 "summary", "citation_url", "citation_publisher", "citation_title",
                 "citation_date", "evidence")  # fmt: skip
EVENTS_EXAMPLE = {"snapshot": SNAPSHOT, "data": [{"id": "flights_mahram_2022_03",
    "date_announced": "2022-03-24", "date_effective": "2022-03-25",
    "issuer": "Taliban leadership, via Ariana Afghan Airlines and Kam Air",
    "domain": "movement", "scope": "AFG",
    "summary": "Airlines were told to stop women boarding domestic or international flights "
               "unless accompanied by a male relative; the virtue ministry denied issuing a "
               "directive.",
    "citation": {"url": "https://www.taipeitimes.com/News/world/archives/2022/03/29/2003775662",
                 "publisher": "Taipei Times (AFP copy)",
                 "title": "[description; no headline in stored excerpt] AFP report that "
                          "airlines were ordered to stop women flying without a male relative",
                 "date": "2022-03-29"},
    "evidence": "The decision was taken after a meeting on Thursday ... “No women are "
                "allowed to fly on any domestic or international flights without a male "
                "relative,”"}]}  # fmt: skip
SNAPSHOTS_EXAMPLE = {"data": [{"id": SNAPSHOT, "published_at": STAMP, "current": True}]}


def problem(description: str, status: int, parameter: str | None) -> dict:
    example = {"type": "about:blank", "title": description, "status": status,
               "detail": f"{parameter}: ..." if parameter else "...",
               "instance": "/v1/...", "parameter": parameter}  # fmt: skip
    return {
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": ProblemBody.model_json_schema(),
                "example": example,
            }
        },
    }


HEALTH_RESPONSES[503] = problem("No data published", 503, None)

_HEADERS = {
    "ETag": "Snapshot id and a digest of the normalised query; send it back as If-None-Match.",
    "Last-Modified": "When the snapshot was published.",
    "Cache-Control": "How long a client or proxy may reuse the response.",
    "X-WPPI-Snapshot": "The id of the snapshot the response came from.",
}


def responses(example: Any, model: type[BaseModel], data: bool = False, not_found: bool = False,
              indicators: bool = False) -> dict[int | str, dict]:  # fmt: skip
    """The documented responses of a resource: 200 in each format it offers, 304, problems.

    `data`: observation data (SDMX-CSV too); `indicators`: takes indicator codes (404, 401).
    """
    content: dict[str, dict] = {
        "application/json": {"example": example},
        MEDIA_TYPES["csv"]: {"schema": {"type": "string"}, "example": "code,name\n"},
        MEDIA_TYPES["parquet"]: {"schema": {"type": "string", "format": "binary"}},
    }
    if data:
        content[MEDIA_TYPES["sdmx-csv"]] = {
            "schema": {"type": "string"},
            "example": "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,SEX,AGE,TIME_PERIOD,"
            "OBS_VALUE,OBS_STATUS\n",
        }
    headers = {name: {"description": text, "schema": {"type": "string"}}
               for name, text in _HEADERS.items()}  # fmt: skip
    documented: dict[int | str, dict] = {
        200: {"model": model, "description": "The resource, in the negotiated format.",
              "content": content, "headers": headers},
        304: {"description": "Not modified: If-None-Match matched the ETag.", "headers": headers},
        400: problem("Unknown or repeated parameter", 400, "parameter"),
        422: problem("Invalid parameter", 422, "start"),
        503: problem("No data published", 503, None),
    }  # fmt: skip
    if data or not_found or indicators:
        documented[404] = problem("Unknown code", 404, "indicator")
    if data or indicators:
        documented[401] = problem("API key required (restricted indicator)", 401, "indicator")
    if data:  # these read the Authorization header: a key may lack the tier asked for
        documented[403] = problem("Key without the needed tier", 403, "indicator")
    return documented
