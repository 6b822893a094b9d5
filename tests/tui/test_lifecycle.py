"""The console's life: the start screen, the debrief, quitting, and resuming after the console was killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Select, Static

from simulator.analysis.replay import verify
from simulator.runlog import read_run_log
from tests.tui.console import NOW, host_of, run_app, session_in, static_text
from tui.app import TabletopApp
from tui.dialogs.confirm import ConfirmQuit
from tui.screens.debrief import DebriefScreen
from tui.screens.exercise import ExerciseScreen
from tui.screens.start import StartScreen
from tui.session import Launch


def test_the_start_screen_describes_the_scenario_and_starts_the_exercise_chosen(tmp_path: Path) -> None:
    seen: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        seen["description"] = static_text(screen.query_one("#start-description", Static))
        seen["log"] = screen.query_one("#start-log", Input).value
        screen.query_one("#start-seed", Input).value = "7"
        screen.query_one("#start-variant", Select).value = "direct-radio"
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["screen"] = type(app.screen).__name__

    app = TabletopApp(folder=tmp_path, now=lambda: NOW)
    run_app(app, flow)

    assert "Learning objectives" in seen["description"] and "Decisions" in seen["description"]
    assert seen["log"] == "2026-12-01-1030-synagogue-holiday-attack.jsonl"
    assert seen["screen"] == "ExerciseScreen"
    header = read_run_log(tmp_path / seen["log"]).header
    assert (header["seed"], header["variant"]) == (7, "direct-radio")


def test_the_start_screen_lists_the_scenario_files_of_the_folder_and_shows_their_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("schema_version: 2\nid: Not An Id\n", encoding="utf-8")
    seen: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        options = screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        seen["labels"] = "|".join(labels)
        options.highlighted = labels.index("broken.yaml")
        await pilot.pause()
        seen["description"] = static_text(screen.query_one("#start-description", Static))
        screen.query_one("#start-button", Button).press()
        await pilot.pause()
        seen["error"] = static_text(screen.query_one("#start-error", Static))
        seen["screen"] = type(app.screen).__name__

    run_app(TabletopApp(folder=tmp_path, now=lambda: NOW), flow)

    assert "synagogue-holiday-attack (bundled)" in seen["labels"] and "broken.yaml" in seen["labels"]
    assert "broken.yaml:" in seen["description"]  # located errors, as the loader gives them
    assert "fix the file first" in seen["error"]
    assert seen["screen"] == "StartScreen"
    assert not list(tmp_path.glob("*.jsonl"))  # nothing was started, no log written


def test_ending_the_exercise_seals_its_log_and_shows_the_debrief(tmp_path: Path) -> None:
    seen: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        for _ in range(12):
            await pilot.press("n")
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        seen["body"] = static_text(screen.query_one("#debrief-body", Static))
        await pilot.press("escape")
        await pilot.pause()
        seen["back"] = type(app.screen).__name__

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    for part in ("Objectives", "Milestones", "Decisions taken", "Timeline", "Harm"):
        assert part in seen["body"]
    assert seen["back"] == "ExerciseScreen"
    assert read_run_log(session.log).seal is not None
    assert verify(session.log).ok


def test_quitting_a_running_exercise_asks_first_and_staying_keeps_it_running(tmp_path: Path) -> None:
    seen: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+q")
        await pilot.pause()
        seen.append(type(app.screen).__name__)
        await pilot.press("escape")
        await pilot.pause()
        seen.append(type(app.screen).__name__)
        await pilot.press("ctrl+q")
        await pilot.pause()
        app.screen.query_one("#leave", Button).press()
        await pilot.pause()

    session = session_in(tmp_path)
    app = TabletopApp(session=session)
    run_app(app, flow)

    assert seen == [ConfirmQuit.__name__, ExerciseScreen.__name__]
    assert read_run_log(session.log).seal is None  # left to be resumed
    assert verify(session.log).ok


def test_finish_and_quit_seals_the_log(tmp_path: Path) -> None:
    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "n", "ctrl+q")
        await pilot.pause()
        app.screen.query_one("#finish", Button).press()
        await pilot.pause()

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    assert read_run_log(session.log).seal is not None
    assert verify(session.log).ok


CHILD = """
import asyncio, sys
from pathlib import Path
from tests.tui.console import session_in
from tui.app import TabletopApp

async def main() -> None:
    session = session_in(Path(sys.argv[1]), pause_on_decision=False)
    app = TabletopApp(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "space")
        while session.host.clock().now < 600:
            await pilot.pause(0.05)
        Path(sys.argv[1], "ready").write_text(str(session.log))
        await asyncio.sleep(600)

asyncio.run(main())
"""


def test_an_exercise_killed_mid_run_is_resumed_from_its_log(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], cwd=Path(__file__).parents[2])
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "ready").exists():
            assert child.poll() is None, "the console died before it was killed"
            assert time.monotonic() < deadline, "the console did not reach 10 minutes of exercise time"
            time.sleep(0.05)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
    log = Path((tmp_path / "ready").read_text())
    before = read_run_log(log).records
    seen: list[float] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        seen.append(host.clock().now)
        notes = [n.message for n in app._notifications]
        assert any("Resumed" in n for n in notes)
        await pilot.press("4")
        # The clock ticks on a timer: on a loaded machine its first tick may come later than 0.3 s.
        for _ in range(50):
            await pilot.pause(0.1)
            if host.clock().now > seen[0]:
                break
        seen.append(host.clock().now)
        await pilot.press("e")
        await pilot.pause()

    session = session_in(tmp_path, resume=log)
    run_app(TabletopApp(session=session), flow)

    resumed_at, later = seen
    assert resumed_at >= before[-1]["t"]  # the clock comes back where the log left it
    assert later > resumed_at  # and runs on (it was running when the console was killed)
    after = read_run_log(log)
    assert after.records[: len(before)] == before  # nothing the killed console wrote was lost or changed
    assert after.seal is not None
    assert verify(log).ok
    assert Launch(resume=log).resume == log
