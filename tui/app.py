"""The Textual app: opens the start screen or the exercise, and makes sure the run log is left whole on exit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.screen import Screen

from tui.dialogs.confirm import ConfirmQuit, QuitChoice
from tui.dialogs.help import HelpScreen, bindings_table
from tui.screens.exercise import ExerciseScreen
from tui.screens.start import StartScreen
from tui.session import Launch, Session, open_session, shown_path


class TabletopApp(App[None]):
    """The exercise console: `tabletop play`."""

    TITLE = "Tabletop"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    def __init__(
        self,
        launch: Launch | None = None,
        *,
        session: Session | None = None,
        folder: Path | None = None,
        now: Callable[[], datetime] = datetime.now,
        opening: Callable[[], Screen[None]] | None = None,
    ) -> None:
        """Open on `opening`'s screen, on `session`'s exercise, or on the start screen (with `launch`'s choices).

        Args:
            launch: what the start screen shows selected (the bundled default scenario if None).
            session: an exercise already opened: the console opens on it.
            folder: where the start screen looks for scenario files and writes run logs (the current folder).
            now: the local time, for the default run log name (tests give a fixed one).
            opening: makes the screen to open on instead (the compare and replay screens of the analyst's commands).
        """
        super().__init__()
        self.launch = Launch() if launch is None else launch
        self.session = session
        self._folder = Path.cwd() if folder is None else folder
        self._now = now
        self._opening = opening

    def on_mount(self) -> None:
        """Open on the screen asked for, the exercise, or the start screen."""
        if self._opening is not None:
            self.push_screen(self._opening())
        elif self.session is not None:
            self.push_screen(ExerciseScreen(self.session))
        else:
            self.push_screen(StartScreen(self.launch, self._folder, self._now, self.start_exercise))

    def start_exercise(self, launch: Launch) -> None:
        """Open the exercise `launch` asks for and show its console.

        Raises:
            ScenarioError, SimulationError, OSError: it cannot be opened (the start screen shows why).
        """
        self.session = open_session(launch, self._folder, self._now())
        self.push_screen(ExerciseScreen(self.session))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: the screen's own entries, then Textual's (theme, keys, screenshot, quit).

        The palette reads titles and help as markup; the screens' entries carry the scenario's own words (prompts,
        inject texts, labels), so they are escaped here, once, to be shown as written.
        """
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for command in commands():
                yield command._replace(title=escape(command.title), help=escape(command.help))
        yield SystemCommand("Help: every key of this screen", "F1", self.action_help)
        yield from super().get_system_commands(screen)

    def action_help(self) -> None:
        """Show every key of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(bindings_table(self.screen)))

    async def action_quit(self) -> None:
        """Quit; while the exercise runs, ask first whether to finish it or leave it to resume later."""
        session = self.session
        if session is None or session.host.clock().finished:
            self.exit()
            return

        def answered(choice: QuitChoice | None) -> None:
            if choice == "finish":
                session.host.finish()
                self.exit()
            elif choice == "leave":
                session.host.abandon()
                self.exit()

        if not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(shown_path(session.log)), answered)
