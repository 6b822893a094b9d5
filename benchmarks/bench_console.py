"""The console's speed: how soon it shows its first frame, and what one update costs with 10,000 events in the feed.

Measured in one run, each next to a baseline measured the same way:

- **First frame, in process**: from opening the session (`open_session`: the bundled `synagogue-holiday-attack`
  scenario loaded, its run log opened) to the exercise screen mounted and drawn, `TabletopApp` headless under
  `run_test(size=(80, 24))`. The baseline is a bare Textual app with one `Static`, from its construction to its
  screen drawn. The modules are imported before either is timed. Target: under 1.5 s.
- **First frame, whole process**: from spawning `tabletop play synagogue-holiday-attack --log FILE` in a
  pseudo-terminal of 80x24 to the first output that shows `PAUSED` (the clock bar), imports and all. The baseline is
  a Python process running the same bare Textual app, until its `Static`'s text is drawn. Target: under 1.5 s.
- **One update with 10,000 events in the feed**: the feed is filled with `EventFeed.add` of 10,000 lines (the records
  of a whole headless run of the scenario, repeated with new sequence numbers), then the host is stepped (untimed)
  until about 20 new records have reached the console, and `ExerciseScreen.flush()` (feed, clock, decisions, network,
  MSEL and objectives refreshed) plus the drawing of the screen (`await pilot.pause(0)`: the messages it posted
  handled, the screen laid out and drawn) are timed, for each of 12 such updates in a row (through most of the
  two-hour run), in 3 fresh consoles. The baseline is the same updates, on the same records, with an empty feed.
  Target: under 50 ms.

Each figure is the median of its repetitions (`time.perf_counter`); a ratio is the console's time over its
baseline's (1.0: the console costs what a bare app costs).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from scenarios import load_scenario
from simulator import Exercise, ExerciseHost, Record
from tui.app import TabletopApp
from tui.screens.exercise import ExerciseScreen
from tui.session import Launch, open_session
from tui.widgets.feed import EventFeed, FeedLine, feed_line

SCENARIO = "synagogue-holiday-attack"
SEED = 1
SIZE = (80, 24)
"""The terminal's columns and rows."""
FEED_EVENTS = 10_000
UPDATE_RECORDS = 20
"""The host is stepped until at least this many records wait for the console's next update."""
TARGET_FIRST_FRAME_S = 1.5
TARGET_UPDATE_S = 0.050
NOW = datetime(2026, 12, 1, 10, 30)
BARE_TEXT = "A bare Textual app"
BARE_APP = f"""
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static({BARE_TEXT!r})

Bare().run()
"""
"""The bare Textual app as a program, for the whole-process baseline."""
PROCESS_TIMEOUT_S = 30.0


class BareApp(App[None]):
    """The in-process baseline: a Textual app with one `Static`."""

    def compose(self) -> ComposeResult:
        yield Static(BARE_TEXT)


async def _drawn(make_app: Callable[[], App[None]], shown: Callable[[App[None]], bool]) -> float:
    start = time.perf_counter()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        while not shown(app):
            await pilot.pause()
        await pilot.pause()  # draws the screen
        elapsed = time.perf_counter() - start
        if isinstance(app, TabletopApp) and app.session is not None:
            app.session.host.abandon()
    return elapsed


def console_first_frame_s(folder: Path, run: int) -> float:
    """Seconds from opening a session to the exercise screen drawn, headless."""

    def make() -> App[None]:
        return TabletopApp(session=open_session(Launch(SCENARIO, SEED, log=folder / f"frame-{run}.jsonl"), folder, NOW))

    return asyncio.run(_drawn(make, lambda app: isinstance(app.screen, ExerciseScreen) and app.screen.is_mounted))


def bare_first_frame_s() -> float:
    """Seconds from constructing the bare app to its screen drawn, headless."""
    return asyncio.run(_drawn(BareApp, lambda app: bool(app.screen.query(Static))))


def process_first_frame_s(command: list[str], marker: str, cwd: Path) -> float:
    """Seconds from spawning `command` in an 80x24 pseudo-terminal to the first output that shows `marker`.

    The process is stopped then (SIGTERM, then SIGKILL if it lingers).

    Raises:
        RuntimeError: it ended, or PROCESS_TIMEOUT_S passed, before showing `marker`.
    """
    columns, rows = SIZE
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") and not k.startswith("TEXTUAL")}
    environment["TERM"] = "xterm-256color"
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=environment, start_new_session=True
    )
    os.close(follower)
    shown = b""
    try:
        while marker.encode() not in shown:
            if time.perf_counter() - start > PROCESS_TIMEOUT_S:
                raise RuntimeError(f"{command[0]} showed no {marker!r} in {PROCESS_TIMEOUT_S:.0f} s")
            if select.select([leader], [], [], 0.1)[0]:
                try:
                    chunk = os.read(leader, 1 << 16)
                except OSError:  # EIO: every end of the terminal was closed
                    chunk = b""
                if not chunk:
                    tail = shown[-2000:].decode(errors="replace")
                    raise RuntimeError(f"{command[0]} ended before showing {marker!r}; its last output:\n{tail}")
                shown += chunk
        return time.perf_counter() - start
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(leader)


def filler_lines(count: int) -> list[FeedLine]:
    """`count` feed lines: a headless run's records as the facilitator's feed shows them, repeated, renumbered."""
    scenario = load_scenario(SCENARIO)
    exercise = Exercise(scenario, SEED)
    names = ExerciseHost(exercise).catalogue().names
    exercise.run()
    texts = {i.id: i.text for i in scenario.injects}
    lines = [feed_line(record, names, texts) for record in exercise.records]
    return [replace(lines[seq % len(lines)], seq=seq) for seq in range(count)]


async def _update_times(log: Path, filler: list[FeedLine], updates: int) -> tuple[list[float], list[int]]:
    session = open_session(Launch(SCENARIO, SEED, log=log), log.parent, NOW)
    app = TabletopApp(session=session)
    times: list[float] = []
    sizes: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        feed = screen.query_one(EventFeed)
        feed.add(filler)
        await pilot.pause()
        feed.scroll_end(animate=False)  # the facilitator reads the newest lines
        await pilot.pause()
        arrived: list[Record] = []
        session.host.subscribe(arrived.append, seat=session.seat)  # counts what the console's subscription gets
        for update in range(updates + 1):  # the first one warms up
            arrived.clear()
            while len(arrived) < UPDATE_RECORDS and session.host.step():
                pass
            if len(arrived) < UPDATE_RECORDS:
                raise RuntimeError(f"the run ended after {update} updates; ask for fewer")
            start = time.perf_counter()
            screen.flush()
            # Every message the update posted handled, then the screen laid out and drawn. (`pause()` without a
            # delay would also wait for the process to look idle, in sleeps of 20 ms: mostly sleep, not work.)
            await pilot.pause(0)
            if update:
                times.append(time.perf_counter() - start)
                sizes.append(len(arrived))
        session.host.abandon()
    return times, sizes


def update_times(log: Path, filler: list[FeedLine], updates: int) -> tuple[list[float], list[int]]:
    """The time of each of `updates` updates of about 20 records with `filler` in the feed, and their records.

    The console's run log is written to `log`.
    """
    return asyncio.run(_update_times(log, filler, updates))


def main(repeat: int = 5, updates: int = 12, rounds: int = 3) -> dict[str, Any]:
    """Time the console and its baselines, print a markdown table, and return the medians (seconds) and ratios."""
    tabletop = Path(sys.executable).with_name("tabletop")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        console = statistics.median(console_first_frame_s(folder, run) for run in range(repeat))
        bare = statistics.median(bare_first_frame_s() for _ in range(repeat))
        play = [str(tabletop), "play", SCENARIO, "--seed", str(SEED)]
        process = statistics.median(
            process_first_frame_s([*play, "--log", f"process-{run}.jsonl"], "PAUSED", folder) for run in range(repeat)
        )
        bare_process = statistics.median(
            process_first_frame_s([sys.executable, "-c", BARE_APP], BARE_TEXT, folder) for _ in range(repeat)
        )
        filler = filler_lines(FEED_EVENTS)
        loaded_times: list[float] = []
        empty_times: list[float] = []
        sizes: list[int] = []
        sides = [(filler, loaded_times), ([], empty_times)]
        for run in range(rounds):
            for lines, times in sides if run % 2 == 0 else reversed(sides):  # neither side always runs first
                measured, batch = update_times(folder / f"update-{run}-{len(lines)}.jsonl", lines, updates)
                times.extend(measured)
                sizes.extend(batch)
    loaded, empty = statistics.median(loaded_times), statistics.median(empty_times)
    rows = [
        ("first frame, in process", console, "bare Textual app", bare, TARGET_FIRST_FRAME_S),
        (
            "first frame, `tabletop play` process",
            process,
            "bare Textual app process",
            bare_process,
            TARGET_FIRST_FRAME_S,
        ),
        (f"update, {FEED_EVENTS:,} events in the feed", loaded, "update, empty feed", empty, TARGET_UPDATE_S),
    ]
    print(f"Terminal {SIZE[0]}x{SIZE[1]}; medians of {repeat} starts and of {rounds}x{updates} updates")
    print(f"({min(sizes)} to {max(sizes)} records per update, the same on both sides).\n")
    print("| measure | console (ms) | baseline | baseline (ms) | ratio | target (ms) |")
    print("|---|---:|---|---:|---:|---:|")
    for measure, seconds, baseline, baseline_s, target in rows:
        print(
            f"| {measure} | {seconds * 1000:,.1f} | {baseline} | {baseline_s * 1000:,.1f} | "
            f"{seconds / baseline_s:.2f} | < {target * 1000:,.0f} |"
        )
    print()
    for measure, seconds, _, _, target in rows:
        verdict = "meets" if seconds < target else "MISSES"
        print(f"- {measure}: {seconds * 1000:,.1f} ms {verdict} the target of {target * 1000:,.0f} ms")
    return {
        "first_frame_s": console,
        "bare_first_frame_s": bare,
        "first_frame_ratio": console / bare,
        "process_first_frame_s": process,
        "bare_process_first_frame_s": bare_process,
        "process_first_frame_ratio": process / bare_process,
        "update_s": loaded,
        "empty_update_s": empty,
        "update_ratio": loaded / empty,
        "targets_s": {"first_frame": TARGET_FIRST_FRAME_S, "update": TARGET_UPDATE_S},
        "meets_targets": all(seconds < target for _, seconds, _, _, target in rows),
    }


if __name__ == "__main__":
    main()
