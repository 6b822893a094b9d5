"""How a run's cost grows with the network: the engine and the same-output baseline from 50 to 2,000 stakeholders.

The generated network of `benchmarks.network` (channels = 4 x stakeholders, four control rooms) at 50, 100, 200,
500, 1,000 and 2,000 stakeholders. At each size the engine (records kept in memory, one `Setup` per size) and the
same-output baseline (`benchmarks.same_output`: the same flow, records and per-entity streams, hand-written) play
the same seeds in interleaved rounds, timed with `time.process_time()` after a `gc.collect()`; a size's figure is
the median over the rounds of the time per run. The *slope* is the least-squares slope of log(ms per run) against
log(stakeholders) over all sizes: 1.0 is linear. Target: the engine's slope at most 1.1 (the baseline's is shown for
comparison: part of any superlinearity is SimPy's heap and the memory caches, which both sides pay).

A third figure plays the engine as a batch's worker process does (`simulator.analysis.batch`): no records kept, and
the Setup moved into the collector's permanent generation (`gc.freeze()`) once built. It is timed after the
interleaved rounds, the Setup frozen only then (and unfrozen after), so the other two sides are measured with the
collector as any process has it. The difference between the two engine slopes is the cyclic collector walking the
scenario's objects: a run keeps tens of thousands of objects alive until it ends (its records, awareness, streams),
which is enough to trigger one full collection a run on a large network, and that collection visits every object of
the scenario (about 310,000 at 2,000 stakeholders); in a worker, frozen, it visits none of them.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence

from benchmarks import same_output
from benchmarks.network import generate
from simulator import Exercise
from simulator.setup import Setup

SIZES = (50, 100, 200, 500, 1000, 2000)
"""Stakeholders per network."""
TARGET_SLOPE = 1.1
"""The engine's time per run should grow at most as stakeholders^1.1."""


def slope(sizes: Sequence[float], values: Sequence[float]) -> float:
    """The least-squares slope of log(values) against log(sizes).

    Raises:
        ValueError: fewer than two sizes, or sizes all alike.
    """
    if len(sizes) != len(values) or len(sizes) < 2:
        raise ValueError("a slope needs at least two (size, value) pairs")
    xs = [math.log(size) for size in sizes]
    ys = [math.log(value) for value in values]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        raise ValueError("a slope needs at least two different sizes")
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def runs_for(stakeholders: int, budget: int = 2000) -> int:
    """Runs per round at a size: about `budget` stakeholder-runs, at least one."""
    return max(1, budget // stakeholders)


def measure_size(stakeholders: int, rounds: int, budget: int) -> dict[str, float | int]:
    """The engine's and the baseline's median ms per run at one size, timed in interleaved rounds."""
    network = generate(stakeholders, 4 * stakeholders, seed=0)
    out = network.out_links()
    setup = Setup.of(network.scenario())
    seeds = range(1, runs_for(stakeholders, budget) + 1)

    def engine(seed: int) -> None:
        Exercise(setup, seed).run()

    def baseline(seed: int) -> None:
        same_output.play_network(network, seed, out)

    sides: dict[str, Callable[[int], None]] = {"engine": engine, "same_output": baseline}
    for play in sides.values():
        play(0)  # the engine compiles its samplers on its first run of a Setup
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, play in sides.items():
            gc.collect()
            start = time.process_time()
            for seed in seeds:
                play(seed)
            times[name].append((time.process_time() - start) / len(seeds) * 1e3)
    engine_ms, baseline_ms = statistics.median(times["engine"]), statistics.median(times["same_output"])
    batch: list[float] = []
    gc.collect()
    gc.freeze()  # as a batch's worker does once it has built the Setup
    try:
        for _ in range(rounds):
            start = time.process_time()
            for seed in seeds:
                Exercise(setup, seed, keep_records=False).run()
            batch.append((time.process_time() - start) / len(seeds) * 1e3)
    finally:
        gc.unfreeze()
    return {
        "stakeholders": stakeholders,
        "channels": 4 * stakeholders,
        "runs_per_round": len(seeds),
        "engine_ms_per_run": engine_ms,
        "same_output_ms_per_run": baseline_ms,
        "engine_batch_ms_per_run": statistics.median(batch),
        "ratio_same_output": statistics.median(
            b / e for b, e in zip(times["same_output"], times["engine"], strict=True)
        ),
    }


def main(sizes: Sequence[int] = SIZES, rounds: int = 5, budget: int = 1000) -> dict[str, object]:
    """Measure every size, print a markdown table and the slopes, and return every figure.

    Args:
        sizes: Stakeholders per network.
        rounds: Interleaved rounds per size.
        budget: Stakeholder-runs per round at each size (1,000: 20 runs at 50 stakeholders, 1 at 1,000 and 2,000).
    """
    rows = [measure_size(size, rounds, budget) for size in sizes]
    engine_slope = slope(sizes, [float(row["engine_ms_per_run"]) for row in rows])
    baseline_slope = slope(sizes, [float(row["same_output_ms_per_run"]) for row in rows])
    batch_slope = slope(sizes, [float(row["engine_batch_ms_per_run"]) for row in rows])
    print(
        "| stakeholders | channels | runs/round | engine ms/run | same-output ms/run | ratio | engine, batch worker |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['stakeholders']:,} | {row['channels']:,} | {row['runs_per_round']} "
            f"| {row['engine_ms_per_run']:,.1f} | {row['same_output_ms_per_run']:,.1f} "
            f"| {row['ratio_same_output']:.2f} | {row['engine_batch_ms_per_run']:,.1f} |"
        )
    meets = engine_slope <= TARGET_SLOPE
    print()
    print(
        f"- log-log slope from {sizes[0]:,} to {sizes[-1]:,} stakeholders: engine {engine_slope:.2f} "
        f"({'meets' if meets else 'MISSES'} the target of at most {TARGET_SLOPE}), same-output {baseline_slope:.2f}; "
        f"the engine in a batch worker {batch_slope:.2f} "
        f"({'meets' if batch_slope <= TARGET_SLOPE else 'MISSES'} the target)"
    )
    return {
        "sizes": rows,
        "engine_slope": engine_slope,
        "same_output_slope": baseline_slope,
        "engine_batch_slope": batch_slope,
        "batch_meets_target": batch_slope <= TARGET_SLOPE,
        "target_slope": TARGET_SLOPE,
        "meets_target": meets,
    }


if __name__ == "__main__":
    main()
