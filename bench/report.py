"""Print a saved benchmark result (bench/results/*.json) as the Markdown table of the docs.

python -m bench.report bench/results/bench-scale1-<stamp>.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def markdown(report: dict) -> str:
    env, data = report["environment"], report["data"]
    out = [
        f"{data['rows']:,} observations ({data['indicators']} synthetic indicators, "
        f"{data['files']} files, seed {data['seed']}), medians of {len(report['runs'])} run(s); "
        f"{env['date']}",
        "",
        f"Machine: {env['machine']}; Python {env['python']}, DuckDB {env['duckdb']}, "
        f"pyarrow {env['pyarrow']}, pandas {env['pandas']}, Great Expectations "
        f"{env['great_expectations']}, FastAPI {env['fastapi']}, uvicorn {env['uvicorn']}, "
        f"Dagster {env['dagster']}, {env['wrk']}. GX mode: {env['gx_mode']}.",
        "Load average (1 min) at the start / end of each run: "
        + ", ".join(
            f"{r.get('load_average_start', 0):.1f} / {r.get('load_average_end', 0):.1f}"
            for r in report["runs"]
        )
        + ".",
        "",
        "| measurement | WPPI | baseline | ratio | target | met |",
        "| --- | ---: | --- | ---: | ---: | :---: |",
    ]
    for line in report["summary"]:
        base = f"{line['baseline']} {line['baseline_value']:.4g}" if line["baseline"] else ""
        ratio = f"{line['ratio']:.2f}x" if line["ratio"] is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[line["met"]]
        out.append(f"| {line['measurement'].strip()} | {line['value']:.4g} | {base} | {ratio} "
                   f"| {line['target']} | {met} |")  # fmt: skip
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
