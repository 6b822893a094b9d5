"""The scaling benchmark: log-log slopes by least squares, and its figures on tiny networks."""

from __future__ import annotations

import gc
import math

import pytest

from benchmarks import bench_scaling


def test_the_slope_of_a_power_law_is_its_exponent() -> None:
    sizes = [50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0]
    assert bench_scaling.slope(sizes, [3.0 * size**1.25 for size in sizes]) == pytest.approx(1.25)
    assert bench_scaling.slope(sizes, [7.0] * len(sizes)) == pytest.approx(0.0)


def test_the_slope_is_fitted_by_least_squares_over_all_sizes() -> None:
    # Points (log 1, 0), (log e, 1), (log e^2, 3) in log-log space: x = 0, 1, 2 and y = 0, 1, 3; slope 1.5 by hand.
    assert bench_scaling.slope([1.0, math.e, math.e**2], [1.0, math.e, math.e**3]) == pytest.approx(1.5)


def test_a_slope_needs_two_different_sizes() -> None:
    with pytest.raises(ValueError, match="at least two"):
        bench_scaling.slope([50.0], [1.0])
    with pytest.raises(ValueError, match="two different sizes"):
        bench_scaling.slope([50.0, 50.0], [1.0, 2.0])


def test_every_size_gets_about_the_same_stakeholder_runs_and_at_least_one_run() -> None:
    assert [bench_scaling.runs_for(size, 1500) for size in bench_scaling.SIZES] == [30, 15, 7, 3, 1, 1]


def test_the_benchmark_reports_each_size_and_both_slopes(capsys: pytest.CaptureFixture[str]) -> None:
    figures = bench_scaling.main(sizes=(10, 20), rounds=1, budget=20)
    rows = figures["sizes"]
    assert isinstance(rows, list)
    assert [(row["stakeholders"], row["channels"], row["runs_per_round"]) for row in rows] == [(10, 40, 2), (20, 80, 1)]
    assert all(
        row["engine_ms_per_run"] > 0 and row["same_output_ms_per_run"] > 0 and row["engine_batch_ms_per_run"] > 0
        for row in rows
    )
    assert figures["meets_target"] == (figures["engine_slope"] <= 1.1)  # type: ignore[operator]
    assert figures["batch_meets_target"] == (figures["engine_batch_slope"] <= 1.1)  # type: ignore[operator]
    out = capsys.readouterr().out
    assert "| 10 | 40 | 2 |" in out and "log-log slope from 10 to 20 stakeholders" in out
    assert "the engine in a batch worker" in out


def test_the_batch_worker_figure_leaves_nothing_frozen() -> None:
    bench_scaling.measure_size(10, rounds=1, budget=10)
    assert gc.get_freeze_count() == 0
