"""The clock bar: T+, the local wall time in the scenario's time zone, paused or running, speed, seat and log."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator import ClockView
from simulator.narrative import t_plus


class ClockBar(Static):
    """One line at the top of the exercise screen: where the exercise's clock stands."""

    DEFAULT_CSS = """
    ClockBar { height: 2; background: $panel; padding: 0 1; }
    """

    def show(self, clock: ClockView, seat: str, log: str, pause_on_decision: bool) -> None:
        """Render `clock` for `seat`."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if clock.finished:
            text.append(" ENDED ", style="bold reverse")
        elif clock.paused:
            text.append(" PAUSED ", style="bold reverse yellow")
        else:
            text.append(f" RUNNING {clock.speed} ", style="bold reverse green")
        text.append(f"  {t_plus(clock.now)}", style="bold")
        text.append(f"  {clock.wall_clock} {clock.time_zone} ({clock.utc_offset})")
        text.append(f"  seat: {seat}", style="bold cyan")
        details = Text(no_wrap=True, overflow="ellipsis", style="dim")
        details.append(f"log: {log}  ")
        if clock.next_event_t is not None and not clock.finished:
            details.append(f"next {t_plus(clock.next_event_t)}  ")
        details.append(f"end {t_plus(clock.end)}  speed {clock.speed} (1-4)  ")
        details.append("decisions pause the clock" if pause_on_decision else "decisions: the clock runs on")
        self.update(Text("\n").join([text, details]))
