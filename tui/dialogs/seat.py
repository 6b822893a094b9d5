"""Switch the console's seat: the facilitator's, an evaluator's, or one organisation's (the role view)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from simulator.seats import EVALUATOR, FACILITATOR
from simulator.views import Named


class SeatDialog(ModalScreen[str | None]):
    """Choose a seat; dismissed with its id (None: keep the current one)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="seat.cancel")]

    DEFAULT_CSS = """
    SeatDialog { align: center middle; }
    SeatDialog > Vertical { width: 72; height: auto; max-height: 90%; border: thick $accent; background: $surface; }
    SeatDialog OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, stakeholders: Sequence[Named], current: str) -> None:
        super().__init__()
        self._stakeholders = stakeholders
        self._current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(Text("Facilitator: everything, every command"), id=FACILITATOR),
            Option(Text("Evaluator: everything, notes only"), id=EVALUATOR),
            *(Option(Text(f"{s.name}: what reached it, its own decisions"), id=s.id) for s in self._stakeholders),
        ]
        with Vertical():
            yield Label(Text(f"Show the console to which seat? (now: {self._current})", style="bold"))
            yield OptionList(*options, id="seat-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Switch to the chosen seat."""
        event.stop()
        self.dismiss(event.option.id)
