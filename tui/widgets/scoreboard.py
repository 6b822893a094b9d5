"""Milestones as they are reached, each objective's rating so far against its thresholds, and the harm."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator.formatting import minutes
from simulator.narrative import t_plus
from simulator.scoreboard import RATING_MEANINGS, Scoreboard

RATING_STYLE: Mapping[str, str] = {
    "P": "bold green",
    "S": "bold yellow",
    "M": "bold dark_orange",
    "U": "bold red",
    "N/A": "bold blue",
}


def scoreboard_text(board: Scoreboard, names: Mapping[str, str]) -> Text:
    """The scoreboard as text: objectives first (what the room is measured on), then milestones and harm."""
    text = Text()
    text.append("Objectives\n", style="bold underline")
    for o in board.objectives:
        rating = o.rating or "…"
        text.append(f" {rating} ", style=RATING_STYLE.get(rating, "dim"))
        text.append(f" {o.name}", style="bold")
        text.append(f"  ({o.status}", style="dim")
        if o.measured_s is not None:
            text.append(f", took {minutes(o.measured_s)}", style="dim")
        if o.note is not None:
            text.append(f", {o.note}", style="dim")
        text.append(")\n", style="dim")
        since = "T0" if o.since is None else names.get(o.since, o.since)
        text.append(f"     {since} → {names.get(o.until, o.until)}: {o.thresholds}, else U\n", style="dim")
    text.append("     ", style="dim")
    text.append("  ".join(f"{letter} {meaning}" for letter, meaning in RATING_MEANINGS), style="dim italic")
    text.append("\n\nMilestones\n", style="bold underline")
    for m in board.milestones:
        if m.t is None:
            text.append(f"   {'—':>10}  {m.name}\n", style="dim")
        else:
            text.append(f"   {t_plus(m.t):>10}  {m.name}\n", style="green")
    text.append("\nHarm ", style="bold underline")
    text.append(f" {board.harm:.1f} {board.harm_unit}\n")
    return text


class ScoreboardPanel(VerticalScroll):
    """Objectives, milestones and harm, for the control seats."""

    DEFAULT_CSS = """
    ScoreboardPanel > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="scoreboard-text")

    def show(self, board: Scoreboard, names: Mapping[str, str]) -> None:
        """Render the scoreboard."""
        self.query_one("#scoreboard-text", Static).update(scoreboard_text(board, names))
