"""Ask by how much to delay an inject (`5m`, `90s`, `1h30m`: the scenario language's durations)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

Submit = Callable[[str], str | None]
"""Sends the delay as typed; returns the error message to show, or None when it was accepted."""


class DelayDialog(ModalScreen[bool]):
    """Delay one inject; dismissed with True once the host accepted the delay."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="delay.cancel")]

    DEFAULT_CSS = """
    DelayDialog { align: center middle; }
    DelayDialog > Vertical { width: 64; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    DelayDialog #delay-error { color: $error; height: auto; }
    """

    def __init__(self, inject: str, submit: Submit) -> None:
        super().__init__()
        self._inject = inject
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Delay inject {self._inject} by", style="bold"))
            yield Input(value="5m", placeholder="5m, 90s, 1h30m", id="delay-by")
            yield Static(id="delay-error")
            yield Label(Text("Enter: delay   Esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Send the delay; show the message if it is refused."""
        event.stop()
        error = self._submit(event.value)
        if error is None:
            self.dismiss(True)
        else:
            self.query_one("#delay-error", Static).update(Text(error))
