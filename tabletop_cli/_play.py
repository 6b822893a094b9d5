"""`tabletop play`: the exercise console; the run log is left whole however the console ends."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.session import Launch, Session, open_session

if TYPE_CHECKING:
    from textual.screen import Screen


def run_play(launch: Launch, *, start_screen: bool) -> int:
    """Open the exercise (or the start screen), run the console, and say where the run log is."""
    from tui.app import TabletopApp

    session: Session | None = None if start_screen else open_session(launch, Path.cwd(), datetime.now())
    app = TabletopApp(launch, session=session)
    try:
        app.run()
    finally:
        session = app.session
        if session is not None:
            finished = session.host.clock().finished
            session.host.abandon()  # an exercise not finished stays resumable; a finished one is sealed already
            _tell(session, finished)
    return app.return_code or 0


def _tell(session: Session, finished: bool) -> None:
    log, typed = session.log, shlex.quote(str(session.log))  # the command, ready to paste (spaces quoted)
    if finished:
        sys.stderr.write(
            f"The exercise has ended; its run log is {log}\n  check it: tabletop replay {typed} --verify\n"
        )
    else:
        sys.stderr.write(
            f"The exercise was left unfinished; its run log is {log}\n  continue it: tabletop play --resume {typed}\n"
        )


def run_analysis_console(opening: Callable[[], Screen[None]]) -> int:
    """Run the console on an analyst's screen (`compare --tui`, `replay --tui`): no exercise is played, nothing is
    written but what the screen itself writes (a fork's new log)."""
    from tui.app import TabletopApp

    app = TabletopApp(opening=opening)
    app.run()
    return app.return_code or 0
