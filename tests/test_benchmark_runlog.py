"""The run-log benchmark logs the same runs it plays in memory, and returns its figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import bench_runlog
from scenarios import load_scenario
from simulator import Exercise
from simulator.setup import Setup


def test_each_mode_of_the_benchmark_makes_the_records_of_the_same_runs_and_leaves_no_file(tmp_path: Path) -> None:
    setup = Setup.of(load_scenario("synagogue-holiday-attack"))
    expected = sum(Exercise(setup, seed).run().records for seed in range(1, 4))

    made = [bench_runlog.play(setup, range(1, 4), tmp_path, mode)[1] for mode in ("memory", "step", "block")]

    assert made == [expected] * 3
    assert list(tmp_path.iterdir()) == []


def test_the_benchmark_returns_every_figure_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_runlog, "SYNAGOGUE_SEEDS", 2)
    monkeypatch.setattr(bench_runlog, "NETWORK_SEEDS", 1)

    figures = json.loads(json.dumps(bench_runlog.main(rounds=1)))

    assert figures["modes"] == ["step", "block"]
    assert figures["network"]["records_per_run"] == 7504  # as the performance report counted for this network
    for workload in ("synagogue", "network"):
        assert set(figures[workload]["logged"]) == {"step", "block"}
        for mode in figures[workload]["logged"].values():
            assert mode["records_per_s"] > 0
            assert (
                0
                < mode["ratio_to_memory"]["min"]
                <= mode["ratio_to_memory"]["median"]
                <= mode["ratio_to_memory"]["max"]
            )
