"""Analysis throughput: reading and verifying a 1M-record log, next to a plain read of its lines.

(Batch throughput, which this module also measured, is `benchmarks.bench_batch`.)

- **A 1,000,000-record log**: the synagogue scenario played for about 10,700 simulated hours writes about a million
  records (mostly the control rooms' background work). Reading it for analysis (`records_by_kind`, one polars
  DataFrame per record kind) and `replay --verify` are timed in fresh subprocesses, which also report their peak
  memory (the largest resident set). The baseline is a plain `orjson.loads` of every line into a list. Targets:
  reading at 500,000 records per second or more, verifying at 100,000 or more, each under 300 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

LOG_HOURS = "720h"
"""The longest run the language allows (30 days)."""
BACKGROUND_SCALE = 1.6
"""The synagogue scenario's background calls, 1.6 times as frequent: about 99,000 in 30 days, just within the
language's 100,000 background jobs a run (so the log is as large as one run's log can be: about 108,000 records)."""

_CHILD = """
import polars
import json, resource, sys, time
from pathlib import Path
import orjson
from simulator.analysis.load import records_by_kind
from simulator.analysis.replay import verify
job, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()  # libraries are imported: their loading is not what is measured
if job == "read":
    records = sum(frame.height for frame in records_by_kind(path).values())
elif job == "verify":
    result = verify(path)
    assert result.ok, result.divergence
    records = result.records_checked
else:
    with path.open("rb") as file:
        rows = [orjson.loads(line) for line in file]
    records = len(rows) - 2
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"records": records, "seconds": seconds, "peak_mb": peak_mb}))
"""


def write_big_log(folder: Path) -> Path:
    """A scenario file (the synagogue scenario, run for 30 days with busier control rooms) and its run log."""
    import orjson
    from ruamel.yaml import YAML

    from scenarios import Scenario, load_scenario
    from simulator import Exercise

    data = load_scenario("synagogue-holiday-attack").model_dump(mode="json", by_alias=True)
    data["clock"]["duration"] = LOG_HOURS
    for stakeholder in data["stakeholders"]:
        if stakeholder.get("background"):
            stakeholder["background"]["arrivals_per_hour"] *= BACKGROUND_SCALE
    data["id"] = "synagogue-long-run"
    scenario_file = folder / "synagogue-long-run.yaml"
    with scenario_file.open("w", encoding="utf-8") as file:
        YAML(typ="safe", pure=True).dump(data, file)
    scenario = Scenario.model_validate_json(orjson.dumps(data), strict=True)
    log = folder / "long-run.jsonl"
    Exercise(scenario, 1, log=log, source=str(scenario_file), keep_records=False).run()
    return log


def in_child(job: str, log: Path) -> dict[str, Any]:
    """Run one reading job in a fresh interpreter; its time and peak memory."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, job, str(log)], capture_output=True, text=True, check=True, env=os.environ
    )
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    report["per_s"] = report["records"] / report["seconds"]
    return report


def main() -> dict[str, Any]:
    """Time reading and verifying the log; print a markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        log = write_big_log(Path(tmp))
        reports = {job: in_child(job, log) for job in ("orjson", "read", "verify")}
    print(f"| a log of {reports['read']['records']:,} records | records/s | peak memory | target |")
    print("|---|---:|---:|---|")
    names = {
        "orjson": "baseline: orjson.loads of every line",
        "read": "read for analysis (`records_by_kind`)",
        "verify": "`replay --verify`",
    }
    targets = {"orjson": "", "read": ">= 500,000/s, < 300 MB", "verify": ">= 100,000/s, < 300 MB"}
    for job, report in reports.items():
        print(f"| {names[job]} | {report['per_s']:,.0f} | {report['peak_mb']:.0f} MB | {targets[job]} |")
    print()
    return {"log": reports}


if __name__ == "__main__":
    main()
