"""Fork a replayed run from an open decision: choose the option the new run takes."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator import PendingDecision
from simulator.narrative import t_plus
from tui.dialogs.decide import option_prompt


class ForkDialog(ModalScreen[str | None]):
    """Choose another option of a decision; dismissed with the option's id (None: no fork)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="fork.cancel")]

    DEFAULT_CSS = """
    ForkDialog { align: center middle; }
    ForkDialog > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ForkDialog OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, decision: PendingDecision, taken: str | None, names: Mapping[str, str]) -> None:
        """`taken` is the option the run being replayed took (None: it never took one)."""
        super().__init__()
        self.decision = decision
        self._taken = taken
        self._names = names

    def compose(self) -> ComposeResult:
        d = self.decision
        point = Text("The fork starts at ", style="dim")
        point.append(t_plus(d.opened_t), style="bold")
        point.append(
            ", when this decision opened: the new run is identical until then, then takes the option chosen here.",
            style="dim",
        )
        with Vertical():
            yield Label(Text(f"Fork: {self._names.get(d.stakeholder, d.stakeholder)} ({d.role})", style="bold"))
            yield Static(Text(d.prompt), id="fork-prompt")
            yield Static(point, id="fork-point")
            yield OptionList(*(Option(self._option(o.id), id=o.id) for o in d.options), id="fork-options")
            yield Label(Text("Enter: fork with this option   Esc: cancel", style="dim"))

    def _option(self, option_id: str) -> Text:
        option = next(o for o in self.decision.options if o.id == option_id)
        text = option_prompt(option, option.id == self.decision.default)
        if option.id == self._taken:
            text.append("\n  (taken in this run)", style="bold italic")
        return text

    def on_mount(self) -> None:
        """Start on the first option this run did not take."""
        options = self.query_one(OptionList)
        others = [i for i, o in enumerate(self.decision.options) if o.id != self._taken]
        options.highlighted = others[0] if others else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Fork with the chosen option."""
        event.stop()
        self.dismiss(event.option.id)
