"""How soon the compare screen is drawn on 10 run logs, next to the analysis alone and a bare Textual app.

Measured in one run, each next to baselines measured the same way:

- **Compare screen on 10 runs**: from `CompareScreen.open(paths)` (the 10 logs read and aligned) to the screen
  mounted and drawn, `TabletopApp(opening=...)` headless under `run_test(size=(80, 24))`. The logs are 10 runs of the
  bundled `synagogue-holiday-attack` (seeds 0-9, every third one of a variant, as rounds of an exercise are).
  Target: under 1 s.
- **Baseline, the analysis alone**: `compare(paths)` on the same logs (what `tabletop compare` computes before it
  prints).
- **Baseline, a bare Textual app**: a Textual app with one `Static`, from its construction to its screen drawn.
- **A chain selected**: Enter on a milestone row until the chains of the 10 runs are drawn, the first time (the
  logs' message records are read then); next to the same for a second milestone (the records already read).

Each figure is the median of its repetitions (`time.perf_counter`); a ratio is the screen's time over a baseline's.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

from scenarios import load_scenario
from simulator import Exercise
from simulator.analysis.compare import compare
from tui.app import TabletopApp
from tui.screens.compare import CompareScreen

SCENARIO = "synagogue-holiday-attack"
RUNS = 10
SIZE = (80, 24)
TARGET_OPEN_S = 1.0


class BareApp(App[None]):
    """The baseline: a Textual app with one `Static`."""

    def compose(self) -> ComposeResult:
        yield Static("A bare Textual app")


def write_logs(folder: Path) -> list[Path]:
    """`RUNS` sealed run logs of the bundled scenario: seeds 0..RUNS-1, every third one of a variant."""
    scenario = load_scenario(SCENARIO)
    variants = [None, *(v.id for v in scenario.variants)]
    paths = []
    for seed in range(RUNS):
        path = folder / f"round-{seed}.jsonl"
        Exercise(scenario, seed, variants[1] if seed % 3 == 2 else None, log=path).run()
        paths.append(path)
    return paths


async def _drawn(make: Callable[[], App[None]], shown: Callable[[App[None]], bool]) -> float:
    start = time.perf_counter()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        while not shown(app):
            await pilot.pause()
        await pilot.pause()  # draws the screen
        return time.perf_counter() - start


def screen_open_s(paths: list[Path]) -> float:
    """Seconds from reading the logs to the compare screen drawn."""

    def shown(app: App[None]) -> bool:
        return isinstance(app.screen, CompareScreen) and app.screen.query_one(DataTable).row_count > 0

    return asyncio.run(_drawn(lambda: TabletopApp(opening=lambda: CompareScreen.open(paths)), shown))


def analysis_s(paths: list[Path]) -> float:
    start = time.perf_counter()
    compare(paths)
    return time.perf_counter() - start


def bare_s() -> float:
    return asyncio.run(_drawn(BareApp, lambda app: bool(app.screen.query(Static))))


def chain_s(paths: list[Path]) -> tuple[float, float]:
    """Seconds to show the chains of a first milestone (the message records read) and of a second one."""

    async def run() -> tuple[float, float]:
        app = TabletopApp(opening=lambda: CompareScreen.open(paths))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            times = []
            for row in (1, 4):
                table = app.screen.query_one(DataTable)
                table.move_cursor(row=row)
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("enter")
                await pilot.pause()
                times.append(time.perf_counter() - start)
            return times[0], times[1]

    return asyncio.run(run())


def main(repeat: int = 5) -> dict[str, float]:
    """Time the compare screen and its baselines, print a markdown table, and return the medians and ratios."""
    with tempfile.TemporaryDirectory() as name:
        paths = write_logs(Path(name))
        screen_open_s(paths)  # warm: imports, the first CSS parse
        opened = statistics.median(screen_open_s(paths) for _ in range(repeat))
        analysis = statistics.median(analysis_s(paths) for _ in range(repeat))
        bare = statistics.median(bare_s() for _ in range(repeat))
        chains = [chain_s(paths) for _ in range(repeat)]
        first_chain = statistics.median(c[0] for c in chains)
        next_chain = statistics.median(c[1] for c in chains)
    print(f"{RUNS} run logs of {SCENARIO}; terminal {SIZE[0]}x{SIZE[1]}; medians of {repeat}.\n")
    print("| measure | seconds (ms) | ratio |")
    print("|---|---:|---:|")
    print(f"| compare screen open and drawn | {opened * 1000:,.1f} | |")
    print(f"| baseline: `compare(paths)` alone | {analysis * 1000:,.1f} | {opened / analysis:.2f} |")
    print(f"| baseline: bare Textual app drawn | {bare * 1000:,.1f} | {opened / bare:.2f} |")
    print(f"| first chain shown (message records read) | {first_chain * 1000:,.1f} | |")
    print(f"| next chain shown | {next_chain * 1000:,.1f} | {first_chain / next_chain:.2f} |")
    verdict = "meets" if opened < TARGET_OPEN_S else "MISSES"
    print(f"\n- compare screen on {RUNS} runs: {opened * 1000:,.1f} ms {verdict} the target of 1,000 ms")
    return {
        "open_s": opened,
        "analysis_s": analysis,
        "bare_s": bare,
        "open_over_analysis": opened / analysis,
        "open_over_bare": opened / bare,
        "first_chain_s": first_chain,
        "next_chain_s": next_chain,
        "first_over_next_chain": first_chain / next_chain,
        "target_open_s": TARGET_OPEN_S,
        "meets_target": opened < TARGET_OPEN_S,
    }


if __name__ == "__main__":
    main()
