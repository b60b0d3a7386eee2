"""Example bodies for the OpenAPI document, one per JSON resource (api/schemas.py models
each one; tests/api/test_response_models.py checks that they validate)."""

from __future__ import annotations

SNAPSHOT = "20260101T120000.000Z-1a2b3c4d"
STAMP = "2026-01-01T12:00:00Z"

_INDICATOR = {
    "code": "business.women_led_closures",
    "name": "Women-led business closures",
    "name_lang": "en",
    "name_status": "original",
    "definition": "Number of businesses owned or managed by women that "
    "closed or were forced to close in the period.",
    "unit": "businesses",
    "value_type": "count",
    "min_value": 0,
    "max_value": 100000,
    "frequency": "M",
    "topic": "business",
    "aggregation": "sum",
    "tier": "public",
    "suppression_threshold": 5,
    "sex": ["_T"],
    "age_group": ["_T"],
    "geo_scope": "AFG",
    "geo_levels": ["country", "province"],
    "has_data": True,
}
INDICATORS_EXAMPLE = {"data": [_INDICATOR]}
INDICATOR_EXAMPLE = {
    "data": {
        **_INDICATOR,
        "coverage": {
            "places": 2,
            "geos": ["AF-KAB", "AFG"],
            "first_period": "2021-01",
            "last_period": "2024-12",
            "last_updated": STAMP,
            "sources": ["wppi.sample"],
        },
    }
}
GEOGRAPHIES_EXAMPLE = {
    "data": [
        {
            "code": "AF-KAB",
            "name": "Kābul",
            "name_lang": "en",
            "name_status": "original",
            "level": "province",
            "parent": "AFG",
        }
    ]
}
SOURCES_EXAMPLE = {
    "data": [
        {
            "id": "partner.un",
            "name": "UN monitoring submissions",
            "publisher": "United Nations human-rights monitoring",
            "licence": "CC-BY-4.0",
            "url": "https://example.org/wppi/un",
            "type": "UN",
            "demo": False,
        }
    ]
}
SERIES_EXAMPLE = {
    "indicator": "business.women_led_closures",
    "indicator_name": "Women-led business closures",
    "name_lang": "en",
    "unit": "businesses",
    "snapshot": SNAPSHOT,
    "access": "public",
    "note": None,
    "series": [
        {
            "geo": "AF-KAB",
            "geo_name": "Kābul",
            "name_lang": "en",
            "sex": "_T",
            "age_group": "_T",
            "source": "partner.ngo",
            "publisher": "WPPI partner organisations (identity withheld for their protection)",
            "demo": False,
            "points": [
                {
                    "period": "2022-01",
                    "value": 21.0,
                    "lower": None,
                    "upper": None,
                    "obs_status": "A",
                    "source": "partner.ngo",
                    "demo": False,
                },
                {
                    "period": "2022-02",
                    "value": None,
                    "lower": None,
                    "upper": None,
                    "obs_status": "S",
                    "source": "partner.ngo",
                    "demo": False,
                },
            ],
        }
    ],
}
_OBSERVATION = {
    "indicator_code": "business.women_led_closures",
    "geo_code": "AF-KAB",
    "sex": "_T",
    "age_group": "_T",
    "period": "2022-01",
    "period_start": "2022-01-01",
    "period_end": "2022-01-31",
    "frequency": "M",
    "value": 21.0,
    "lower": None,
    "upper": None,
    "obs_status": "A",
    "source_id": "wppi.sample",
    "source_type": "NGO",
    "verification": "corroborated",
    "recorded_at": STAMP,
    "superseded_at": None,
    "demo": True,
    "indicator_name": "Women-led business closures",
    "geo_name": "Kābul",
    "name_lang": "en",
}
_NEXT = (
    "/v1/observations?limit=1&cursor=627573696e6573732e776f6d656e5f6c65645f636c6f737572"
    "6573.41462d4b4142.5f54.5f54.18993.4d.777070692e73616d706c65.1767268800000000"
)
OBSERVATIONS_EXAMPLE = {"snapshot": SNAPSHOT, "next": _NEXT, "data": [_OBSERVATION]}
CHANGES_EXAMPLE = {
    "snapshot": SNAPSHOT,
    "next": None,
    "data": [
        {
            "period": "2022-01",
            "recorded_at": STAMP,
            "indicator_code": "business.women_led_closures",
            "geo_code": "AF-KAB",
            "sex": "_T",
            "age_group": "_T",
            "period_start": "2022-01-01",
            "frequency": "M",
            "source_id": "partner.ngo",
            "change": "revised",
            "value": 22.0,
            "obs_status": "A",
            "previous_value": 21.0,
            "previous_obs_status": "A",
            "superseded_at": None,
            "demo": False,
        }
    ],
}
QUALITY_EXAMPLE = {
    "data": [
        {
            "adapter": "partner",
            "run_id": "8f1c0e7a",
            "finished_at": STAMP,
            "batches": 1,
            "batches_rejected": 0,
            "rows_in": 2988,
            "rows_loaded": 2986,
            "rows_quarantined": 2,
            "failed_checks": [{"check": "value.in_range", "rows": 2}],
        }
    ]
}
EVENTS_EXAMPLE = {
    "snapshot": SNAPSHOT,
    "data": [
        {
            "id": "flights_mahram_2022_03",
            "date_announced": "2022-03-24",
            "date_effective": "2022-03-25",
            "issuer": "Taliban leadership, via Ariana Afghan Airlines and Kam Air",
            "domain": "movement",
            "scope": "AFG",
            "summary": "Airlines were told to stop women boarding domestic or international "
            "flights unless accompanied by a male relative; the virtue ministry denied issuing "
            "a directive.",
            "citation": {
                "url": "https://www.taipeitimes.com/News/world/archives/2022/03/29/2003775662",
                "publisher": "Taipei Times (AFP copy)",
                "title": "[description; no headline in stored excerpt] AFP report that "
                "airlines were ordered to stop women flying without a male relative",
                "date": "2022-03-29",
            },
            "evidence": "The decision was taken after a meeting on Thursday ... “No women are "
            "allowed to fly on any domestic or international flights without a male "
            "relative,”",
        }
    ],
}
SNAPSHOTS_EXAMPLE = {"data": [{"id": SNAPSHOT, "published_at": STAMP, "current": True}]}
HEALTH_EXAMPLE = {"status": "ok", "snapshot": SNAPSHOT, "published_at": STAMP, "observations": 2988}
EXTRACTS_EXAMPLE = {
    "latest": "20261128T010310.145Z-f0943601",
    "data": [
        {
            "snapshot": "20261128T010310.145Z-f0943601",
            "current": True,
            "created": "2026-11-28T01:03:10.145Z",
            "schema_version": "3",
            "files": [
                {
                    "name": "observations.parquet",
                    "bytes": 33040,
                    "sha256": "9f2c...",
                    "rows": 2988,
                    "url": "/v1/extracts/20261128T010310.145Z-f0943601/observations.parquet",
                }
            ],
        }
    ],
}
