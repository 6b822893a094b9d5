"""The event feed: every record the seat may see, as a sentence with names, newest at the bottom, filterable.

Only the lines on screen are rendered (a `ScrollView` with `render_line`), so a feed of 10,000 events and more
scrolls and grows as fast as a short one.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from simulator.narrative import t_plus
from simulator.records import audience, sentence

STYLES: Mapping[str, str] = {
    "MilestoneReached": "bold green",
    "DecisionOpened": "bold yellow",
    "DecisionTaken": "yellow",
    "InjectDelivered": "cyan",
    "InjectAdded": "bold cyan",
    "ThreatPhaseStarted": "bold red",
    "ThreatNeutralised": "bold green",
    "ThreatEnded": "bold red",
    "PauseMarked": "magenta",
    "ClockResumed": "magenta",
    "ObservationNoted": "italic",
    "RunEnded": "bold reverse",
}
"""How each kind stands out; the rest is plain."""


@dataclass(frozen=True, slots=True)
class FeedLine:
    """One record as the feed shows it."""

    seq: int
    kind: str
    stakeholders: frozenset[str]
    """The organisations it concerns (for the stakeholder filter)."""
    text: str


def feed_line(record: Mapping[str, Any], names: Mapping[str, str], inject_texts: Mapping[str, str]) -> FeedLine:
    """The feed's line for `record`: its time and sentence, and the inject's text for a delivered inject."""
    text = f"{t_plus(float(record['t']))}  {sentence(record, names)}"
    if record["kind"] == "InjectDelivered" and record["inject"] in inject_texts:
        text += f": “{inject_texts[record['inject']]}”"
    # One record, one line, whatever its text (the check first: nearly every line is printable as it is).
    printable = text if text.isprintable() else "".join(ch if ch.isprintable() else " " for ch in text)
    return FeedLine(int(record["seq"]), str(record["kind"]), audience(record).stakeholders, printable)


INDENT = " " * 12
"""Continuation rows of a long line start under its sentence, past the `T+HH:MM:SS  ` time."""


def wrap(text: str, width: int) -> list[str]:
    """`text` cut into rows of at most `width` cells, at spaces where it can be (continuations indented)."""
    if cell_len(text) <= width or width <= len(INDENT) + 8:
        return [text]
    return textwrap.wrap(text, width, subsequent_indent=INDENT, break_long_words=True, drop_whitespace=True) or [""]


class EventFeed(ScrollView, can_focus=True):
    """The records as sentences, long ones wrapped; follows the newest line unless the reader has scrolled up.

    Only the rows on screen are rendered; wrapping is redone for every line only when the width or the filter
    changes, and for the new lines only when lines are added.
    """

    BINDINGS = [
        Binding("home", "scroll_home", "Oldest", show=False, id="feed.top"),
        Binding("end", "scroll_end", "Newest", show=False, id="feed.newest"),
    ]

    DEFAULT_CSS = """
    EventFeed { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[FeedLine] = []
        self._shown: list[int] = []
        """Indices into `_lines` of the lines that pass the filter."""
        self._rows: list[tuple[int, str]] = []
        """What each row on the virtual canvas shows: its line's index, and its text (a whole line or a part)."""
        self._wrap_width = 0
        self._stakeholder: str | None = None
        self._kind: str | None = None
        self._following = True

    @property
    def shown(self) -> list[FeedLine]:
        """The lines that pass the filter, oldest first."""
        return [self._lines[i] for i in self._shown]

    @property
    def line_count(self) -> int:
        """How many lines the feed holds (filtered out or not)."""
        return len(self._lines)

    def clear(self) -> None:
        """Forget every line (when the seat changes)."""
        self._lines.clear()
        self._shown.clear()
        self._rows.clear()
        self._following = True
        self._resize()

    def add(self, lines: Iterable[FeedLine]) -> None:
        """Append lines; the view follows them if it was at the bottom."""
        start = len(self._lines)
        self._lines.extend(lines)
        width = self._width_now()
        for index in range(start, len(self._lines)):
            if self._passes(self._lines[index]):
                self._shown.append(index)
                self._rows.extend((index, row) for row in wrap(self._lines[index].text, width))
        self._resize()

    def truncate(self, count: int) -> None:
        """Keep only the first `count` lines (a replay going back in time); the view follows the newest."""
        if count >= len(self._lines):
            return
        del self._lines[count:]
        del self._shown[bisect_left(self._shown, count) :]
        del self._rows[bisect_left(self._rows, count, key=lambda row: row[0]) :]
        self._following = True
        self._resize()

    def set_filter(self, stakeholder: str | None, kind: str | None) -> None:
        """Show only the lines about `stakeholder` and of `kind` (None: all), from the newest."""
        self._stakeholder, self._kind = stakeholder, kind
        self._shown = [i for i, line in enumerate(self._lines) if self._passes(line)]
        self._following = True
        self._rewrap()

    def _passes(self, line: FeedLine) -> bool:
        return (self._stakeholder is None or self._stakeholder in line.stakeholders) and (
            self._kind is None or line.kind == self._kind
        )

    def _width_now(self) -> int:
        self._wrap_width = self.scrollable_content_region.width or self._wrap_width or 80
        return self._wrap_width

    def _rewrap(self) -> None:
        width = self._width_now()
        self._rows = [(index, row) for index in self._shown for row in wrap(self._lines[index].text, width)]
        self._resize()

    def _resize(self) -> None:
        self.virtual_size = Size(self._wrap_width, len(self._rows))
        self.refresh()
        if self._following:
            # After the layout: before it, the scrollbar may not be there yet and the scroll would be lost.
            self.call_after_refresh(self.scroll_end, animate=False, x_axis=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Follow the newest lines only while the reader is at the bottom."""
        super().watch_scroll_y(old, new)
        self._following = new >= self.max_scroll_y

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        if self.scrollable_content_region.width != self._wrap_width:
            self._rewrap()
        elif self._following:
            self.call_after_refresh(self.scroll_end, animate=False, x_axis=False)

    def render_line(self, y: int) -> Strip:
        """Render the `y`th row on screen (only the rows on screen are ever rendered)."""
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        style = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, style)
        line_index, text = self._rows[index]
        kind_style = STYLES.get(self._lines[line_index].kind)
        segment_style = style + Style.parse(kind_style) if kind_style else style
        return Strip([Segment(text, segment_style)]).crop_extend(0, width, style)
