"""SVG snapshots of the replay screen and its dialogs at 80x24 and 160x48 (`--snapshot-update` after a deliberate
change, and look at them before accepting)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from simulator.runlog import read_run_log
from tests.tui.console import LARGE, SMALL
from tests.tui.replays import SYNAGOGUE, played, replay_app
from tui.screens.replay import ReplayScreen

Compare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
LOCKDOWN = "lockdown-or-evacuate"


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A whole run of the synagogue scenario, in the folder the console is opened in (its name is shown)."""
    monkeypatch.chdir(tmp_path)
    yield played(tmp_path, SYNAGOGUE)


def at_the_decision(
    log: Path, seat: str | None = None, tab: str | None = None
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Go to 30 s after the lockdown decision opened (as `seat`, on `tab`), toasts cleared."""
    opened = next(r for r in read_run_log(log).records if r["kind"] == "DecisionOpened" and r["decision"] == LOCKDOWN)

    async def run(pilot: Pilot[None]) -> None:
        await pilot.pause()  # the screen mounted (its tabs set up) before a tab is chosen
        screen = pilot.app.screen
        assert isinstance(screen, ReplayScreen)
        if seat is not None:
            screen.switch_seat(seat)
        screen.seek(float(opened["t"]) + 30.0)
        if tab is not None:
            screen.query_one(TabbedContent).active = tab
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@SIZES
def test_the_replay_screen_at_an_open_decision(snap_compare: Compare, log: Path, size: tuple[int, int]) -> None:
    assert snap_compare(replay_app(log), terminal_size=size, run_before=at_the_decision(log))


@SIZES
def test_the_replay_screen_s_msel(snap_compare: Compare, log: Path, size: tuple[int, int]) -> None:
    assert snap_compare(replay_app(log), terminal_size=size, run_before=at_the_decision(log, tab="tab-msel"))


@SIZES
def test_the_replay_screen_s_objectives(snap_compare: Compare, log: Path, size: tuple[int, int]) -> None:
    run = at_the_decision(log, tab="tab-objectives")
    assert snap_compare(replay_app(log), terminal_size=size, run_before=run)


@SIZES
def test_a_participant_s_replay(snap_compare: Compare, log: Path, size: tuple[int, int]) -> None:
    run = at_the_decision(log, seat="community-security", tab="tab-network")
    assert snap_compare(replay_app(log), terminal_size=size, run_before=run)


@SIZES
def test_the_fork_dialog(snap_compare: Compare, log: Path, size: tuple[int, int]) -> None:
    before = at_the_decision(log)

    async def run(pilot: Pilot[None]) -> None:
        await before(pilot)
        await pilot.press("f")
        await pilot.pause()

    assert snap_compare(replay_app(log), terminal_size=size, run_before=run)


@SIZES
def test_the_go_to_dialog(snap_compare: Compare, log: Path, size: tuple[int, int]) -> None:
    before = at_the_decision(log)

    async def run(pilot: Pilot[None]) -> None:
        await before(pilot)
        await pilot.press("g", *"1h5x", "enter")
        await pilot.pause()

    assert snap_compare(replay_app(log), terminal_size=size, run_before=run)
