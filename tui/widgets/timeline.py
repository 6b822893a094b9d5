"""A timeline plot in the terminal: one row per milestone, one mark per run on a time axis in minutes, a legend."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.widgets import Static

from simulator.analysis.compare import Comparison

MARKS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
"""Each run's letter, in the runs' order (I and O left out: they read as 1 and 0)."""
COLOURS = (
    "bold cyan",
    "bold magenta",
    "bold yellow",
    "bold green",
    "bold red",
    "bold blue",
    "bold bright_white",
    "bold dark_orange",
)
"""Each run's colour (cycled): the letter alone tells runs apart in monochrome, the colour helps on a projector."""
LABEL_WIDTH = 24
"""Columns for the milestone's name at 80 columns (a longer name is cut with an ellipsis); wider plots give it a
quarter of their width, up to `MAX_LABEL_WIDTH`."""
MAX_LABEL_WIDTH = 44


def run_mark(index: int) -> str:
    """The letter of the run at `index` (A, B, ... then A2, B2, ... past the alphabet)."""
    letter = MARKS[index % len(MARKS)]
    return letter if index < len(MARKS) else f"{letter}{index // len(MARKS) + 1}"


def run_style(index: int) -> str:
    """The colour of the run at `index`."""
    return COLOURS[index % len(COLOURS)]


def run_legend(labels: Sequence[str], width: int, indent: str = "") -> Text:
    """Each run's letter and label (`A round-1 (base, seed 1)   B ...`), as many to a line as fit in `width`: a line
    breaks between runs, never between a letter and its label (unless one run's alone is too long)."""
    legend = Text(no_wrap=False)
    used = 0
    for index, label in enumerate(labels):
        entry = len(run_mark(index)) + 1 + len(label)
        if index and used + 3 + entry > width:
            legend.append("\n" + indent)
            used = len(indent)
        elif index:
            legend.append("   ")
            used += 3
        legend.append(run_mark(index), style=run_style(index))
        legend.append(f" {label}")
        used += entry
    return legend


def tick_minutes(span_min: float, columns: int) -> int:
    """A round tick step (in minutes) that puts a label every 10 columns or more on an axis of `columns`."""
    wanted = max(span_min / max(columns // 10, 1), 1e-9)
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 720, 1440):
        if step >= wanted:
            return step
    return int(math.ceil(wanted / 1440) * 1440)


@dataclass(frozen=True, slots=True)
class _Row:
    name: str
    times: tuple[float | None, ...]
    """Each run's time (seconds from T0), None where the run never reached the milestone."""
    stopped: tuple[bool, ...] = ()
    """For each run, whether it stopped (interrupted, ended early) before reaching the milestone."""


class _Plot:
    """The plot as a Rich renderable, drawn at the width it is given."""

    def __init__(self, rows: Sequence[_Row], labels: Sequence[str]) -> None:
        self.rows = rows
        self.labels = labels

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, LABEL_WIDTH + 20)
        label = min(max(LABEL_WIDTH, width // 4), MAX_LABEL_WIDTH)
        tails = [_tail(row) for row in self.rows]  # after the axis: the runs that did not reach the milestone
        room = min(max([5 + 2 * len(self.labels), *(len(tail) + 2 for tail in tails)]), 30)
        axis = width - label - 1 - room
        reached = [t for row in self.rows for t in row.times if t is not None]
        span_min = max(max(reached, default=0.0) / 60, 1.0)
        step = tick_minutes(span_min, axis)
        span_min = math.ceil(span_min / step) * step  # the axis ends on a tick

        def column(t: float) -> int:
            return min(round(t / 60 / span_min * (axis - 1)), axis - 1)

        grid = {column(tick * 60) for tick in range(0, int(span_min) + 1, step)}
        yield self._legend(width)
        yield self._axis(label, axis, span_min, step, column)
        for row, tail in zip(self.rows, tails, strict=True):
            line = Text(_cut(row.name, label).ljust(label) + " ")
            for char, style in _marks(row.times, axis, column, grid):
                line.append(char, style=style)
            if tail:
                line.append("  " + tail, style="dim")
            line.no_wrap = True
            line.overflow = "ellipsis"
            yield line
        yield self._axis(label, axis, span_min, step, column)

    def _legend(self, width: int) -> Text:
        legend = run_legend(self.labels, width)
        legend.append(
            "\n· a tick of the axis   ABC: runs side by side reached it at the same moment",
            style="dim",
        )
        return legend

    def _axis(self, label: int, axis: int, span_min: float, step: int, column: Callable[[float], int]) -> Text:
        ruler = [" "] * (axis + 6)
        ticks = range(0, int(span_min) + 1, step)
        for tick in ticks:
            at = column(tick * 60)
            for offset, char in enumerate(str(tick)):
                if at + offset < len(ruler):
                    ruler[at + offset] = char
        text = Text("minutes from T0".rjust(label) + " ", style="dim")
        text.append("".join(ruler).rstrip(), style="dim")
        text.no_wrap = True
        return text


def _marks(
    times: Sequence[float | None], axis: int, column: Callable[[float], int], grid: set[int]
) -> list[tuple[str, str]]:
    """The cells of a row's axis: each run's letter at its time's column (a dot at each tick's); runs in the same
    column are written side by side from it (`ABC`: all three at once), so that every run keeps its own mark."""
    cells: list[tuple[str, str]] = [("·" if i in grid else " ", "dim") for i in range(axis)]
    placed = sorted((column(t), index) for index, t in enumerate(times) if t is not None)
    free = 0
    for wanted, index in placed:
        at = min(max(wanted, free), axis - 1)
        cells[at] = (run_mark(index)[0], run_style(index))
        free = at + 1
    return cells


def _tail(row: _Row) -> str:
    """What follows a row's axis: the runs that never reached the milestone (`not A,C`, or `never`), and those that
    stopped before it (`B stopped before`: interrupted or ended early)."""
    stopped = [i for i, t in enumerate(row.times) if t is None and i < len(row.stopped) and row.stopped[i]]
    missing = [i for i, t in enumerate(row.times) if t is None and i not in stopped]
    said = []
    if missing and len(missing) < len(row.times):
        said.append("not " + ",".join(run_mark(i) for i in missing))
    elif missing:
        said.append("never")
    if stopped:
        said.append(",".join(run_mark(i) for i in stopped) + " stopped before")
    return "; ".join(said)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class TimelinePlot(Static):
    """Each milestone of a comparison on one row, each run's mark where it reached it (minutes from T0)."""

    DEFAULT_CSS = """
    TimelinePlot { width: 1fr; height: auto; padding: 0 1; }
    """

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        rows = [
            _Row(
                comparison.milestone_names.get(m, m),
                tuple(run.milestones.get(m) for run in comparison.runs),
                tuple(run.stopped_before(m) for run in comparison.runs),
            )
            for m in comparison.milestone_ids
        ]
        super().__init__(_Plot(rows, [run.label for run in comparison.runs]), id=id)
        self.rows = rows
