"""Helpers for driving the console in tests: open an exercise in a folder and run the app headless."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from simulator import ExerciseHost
from simulator.analysis.replay import verify
from tui.app import TabletopApp
from tui.screens.exercise import ExerciseScreen
from tui.session import Launch, Session, open_session

NOW = datetime(2026, 12, 1, 10, 30)
"""The local time the tests' consoles are opened at (it names the default run log)."""
SMALL = (80, 24)
LARGE = (160, 48)

Flow = Callable[[TabletopApp, Pilot[None]], Awaitable[None]]


def session_in(
    folder: Path,
    *,
    seed: int = 1,
    seat: str = "facilitator",
    pause_on_decision: bool = True,
    resume: Path | None = None,
) -> Session:
    """Open the bundled default scenario (or resume a log) with its run log written in `folder`."""
    launch = Launch(seed=seed, seat=seat, pause_on_decision=pause_on_decision, resume=resume)
    return open_session(launch, folder, NOW)


def run_app(app: TabletopApp, flow: Flow, size: tuple[int, int] = SMALL) -> None:
    """Run `app` headless at `size` and drive it with `flow`; then check that the run log it wrote verifies."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await flow(app, pilot)
        if app.session is not None:
            app.session.host.abandon()
            report = verify(app.session.log)
            assert report.ok, f"{app.session.log} does not replay exactly: {report}"

    asyncio.run(main())


def host_of(app: TabletopApp) -> ExerciseHost:
    """The in-process host behind the console (tests look behind the protocol to check the run itself)."""
    assert app.session is not None
    host = app.session.host
    assert isinstance(host, ExerciseHost)
    return host


def exercise_screen(app: TabletopApp) -> ExerciseScreen:
    """The exercise screen, wherever it is in the stack."""
    return next(s for s in app.screen_stack if isinstance(s, ExerciseScreen))


def static_text(widget: Static) -> str:
    """What a Static shows, as plain text (Rich tables and groups included), at a width of 200 columns."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text().rstrip("\n")
