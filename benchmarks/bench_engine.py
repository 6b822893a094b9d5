"""Engine throughput against two hand-written SimPy baselines of each workload, timed in interleaved rounds.

Two workloads, each played by three models on the same seeds:

- the bundled `synagogue-holiday-attack` scenario (base variant, default decisions), many seeds: a small exercise
  whose events are mostly background work at the control rooms;
- a generated network (`benchmarks.network`) of 500 stakeholders and 2,000 channels: a warning cascading through
  496 community sites, exactly 2,000 message hops per run.

The models: the engine (records kept in memory, no file, one `Setup` per workload as a batch shares it); the
*same-output* baseline (`benchmarks.same_output`, `benchmarks.synagogue_model`: the same flow hand-written, with
the engine's records as dicts and its per-entity streams); the *lower bound* (`benchmarks.handwritten`: the flow
only, one `random.Random`, no records). Both baselines are written as a skilled SimPy user would: callbacks on
timeouts, a counter and a FIFO of callbacks for a pool of units.

Ratios are baseline time per run / engine time per run (1.0: the engine costs nothing over the baseline).
`ratio_same_output` prices the engine's generality (target 0.8); `ratio_lower_bound` prices the contract (records,
streams) as well (no target). Each round times every model once on the seeds, in turn, with `time.process_time()`
after a `gc.collect()`, so a loaded machine slows all of them alike; a ratio is the median of the rounds' ratios
(min and max beside it). Events (`simpy.Environment.step()`) and records per run are reported for every model to
show that they do the same work.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks import handwritten, same_output, synagogue_model
from benchmarks.network import generate
from scenarios import load_scenario
from simulator import Exercise
from simulator.setup import Setup

TARGET_RATIO_SAME_OUTPUT = 0.8
"""The same-output baseline's time per run over the engine's should be at least this."""

Play = Callable[[int], tuple[int, int]]
"""Plays one run with a seed; returns (events, records)."""


@dataclass(frozen=True, slots=True)
class Model:
    """One way of playing a workload."""

    name: str
    """`engine`, `same-output` or `lower-bound`."""
    play: Play


@dataclass(frozen=True, slots=True)
class Workload:
    """A workload: what is played, on which seeds, by which models (the engine first)."""

    name: str
    seeds: tuple[int, ...]
    models: tuple[Model, ...]


def engine_play(setup: Setup) -> Play:
    """Play `setup` with the engine, records kept in memory."""

    def play(seed: int) -> tuple[int, int]:
        exercise = Exercise(setup, seed)
        exercise.run()
        return exercise.step, len(exercise.records)

    return play


def synagogue_workload(seeds: int) -> Workload:
    """The bundled synagogue scenario, seeds 0..seeds-1."""
    setup = Setup.of(load_scenario("synagogue-holiday-attack"), source="synagogue-holiday-attack")

    def same(seed: int) -> tuple[int, int]:
        played, records = synagogue_model.play_same_output(seed)
        return played.events, len(records)

    def lower(seed: int) -> tuple[int, int]:
        return handwritten.play_synagogue(seed).events, 0

    models = (Model("engine", engine_play(setup)), Model("same-output", same), Model("lower-bound", lower))
    return Workload("synagogue-holiday-attack", tuple(range(seeds)), models)


def network_workload(seeds: int, stakeholders: int = 500, channels: int = 2000) -> Workload:
    """A generated network, seeds 1..seeds (the topology is the same for all: generated from seed 0)."""
    generated = generate(stakeholders, channels, seed=0)
    out = generated.out_links()
    setup = Setup.of(generated.scenario())

    def same(seed: int) -> tuple[int, int]:
        played = same_output.play_network(generated, seed, out)
        return played.events, len(played.records)

    def lower(seed: int) -> tuple[int, int]:
        return handwritten.play_network(generated, seed, out).events, 0

    models = (Model("engine", engine_play(setup)), Model("same-output", same), Model("lower-bound", lower))
    return Workload(f"network {stakeholders} stakeholders / {channels} channels", tuple(range(1, seeds + 1)), models)


def interleaved(workload: Workload, rounds: int) -> tuple[dict[str, list[float]], dict[str, tuple[int, int]]]:
    """Each model's process time per run in each round, and its (events, records) over the seeds.

    Every model plays one warm-up run first (the engine compiles its samplers on its first run of a `Setup`).
    """
    for model in workload.models:
        model.play(workload.seeds[0])
    times: dict[str, list[float]] = {model.name: [] for model in workload.models}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(rounds):
        for model in workload.models:
            gc.collect()
            events = records = 0
            start = time.process_time()
            for seed in workload.seeds:
                played_events, played_records = model.play(seed)
                events += played_events
                records += played_records
            times[model.name].append((time.process_time() - start) / len(workload.seeds))
            counts[model.name] = (events, records)
    return times, counts


def ratio_figures(baseline: Sequence[float], engine: Sequence[float]) -> dict[str, float]:
    """The median, min and max over the rounds of baseline time / engine time."""
    ratios = [b / e for b, e in zip(baseline, engine, strict=True)]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def measure(workload: Workload, rounds: int) -> dict[str, object]:
    """Time a workload's models in interleaved rounds; every figure, JSON-ready."""
    times, counts = interleaved(workload, rounds)
    runs = len(workload.seeds)
    engine_s = statistics.median(times["engine"])
    figures: dict[str, object] = {
        "workload": workload.name,
        "runs_per_round": runs,
        "rounds": rounds,
        "engine_runs_per_s": 1.0 / engine_s,
        "engine_records_per_s": counts["engine"][1] / runs / engine_s,
    }
    for model in workload.models:
        key = model.name.replace("-", "_")
        figures[f"{key}_ms_per_run"] = statistics.median(times[model.name]) * 1e3
        figures[f"{key}_events_per_run"] = counts[model.name][0] / runs
        figures[f"{key}_records_per_run"] = counts[model.name][1] / runs
        if model.name != "engine":
            figures[f"{key}_runs_per_s"] = 1.0 / statistics.median(times[model.name])
            ratio = ratio_figures(times[model.name], times["engine"])
            figures[f"ratio_{key}"] = ratio["median"]
            figures[f"ratio_{key}_min"] = ratio["min"]
            figures[f"ratio_{key}_max"] = ratio["max"]
    figures["target_same_output"] = TARGET_RATIO_SAME_OUTPUT
    figures["meets_target"] = bool(figures["ratio_same_output"] >= TARGET_RATIO_SAME_OUTPUT)  # type: ignore[operator]
    return figures


def table(results: Sequence[dict[str, object]]) -> str:
    """A markdown table of the workloads' figures."""
    lines = [
        "| workload | model | ms/run | runs/s | events/run | records/run | ratio (min / median / max) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for figures in results:
        for key in ("engine", "same_output", "lower_bound"):
            ms = float(figures[f"{key}_ms_per_run"])  # type: ignore[arg-type]
            ratio = ""
            if key != "engine":
                ratio = (
                    f"{figures[f'ratio_{key}_min']:.2f} / **{figures[f'ratio_{key}']:.2f}** / "
                    f"{figures[f'ratio_{key}_max']:.2f}"
                )
            lines.append(
                f"| {figures['workload']} | {key.replace('_', '-')} | {ms:,.2f} | {1e3 / ms:,.1f} "
                f"| {figures[f'{key}_events_per_run']:,.1f} | {figures[f'{key}_records_per_run']:,.1f} | {ratio} |"
            )
    return "\n".join(lines)


def main(seeds: int = 100, network_seeds: int = 2, rounds: int = 9) -> dict[str, object]:
    """Time both workloads, print a markdown table, and return every figure.

    Args:
        seeds: Synagogue runs per round.
        network_seeds: Network runs per round.
        rounds: Interleaved rounds per workload.
    """
    results = [measure(synagogue_workload(seeds), rounds), measure(network_workload(network_seeds), rounds)]
    print(table(results))
    print()
    for figures in results:
        verdict = "meets" if figures["meets_target"] else "MISSES"
        print(
            f"- {figures['workload']}: engine {figures['engine_runs_per_s']:,.1f} runs/s, "
            f"{figures['engine_records_per_s']:,.0f} records/s; same-output ratio {figures['ratio_same_output']:.2f} "
            f"{verdict} the target of {TARGET_RATIO_SAME_OUTPUT}; lower-bound ratio {figures['ratio_lower_bound']:.2f}"
        )
    return {"synagogue": results[0], "network": results[1], "target_same_output": TARGET_RATIO_SAME_OUTPUT}


if __name__ == "__main__":
    main()
