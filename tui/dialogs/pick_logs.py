"""Pick the run logs to compare this run with: the other runs of its scenario in the same folder, newest first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from simulator.analysis.compare import LogEntry


def entry_label(entry: LogEntry) -> Text:
    """How a log is listed: its file name, then its variant, seed and when it was last written (and whether the run
    was interrupted before it ended)."""
    when = datetime.fromtimestamp(entry.modified).strftime("%Y-%m-%d %H:%M")
    text = Text(entry.path.name)
    text.append(f"  {entry.variant or 'base'}, seed {entry.seed}, {when}", style="dim")
    if not entry.sealed:
        text.append("  interrupted (unsealed)", style="yellow")
    return text


class PickLogsDialog(ModalScreen[list[Path] | None]):
    """Choose one or more logs; dismissed with the logs picked (None: cancelled)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="pick.cancel"),
        Binding("c", "compare", "Compare", id="pick.compare"),
    ]

    DEFAULT_CSS = """
    PickLogsDialog { align: center middle; }
    PickLogsDialog > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PickLogsDialog SelectionList { height: auto; max-height: 14; }
    PickLogsDialog #pick-error { color: $error; height: auto; }
    """

    def __init__(self, this_log: Path, entries: list[LogEntry]) -> None:
        super().__init__()
        self.this_log = this_log
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text("Compare ", style="bold")
            heading.append(self.this_log.name, style="bold")
            heading.append(" with", style="bold")
            yield Label(heading)
            yield SelectionList[int](
                *(Selection(entry_label(entry), index) for index, entry in enumerate(self.entries)), id="pick-logs"
            )
            yield Static(id="pick-error")
            yield Label(Text("Space or Enter: pick or unpick   c: compare   Esc: cancel", style="dim"))

    def action_compare(self) -> None:
        """Compare with the logs picked (one at least)."""
        picked = self.query_one(SelectionList).selected
        if not picked:
            self.query_one("#pick-error", Static).update(Text("pick one log or more first (Space)"))
            return
        self.dismiss([self.entries[index].path for index in sorted(picked)])
