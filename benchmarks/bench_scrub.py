"""Scrubbing a ~108,000-record log (`simulator.analysis.scrub.LogReplay`): opening it and one step, next to baselines.

Measured in one run, each next to its baseline:

- **Open**: `LogReplay.open` of the log (every record read and checked, the scenario loaded, a re-simulation made
  ready at T0) and its first frame, next to `read_tabletop_log` of the same file. Target (the replay screen's): under
  2 s.
- **A step**: from a point in the last third of the run, the frame of the next point (the live re-simulation moves
  on), of the previous point (kept in the window of frames a backward seek leaves), and of a point before that
  window (the run is played again from T0). The baseline is computing the same views (clock, open decisions,
  network, MSEL, scoreboard, inbox) on a live `ExerciseHost` at the same moment. Target: under 50 ms for a step
  forward and a step back within the window; a step back past the window replays the run and is amortised over the
  `WINDOW` steps the window then serves. Also: a jump from T0 to the end (the whole run played on), and a
  participant's records up to a frame (the feed of the role view: picked out of the log the first time a seat
  asks, then a slice).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_analysis import write_big_log
from simulator import ExerciseHost
from simulator.analysis.scrub import WINDOW, LogReplay
from simulator.logcheck import read_tabletop_log
from simulator.resume import resimulate, scenario_of

STEPS = 20
"""How many steps each step figure is the mean of."""


def timed(job: Callable[[], object]) -> float:
    """Seconds `job` takes."""
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def mean(job: Callable[[int], object], steps: range) -> float:
    """The mean of the seconds `job(i)` takes, for each `i` of `steps`."""
    total = 0.0
    for i in steps:
        start = time.perf_counter()
        job(i)
        total += time.perf_counter() - start
    return total / len(steps)


def host_views(host: ExerciseHost) -> None:
    """Every view a frame holds, computed on a live host (the baseline of a step)."""
    host.clock()
    host.pending_decisions()
    host.network()
    host.msel()
    host.scoreboard()
    host.inbox()


def live_host_at(log_path: Path, t: float) -> ExerciseHost:
    """A host of the logged run at `t` (re-simulated to there)."""
    log = read_tabletop_log(log_path)
    scenario, _notes = scenario_of(log)
    exercise = resimulate(log, scenario, keep_records=False)
    exercise.advance_to(t)
    return ExerciseHost(exercise)


def measure(log_path: Path) -> dict[str, Any]:
    """Every figure, for one log."""
    read_s = timed(lambda: read_tabletop_log(log_path))
    start = time.perf_counter()
    replay = LogReplay.open(log_path)
    open_s = time.perf_counter() - start
    replay.frame(0.0)
    open_frame_s = time.perf_counter() - start
    records = replay.log.record_count
    points = replay.points
    at = len(points) * 2 // 3
    to_end_s = timed(lambda: replay.frame(replay.end))  # the whole run played on from T0
    replay.frame(points[at])
    forward_s = mean(lambda i: replay.frame(points[at + i]), range(1, STEPS + 1))
    behind = max(
        at - 2 * WINDOW, STEPS + 1
    )  # no frame kept there: played again from T0, the window's frames kept on the way
    back_past_s = timed(lambda: replay.frame(points[behind]))
    back_s = mean(lambda i: replay.frame(points[behind - i]), range(1, STEPS + 1))
    upto = replay.frame(points[behind]).records
    participant = replay.scenario.stakeholders[0].id
    first_feed_s = timed(lambda: replay.records(upto, participant))  # the seat's records are picked out once
    feed_s = mean(lambda i: replay.records(upto - i, participant), range(STEPS))
    replay.close()
    host = live_host_at(log_path, points[at])
    host_s = mean(lambda _: host_views(host), range(STEPS))
    host.abandon()
    return {
        "records": records,
        "points": len(points),
        "read_s": read_s,
        "open_s": open_s,
        "open_frame_s": open_frame_s,
        "to_end_s": to_end_s,
        "forward_s": forward_s,
        "back_in_window_s": back_s,
        "back_past_window_s": back_past_s,
        "host_views_s": host_s,
        "first_feed_s": first_feed_s,
        "feed_s": feed_s,
    }


def main() -> dict[str, Any]:
    """Write the big log, measure, print a markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(write_big_log(Path(tmp)))
    read, host = figures["read_s"], figures["host_views_s"]
    print(f"a log of {figures['records']:,} records, {figures['points']:,} points; window {WINDOW} points\n")
    print("| scrubbing | time | ratio to baseline | target |")
    print("|---|---:|---:|---|")
    print(f"| baseline: `read_tabletop_log` | {read:.2f} s | 1.00 | |")
    print(f"| `LogReplay.open` | {figures['open_s']:.2f} s | {figures['open_s'] / read:.2f} | |")
    print(
        f"| open and the first frame | {figures['open_frame_s']:.2f} s | {figures['open_frame_s'] / read:.2f} | < 2 s |"
    )
    print(f"| baseline: the views on a live host | {host * 1000:.2f} ms | 1.00 | |")
    for key, label, target in (
        ("to_end_s", "a jump from T0 to the end (plays the whole run)", ""),
        ("forward_s", "a step forward", "< 50 ms"),
        ("back_in_window_s", "a step back within the window", "< 50 ms"),
        ("back_past_window_s", "a step back past the window (replays from T0)", ""),
        ("first_feed_s", "a participant's records, the first time", ""),
        ("feed_s", "a participant's records, then", "< 50 ms"),
    ):
        print(f"| {label} | {figures[key] * 1000:.2f} ms | {figures[key] / host:.2f} | {target} |")
    print()
    ratios = {key: figures[key] / read for key in ("open_s", "open_frame_s")}
    ratios.update(
        {
            key: figures[key] / host
            for key in ("to_end_s", "forward_s", "back_in_window_s", "back_past_window_s", "first_feed_s", "feed_s")
        }
    )
    return {**figures, "ratios": ratios}


if __name__ == "__main__":
    main()
