"""Batch throughput: 1,000 synagogue replications with 1 and 2 local workers and on a 2-worker Dask cluster.

Each round runs, one after the other, the hand-written SimPy model of the scenario on one core
(`benchmarks.handwritten.play_synagogue`) and `run_batch` (results written to CSV and Parquet, summary computed,
the pool or cluster started and stopped inside the timing, as `tabletop batch` does) with 1 local worker, 2 local
workers and a local Dask cluster of 2 workers. The ratios are taken round by round and their median reported, so a
moment when another process holds a core spoils one round, not the figure. A short batch on each executor first
imports what it uses (distributed alone takes half a second), once a process, as in a console. Targets: 1 worker
at least half as fast as the hand-written model; 2 workers at least 1.85 times 1 worker; Dask at least 0.9 times
local with 2 workers each. A speed-up needs the machine's cores free: on a busy machine, read the CPU time per
replication (this process and its worker processes, which the load does not inflate much) rather than the ratios.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import handwritten

REPLICATIONS = 1000
ROUNDS = 3
WAYS = {"local_1": ("local", 1), "local_2": ("local", 2), "dask_2": ("dask", 2)}
"""The ways of running the batch: name, (executor, workers)."""


def children_cpu() -> float:
    """CPU seconds of this process's finished child processes (the batch's workers, once they have exited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_batch(executor: str, workers: int, folder: Path, replications: int = REPLICATIONS) -> dict[str, float]:
    """Wall seconds of one synagogue batch, and its CPU milliseconds per replication in this process and in workers."""
    from scenarios import load_scenario
    from simulator.analysis.batch import BatchPlan, run_batch

    plan = BatchPlan(load_scenario("synagogue-holiday-attack"), (None,), replications, seed=0)
    start, cpu, workers_cpu = time.perf_counter(), time.process_time(), children_cpu()
    run_batch(plan, folder, workers=workers, executor=executor)
    return {
        "seconds": time.perf_counter() - start,
        "parent_ms": 1000 * (time.process_time() - cpu) / replications,
        "workers_ms": 1000 * (children_cpu() - workers_cpu) / replications,
    }


def timed_handwritten() -> float:
    """Wall seconds of the hand-written model's replications, on one core."""
    start = time.perf_counter()
    for seed in range(REPLICATIONS):
        handwritten.play_synagogue(seed)
    return time.perf_counter() - start


def main() -> dict[str, Any]:
    """Run the rounds, print a markdown table, and return every figure."""
    rounds: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for executor in ("local", "dask"):  # imports (distributed's too), first Parquet file: not what is measured
            timed_batch(executor, 2, Path(tmp) / f"warm-up-{executor}", replications=20)
        for index in range(ROUNDS):
            figures = {"handwritten": {"seconds": timed_handwritten(), "parent_ms": 0.0, "workers_ms": 0.0}}
            for name, (executor, workers) in WAYS.items():
                figures[name] = timed_batch(executor, workers, Path(tmp) / f"{name}-{index}")
            rounds.append(figures)

    def median_ratio(faster: str, slower: str) -> float:
        return statistics.median(r[slower]["seconds"] / r[faster]["seconds"] for r in rounds)

    def median_of(name: str, figure: str) -> float:
        return statistics.median(r[name][figure] for r in rounds)

    per_s = {name: REPLICATIONS / median_of(name, "seconds") for name in ("handwritten", *WAYS)}
    ratios = {
        "local_1_vs_handwritten": median_ratio("local_1", "handwritten"),
        "local_2_vs_local_1": median_ratio("local_2", "local_1"),
        "dask_2_vs_local_2": median_ratio("dask_2", "local_2"),
    }
    cpu = {
        name: {"parent_ms": median_of(name, "parent_ms"), "workers_ms": median_of(name, "workers_ms")} for name in WAYS
    }
    print(f"{REPLICATIONS:,} replications of the synagogue scenario, median of {ROUNDS} interleaved rounds\n")
    print("| way | replications/s | CPU ms a replication: this process / workers | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| hand-written SimPy model, 1 core | {per_s['handwritten']:,.0f} | | 1.00 | |")
    rows = {
        "local_1": ("`tabletop batch`, 1 worker", ratios["local_1_vs_handwritten"], "of hand-written, >= 0.5"),
        "local_2": ("`tabletop batch`, 2 workers", ratios["local_2_vs_local_1"], "x 1 worker, >= 1.85"),
        "dask_2": ("`--executor dask`, 2 workers", ratios["dask_2_vs_local_2"], "x local 2 workers, >= 0.9"),
    }
    for name, (title, ratio, target) in rows.items():
        print(
            f"| {title} | {per_s[name]:,.0f} | {cpu[name]['parent_ms']:.2f} / {cpu[name]['workers_ms']:.2f} "
            f"| {ratio:.2f} | {target} |"
        )
    print()
    return {
        "replications": REPLICATIONS,
        "rounds": ROUNDS,
        # The figures bench_analysis gave before the batch part moved here, under the same names.
        "handwritten_per_s": per_s["handwritten"],
        "batch_1_per_s": per_s["local_1"],
        "batch_2_per_s": per_s["local_2"],
        "dask_2_per_s": per_s["dask_2"],
        "ratios": ratios,
        "cpu_ms_per_replication": cpu,
        "targets_met": {
            "local_1_vs_handwritten": ratios["local_1_vs_handwritten"] >= 0.5,
            "local_2_vs_local_1": ratios["local_2_vs_local_1"] >= 1.85,
            "dask_2_vs_local_2": ratios["dask_2_vs_local_2"] >= 0.9,
        },
        "seconds": [{name: figures[name]["seconds"] for name in figures} for figures in rounds],
    }


if __name__ == "__main__":
    main()
