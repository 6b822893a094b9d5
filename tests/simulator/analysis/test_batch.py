"""Monte Carlo batches: identical results on every executor, common random numbers, summary statistics."""

from __future__ import annotations

import gc
import math
import os
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from scenarios import Scenario
from simulator.analysis import batch
from simulator.analysis.batch import BatchPlan, run_batch, run_in_worker, run_replications
from simulator.analysis.executors import BatchExecutor, chunk_size
from simulator.analysis.results import mean_interval, quantiles, wilson


def plan(scenario: Scenario, n: int = 24, crn: bool = True) -> BatchPlan:
    return BatchPlan(scenario, (None, "holiday-armed-post"), n, seed=100, common_random_numbers=crn)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file a batch wrote, by path in its folder, except its manifest."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "batch.json"
    }


def test_one_two_or_three_workers_and_a_dask_cluster_write_the_same_bytes(tmp_path: Path, synagogue: Scenario) -> None:
    # 23 replications of two variants: three workers get tasks of uneven sizes that end mid-variant.
    ways = {"one": ("local", 1), "two": ("local", 2), "three": ("local", 3), "dask": ("dask", 2)}
    outcomes = {
        name: run_batch(plan(synagogue, n=23), tmp_path / name, workers=workers, executor=kind, keep_logs=True)
        for name, (kind, workers) in ways.items()
    }
    files = {name: files_of(tmp_path / name) for name in ways}
    assert {"results.csv", "results.parquet", "summary.json", "logs/base/seed-122.jsonl"} <= set(files["one"])
    assert len([name for name in files["one"] if name.startswith("logs/")]) == 46
    for name in ("two", "three", "dask"):
        assert files[name] == files["one"], name
    assert [o.rows for o in outcomes.values()] == [46] * 4
    seeds = pq.read_table(tmp_path / "three" / "results.parquet").column("seed").to_pylist()
    assert seeds == [*range(100, 123), *range(100, 123)]


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


def test_tasks_are_big_while_much_is_left_and_shrink_towards_the_end_of_the_batch() -> None:
    sizes = [chunk_size(left, 2) for left in (1000, 400, 100, 30, 9, 3)]
    assert sizes == [100, 100, 25, 8, 8, 3]  # a quarter of what is left, from 8 to 100
    assert [chunk_size(left, 1) for left in (1000, 100, 5)] == [100, 50, 5]


def test_the_tasks_of_a_batch_cover_its_replications_in_order_without_spanning_two_variants(
    synagogue: Scenario,
) -> None:
    plan_of = BatchPlan(synagogue, (None, "a"), 500, seed=40, common_random_numbers=False)
    tasks = list(batch.tasks_of(plan_of, lambda left: chunk_size(left, 2)))

    assert [seed for _, _, seeds in tasks for seed in seeds] == list(range(40, 1040))
    for variant, first, seeds in tasks:
        offset = 40 if variant is None else 540  # independent seeds: the variant's follow the base's
        assert seeds == range(offset + first, offset + first + len(seeds))
    # A quarter of the rows left in the batch, from 8 to 100 (so the base's tasks are all 100 long), cut at the end
    # of a variant: 19 tasks for 1,000 rows, where tasks of 8 would be 125.
    assert [(variant, len(seeds)) for variant, _, seeds in tasks] == [
        *[(None, 100)] * 5,
        *(("a", n) for n in (100, 100, 75, 57, 42, 32, 24, 18, 13, 10, 8, 8, 8, 5)),
    ]


def task(scenario: Scenario) -> tuple[Any, ...]:
    """One task of two replications of the base scenario, as a batch sends it (with its job)."""
    return (batch.Job.of(scenario, {}), None, 0, range(100, 102))


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


def freezes_over_tasks(caller_pid: int, job: batch.Job) -> list[int]:
    """In a worker process: the objects its garbage collector holds frozen before and after each of three tasks."""
    counts = [gc.get_freeze_count()]
    for variant, first in ((None, 0), (None, 2), ("direct-radio", 0)):
        run_in_worker(caller_pid, job, variant, first, range(first, first + 2))
        counts.append(gc.get_freeze_count())
    return counts


def test_a_worker_freezes_its_garbage_collector_once_per_setup_it_builds_not_once_per_task(
    synagogue: Scenario,
) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        before, first, second, other = pool.submit(
            freezes_over_tasks, os.getpid(), batch.Job.of(synagogue, {})
        ).result()

    assert before < first  # the base's Setup built, and frozen
    assert second == first  # the base again: nothing built, nothing more frozen (objects the task made stay young)
    assert other > second  # the variant's Setup is new


def test_a_local_workers_tasks_name_the_job_it_was_given_at_its_start_instead_of_carrying_the_scenario(
    synagogue: Scenario,
) -> None:
    job = batch.Job.of(synagogue, {})
    with BatchExecutor("local", 2, None, job) as runner:
        task_bytes = pickle.dumps((runner.work, runner.job, None, 0, range(100, 102)))
        in_workers = runner.executor.submit(runner.work, runner.job, None, 0, range(100, 102)).result()

    assert runner.job == job.digest
    assert len(job.scenario_json) > 20_000
    assert len(task_bytes) < 300
    assert in_workers == run_replications(*task(synagogue))


def test_the_summary_of_rows_in_any_order_is_that_of_the_rows_a_batch_writes(
    tmp_path: Path, synagogue: Scenario
) -> None:
    import pyarrow as pa

    from simulator.analysis.results import summarise

    two = BatchPlan(synagogue, (None, "direct-radio"), 6, seed=5)
    outcome = run_batch(two, tmp_path / "out", workers=1)
    table = pq.read_table(tmp_path / "out" / "results.parquet")
    shuffled = tmp_path / "shuffled.parquet"
    pq.write_table(table.take(pa.array([7, 0, 11, 3, 1, 6, 10, 2, 9, 4, 8, 5])), shuffled)  # variants interleaved

    assert summarise(shuffled, two.played()) == {k: v for k, v in outcome.summary.items() if k != "plan"}


SUMMARISE_THEN_MODULES = """
import sys
from pathlib import Path
from scenarios import load_scenario
from simulator.analysis.batch import BatchPlan
from simulator.analysis.results import summarise
plan = BatchPlan(load_scenario("synagogue-holiday-attack"), (None, "direct-radio"), 4)
summarise(Path(sys.argv[1]), plan.played())
print("pandas" in sys.modules, "pyarrow.dataset" in sys.modules)
"""


def test_summarising_a_batch_imports_neither_pandas_nor_pyarrows_dataset_module(
    tmp_path: Path, synagogue: Scenario
) -> None:
    # Either costs a third of a second of CPU at the end of every batch, more than the summary itself.
    run_batch(BatchPlan(synagogue, (None, "direct-radio"), 4), tmp_path / "out")
    result = subprocess.run(
        [sys.executable, "-c", SUMMARISE_THEN_MODULES, str(tmp_path / "out" / "results.parquet")],
        env=os.environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "False"]
