"""The scrubber: a time slider across a logged run, with its milestones and decisions marked, and the clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.geometry import Size
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


def packed(segments: Sequence[Text], width: int, gap: int = 2) -> list[Text]:
    """`segments` in order on as few lines of `width` cells as they fit on whole (`gap` spaces apart); a segment
    wider than a line is cut with an ellipsis."""
    lines: list[Text] = []
    line = Text(no_wrap=True, overflow="ellipsis")
    for segment in segments:
        if line.cell_len and line.cell_len + gap + segment.cell_len > width:
            lines.append(line)
            line = Text(no_wrap=True, overflow="ellipsis")
        if line.cell_len:
            line.append(" " * gap)
        line.append_text(segment)
    lines.append(line)
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


class Scrubber(Widget):
    """The clock of the frame shown with the seat and the run's end (on one line when they fit, else more), the
    slider, the marks just before and after it, and the notes to keep in mind (the scenario changed, the log is
    interrupted).

    The keys that move it are the replay screen's; a click on the slider asks to seek to the time under it.
    """

    DEFAULT_CSS = """
    Scrubber { height: auto; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
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
        self._end = 0.0
        self._end_text = ""
        self._notes: tuple[str, ...] = ()
        self._bar_row = 1

    def show(
        self,
        clock: ClockView,
        marks: Sequence[Mark],
        *,
        seat: str,
        log: str,
        end: float,
        end_text: str,
        point: tuple[int, int] = (0, 0),
        notes: Sequence[str] = (),
    ) -> None:
        """Show the frame at `clock.now` for `seat` (as shown: its name), `marks` on a slider from T0 to `end`
        (the logged end, said as `end_text`); `point` is (index, how many); `notes` are shown under the marks."""
        self._clock, self._marks, self._seat, self._log, self._point = clock, tuple(marks), seat, log, point
        self._end, self._end_text, self._notes = end, end_text, tuple(notes)
        self.refresh(layout=True)

    @property
    def bar_row(self) -> int:
        """The line of the slider (after the clock's lines, as many as the width needs)."""
        return self._bar_row

    @property
    def text(self) -> Text:
        """What the scrubber shows, as text (at its current width)."""
        return self.render()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as `render` makes at `width`."""
        return len(self._lines(max(width, 10)))

    def render(self) -> Text:
        """The clock lines, the slider, the neighbouring marks and the notes."""
        lines = self._lines(max(self.content_region.width, 10))
        text = Text("\n", no_wrap=True, overflow="ellipsis").join(lines)
        text.no_wrap, text.overflow = True, "ellipsis"
        return text

    def _lines(self, width: int) -> list[Text]:
        clock = self._clock
        if clock is None:
            return [Text("")]
        badge = Text(" REPLAY ", style="bold reverse magenta")
        if clock.finished:
            badge.append(" ", style="")
            badge.append(" ENDED ", style="bold reverse")
        index, count = self._point
        segments = [
            badge,
            Text(t_plus(clock.now), style="bold"),
            Text(f"{clock.wall_clock} {clock.time_zone} ({clock.utc_offset})"),
            Text(self._end_text, style="bold" if "interrupted" in self._end_text else ""),
            Text(f"seat: {self._seat}", style="bold cyan"),
            Text(f"event {index + 1}/{count}", style="dim"),
            Text(f"log: {self._log}", style="dim"),
        ]
        head = packed(segments, width)
        now = clock.now
        before = next((m for m in reversed(self._marks) if m.t <= now), None)
        after = next((m for m in self._marks if m.t > now), None)
        around = Text(no_wrap=True, overflow="ellipsis", style="dim")
        around.append("last ")
        around.append_text(mark_text(before) if before else Text("—"))
        around.append("   next ")
        around.append_text(mark_text(after) if after else Text("—"))
        around.truncate(width, overflow="ellipsis")
        notes: list[Text] = []
        for note in self._notes:
            words = [Text(word, style="yellow") for word in f"note: {note}".split(" ")]
            notes.extend(packed(words, width, gap=1))
        self._bar_row = len(head)
        return [*head, bar_text(now, self._end, self._marks, width), around, *notes]

    def on_click(self, event: events.Click) -> None:
        """Seek to the time under the mouse (on the slider's line)."""
        offset = event.get_content_offset(self)
        if offset is None or self._clock is None or offset.y != self._bar_row:
            return
        event.stop()
        self.post_message(self.Seek(time_at(offset.x, self._end, self.content_region.width)))
