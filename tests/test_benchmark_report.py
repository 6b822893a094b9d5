"""The report benchmark runs: every figure measured on one run and on a batch of a few replications (they stand in
for the 1,000-replication batch)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_report import SCENARIO, make_batch, measure_batch, measure_processes, measure_run, write_run_log
from scenarios import load_scenario

PARTS = ("facts_s", "document_s", "plots_s", "document_without_plots_s", "render_s", "total_s")
PROCESS_PARTS = (
    "start_s",
    "cli_imports_s",
    "report_imports_s",
    "matplotlib_s",
    "facts_s",
    "document_s",
    "render_s",
    "exit_s",
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A logged run of the scenario, and a batch of two replications of each of its variants."""
    folder = tmp_path_factory.mktemp("report-benchmark")
    batch, made_s = make_batch(folder, replications=2, workers=1)
    assert made_s > 0
    return write_run_log(folder), batch


def test_the_report_benchmark_measures_a_run_and_a_small_batch_in_process_and_breaks_each_down_into_parts(
    inputs: tuple[Path, Path],
) -> None:
    log, batch = inputs

    run = measure_run(log, repeat=1)
    of_batch = measure_batch(batch, repeat=1)

    assert run["first_s"] > 0
    for figures in (run, of_batch):
        assert figures["report_s"] > 0 and figures["baseline_s"] > 0
        parts = figures["breakdown"]
        assert all(parts[key] > 0 for key in PARTS)
        assert parts["facts_s"] < parts["total_s"] and parts["plots_s"] < parts["document_s"] < parts["total_s"]
        assert parts["html_bytes"] > 10_000
    parts = run["breakdown"]
    assert parts["resimulation_s"] > 0 and parts["forks_s"] > 0 and parts["other_facts_s"] > 0
    assert parts["resimulation_s"] + parts["forks_s"] < parts["facts_s"]
    # The run report draws its timeline and awareness plot; the batch's, three plots of its variants.
    assert parts["plots"] == 2 and of_batch["breakdown"]["plots"] == 3
    assert parts["forks"] > 0
    assert parts["records"] == log.read_bytes().count(b"\n") - 2
    assert of_batch["breakdown"]["replications"] == 2
    assert of_batch["breakdown"]["variants"] == 1 + len(load_scenario(SCENARIO).variants)


@pytest.mark.slow
def test_the_report_benchmark_times_the_new_processes_that_write_the_reports_and_where_their_time_goes(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    log, batch = inputs

    run = measure_processes(log, tmp_path / "run.html", repeat=1)
    of_batch = measure_processes(batch, tmp_path / "batch.html", repeat=1)

    for figures in (run, of_batch):
        assert figures["process_s"] > 0 and figures["baseline_process_s"] > 0
        cold = figures["process_breakdown"]
        assert all(cold[key] > 0 for key in PROCESS_PARTS)
        assert figures["written_bytes"] > 10_000
    for name in ("run.html", "batch.html", "run-cold.html", "batch-cold.html"):
        assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
