"""The plots of a batch: milestone distributions, paired differences and the odds of meeting each objective."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulator.analysis.report._plot_style import (
    GRID,
    INK,
    MUTED,
    SMALL_PT,
    TITLE_PT,
    WIDTH_IN,
    columns_for,
    cut,
    legend_height_in,
    minutes_label,
    minutes_ticks,
    series_style,
    text_width_in,
    wrap,
)
from simulator.analysis.report._words import share
from simulator.analysis.report.model import Estimate, VariantDifference, VariantFacts
from simulator.formatting import signed

_ROW_IN = 0.17
_LINE_IN = SMALL_PT * 1.2 / 72
"""A line of a wrapped name (matplotlib's line spacing)."""
_GAP_ROWS = 0.9
"""The space between two groups, in rows."""
_TITLE_IN = 0.3
_AXIS_IN = 0.45


@dataclass(frozen=True, slots=True)
class _Grid:
    """A figure of groups (rows of names) of series (one row per variant), with a text column on the right."""

    figure: Figure
    axes: Axes
    series: int

    def y(self, group: int, series: int) -> float:
        """The row of a series in a group (in row units, the first at the top)."""
        return group * (self.series + _GAP_ROWS) + series

    def note(self, group: int, series: int, text: str) -> None:
        """Text in the right column, level with a row."""
        self.axes.annotate(
            text,
            (1, self.y(group, series)),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=SMALL_PT - 0.5,
            color=INK,
            annotation_clip=False,
        )


def _grid(title: str, groups: Sequence[str], series: Sequence[str], notes: Sequence[str], xlabel: str) -> _Grid:
    """Lay out a figure of grouped rows: height from the rows, margins from the widest labels, the legend on top."""
    # Up to three lines: an objective's name says its target ("... within 2 minutes"), which a cut would lose.
    names = [wrap(name, 30, lines=3) for name in groups]
    left_in = max((text_width_in(line, SMALL_PT) for name in names for line in name.split("\n")), default=0.5) + 0.2
    right_in = max((text_width_in(note, SMALL_PT - 0.5) for note in notes), default=0.0) + 0.2
    columns = columns_for([cut(label, 48) for label in series], WIDTH_IN - 0.3, handle_in=0.35)
    legend_in = legend_height_in(-(-len(series) // columns))
    rows = len(groups) * (len(series) + _GAP_ROWS) - _GAP_ROWS if groups else 1.0
    lines = max((name.count("\n") + 1 for name in names), default=1)
    # A group is at least as tall as its name: a row per line and a little air, or names of one row would touch.
    row_in = max(_ROW_IN, (lines * _LINE_IN + 0.05) / (len(series) + _GAP_ROWS))
    plot_in = max(rows, 2.0) * row_in + 0.1
    height_in = _TITLE_IN + legend_in + 0.08 + plot_in + _AXIS_IN
    figure = Figure(figsize=(WIDTH_IN, height_in))
    axes = figure.add_axes(
        (left_in / WIDTH_IN, _AXIS_IN / height_in, (WIDTH_IN - left_in - right_in) / WIDTH_IN, plot_in / height_in)
    )
    figure.text(0.08 / WIDTH_IN, 1 - 0.08 / height_in, title, fontsize=TITLE_PT, fontweight="bold", va="top")
    grid = _Grid(figure, axes, len(series))
    axes.set_ylim(max(rows, 1.0) - 0.5, -0.6)
    centres = [grid.y(g, 0) + (len(series) - 1) / 2 for g in range(len(groups))]
    axes.set_yticks(centres, names, multialignment="right")
    for g in range(1, len(groups)):
        axes.axhline(grid.y(g, 0) - (_GAP_ROWS + 1) / 2, color=GRID, linewidth=0.6)
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    axes.set_xlabel(xlabel)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [
        Line2D([], [], color=series_style(i)[0], marker=series_style(i)[1], markersize=5, linewidth=1.0)
        for i in range(len(series))
    ]
    if series:
        figure.legend(
            handles=handles,
            labels=[cut(label, 48) for label in series],
            loc="upper left",
            bbox_to_anchor=(0.08 / WIDTH_IN, 1 - _TITLE_IN / height_in),
            ncol=columns,
            handlelength=2.0,
        )
    return grid


def _segments(spans: Sequence[tuple[float, float, float]]) -> tuple[list[float], list[float]]:
    """(low, high, y) spans as the x and y of one line broken by NaNs: one artist for many bars (fast to draw)."""
    xs = [v for low, high, _ in spans for v in (low, high, math.nan)]
    ys = [v for _, _, y in spans for v in (y, y, math.nan)]
    return xs, ys


def _intervals(grid: _Grid, series: int, rows: Sequence[tuple[float, float, float, float]]) -> None:
    """A series' points with their intervals as horizontal bars: (y, low, point, high) per row."""
    if not rows:
        return
    colour, marker = series_style(series)
    axes = grid.axes
    axes.plot(*_segments([(low, high, y) for y, low, _, high in rows]), color=colour, linewidth=1.3, zorder=2)
    ends = [(x, y) for y, low, _, high in rows for x in (low, high)]
    axes.plot(*zip(*ends, strict=True), linestyle="none", marker="|", color=colour, markersize=5, markeredgewidth=1.2)
    axes.plot(
        [mid for _, _, mid, _ in rows],
        [y for y, _, _, _ in rows],
        linestyle="none",
        marker=marker,
        markersize=5,
        color=colour,
        markeredgecolor="white",
        markeredgewidth=0.6,
        zorder=3,
    )


def _set_x(axes: Axes, low: float, high: float, label: Callable[[float], str] = minutes_label) -> None:
    """The x limits and round ticks inside them."""
    axes.set_xlim(low, high)
    ticks = minutes_ticks(low, high)
    axes.set_xticks(ticks, [label(t) for t in ticks])


def _groups(items: Sequence[Sequence[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The (id, name) pairs in the order they first appear."""
    return list(dict.fromkeys(pair for seq in items for pair in seq))


def distributions_figure(variants: Sequence[VariantFacts]) -> Figure:
    """The milestones' distributions per variant (see `plots.distributions_svg`)."""
    groups = _groups([[(m.milestone, m.name) for m in v.milestones] for v in variants])
    spread = {(v_index, m.milestone): m for v_index, v in enumerate(variants) for m in v.milestones}
    notes = {
        key: ("never reached" if not m.times else f"reached {share(m.reached)}")
        for key, m in spread.items()
        if m.reached < 1 or not m.times
    }
    grid = _grid(
        "Milestones: when each was reached, per variant",
        [name for _, name in groups],
        [v.label for v in variants],
        list(notes.values()),
        "minutes from T0  (line: range · bar: P10 to P90 · marker: median)",
    )
    top = max((t for m in spread.values() for t in m.times), default=60.0) / 60
    for key, text in notes.items():
        grid.note(next(g for g, (milestone, _) in enumerate(groups) if milestone == key[1]), key[0], text)
    for s in range(len(variants)):
        colour, marker = series_style(s)
        placed = [(grid.y(g, s), spread.get((s, milestone))) for g, (milestone, _) in enumerate(groups)]
        shown = [(y, m) for y, m in placed if m is not None and m.times]
        ranges = [(min(m.times) / 60, max(m.times) / 60, y) for y, m in shown]
        bars = [(m.p10 / 60, m.p90 / 60, y) for y, m in shown if m.p10 is not None and m.p90 is not None]
        medians = [(m.p50 / 60, y) for y, m in shown if m.p50 is not None]
        if ranges:
            grid.axes.plot(*_segments(ranges), color=colour, linewidth=0.7)
        if bars:
            grid.axes.plot(*_segments(bars), color=colour, linewidth=5, alpha=0.35, solid_capstyle="butt")
        if medians:
            grid.axes.plot(
                *zip(*medians, strict=True),
                linestyle="none",
                marker=marker,
                markersize=5,
                color=colour,
                markeredgecolor="white",
            )
    high = top * 1.04 if top > 0 else 1.0
    _set_x(grid.axes, -0.015 * high, high)  # a mark at T0 is drawn whole, not cut by the axis
    return grid.figure


def _signed_seconds(value: float | None) -> str:
    """A signed difference in `mm:ss`, rounded to the second exactly as the report's table rounds it (not cut)."""
    return "" if value is None else signed(round(value))


def _signed_interval(mean: Estimate) -> str:
    """`-4:10 (-5:00 to -3:20)` from seconds, written with true minus signs (U+2212)."""
    if mean.low is None or mean.high is None:
        text = _signed_seconds(mean.estimate)
    else:
        text = f"{_signed_seconds(mean.estimate)} ({_signed_seconds(mean.low)} to {_signed_seconds(mean.high)})"
    return text.replace("-", "\u2212")


def differences_figure(differences: Sequence[VariantDifference]) -> Figure:
    """A forest plot of the paired differences (see `plots.differences_svg`)."""
    groups = _groups([[(d.item, d.name) for d in v.milestones] for v in differences])
    cells = {(s, d.item): d.mean for s, v in enumerate(differences) for d in v.milestones}
    notes = {
        key: _signed_interval(mean) if mean.estimate is not None else "cannot be estimated"
        for key, mean in cells.items()
    }
    reference = cut(differences[0].reference_label, 32) if differences else "the reference"
    grid = _grid(
        f"Paired differences against {reference}, per milestone (95% intervals)",
        [name for _, name in groups],
        [f"{v.label} ({v.pairs} pairs)" for v in differences],
        list(notes.values()),
        f"difference in minutes, variant minus {reference}",
    )
    reach = 1.0
    for s in range(len(differences)):
        rows = []
        for g, (item, _) in enumerate(groups):
            mean = cells.get((s, item))
            if mean is None:
                continue
            grid.note(g, s, notes[(s, item)])
            if mean.estimate is None:
                continue
            low = mean.estimate if mean.low is None else mean.low
            high = mean.estimate if mean.high is None else mean.high
            reach = max(reach, abs(low) / 60, abs(high) / 60)
            rows.append((grid.y(g, s), low / 60, mean.estimate / 60, high / 60))
        _intervals(grid, s, rows)
    grid.axes.axvline(0, color=INK, linewidth=0.8, zorder=1)
    _set_x(grid.axes, -reach * 1.1, reach * 1.1)
    for x, text, align in ((0.0, "← earlier", "left"), (1.0, "later →", "right")):
        grid.axes.text(
            x, 1.0, text, transform=grid.axes.transAxes, ha=align, va="bottom", fontsize=SMALL_PT, color=MUTED
        )
    return grid.figure


def _percent(value: float) -> str:
    """A probability as the report's tables write it."""
    return share(value)


def objectives_figure(variants: Sequence[VariantFacts]) -> Figure:
    """The probability of meeting each objective per variant (see `plots.objectives_svg`)."""
    groups = _groups([[(o.objective, o.name) for o in v.objectives] for v in variants])
    cells = {(s, o.objective): o.met for s, v in enumerate(variants) for o in v.objectives}
    notes = {}
    for key, odds in cells.items():
        if odds.estimate is None:
            notes[key] = "not applicable"
        elif odds.low is None or odds.high is None:
            notes[key] = _percent(odds.estimate)
        else:
            notes[key] = f"{_percent(odds.estimate)} ({_percent(odds.low)} to {_percent(odds.high)})"
    grid = _grid(
        "Objectives: probability of meeting each (rated P or S), per variant",
        [name for _, name in groups],
        [v.label for v in variants],
        list(notes.values()),
        "probability of meeting the objective (rated P or S), with its 95% interval",
    )
    for s in range(len(variants)):
        rows = []
        for g, (objective, _) in enumerate(groups):
            met = cells.get((s, objective))
            if met is None:
                continue
            grid.note(g, s, notes[(s, objective)])
            if met.estimate is not None:
                low = met.estimate if met.low is None else met.low
                high = met.estimate if met.high is None else met.high
                rows.append((grid.y(g, s), low, met.estimate, high))
        _intervals(grid, s, rows)
    grid.axes.set_xlim(-0.02, 1.02)
    ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    grid.axes.set_xticks(ticks, [_percent(t) for t in ticks])
    return grid.figure
