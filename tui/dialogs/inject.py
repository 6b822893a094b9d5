"""The ad-hoc inject form: to whom, which fact (existing or new, true or a false report), and the text.

The form only gathers the fields; the host checks the inject with the scenario language's own messages, and the
form shows the message it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from simulator.views import Named

NEW_FACT = "\x00new"
"""The fact choice that opens the fields of a new fact."""

Submit = Callable[[dict[str, Any]], str | None]
"""Sends the command; returns the error message to show, or None when it was accepted."""


class AdHocInjectDialog(ModalScreen[bool]):
    """Write an inject now; dismissed with True once the host accepted it."""

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel", id="inject.cancel"),
        Binding("ctrl+s", "send", "Send", id="inject.send"),
    ]

    DEFAULT_CSS = """
    AdHocInjectDialog { align: center middle; }
    AdHocInjectDialog > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    AdHocInjectDialog Horizontal { height: auto; }
    AdHocInjectDialog #inject-new-fact { height: auto; display: none; }
    AdHocInjectDialog.-new-fact #inject-new-fact { display: block; }
    AdHocInjectDialog #inject-error { color: $error; height: auto; }
    AdHocInjectDialog Button { margin-right: 1; }
    """

    def __init__(self, stakeholders: Sequence[Named], facts: Sequence[Named], submit: Submit) -> None:
        super().__init__()
        self._stakeholders = stakeholders
        self._facts = facts
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Ad-hoc inject (delivered at once)", style="bold"))
            yield Select([(Text(s.name), s.id) for s in self._stakeholders], prompt="To whom", id="inject-to")
            yield Input(placeholder="What they read or hear", id="inject-text")
            yield Select(
                [
                    *((Text(f.name), f.id) for f in self._facts),
                    (Text("A new fact… (true or a false report)"), NEW_FACT),
                ],
                prompt="The fact they learn (none)",
                id="inject-fact",
            )
            with Vertical(id="inject-new-fact"):
                yield Input(placeholder="new fact's id, e.g. second-attacker-rumour", id="inject-fact-id")
                yield Input(placeholder="what the fact says", id="inject-fact-description")
                yield Checkbox("a false report or rumour (the receiver believes it all the same)", id="inject-false")
            yield Input(placeholder="expected action (optional)", id="inject-expected")
            yield Static(id="inject-error")
            with Horizontal():
                yield Button("Send (Ctrl+S)", id="inject-send", variant="primary")
                yield Button("Cancel (Esc)", id="inject-cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        """Show the new fact's fields when a new fact is chosen."""
        if event.select.id == "inject-fact":
            self.set_class(event.value == NEW_FACT, "-new-fact")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Send or cancel."""
        event.stop()
        if event.button.id == "inject-send":
            self.action_send()
        else:
            self.dismiss(False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field sends the form."""
        event.stop()
        self.action_send()

    def command(self) -> dict[str, Any]:
        """The `add_inject` command the form holds (fields left empty are left out)."""
        command: dict[str, Any] = {"command": "add_inject"}
        to = self.query_one("#inject-to", Select).value
        if isinstance(to, str):
            command["to"] = to
        command["text"] = self.query_one("#inject-text", Input).value
        fact = self.query_one("#inject-fact", Select).value
        if fact == NEW_FACT:
            command["fact"] = self.query_one("#inject-fact-id", Input).value.strip()
            command["fact_description"] = self.query_one("#inject-fact-description", Input).value
            if self.query_one("#inject-false", Checkbox).value:
                command["false_report"] = True
        elif isinstance(fact, str):
            command["fact"] = fact
        expected = self.query_one("#inject-expected", Input).value.strip()
        if expected:
            command["expected_action"] = expected
        return command

    def action_send(self) -> None:
        """Send the inject; show the host's message if it is refused."""
        error = self._submit(self.command())
        if error is None:
            self.dismiss(True)
        else:
            self.query_one("#inject-error", Static).update(Text(error))
