"""The benchmark regression gate: fail when a ratio got more than `factor` times worse.

`make bench-smoke` (CI) runs the 1M harness, then this on its result. Every gated ratio, its
direction and the value recorded for it live in one file, bench/thresholds.toml; a ratio is
WPPI over a baseline measured in the same run, so the gate holds on a busy machine where
absolute times drift. After a deliberate change (faster or slower), record the new ratio.

    python -m bench.gate [RESULT_JSON]   # default: the newest 1M result in bench/results/
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
THRESHOLDS = HERE / "thresholds.toml"
RESULTS = HERE / "results"


def regressions(summary: list[dict], thresholds: dict) -> list[str]:
    """One message per gated ratio that regressed past the factor or was not measured."""
    factor = thresholds["factor"]
    measured = {line["measurement"].strip(): line.get("ratio") for line in summary}
    failures = []
    for gated in thresholds["ratio"]:
        name, recorded = gated["measurement"], gated["recorded"]
        ratio = measured.get(name)
        if not ratio:
            failures.append(f"{name}: not measured (the gate cannot pass what it did not see)")
            continue
        worse = recorded / ratio if gated["better"] == "higher" else ratio / recorded
        if worse > factor:
            failures.append(
                f"{name}: {ratio:.3g}x against {recorded:.3g}x recorded, {worse:.2f} times "
                f"worse (limit {factor:g})"
            )
    return failures


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else max(RESULTS.glob("bench-scale0.1-*.json"))
    thresholds = tomllib.loads(THRESHOLDS.read_text())
    failures = regressions(json.loads(path.read_text())["summary"], thresholds)
    for failure in failures:
        print(f"regression: {failure}", file=sys.stderr)
    gated = len(thresholds["ratio"])
    print(f"{path.name}: {gated - len(failures)} of {gated} gated ratios within the factor")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
