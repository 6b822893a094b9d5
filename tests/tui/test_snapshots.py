"""SVG snapshots of every screen and dialog at 80x24 and 160x48 (`pytest --snapshot-update` after a deliberate change).

Look at a changed snapshot before accepting it: `tests/tui/__snapshots__/` holds what a person saw and approved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from simulator.analysis.replay import verify
from tests.tui.console import LARGE, NOW, SMALL, session_in
from tui.app import TabletopApp
from tui.session import Session

Compare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Work in an empty folder, as a facilitator would in their exercise folder; close the exercises opened there."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    for session in OPENED:
        session.host.abandon()
        assert verify(session.log).ok
    OPENED.clear()


OPENED: list[Session] = []


def console(folder: Path, seat: str = "facilitator") -> TabletopApp:
    """The console on a new exercise of the default scenario (closed when the test ends)."""
    session = session_in(folder, seat=seat)
    OPENED.append(session)
    return TabletopApp(session=session)


def stepped(times: int) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Press n `times` (the clock stays paused, so the screen does not move while it is taken)."""

    async def run(pilot: Pilot[None]) -> None:
        for _ in range(times):
            await pilot.press("n")
        await pilot.pause()
        pilot.app.clear_notifications()  # the toasts have their own tests; here they would hide the panel
        await pilot.pause()

    return run


def on_tab(tab: str, times: int = 12) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run(pilot: Pilot[None]) -> None:
        await stepped(times)(pilot)
        pilot.app.screen.query_one(TabbedContent).active = tab
        await pilot.pause()

    return run


@SIZES
def test_the_start_screen(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    assert snap_compare(TabletopApp(folder=here, now=lambda: NOW), terminal_size=size)


@SIZES
def test_the_exercise_screen_s_feed(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, run_before=stepped(12))


@SIZES
def test_the_msel_panel(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, run_before=on_tab("tab-msel"))


@SIZES
def test_the_network_panel(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, run_before=on_tab("tab-network"))


@SIZES
def test_the_objectives_panel(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, run_before=on_tab("tab-objectives", 40))


@SIZES
def test_a_participant_s_console(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here, seat="police-control-110")

    async def run(pilot: Pilot[None]) -> None:
        host = pilot.app.session.host  # type: ignore[attr-defined]
        for _ in range(40):
            host.step()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_the_decision_prompt(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)

    async def run(pilot: Pilot[None]) -> None:
        host = app.session.host if app.session else None
        assert host is not None
        while not host.pending_decisions():
            await pilot.press("n")
        pilot.app.clear_notifications()
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_the_ad_hoc_inject_form(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, press=["a"])


@SIZES
def test_the_help_screen(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, press=["f1"])


@SIZES
def test_the_quit_confirmation(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)
    assert snap_compare(app, terminal_size=size, press=["ctrl+q"])


@SIZES
def test_the_debrief_screen(snap_compare: Compare, here: Path, size: tuple[int, int]) -> None:
    app = console(here)

    async def run(pilot: Pilot[None]) -> None:
        await stepped(60)(pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)
