"""An evaluator's note: what they saw, tied to an objective or a core capability (it goes to the debrief)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from simulator.views import Named

Submit = Callable[[dict[str, Any]], str | None]
"""Sends the command; returns the error message to show, or None when it was accepted."""


class ObserveDialog(ModalScreen[bool]):
    """Note an observation; dismissed with True once the host recorded it."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="observe.cancel")]

    DEFAULT_CSS = """
    ObserveDialog { align: center middle; }
    ObserveDialog > Vertical {
        width: 90%; max-width: 100; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    ObserveDialog #observe-error { color: $error; height: auto; }
    """

    def __init__(self, objectives: Sequence[Named], capabilities: Sequence[str], submit: Submit) -> None:
        super().__init__()
        self._objectives = objectives
        self._capabilities = capabilities
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Observation (for the debrief and the after-action report)", style="bold"))
            yield Input(placeholder="What you saw", id="observe-text")
            objectives = [(Text(o.name), o.id) for o in self._objectives]
            yield Select(objectives, prompt="Objective (none)", id="observe-objective")
            capabilities = [(Text(c), c) for c in self._capabilities]
            yield Select(capabilities, prompt="Core capability (none)", id="observe-capability")
            yield Static(id="observe-error")
            yield Label(Text("Enter: note it   Esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Send the note; show the message if it is refused."""
        event.stop()
        command: dict[str, Any] = {"command": "observe", "text": event.value}
        objective = self.query_one("#observe-objective", Select).value
        capability = self.query_one("#observe-capability", Select).value
        if isinstance(objective, str):
            command["objective"] = objective
        if isinstance(capability, str):
            command["core_capability"] = capability
        error = self._submit(command)
        if error is None:
            self.dismiss(True)
        else:
            self.query_one("#observe-error", Static).update(Text(error))
