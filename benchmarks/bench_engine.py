"""Engine throughput: the engine next to a hand-written SimPy model of the same message flow, in one process.

Two workloads, each played by both models on the same seeds:

- the bundled `synagogue-holiday-attack` scenario (base variant, default decisions), many seeds: a small exercise
  whose events are mostly background work at the control rooms;
- a generated network (`benchmarks.network`) of 500 stakeholders and 2,000 channels: a warning cascading through
  496 community sites, exactly 2,000 message hops per run.

Units. A *run* is one replication; a *hop* is a message that reached its receiver (`MessageArrived` records for the
engine, counted deliveries for the hand-written model); an *event* is one `simpy.Environment.step()` (both models are
driven by the same loop). The engine's *records* are the run-log records it produced (kept in memory, no file). The
ratio compares time per run on the same workload and seeds (hand-written time / engine time): 1.0 means the engine
costs nothing over hand-written SimPy; the target is 0.5 or more. Events per run are printed for both sides to show
that they do the same work. Times are the best of `repeat` repetitions of the whole batch (`time.perf_counter`).

The engine's runs share one `Setup` per workload, as a batch does; building the scenario is not timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks import handwritten
from benchmarks.network import generate
from scenarios import Scenario, load_scenario
from simulator import Exercise
from simulator.setup import Setup

TARGET_RATIO = 0.5
"""The hand-written model's time per run over the engine's should be at least this."""


@dataclass(frozen=True, slots=True)
class Throughput:
    """One model's best time on one workload."""

    workload: str
    """What was played."""
    model: str
    """`engine` or `hand-written`."""
    runs: int
    """Replications per batch."""
    seconds: float
    """Best time for the whole batch."""
    hops: int
    """Message hops in the batch."""
    events: int
    """SimPy events in the batch."""
    records: int | None
    """Run-log records in the batch (the engine only)."""

    @property
    def runs_per_s(self) -> float:
        """Replications per second."""
        return self.runs / self.seconds

    @property
    def hops_per_s(self) -> float:
        """Message hops per second."""
        return self.hops / self.seconds

    @property
    def events_per_s(self) -> float:
        """SimPy events per second."""
        return self.events / self.seconds

    @property
    def records_per_s(self) -> float | None:
        """Run-log records per second (the engine only)."""
        return None if self.records is None else self.records / self.seconds


@dataclass(frozen=True, slots=True)
class Comparison:
    """The engine and the hand-written model on one workload."""

    engine: Throughput
    handwritten: Throughput

    @property
    def ratio(self) -> float:
        """Hand-written time per run / engine time per run (1.0: the engine is as fast)."""
        return self.engine.runs_per_s / self.handwritten.runs_per_s

    def as_dict(self) -> dict[str, float | int | str | None]:
        """The numbers, flat (for scripts and reports)."""
        return {
            "workload": self.engine.workload,
            "runs": self.engine.runs,
            "engine_runs_per_s": self.engine.runs_per_s,
            "engine_records_per_s": self.engine.records_per_s,
            "engine_hops_per_s": self.engine.hops_per_s,
            "engine_events_per_run": self.engine.events / self.engine.runs,
            "handwritten_runs_per_s": self.handwritten.runs_per_s,
            "handwritten_hops_per_s": self.handwritten.hops_per_s,
            "handwritten_events_per_run": self.handwritten.events / self.handwritten.runs,
            "ratio": self.ratio,
        }


Batch = Callable[[], tuple[int, int, int | None]]
"""Plays a batch of runs; returns (hops, events, records)."""


def best_of(repeat: int, batch: Batch) -> tuple[float, tuple[int, int, int | None]]:
    """The best time of `repeat` runs of `batch`, and what the batch counted (the same every time)."""
    best = float("inf")
    counts: tuple[int, int, int | None] = (0, 0, None)
    for _ in range(repeat):
        start = time.perf_counter()
        counts = batch()
        best = min(best, time.perf_counter() - start)
    return best, counts


def engine_batch(setup: Setup, seeds: Sequence[int]) -> Batch:
    """Play `setup` once per seed with the engine, in memory."""

    def batch() -> tuple[int, int, int | None]:
        hops = events = records = 0
        for seed in seeds:
            exercise = Exercise(setup, seed)
            exercise.run()
            hops += sum(1 for record in exercise.records if record["kind"] == "MessageArrived")
            events += exercise.step
            records += len(exercise.records)
        return hops, events, records

    return batch


def compare(
    workload: str, setup: Setup, played: Callable[[int], handwritten.Played], seeds: Sequence[int], repeat: int
) -> Comparison:
    """Time both models on the same seeds."""

    def handwritten_batch() -> tuple[int, int, int | None]:
        runs = [played(seed) for seed in seeds]
        return sum(run.hops for run in runs), sum(run.events for run in runs), None

    measured = []
    for model, batch in (("engine", engine_batch(setup, seeds)), ("hand-written", handwritten_batch)):
        seconds, (hops, events, records) = best_of(repeat, batch)
        measured.append(Throughput(workload, model, len(seeds), seconds, hops, events, records))
    return Comparison(measured[0], measured[1])


def synagogue(seeds: int, repeat: int) -> Comparison:
    """The bundled synagogue scenario, seeds 0..seeds-1."""
    setup = Setup.of(load_scenario("synagogue-holiday-attack"), source="synagogue-holiday-attack")
    return compare("synagogue-holiday-attack", setup, handwritten.play_synagogue, range(seeds), repeat)


def network(seeds: int, repeat: int, stakeholders: int = 500, channels: int = 2000) -> Comparison:
    """A generated network, seeds 0..seeds-1 (the topology is the same for all: generated from seed 0)."""
    generated = generate(stakeholders, channels, seed=0)
    scenario: Scenario = generated.scenario()
    out = generated.out_links()
    workload = f"network {stakeholders} stakeholders / {channels} channels"
    return compare(
        workload, Setup.of(scenario), lambda seed: handwritten.play_network(generated, seed, out), range(seeds), repeat
    )


def table(comparisons: Sequence[Comparison]) -> str:
    """A markdown table of the comparisons."""
    lines = [
        "| workload | model | runs | runs/s | records/s | hops/s | events/run | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for comparison in comparisons:
        for side in (comparison.engine, comparison.handwritten):
            records = "" if side.records_per_s is None else f"{side.records_per_s:,.0f}"
            ratio = f"{comparison.ratio:.2f}" if side is comparison.engine else ""
            lines.append(
                f"| {side.workload} | {side.model} | {side.runs} | {side.runs_per_s:,.1f} | {records} "
                f"| {side.hops_per_s:,.0f} | {side.events / side.runs:,.1f} | {ratio} |"
            )
    return "\n".join(lines)


def main(seeds: int = 200, network_seeds: int = 3, repeat: int = 5) -> list[dict[str, float | int | str | None]]:
    """Run both workloads, print a markdown table, and return the numbers."""
    comparisons = [synagogue(seeds, repeat), network(network_seeds, repeat)]
    print(table(comparisons))
    print()
    for comparison in comparisons:
        verdict = "meets" if comparison.ratio >= TARGET_RATIO else "MISSES"
        print(f"- {comparison.engine.workload}: ratio {comparison.ratio:.2f} {verdict} the target of {TARGET_RATIO}")
    return [comparison.as_dict() for comparison in comparisons]


if __name__ == "__main__":
    main()
