"""The scrubber: a time slider across a logged run, with its milestones and decisions marked, and the clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from simulator import ClockView
from simulator.narrative import t_plus

if TYPE_CHECKING:
    from simulator.analysis.scrub import Mark

MARK_SYMBOLS: Mapping[str, tuple[str, str]] = {
    "milestone": ("◆", "bold green"),
    "decision_opened": ("?", "bold yellow"),
    "decision_taken": ("✓", "yellow"),
}
"""How each kind of mark is drawn on the bar: a symbol (readable in monochrome) and a colour."""

NOW_SYMBOL = "█"
BAR_SYMBOL = "─"


def column_of(t: float, end: float, width: int) -> int:
    """The column of the bar (0 to width - 1) where simulation time `t` falls."""
    if end <= 0 or width <= 1:
        return 0
    return min(max(round(t / end * (width - 1)), 0), width - 1)


def time_at(column: int, end: float, width: int) -> float:
    """The simulation time a column of the bar stands for (the inverse of `column_of`)."""
    if width <= 1:
        return 0.0
    return min(max(column, 0), width - 1) / (width - 1) * end


def bar_text(t: float, end: float, marks: Sequence[Mark], width: int) -> Text:
    """The bar, `width` cells: a line across the run, each mark's symbol at its time, the current time as a block.

    Where marks share a column, a milestone wins over a decision (the milestones are what the room measures).
    """
    cells = [(BAR_SYMBOL, "dim")] * max(width, 1)
    rank = {"decision_taken": 0, "decision_opened": 1, "milestone": 2}
    ranks = [-1] * len(cells)
    for mark in marks:
        column = column_of(mark.t, end, len(cells))
        if rank[mark.kind] > ranks[column]:
            ranks[column] = rank[mark.kind]
            cells[column] = MARK_SYMBOLS[mark.kind]
    cells[column_of(t, end, len(cells))] = (NOW_SYMBOL, "bold cyan")
    text = Text(no_wrap=True, overflow="crop")
    for symbol, style in cells:
        text.append(symbol, style=style)
    return text


def mark_text(mark: Mark) -> Text:
    """A mark as one short phrase: its symbol, time and label."""
    symbol, style = MARK_SYMBOLS[mark.kind]
    text = Text()
    text.append(symbol, style=style)
    text.append(f" {t_plus(mark.t)} ")
    text.append(mark.label)
    return text


class Scrubber(Widget):
    """Three lines: the clock of the frame shown, the slider, and the marks just before and after it.

    The keys that move it are the replay screen's; a click on the slider asks to seek to the time under it.
    """

    DEFAULT_CSS = """
    Scrubber { height: 3; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Seek(Message):
        """The reader clicked the slider: show the run at simulation time `t`."""

        def __init__(self, t: float) -> None:
            super().__init__()
            self.t = t

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock: ClockView | None = None
        self._marks: tuple[Mark, ...] = ()
        self._seat = ""
        self._log = ""
        self._point = (0, 0)

    def show(
        self, clock: ClockView, marks: Sequence[Mark], *, seat: str, log: str, point: tuple[int, int] = (0, 0)
    ) -> None:
        """Show the frame at `clock.now` for `seat`, with `marks` on the slider; `point` is (index, how many)."""
        self._clock, self._marks, self._seat, self._log, self._point = clock, tuple(marks), seat, log, point
        self.refresh()

    @property
    def text(self) -> Text:
        """What the scrubber shows, as text (at its current width)."""
        return self.render()

    def render(self) -> Text:
        """The clock line, the slider and the neighbouring marks."""
        clock = self._clock
        if clock is None:
            return Text("")
        width = max(self.content_region.width, 10)
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(" REPLAY ", style="bold reverse magenta")
        if clock.finished:
            head.append(" ENDED ", style="bold reverse")
        head.append(f"  {t_plus(clock.now)}", style="bold")
        head.append(f"  seat: {self._seat}", style="bold cyan")
        head.append(f"  {clock.wall_clock} {clock.time_zone} ({clock.utc_offset})")
        index, count = self._point
        head.append(f"  end {t_plus(clock.end)}  event {index + 1}/{count}  log: ", style="dim")
        head.append(self._log, style="dim")
        now = clock.now
        before = next((m for m in reversed(self._marks) if m.t <= now), None)
        after = next((m for m in self._marks if m.t > now), None)
        around = Text(no_wrap=True, overflow="ellipsis", style="dim")
        around.append("last ")
        around.append_text(mark_text(before) if before else Text("—"))
        around.append("   next ")
        around.append_text(mark_text(after) if after else Text("—"))
        lines = Text("\n", no_wrap=True, overflow="ellipsis").join(
            [head, bar_text(now, clock.end, self._marks, width), around]
        )
        lines.no_wrap, lines.overflow = True, "ellipsis"
        return lines

    def on_click(self, event: events.Click) -> None:
        """Seek to the time under the mouse (on the slider's line)."""
        offset = event.get_content_offset(self)
        if offset is None or self._clock is None or offset.y != 1:
            return
        event.stop()
        self.post_message(self.Seek(time_at(offset.x, self._clock.end, self.content_region.width)))
