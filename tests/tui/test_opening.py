"""The console can open on an analyst's screen instead of the start screen or an exercise."""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tui.app import TabletopApp
from tui.screens.start import StartScreen


class _Analysis(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("an analyst's screen", id="analysis")


def test_the_console_opens_on_the_screen_it_is_given_and_plays_nothing() -> None:
    async def main() -> None:
        app = TabletopApp(opening=_Analysis)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, _Analysis)
            assert not any(isinstance(screen, StartScreen) for screen in app.screen_stack)
            assert app.session is None
            await pilot.press("ctrl+q")  # no exercise runs: quitting asks nothing
            await pilot.pause()
        assert app.return_code == 0

    asyncio.run(main())
