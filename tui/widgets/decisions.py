"""The decision bar: the decisions open for the seat, with the time left, above everything else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import Static

from simulator import PendingDecision


class DecisionBar(Static):
    """One line per open decision; hidden when none is open."""

    DEFAULT_CSS = """
    DecisionBar { height: auto; max-height: 4; background: $warning 30%; padding: 0 1; display: none; }
    DecisionBar.-open { display: block; }
    """

    def show(self, decisions: Sequence[PendingDecision], names: Mapping[str, str], *, hint: str = "d: decide") -> None:
        """Render the open decisions (the first with `hint`, the key to act on it)."""
        self.set_class(bool(decisions), "-open")
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, d in enumerate(decisions):
            if index:
                text.append("\n")
            text.append("DECISION ", style="bold reverse yellow")
            text.append(f" {names.get(d.stakeholder, d.stakeholder)}: ", style="bold")
            text.append(d.prompt)
            text.append(f"  {d.time_left_s:.0f} s left", style="bold yellow")
            if index == 0:
                text.append(f"  ({hint})", style="dim")
        self.update(text)
