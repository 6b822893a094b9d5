"""Ask which time of a replayed run to go to (`12m`, `1h5m`, `T+00:12:00`, or the local clock `12:04`)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

Submit = Callable[[str], str | None]
"""Goes to the time as typed; returns the error message to show, or None when it was a time of the run."""


class GoToDialog(ModalScreen[bool]):
    """Go to a time of the run; dismissed with True once the replay is there."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="goto.cancel")]

    DEFAULT_CSS = """
    GoToDialog { align: center middle; }
    GoToDialog > Vertical { width: 64; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    GoToDialog #goto-error { color: $error; height: auto; }
    """

    def __init__(self, now: str, end: str, submit: Submit) -> None:
        """`now` is the time shown; `end` the run's end in words (`end T+02:00:00`, `interrupted at ...`)."""
        super().__init__()
        self._now = now
        self._end = end
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Go to which time? Now {self._now}; {self._end}.", style="bold"))
            yield Input(value="", placeholder="12m, 1h5m, T+00:12:00 or 12:04", id="goto-time")
            yield Static(id="goto-error")
            yield Static(
                Text(
                    "From T0: 0, 12m, 1h5m, T+00:12:00 (00:12:00 is read as T+ too). "
                    "The local clock: 12:04, or @12:04:30 with seconds.",
                    style="dim",
                ),
                id="goto-hint",
            )
            yield Label(Text("Enter: go   Esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Go there; show the message if it is not a time of the run."""
        event.stop()
        error = self._submit(event.value)
        if error is None:
            self.dismiss(True)
        else:
            self.query_one("#goto-error", Static).update(Text(error))
