"""Confirm before leaving a running exercise: finish it (sealed), leave it to resume later, or stay."""

from __future__ import annotations

import shlex
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

QuitChoice = Literal["finish", "leave", "stay"]


class ConfirmQuit(ModalScreen[QuitChoice]):
    """Asked when the facilitator quits while the exercise has not ended; the log is kept either way."""

    BINDINGS = [
        Binding("escape", "dismiss('stay')", "Stay", id="quit.stay"),
        Binding("left", "app.focus_previous", "Previous", show=False, id="quit.previous"),
        Binding("right", "app.focus_next", "Next", show=False, id="quit.next"),
    ]

    DEFAULT_CSS = """
    ConfirmQuit { align: center middle; }
    ConfirmQuit > Vertical {
        width: 90%; max-width: 110; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    ConfirmQuit Horizontal { height: auto; margin-top: 1; }
    ConfirmQuit Button { margin-right: 1; }
    """

    def __init__(self, log: str) -> None:
        super().__init__()
        self._log = log

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("The exercise is still running.", style="bold"))
            yield Label(Text(f"Its log is kept either way: {self._log}"))
            resume = f"tabletop play --resume {shlex.quote(self._log)}"  # ready to paste, spaces quoted
            yield Label(Text(f"Leave it, and resume later with: {resume}", style="dim"))
            with Horizontal():
                yield Button("Leave, resume later", id="leave", variant="primary")
                yield Button("Finish and quit", id="finish", variant="warning")
                yield Button("Stay", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button's choice."""
        event.stop()
        choices: dict[str | None, QuitChoice] = {"finish": "finish", "leave": "leave"}
        self.dismiss(choices.get(event.button.id, "stay"))
