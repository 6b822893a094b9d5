"""The replay screen on a ~108,000-record log: how soon it is drawn, and what one scrub step costs, next to baselines.

Measured in one run, each next to a baseline measured the same way:

- **Open**: from `ReplayScreen.open` of the log (every record read and checked, its scenario loaded, a re-simulation
  made ready at T0) to the screen drawn, `TabletopApp(opening=...)` headless under `run_test(size=(80, 24))`. The
  baselines are a bare Textual app drawing one `Static` (from its construction to its screen drawn), and
  `read_tabletop_log` of the same file (reading and checking it, nothing shown). Target: under 2 s.
- **A scrub step**: with the replay standing two thirds into the run, the action of the right arrow (the next event:
  the live re-simulation moves on, every panel rendered again, a few feed lines added) and of the left arrow after
  those (the previous event: its frame is kept), each until drawn (`await pilot.pause(0)`, as bench_console times an
  update), the median of 20; the baseline is updating the bare app's `Static` until drawn. Target: under 50 ms.
  Also the same steps as key presses through `Pilot.press` (whose own overhead the bare app's key press shows), a
  jump two thirds in and to the end (the feed filled with every line up to there), and the first step back after
  the jump, which plays the run again from T0 and keeps the frames of the 256 points before (amortised over the
  steps back it then serves).

The big log is made as benchmarks/bench_analysis.py makes it (its `write_big_log`: the synagogue scenario run for
30 days with busier control rooms). Each figure's ratio is the replay screen's time over its baseline's.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from benchmarks.bench_analysis import write_big_log
from simulator.logcheck import read_tabletop_log
from tui.app import TabletopApp
from tui.screens.replay import ReplayScreen

SIZE = (80, 24)
STEPS = 20
"""How many key presses each step figure is the median of."""


class BareApp(App[None]):
    """The baseline: one Static, one key binding nobody uses."""

    def compose(self) -> ComposeResult:
        yield Static("Tabletop")


async def bare_app() -> tuple[float, float, float]:
    """Seconds from constructing the bare app to its first frame; the medians of a key press until drawn, and of an
    update of its Static until drawn."""
    start = time.perf_counter()
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        opened = time.perf_counter() - start
        presses = [await press(pilot, "right") for _ in range(STEPS)]
        static = app.query_one(Static)
        updates = []
        for i in range(STEPS):
            began = time.perf_counter()
            static.update(f"Tabletop {i}")
            await pilot.pause(0)
            updates.append(time.perf_counter() - began)
    return opened, statistics.median(presses), statistics.median(updates)


async def step(pilot: Any, screen: ReplayScreen, direction: int) -> float:
    """Seconds from a step (the action the arrow keys run) to the screen drawn again (as bench_console times)."""
    began = time.perf_counter()
    screen.action_step(direction)
    await pilot.pause(0)
    return time.perf_counter() - began


async def press(pilot: Any, key: str) -> float:
    """Seconds from a key press to the screen drawn again."""
    began = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    return time.perf_counter() - began


async def replay_screen(log: Path) -> dict[str, float]:
    """The replay screen's figures on `log`."""
    start = time.perf_counter()
    screen = ReplayScreen.open(log)
    app = TabletopApp(opening=lambda: screen)
    figures: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        figures["open_s"] = time.perf_counter() - start
        began = time.perf_counter()
        screen.seek(screen.replay.end * 2 / 3)  # untimed in the steps: a jump two thirds in (the feed filled)
        await pilot.pause()
        figures["jump_two_thirds_s"] = time.perf_counter() - began
        figures["forward_s"] = statistics.median([await step(pilot, screen, 1) for _ in range(STEPS)])
        figures["back_s"] = statistics.median([await step(pilot, screen, -1) for _ in range(STEPS)])
        figures["forward_key_s"] = statistics.median([await press(pilot, "right") for _ in range(STEPS)])
        figures["back_key_s"] = statistics.median([await press(pilot, "left") for _ in range(STEPS)])
        figures["end_s"] = await press(pilot, "end")
        figures["back_past_window_s"] = await press(pilot, "left")
        figures["back_after_that_s"] = statistics.median([await step(pilot, screen, -1) for _ in range(STEPS)])
    figures["records"] = float(screen.replay.log.record_count)
    return figures


def main() -> dict[str, Any]:
    """Make the big log, measure, print a markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        log = write_big_log(Path(tmp))
        bare_open, bare_press, bare_update = asyncio.run(bare_app())
        began = time.perf_counter()
        read_tabletop_log(log)
        read_s = time.perf_counter() - began
        figures = asyncio.run(replay_screen(log))
    records = int(figures["records"])
    print(f"| replay screen, a log of {records:,} records | ms | baseline (ms) | ratio | target |")
    print("|---|---:|---:|---:|---|")
    rows = [
        ("open until drawn", figures["open_s"], bare_open, "bare app drawn", "< 2 s"),
        ("open until drawn", figures["open_s"], read_s, "`read_tabletop_log`", "< 2 s"),
        ("step forward (the right arrow's action)", figures["forward_s"], bare_update, "bare update", "< 50 ms"),
        ("step back, frame kept (the left arrow's)", figures["back_s"], bare_update, "bare update", "< 50 ms"),
        ("right arrow pressed (Pilot.press)", figures["forward_key_s"], bare_press, "bare key press", ""),
        ("left arrow pressed (Pilot.press)", figures["back_key_s"], bare_press, "bare key press", ""),
        ("jump two thirds in (seek; feed of ~70,000 lines)", figures["jump_two_thirds_s"], bare_update, "bare", ""),
        ("jump to the end (end key)", figures["end_s"], bare_press, "bare key press", ""),
        ("first step back after the jump (replays from T0)", figures["back_past_window_s"], bare_press, "bare", ""),
        ("steps back after that (action)", figures["back_after_that_s"], bare_update, "bare update", "< 50 ms"),
    ]
    for label, seconds, baseline, name, target in rows:
        ratio = seconds / baseline if baseline else float("nan")
        print(f"| {label} | {seconds * 1000:,.1f} | {baseline * 1000:,.1f} ({name}) | {ratio:,.1f} | {target} |")
    print()
    return {
        **figures,
        "ratios": [
            {"measure": label, "baseline": name, "ratio": seconds / baseline if baseline else None, "target": target}
            for label, seconds, baseline, name, target in rows
        ],
        "bare_open_s": bare_open,
        "bare_press_s": bare_press,
        "bare_update_s": bare_update,
        "read_s": read_s,
    }


if __name__ == "__main__":
    main()
