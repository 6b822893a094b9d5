"""F1: every key of the screen below, with what it does (the footer shows only the main ones)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

ABOUT = (
    "Tabletop runs a tabletop exercise as a simulation: the clock, the MSEL, the decisions of each organisation. "
    "Ctrl+P opens the command palette (every inject, clock control, seat and export). "
    "The run log is written as the exercise goes; nothing is lost on a quit or a crash: "
    "tabletop play --resume LOG continues it."
)


def bindings_table(screen: Screen[object]) -> Table:
    """Every binding active on `screen` (its focused widget's, the screen's and the app's)."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column("key", no_wrap=True)
    table.add_column("does")
    seen: set[tuple[str, str]] = set()
    # The screen's and the app's own keys first; the focused widget's scrolling and focus keys after them.
    ordered = sorted(screen.active_bindings.items(), key=lambda item: item[1].node not in (screen, screen.app))
    for key, active in ordered:
        binding = active.binding
        description = binding.description or binding.action
        if (key, description) in seen or binding.system:
            continue
        seen.add((key, description))
        table.add_row(Text(screen.app.get_key_display(binding)), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened on."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="help.close"),
        Binding("f1", "dismiss(None)", "Close", id="help.close-f1"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90%; max-width: 100; height: 90%; border: thick $accent; background: $surface; }
    """

    def __init__(self, keys: Table) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Keys (Esc closes)", style="bold"))
            with VerticalScroll():
                yield Static(self._keys)
                yield Static(Text("\n" + ABOUT, style="dim"))
