"""Writing the run log: a logged run (`Exercise(..., log=FILE)`) next to the same run in memory, in one process.

Two workloads, each on one `Setup` (as a batch shares it), the same seeds in every mode:

- the bundled `synagogue-holiday-attack` scenario, `SYNAGOGUE_SEEDS` seeds a round: a 34 KB header, ~350 records;
- the generated network of `benchmarks.network` (500 stakeholders, 2,000 channels), `NETWORK_SEEDS` seeds a round:
  a 1.2 MB header (the scenario is embedded in every log), ~7,500 records.

Modes: `memory` (no log: the baseline), then one logged mode per `log_flush` value (`step`, as live runs write,
`block`, as `tabletop run --log` and batches do). Every mode keeps its records in memory, as `tabletop run --log`
does, so what a logged mode costs over `memory` is the log alone: encoding, hashing, writing, the final fsync.

Measured as process time (`time.process_time()`: the load of other processes does not count, the system calls of
this one do), each mode timed over the round's seeds, the modes interleaved round after round; each round gives
the ratio of a logged mode's time to `memory`'s in the same round (1.0: the log costs nothing). Printed and
returned: min / median / max of that ratio over the rounds, and the median records written a second. Each log goes
to a fresh file in a temporary folder, removed after its run (not timed).

Run against an engine without `log_flush` (before it existed), the one logged mode is called `record` (a flush per
record, as it was).
"""

from __future__ import annotations

import gc
import inspect
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.network import generate
from scenarios import load_scenario
from simulator import Exercise
from simulator.setup import Setup

ROUNDS = 7
SYNAGOGUE_SEEDS = 30
NETWORK_SEEDS = 2


def flush_modes() -> list[str]:
    """The engine's `log_flush` values, or `["record"]` for an engine that flushes each record."""
    if "log_flush" in inspect.signature(Exercise.__init__).parameters:
        return ["step", "block"]
    return ["record"]


def play(setup: Setup, seeds: range, folder: Path, mode: str) -> tuple[float, int]:
    """Play `seeds` in `mode` (`memory`, or a `log_flush` value); (process seconds, records made)."""
    records = 0
    seconds = 0.0
    options: dict[str, Any] = {} if mode in ("memory", "record") else {"log_flush": mode}
    for seed in seeds:
        log = None if mode == "memory" else folder / f"{mode}-{seed}.jsonl"
        start = time.process_time()
        exercise = Exercise(setup, seed, log=log, **options)
        records += exercise.run().records
        seconds += time.process_time() - start
        if log is not None:
            log.unlink()
    return seconds, records


def measure(name: str, setup: Setup, seeds: range, rounds: int) -> dict[str, Any]:
    """Interleaved rounds of every mode on one workload; the figures of each logged mode against `memory`."""
    modes = ["memory", *flush_modes()]
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    records: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for mode in modes:
            play(setup, range(seeds.start, seeds.start + 1), folder, mode)  # warm-up: samplers, the encoded scenario
        gc.collect()
        for _ in range(rounds):
            for mode in modes:
                seconds, made = play(setup, seeds, folder, mode)
                times[mode].append(seconds)
                records[mode] = made
    memory = times["memory"]
    runs = len(seeds)
    result: dict[str, Any] = {
        "runs_per_round": runs,
        "records_per_run": records["memory"] / runs,
        "memory_ms_per_run": statistics.median(memory) / runs * 1000,
        "logged": {},
    }
    for mode in modes[1:]:
        ratios = sorted(logged / base for logged, base in zip(times[mode], memory, strict=True))
        result["logged"][mode] = {
            "ms_per_run": statistics.median(times[mode]) / runs * 1000,
            "ratio_to_memory": {"min": ratios[0], "median": statistics.median(ratios), "max": ratios[-1]},
            "records_per_s": statistics.median(records[mode] / seconds for seconds in times[mode]),
        }
    print(f"### {name}: {runs} runs a round, {result['records_per_run']:,.0f} records a run, {rounds} rounds\n")
    print(f"in memory: {result['memory_ms_per_run']:.2f} ms a run\n")
    print("| log_flush | ms a run | logged / in memory (min / median / max) | records written a second |")
    print("|---|---:|---|---:|")
    for mode, figures in result["logged"].items():
        ratio = figures["ratio_to_memory"]
        print(
            f"| {mode} | {figures['ms_per_run']:.2f} | {ratio['min']:.2f} / **{ratio['median']:.2f}** / "
            f"{ratio['max']:.2f} | {figures['records_per_s']:,.0f} |"
        )
    print()
    return result


def main(rounds: int = ROUNDS) -> dict[str, Any]:
    """Measure both workloads; every figure printed, as JSON-ready data."""
    workloads: list[tuple[str, Callable[[], Setup], range]] = [
        ("synagogue", lambda: Setup.of(load_scenario("synagogue-holiday-attack")), range(1, 1 + SYNAGOGUE_SEEDS)),
        ("network", lambda: Setup.of(generate().scenario()), range(1, 1 + NETWORK_SEEDS)),
    ]
    results: dict[str, Any] = {"rounds": rounds, "modes": flush_modes()}
    for name, make, seeds in workloads:
        results[name] = measure(name, make(), seeds, rounds)
    return results


if __name__ == "__main__":
    main()
