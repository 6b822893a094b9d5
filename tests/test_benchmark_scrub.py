"""The scrub benchmark runs: every figure measured on a small logged run (it stands in for the big one)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_scrub import measure
from scenarios import load_scenario
from simulator import Exercise


def test_the_scrub_benchmark_measures_every_figure_on_a_logged_run(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    Exercise(load_scenario("synagogue-holiday-attack"), 1, log=log, source="synagogue-holiday-attack").run()

    figures = measure(log)

    assert figures["records"] == log.read_bytes().count(b"\n") - 2
    assert all(figures[key] >= 0 for key in figures)
    assert figures["points"] > 100
