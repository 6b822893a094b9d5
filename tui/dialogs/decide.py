"""The decision prompt: the question, each option with what it does, the time left, what the organisation knows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator import FactHeld, OptionView, PendingDecision
from simulator.narrative import t_plus
from tui.widgets.network import correction_text


def option_prompt(option: OptionView, default: bool) -> Text:
    """An option as the list shows it: its label, what it means, then what choosing it does."""
    text = Text(option.label, style="bold")
    if default:
        text.append("  (the default at the deadline)", style="italic")
    if option.description:
        text.append(f"\n  {option.description}")
    consequences = option.consequences
    text.append("\n  does: " + ("; ".join(consequences) if consequences else "nothing more"), style="dim")
    return text


class DecisionDialog(ModalScreen[str | None]):
    """Choose an option of an open decision; dismissed with the option's id (or None to decide later)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Decide later", id="decide.later")]

    DEFAULT_CSS = """
    DecisionDialog { align: center middle; }
    DecisionDialog > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    DecisionDialog #decision-time { color: $warning; text-style: bold; }
    DecisionDialog OptionList { height: auto; max-height: 12; }
    DecisionDialog #decision-knows { height: auto; max-height: 8; }
    """

    def __init__(self, decision: PendingDecision, knows: Sequence[FactHeld], names: Mapping[str, str]) -> None:
        super().__init__()
        self.decision = decision
        self._knows = knows
        self._names = names

    def compose(self) -> ComposeResult:
        d = self.decision
        with Vertical():
            yield Label(Text(f"{self._names.get(d.stakeholder, d.stakeholder)} ({d.role})", style="bold"))
            yield Static(Text(d.prompt), id="decision-prompt")
            yield Label(self._time_text(d.time_left_s), id="decision-time")
            yield OptionList(
                *(Option(option_prompt(o, o.id == d.default), id=o.id) for o in d.options),
                id="decision-options",
            )
            yield Label(Text("What your organisation knows", style="bold underline"))
            with VerticalScroll(id="decision-knows"):
                yield Static(self._knows_text())
            yield Label(Text("Enter: decide   Esc: decide later", style="dim"))

    def on_mount(self) -> None:
        """Start on the default option, as the deadline would."""
        options = self.query_one(OptionList)
        options.highlighted = next((i for i, o in enumerate(self.decision.options) if o.id == self.decision.default), 0)

    def _time_text(self, left_s: float) -> Text:
        deadline = t_plus(self.decision.deadline_t)
        return Text(f"{left_s:.0f} s of exercise time left (deadline {deadline})")

    def _knows_text(self) -> Text:
        if not self._knows:
            return Text("nothing yet", style="dim")
        text = Text()
        for fact in self._knows:
            text.append(f"• {fact.description}", style="" if fact.corrected_t is None else "strike")
            text.append(f"  {t_plus(fact.t)}, from {self._names.get(fact.source, fact.source)}", style="dim")
            text.append(correction_text(fact, self._names))
            text.append("\n")
        return text

    def show_time_left(self, left_s: float) -> None:
        """Count the deadline down (the exercise screen calls this as the clock moves)."""
        for label in self.query("#decision-time").results(Label):  # none yet while the dialog is being composed
            label.update(self._time_text(left_s))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """The participant chose."""
        event.stop()
        self.dismiss(event.option.id)
