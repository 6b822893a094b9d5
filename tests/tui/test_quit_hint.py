"""The quit dialog's resume command can be pasted as it is: a run log whose path has spaces is quoted."""

from __future__ import annotations

import shlex
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Label

from tests.tui.console import run_app, session_in
from tui.app import TabletopApp
from tui.dialogs.confirm import ConfirmQuit


def test_the_quit_dialog_quotes_the_run_log_in_its_resume_command(tmp_path: Path) -> None:
    folder = tmp_path / "Lyon School"
    folder.mkdir()
    session = session_in(folder)
    seen: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        seen.extend(str(label.render()) for label in app.screen.query(Label))
        app.screen.query_one("#leave", Button).press()
        await pilot.pause()

    run_app(TabletopApp(session=session), flow)

    [hint] = [line for line in seen if "resume later with: " in line]
    assert shlex.split(hint.partition("with: ")[2]) == ["tabletop", "play", "--resume", str(session.log)]
