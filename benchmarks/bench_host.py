"""The live host's overhead: records per second through an `ExerciseHost` with three subscribed seats.

Both sides play the bundled `synagogue-holiday-attack` scenario on the same seeds, in memory, in one process:

- the bare engine: `Exercise(setup, seed).run()`;
- the host: `ExerciseHost` over the same exercise, the clock resumed at `max` speed and ticked until the end, with
  three subscriptions (the facilitator, the police control room and community security), each appending what it
  receives to a list, as a console's feed does; every record is filtered by its audience for the two participants.

The ratio is the host's records per second over the bare engine's (1.0: the host costs nothing); the target is 0.8
or more. Times are the best of `repeat` repetitions (`time.perf_counter`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from scenarios import load_scenario
from simulator import Exercise, ExerciseHost, Record
from simulator.setup import Setup

TARGET_RATIO = 0.8
"""The host's records per second over the bare engine's should be at least this."""
SEATS = ("facilitator", "police-control-110", "community-security")
"""The seats subscribed in the host's runs."""


def bare(setup: Setup, seeds: Sequence[int]) -> int:
    """Play each seed with the bare engine; returns the records made."""
    records = 0
    for seed in seeds:
        exercise = Exercise(setup, seed)
        exercise.run()
        records += len(exercise.records)
    return records


def hosted(setup: Setup, seeds: Sequence[int]) -> int:
    """Play each seed through a host with three subscribed seats; returns the records made (as the bare run)."""
    records = 0
    for seed in seeds:
        # Nobody decides here, so the host must not pause for the decisions (its default in a live exercise): they
        # take their defaults at their deadlines, as in the bare run.
        host = ExerciseHost(Exercise(setup, seed), pause_on_decision=False)
        feeds: list[list[Record]] = [[] for _ in SEATS]
        for seat, feed in zip(SEATS, feeds, strict=True):
            host.subscribe(feed.append, seat)
        host.set_speed("max")
        host.run_clock()
        while host.clock().next_event_t is not None:
            host.tick(1.0)
        host.finish()
        # The two commands that set the clock add their records; count only what the bare run also makes.
        records += len(host.exercise.records) - 4
    return records


def best_of(repeat: int, batch: Callable[[], int]) -> tuple[float, int]:
    """The best time of `repeat` runs of `batch`, and what it counted."""
    best, counted = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        counted = batch()
        best = min(best, time.perf_counter() - start)
    return best, counted


def main(seeds: int = 200, repeat: int = 5) -> dict[str, float | bool]:
    """Time both sides, print a markdown table, and return the numbers."""
    setup = Setup.of(load_scenario("synagogue-holiday-attack"), source="synagogue-holiday-attack")
    chosen = range(seeds)
    bare_s, bare_records = best_of(repeat, lambda: bare(setup, chosen))
    host_s, host_records = best_of(repeat, lambda: hosted(setup, chosen))
    assert host_records == bare_records, "the host's runs made other records than the bare engine's"
    ratio = (host_records / host_s) / (bare_records / bare_s)
    print("| model | runs | records/s | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| bare engine | {seeds} | {bare_records / bare_s:,.0f} | |")
    print(f"| host, {len(SEATS)} seats subscribed | {seeds} | {host_records / host_s:,.0f} | {ratio:.2f} |")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"\n- ratio {ratio:.2f} {verdict} the target of {TARGET_RATIO}")
    return {
        "bare_records_per_s": bare_records / bare_s,
        "host_records_per_s": host_records / host_s,
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
    }


if __name__ == "__main__":
    main()
