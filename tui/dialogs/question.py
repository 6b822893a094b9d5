"""A dialog that asks for one line of text, hands it to a callback and shows the callback's error under it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

Submit = Callable[[str], str | None]
"""Acts on the text as typed; returns the error message to show, or None when it was accepted."""


class LineQuestion(ModalScreen[bool]):
    """Ask for one line; dismissed with True once `submit` accepted it (Esc: False, in the subclass's bindings).

    A subclass names its input's and error's ids (`FIELD`, `ERROR`) and what Enter does (`ENTER`).
    """

    FIELD = "question"
    ERROR = "question-error"
    ENTER = "answer"

    def __init__(
        self, question: str, value: str, placeholder: str, submit: Submit, *, hint: Text | None = None
    ) -> None:
        super().__init__()
        self._question = question
        self._value = value
        self._placeholder = placeholder
        self._submit = submit
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._question, style="bold"))
            yield Input(value=self._value, placeholder=self._placeholder, id=self.FIELD)
            yield Static(id=self.ERROR)
            if self._hint is not None:
                yield Static(self._hint, id=f"{self.FIELD}-hint")
            yield Label(Text(f"Enter: {self.ENTER}   Esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Hand the text over; show the message if it was not accepted."""
        event.stop()
        error = self._submit(event.value)
        if error is None:
            self.dismiss(True)
        else:
            self.query_one(f"#{self.ERROR}", Static).update(Text(error))
