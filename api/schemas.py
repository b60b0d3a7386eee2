"""Response models: the contract of every JSON body the API serves.

Routes declare them (`response_model=`) for the OpenAPI document, but answer with bytes
pre-serialised by orjson (DESIGN.md: ~10x the throughput of returning models), so FastAPI
never checks a body against its model. tests/api/test_response_models.py does: every live
body of every JSON route and every documented example must validate, extra keys refused.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model

from api.observation_tables import SERVED_COLUMNS
from warehouse.observation import BY_NAME


class Strict(BaseModel):
    """A key the model does not name is an error, so a body cannot drift from its model."""

    model_config = ConfigDict(extra="forbid")


_NAME_STATUS = (
    "original (the English catalog or ISO name), iso-codes (a country name "
    "translated by iso-codes), or our translation's review status: reviewed or "
    "unreviewed (catalog/translations.yaml)."
)


class ProblemBody(Strict):
    type: str = Field(description="Always about:blank (the title says what happened).")
    title: str
    status: int
    detail: str = Field(description="What is wrong and how to fix it.")
    instance: str = Field(description="The path that was requested.")
    parameter: str | None = Field(None, description="The offending parameter, when one is.")


class Indicator(Strict):
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


class IndicatorsBody(Strict):
    data: list[Indicator]


class Coverage(Strict):
    places: int
    geos: list[str]
    first_period: str | None
    last_period: str | None
    last_updated: str | None = Field(description="UTC time the newest value was recorded.")
    sources: list[str]


class IndicatorDetail(Indicator):
    coverage: Coverage | None = Field(description="Null for restricted indicators.")


class IndicatorBody(Strict):
    data: IndicatorDetail


class Geography(Strict):
    code: str
    name: str
    name_lang: str
    name_status: str = Field(description=_NAME_STATUS)
    level: str
    parent: str | None


class GeographiesBody(Strict):
    data: list[Geography]


class Source(Strict):
    id: str
    name: str
    publisher: str
    licence: str
    url: str
    type: str
    demo: bool = Field(description="True for invented demonstration figures (never real).")


class SourcesBody(Strict):
    data: list[Source]


class Citation(Strict):
    url: str
    publisher: str
    title: str = Field(description="A bracketed title is the curator's label, not a headline.")
    date: str = Field(description="Publication date of the cited page (YYYY-MM-DD or YYYY-MM).")
    evidence: str | None = Field(None, description="Quotation of at most 25 words.")


class Event(Strict):
    id: str
    date_announced: str = Field(description="YYYY-MM-DD, or YYYY-MM when only the month is known.")
    date_effective: str | None = Field(description="May precede date_announced.")
    issuer: str
    domain: str
    scope: str = Field(description="AFG for a national decree, else the province code.")
    summary: str
    citation: Citation
    evidence: str = Field(description="Quotation of at most 25 words from the cited page.")


class EventsBody(Strict):
    snapshot: str
    data: list[Event]


class Point(Strict):
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


class Series(Strict):
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


class SeriesBody(Strict):
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


# A JSON observation row: the served columns, typed and described by the canonical
# observation's declaration (warehouse/observation.py), then the names in the asked language.
_JSON_TYPES = {"VARCHAR": str, "DATE": str, "TIMESTAMP": str, "DOUBLE": float}
_SERVED_EXTRA: dict[str, Any] = {
    "period": (str, Field(description="The period's label: 2022-03, 2022-Q1 or 2022.")),
    "demo": (bool, Field(description="True when the value is invented demonstration data.")),
}


def _declared(name: str) -> tuple[Any, Any]:
    declared = BY_NAME[name]
    kind = _JSON_TYPES[declared.sql]
    return (kind if declared.required else kind | None, Field(description=declared.description))


_OBSERVATION_FIELDS: dict[str, Any] = {
    **{name: _SERVED_EXTRA.get(name) or _declared(name) for name in SERVED_COLUMNS},
    "indicator_name": (str, ...),
    "geo_name": (str, ...),
    "name_lang": (
        str,
        Field(
            description="Language of both names on the row (when either has "
            "no translation in the requested language, both are in English)."
        ),
    ),
}
Observation = create_model("Observation", __base__=Strict, **_OBSERVATION_FIELDS)


class ObservationsBody(Strict):
    snapshot: str
    next: str | None = Field(description="Link to the next page; null on the last page.")
    data: list[Observation]


class Change(Strict):
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


class ChangesBody(Strict):
    snapshot: str
    next: str | None
    data: list[Change]


class ChangeCount(Strict):
    indicator_code: str
    source_id: str
    added: int = Field(description="Values recorded for a key that had none.")
    revised: int = Field(description="Values that replaced an earlier one.")
    withdrawn: int = Field(description="Keys whose value was closed with nothing after it.")


class ChangesSummaryBody(Strict):
    snapshot: str
    since: str = Field(description="The instant counted from (UTC), durations resolved.")
    next: None = Field(description="Always null: a summary is one page.")
    data: list[ChangeCount]


class ChangesAnswer(RootModel[ChangesBody | ChangesSummaryBody]):
    """The rows, or with summary=true the counts per indicator and source."""


class FailedCheck(Strict):
    check: str
    rows: int


class QualityRun(Strict):
    adapter: str
    run_id: str
    finished_at: str
    batches: int
    batches_rejected: int
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    failed_checks: list[FailedCheck]


class QualityBody(Strict):
    data: list[QualityRun]


class SnapshotEntry(Strict):
    id: str
    published_at: str
    current: bool


class SnapshotsBody(Strict):
    data: list[SnapshotEntry]


class Refused(Strict):
    snapshot: str
    reason: str


class HealthBody(Strict):
    status: str = Field(description="ok, or degraded when a newer snapshot was refused.")
    snapshot: str
    published_at: str
    observations: int = Field(description="Current public observations in the snapshot.")
    refused: Refused | None = Field(
        None, description="The newest snapshot, refused as damaged; only when degraded."
    )


class ExtractFile(Strict):
    name: str
    bytes: int
    sha256: str
    rows: int | None = Field(description="Rows of a data file; null for the manifest.")
    url: str


class Extract(Strict):
    snapshot: str
    current: bool
    created: str
    schema_version: str
    files: list[ExtractFile]


class ExtractsBody(Strict):
    latest: str | None = Field(description="The current snapshot; null before the first.")
    data: list[Extract]
