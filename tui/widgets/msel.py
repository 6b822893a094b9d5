"""The MSEL panel: upcoming and past injects with time, target, status, text and expected action, and what to do."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from simulator import InjectView
from simulator.narrative import t_plus

InjectAction = Literal["fire", "hold", "release", "delay", "skip"]

STATUS_STYLE: Mapping[str, str] = {"pending": "", "held": "bold yellow", "delivered": "dim green", "skipped": "dim"}


def inject_details(inject: InjectView, names: Mapping[str, str], *, actions: bool = True) -> Text:
    """Everything about one inject, for the panel under the MSEL: its whole text, expected action, what can be done
    (unless not `actions`: a replay changes nothing)."""
    text = Text()
    text.append(f"{inject.id}", style="bold")
    text.append(f" to {names.get(inject.to, inject.to)}, {inject.delivery_method}, {inject.inject_type}", style="dim")
    text.append(f"  [{inject.status}]\n", style=STATUS_STYLE.get(inject.status, ""))
    text.append(inject.text)
    if inject.expected_action:
        text.append("\nExpected action: ", style="bold")
        text.append(inject.expected_action)
    if inject.objective or inject.core_capability:
        text.append(
            f"\nObjective: {names.get(inject.objective or '', inject.objective or '—')}"
            f"  Core capability: {inject.core_capability or '—'}",
            style="dim",
        )
    if not actions:
        return text
    keys = [
        key
        for key, allowed in (
            ("f fire now", inject.can_fire),
            ("h hold", inject.can_hold),
            ("r release", inject.can_release),
            ("t delay", inject.can_delay),
            ("x skip", inject.can_skip),
        )
        if allowed
    ]
    text.append("\n" + ("   ".join(keys) if keys else "nothing left to do with it"), style="italic")
    return text


def _shown_time(inject: InjectView) -> tuple[bool, float]:
    shown = inject.delivered_t if inject.delivered_t is not None else inject.due_t
    return (shown is None, 0.0 if shown is None else shown)


class MselTable(DataTable[Text | str]):
    """The MSEL, one row per inject; keys act on the inject under the cursor."""

    BINDINGS = [
        Binding("f", "act('fire')", "Fire now", id="msel.fire"),
        Binding("h", "act('hold')", "Hold", id="msel.hold"),
        Binding("r", "act('release')", "Release", id="msel.release"),
        Binding("t", "act('delay')", "Delay", id="msel.delay"),
        Binding("x", "act('skip')", "Skip", id="msel.skip"),
    ]

    class Act(Message):
        """The facilitator asked to do `action` with an inject."""

        def __init__(self, action: InjectAction, inject: InjectView) -> None:
            super().__init__()
            self.action = action
            self.inject = inject

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: dict[str, InjectView] = {}

    def on_mount(self) -> None:
        """Lay out the columns."""
        self.add_columns("due", "inject", "to", "status", "text", "expected action")

    def show(self, injects: Sequence[InjectView], names: Mapping[str, str]) -> None:
        """Render the MSEL, keeping the cursor on the same inject."""
        if tuple(self._rows.values()) == tuple(injects):
            return
        current = self.current
        # In the order of the times shown (a fired contingency inject goes where it was delivered), so that the
        # rows read as the exercise's timeline.
        ordered = sorted(injects, key=_shown_time)
        self._rows = {inject.id: inject for inject in ordered}
        self.clear()
        for inject in ordered:
            if inject.delivered_t is not None:
                due = t_plus(inject.delivered_t)
            elif inject.due_t is not None:
                due = t_plus(inject.due_t)
            else:
                due = "contingency" if inject.contingency else "on trigger"
            self.add_row(
                due,
                inject.id,
                Text(names.get(inject.to, inject.to)),
                Text(inject.status, style=STATUS_STYLE.get(inject.status, "")),
                Text(inject.text),
                Text(inject.expected_action or ""),
                key=inject.id,
            )
        if current is not None and current.id in self._rows:
            self.move_cursor(row=self.get_row_index(current.id))

    @property
    def current(self) -> InjectView | None:
        """The inject under the cursor."""
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key is None else self._rows.get(key)

    def action_act(self, action: InjectAction) -> None:
        """Ask the screen to do `action` with the inject under the cursor."""
        inject = self.current
        if inject is not None:
            self.post_message(self.Act(action, inject))
