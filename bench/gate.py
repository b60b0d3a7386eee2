"""The benchmark regression gate: fail when a ratio got more than `factor` times worse.

`make bench-smoke` (CI) runs the 1M harness, then this on its result. Every gated ratio, its
direction and the value recorded for it live in one file, bench/thresholds.toml; a ratio is
WPPI over a baseline measured in the same run, so the gate holds on a busy machine where
absolute times drift. After a deliberate change (faster or slower), record the new ratio.

    python -m bench.gate [RESULT_JSON ...]   # default: the newest 1M result in bench/results/
    python -m bench.gate --newest N          # the N newest 1M results
With several results a ratio fails only when it regressed in every one: a one-second smoke
on a shared machine trips on noise now and then (seen 2026-12-03: hot c=1 at 2.3x in one run,
0.90x the next), while a real regression shows in each run. `make bench-smoke` re-measures
once before failing.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
THRESHOLDS = HERE / "thresholds.toml"
RESULTS = HERE / "results"


def regressions(summary: list[dict], thresholds: dict) -> dict[str, str]:
    """A message per gated ratio (by its name) that regressed past the factor or was not
    measured."""
    factor = thresholds["factor"]
    measured = {line["measurement"].strip(): line.get("ratio") for line in summary}
    failures = {}
    for gated in thresholds["ratio"]:
        name, recorded = gated["measurement"], gated["recorded"]
        ratio = measured.get(name)
        if not ratio:
            failures[name] = f"{name}: not measured (the gate cannot pass what it did not see)"
            continue
        worse = recorded / ratio if gated["better"] == "higher" else ratio / recorded
        if worse > factor:
            failures[name] = (
                f"{name}: {ratio:.3g}x against {recorded:.3g}x recorded, {worse:.2f} times "
                f"worse (limit {factor:g})"
            )
    return failures


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    newest = sorted(RESULTS.glob("bench-scale0.1-*.json"))
    if args[:1] == ["--newest"]:
        paths = newest[-int(args[1]) :]
    else:
        paths = [Path(a) for a in args] or newest[-1:]
    thresholds = tomllib.loads(THRESHOLDS.read_text())
    runs = [regressions(json.loads(p.read_text())["summary"], thresholds) for p in paths]
    everywhere = set.intersection(*(set(run) for run in runs))
    failures = [message for name, message in runs[-1].items() if name in everywhere]
    for failure in failures:
        print(f"regression: {failure}", file=sys.stderr)
    gated = len(thresholds["ratio"])
    label = ", ".join(p.name for p in paths)
    print(f"{label}: {gated - len(failures)} of {gated} gated ratios within the factor")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
