"""Monte Carlo batches: identical results on every executor, common random numbers, summary statistics."""

from __future__ import annotations

import gc
import math
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest

from scenarios import Scenario
from simulator.analysis import batch
from simulator.analysis.batch import BatchPlan, run_batch, run_in_worker, run_replications
from simulator.analysis.executors import chunk_size
from simulator.analysis.results import mean_interval, quantiles, wilson


def plan(scenario: Scenario, n: int = 24, crn: bool = True) -> BatchPlan:
    return BatchPlan(scenario, (None, "holiday-armed-post"), n, seed=100, common_random_numbers=crn)


def test_one_worker_two_workers_and_a_dask_cluster_give_identical_tables(tmp_path: Path, synagogue: Scenario) -> None:
    one = run_batch(plan(synagogue), tmp_path / "one", workers=1)
    two = run_batch(plan(synagogue), tmp_path / "two", workers=2)
    dask = run_batch(plan(synagogue), tmp_path / "dask", workers=2, executor="dask")
    csv = (tmp_path / "one" / "results.csv").read_bytes()
    assert (tmp_path / "two" / "results.csv").read_bytes() == csv
    assert (tmp_path / "dask" / "results.csv").read_bytes() == csv
    table = pq.read_table(tmp_path / "one" / "results.parquet")
    assert pq.read_table(tmp_path / "two" / "results.parquet").equals(table)
    assert pq.read_table(tmp_path / "dask" / "results.parquet").equals(table)
    assert one.rows == two.rows == dask.rows == 48
    assert one.summary == two.summary == dask.summary


def test_rows_come_in_variant_then_replication_order_with_shared_seeds(tmp_path: Path, synagogue: Scenario) -> None:
    run_batch(plan(synagogue, n=5), tmp_path / "out", workers=2)
    rows = pq.read_table(tmp_path / "out" / "results.parquet").to_pylist()
    assert [(r["variant"], r["replication"], r["seed"]) for r in rows] == [
        *((("base", i, 100 + i)) for i in range(5)),
        *((("holiday-armed-post", i, 100 + i)) for i in range(5)),
    ]
    assert all(r["obj_alert_police_fast"] in {"P", "S", "M", "U"} for r in rows)


def test_common_random_numbers_narrow_the_interval_of_a_variant_difference(tmp_path: Path, synagogue: Scenario) -> None:
    # direct-radio changes one path of the response, so paired runs share most of their randomness. (With
    # holiday-armed-post the variant's harm is nearly always small, and pairing narrows its interval less.)
    def radio(crn: bool) -> BatchPlan:
        return BatchPlan(synagogue, (None, "direct-radio"), 60, seed=100, common_random_numbers=crn)

    shared = run_batch(radio(True), tmp_path / "crn", workers=2)
    independent = run_batch(radio(False), tmp_path / "ind", workers=2)

    def width(summary: dict[str, Any], milestone: str | None) -> float:
        difference = summary["differences"]["direct-radio"]
        interval = difference["harm"] if milestone is None else difference["milestones"][milestone]["mean"]
        return float(interval["high"] - interval["low"])

    assert width(shared.summary, None) < 0.5 * width(independent.summary, None)
    for milestone in ("police-on-scene", "armed-on-scene", "threat-neutralised"):
        assert width(shared.summary, milestone) < width(independent.summary, milestone)


def test_keep_logs_writes_one_replayable_log_per_replication(tmp_path: Path, synagogue: Scenario) -> None:
    from simulator.analysis.replay import verify

    run_batch(BatchPlan(synagogue, (None,), 3, seed=9), tmp_path / "out", keep_logs=True)
    logs = sorted((tmp_path / "out" / "logs" / "base").glob("*.jsonl"))
    assert [p.name for p in logs] == ["seed-10.jsonl", "seed-11.jsonl", "seed-9.jsonl"]
    assert all(verify(p).ok for p in logs)


def test_quantiles_interpolate_linearly() -> None:
    assert quantiles([1.0, 2.0, 3.0, 4.0, 5.0]) == {"p10": 1.4, "p50": 3.0, "p90": pytest.approx(4.6)}
    assert quantiles([]) == {"p10": None, "p50": None, "p90": None}


def test_the_wilson_interval_matches_its_formula_and_stays_inside_zero_and_one() -> None:
    interval = wilson(8, 10)
    # p = 0.8, z = 1.96: centre (0.8 + 0.192)/1.384 = 0.7168, half 1.96*sqrt(0.016 + 0.0096)/1.384 = 0.2266
    assert interval.estimate == 0.8
    assert interval.low == pytest.approx(0.4902, abs=1e-3)
    assert interval.high == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 5).low == 0.0 and wilson(5, 5).high == 1.0


def test_the_mean_interval_uses_the_sample_standard_deviation() -> None:
    interval = mean_interval([1.0, 2.0, 3.0, 4.0])
    half = 1.959963984540054 * math.sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3 / 4)
    assert interval.estimate == 2.5
    assert interval.low == pytest.approx(2.5 - half)
    assert interval.high == pytest.approx(2.5 + half)


def test_chunks_keep_every_worker_busy_and_stay_small() -> None:
    assert chunk_size(1000, 2) == 125
    assert chunk_size(3, 8) == 1
    assert chunk_size(1_000_000, 2) == 200


def task(scenario: Scenario) -> tuple[Any, ...]:
    """One task of two replications of the base scenario, as a batch sends it."""
    return (orjson.dumps(scenario.model_dump(mode="json", by_alias=True)), None, 0, [100, 101], {}, None, None)


def test_a_batch_run_in_this_process_neither_freezes_its_garbage_collector_nor_keeps_its_setups(
    tmp_path: Path, synagogue: Scenario
) -> None:
    frozen = gc.get_freeze_count()

    run_batch(BatchPlan(synagogue, (None, "direct-radio"), 3), tmp_path / "out", workers=1)
    run_replications(*task(synagogue))
    run_in_worker(os.getpid(), *task(synagogue))  # handed to a worker that turns out to be this very process

    # A console that runs a batch in a thread must keep collecting its garbage, and not keep every scenario.
    assert gc.get_freeze_count() == frozen
    assert batch._WORKER.setups is None


def worker_state(caller_pid: int, work: tuple[Any, ...]) -> tuple[bool, bool]:
    """In a worker process: (whether its garbage collector froze, whether it kept the Setup) after one task."""
    frozen = gc.get_freeze_count()
    run_in_worker(caller_pid, *work)
    return gc.get_freeze_count() > frozen, batch._WORKER.setups is not None


def test_a_worker_process_keeps_its_setups_and_freezes_them_out_of_the_garbage_collectors_sight(
    synagogue: Scenario,
) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(worker_state, os.getpid(), task(synagogue)).result() == (True, True)


def test_the_rows_of_a_task_are_the_same_in_this_process_and_in_a_worker(synagogue: Scenario) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        in_worker = pool.submit(run_in_worker, os.getpid(), *task(synagogue)).result()

    assert run_replications(*task(synagogue)) == in_worker
    assert [(row["variant"], row["replication"], row["seed"]) for row in in_worker] == [
        ("base", 0, 100),
        ("base", 1, 101),
    ]
