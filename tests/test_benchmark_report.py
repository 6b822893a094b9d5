"""The report benchmark runs: every figure measured on one run and on a batch of a few replications (they stand in
for the 1,000-replication batch)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_report import SCENARIO, make_batch, measure_batch, measure_run, write_run_log
from scenarios import load_scenario

PARTS = ("facts_s", "document_s", "plots_s", "document_without_plots_s", "render_s", "total_s")
PROCESS_PARTS = ("cli_imports_s", "report_imports_s", "matplotlib_s", "facts_s", "document_s", "render_s")


def test_the_report_benchmark_measures_a_run_and_a_small_batch_and_breaks_each_report_down_into_its_parts(
    tmp_path: Path,
) -> None:
    log = write_run_log(tmp_path)
    batch, made_s = make_batch(tmp_path, replications=2, workers=1)

    run = measure_run(log, tmp_path, repeat=1, process_repeat=1)
    of_batch = measure_batch(batch, tmp_path, repeat=1, process_repeat=1)

    assert made_s > 0 and run["first_s"] > 0
    for figures, baselines in ((run, ("verify_s", "verify_process_s")), (of_batch, ("read_s", "read_process_s"))):
        assert figures["report_s"] > 0 and figures["process_s"] > 0
        assert all(figures[key] > 0 for key in baselines)
        parts = figures["breakdown"]
        assert all(parts[key] > 0 for key in PARTS)
        assert parts["facts_s"] + parts["document_s"] + parts["render_s"] <= parts["total_s"] * 1.000001
        assert parts["plots_s"] < parts["document_s"]
        assert figures["written_bytes"] > 10_000
        cold = figures["process_breakdown"]
        assert all(cold[key] > 0 for key in PROCESS_PARTS)
        assert 0 < cold["startup_s"] < cold["total_s"]
    parts = run["breakdown"]
    assert parts["resimulation_s"] > 0 and parts["forks_s"] > 0 and parts["other_facts_s"] > 0
    assert parts["resimulation_s"] + parts["forks_s"] < parts["facts_s"]
    # The run report draws its timeline and awareness plot; the batch's, three plots of its variants.
    assert parts["plots"] == 2 and of_batch["breakdown"]["plots"] == 3
    assert parts["forks"] > 0
    assert parts["records"] == log.read_bytes().count(b"\n") - 2
    assert of_batch["breakdown"]["replications"] == 2
    assert of_batch["breakdown"]["variants"] == 1 + len(load_scenario(SCENARIO).variants)
    for name in ("run.html", "batch.html", "run-cold.html", "batch-cold.html"):
        assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
