"""The bench-smoke regression gate: which ratio changes fail CI and which do not."""

from __future__ import annotations

import json
import tomllib

import pytest

from bench.gate import THRESHOLDS, main, regressions

THRESHOLDS_FOR_TEST = {
    "factor": 2.0,
    "ratio": [
        {"measurement": "ingest rows/s", "better": "higher", "recorded": 0.1},
        {"measurement": "publish seconds", "better": "lower", "recorded": 4.0},
    ],
}


def _summary(ingest: float | None, publish: float | None) -> list[dict]:
    return [
        {"measurement": "ingest rows/s", "ratio": ingest},
        {"measurement": "  share of ingest: read", "ratio": None},
        {"measurement": "publish seconds", "ratio": publish},
    ]


@pytest.mark.parametrize(
    ("ingest", "publish"),
    [(0.1, 4.0), (0.051, 7.9), (0.5, 1.0)],  # as recorded; just inside 2x; much better
)
def test_within_the_factor_or_better_passes(ingest, publish):
    assert regressions(_summary(ingest, publish), THRESHOLDS_FOR_TEST) == {}


@pytest.mark.parametrize(
    ("ingest", "publish", "failed"),
    [(0.049, 4.0, "ingest rows/s"), (0.1, 8.1, "publish seconds")],
)
def test_more_than_the_factor_worse_fails_naming_the_ratio(ingest, publish, failed):
    [(name, message)] = regressions(_summary(ingest, publish), THRESHOLDS_FOR_TEST).items()
    assert name == failed and message.startswith(f"{failed}: ") and "times worse" in message


def test_a_gated_ratio_missing_from_the_run_fails():
    summary = [line for line in _summary(0.1, 4.0) if line["measurement"] != "publish seconds"]
    [message] = regressions(summary, THRESHOLDS_FOR_TEST).values()
    assert message.startswith("publish seconds: not measured")


def test_main_exits_nonzero_on_a_regression_of_the_recorded_file(tmp_path, capsys):
    recorded = tomllib.loads(THRESHOLDS.read_text())
    assert recorded["factor"] == 2.0 and recorded["ratio"]
    summary = [{"measurement": g["measurement"], "ratio": g["recorded"]} for g in recorded["ratio"]]
    result = tmp_path / "result.json"
    result.write_text(json.dumps({"summary": summary}))
    assert main([str(result)]) == 0
    first = recorded["ratio"][0]
    summary[0]["ratio"] = first["recorded"] * (0.3 if first["better"] == "higher" else 3.0)
    result.write_text(json.dumps({"summary": summary}))
    assert main([str(result)]) == 1
    assert first["measurement"] in capsys.readouterr().err


def test_a_ratio_fails_only_when_it_regressed_in_every_run_given(tmp_path):
    recorded = tomllib.loads(THRESHOLDS.read_text())["ratio"]
    as_recorded = [{"measurement": g["measurement"], "ratio": g["recorded"]} for g in recorded]

    def regressed(index: int) -> list[dict]:
        summary = [dict(line) for line in as_recorded]
        gated = recorded[index]
        summary[index]["ratio"] = gated["recorded"] * (0.3 if gated["better"] == "higher" else 3)
        return summary

    runs = {"ok": as_recorded, "first": regressed(0), "last": regressed(len(recorded) - 1)}
    for name, summary in runs.items():
        (tmp_path / f"{name}.json").write_text(json.dumps({"summary": summary}))
    path = {name: str(tmp_path / f"{name}.json") for name in runs}
    assert main([path["first"], path["ok"]]) == 0  # noise in one run only
    assert main([path["first"], path["last"]]) == 0  # different ratios tripped each run
    assert main([path["first"], path["first"]]) == 1  # the same ratio regressed in both
