"""Analysis throughput: batch replications against the hand-written model, and reading and verifying a 1M-record log.

Measured in one run, each next to its baseline:

- **Batch**: replications per second of the bundled synagogue scenario through `run_batch` (results written to
  Parquet and CSV, summary computed) with 1 and 2 local workers, next to the hand-written SimPy model of the same
  scenario (`benchmarks.handwritten.play_synagogue`) on one core. Targets: the 1-worker batch at least half as fast
  as the hand-written model; 2 workers at least 1.8 times one.
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
import time
from pathlib import Path
from typing import Any

from benchmarks import handwritten

REPLICATIONS = 1000
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


def batch_throughput(workers: int, folder: Path) -> float:
    """Replications per second of a synagogue batch."""
    from scenarios import load_scenario
    from simulator.analysis.batch import BatchPlan, run_batch

    plan = BatchPlan(load_scenario("synagogue-holiday-attack"), (None,), REPLICATIONS, seed=0)
    start = time.perf_counter()
    run_batch(plan, folder, workers=workers)
    return REPLICATIONS / (time.perf_counter() - start)


def handwritten_throughput() -> float:
    """Replications per second of the hand-written model of the same scenario, on one core."""
    start = time.perf_counter()
    for seed in range(REPLICATIONS):
        handwritten.play_synagogue(seed)
    return REPLICATIONS / (time.perf_counter() - start)


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
    """Run both parts and print markdown tables."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hand = handwritten_throughput()
        one = batch_throughput(1, folder / "one")
        two = batch_throughput(2, folder / "two")
        log = write_big_log(folder)
        reports = {job: in_child(job, log) for job in ("orjson", "read", "verify")}
    print("| batch of the synagogue scenario | replications/s | ratio |")
    print("|---|---:|---:|")
    print(f"| hand-written SimPy model, 1 core | {hand:,.0f} | 1.00 |")
    print(f"| `tabletop batch`, 1 worker | {one:,.0f} | {one / hand:.2f} of hand-written (target 0.5) |")
    print(f"| `tabletop batch`, 2 workers | {two:,.0f} | {two / one:.2f} x 1 worker (target 1.8) |")
    print()
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
    return {"handwritten_per_s": hand, "batch_1_per_s": one, "batch_2_per_s": two, "log": reports}


if __name__ == "__main__":
    main()
