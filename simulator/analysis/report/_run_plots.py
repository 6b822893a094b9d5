"""The plots of one run: the timeline of milestones and hand-overs, and who knew which key fact when."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulator.analysis.report._plot_style import (
    FALSE_COLOUR,
    GRID,
    INK,
    MUTED,
    SMALL_PT,
    TITLE_PT,
    TRUE_COLOUR,
    WIDTH_IN,
    columns_for,
    cut,
    cut_middle,
    legend_height_in,
    minutes_label,
    minutes_ticks,
    series_style,
    text_width_in,
)
from simulator.analysis.report.model import Awareness, Handover
from simulator.formatting import minutes

_TITLE_BAND_IN = 0.32
_AXIS_BAND_IN = 0.42
"""Below the axes: the tick labels and the axis label."""
_KEY_ROW_IN = 0.16
_RIGHT_IN = 0.2


def _lane_height_in(rows: int) -> float:
    """Rows stay readable from 3 to 50 organisations: roomier when few, never under a tick label's height."""
    return 0.3 if rows <= 12 else 0.22 if rows <= 25 else 0.17


def _end_minutes(end_t: float, times: Sequence[float]) -> float:
    """The x axis's right end in minutes: the run's end, or the last thing drawn when the end is unknown."""
    last = max([end_t, *times]) / 60.0
    return last if last > 0 else 1.0


_TAIL = 0.08
"""How far the timeline runs past its last hand-over or milestone, as a share of that time (at least a minute)."""


def _timeline_end_minutes(end_t: float, times: Sequence[float], shown: Sequence[Handover]) -> float:
    """The timeline's right end in minutes: shortly after the last hand-over or milestone, not at the run's end.

    A run ends long after its last message (120 minutes, say, for hand-overs in the first 15): drawn to its end, the
    arrows would crowd its first minutes. An arrow still in transit is drawn dotted to the axis's end.
    """
    learned = [h.learned_t for h in shown if h.learned_t is not None]
    last = max([*times, *learned], default=0.0)
    if last <= 0:
        return _end_minutes(end_t, times)
    tail = last + max(_TAIL * last, 60.0)
    return (tail if end_t <= 0 else max(min(end_t, tail), last)) / 60.0


def _title(figure: Figure, height_in: float, text: str) -> None:
    """The plot's title, top left."""
    figure.text(0.08 / WIDTH_IN, 1 - 0.08 / height_in, text, fontsize=TITLE_PT, fontweight="bold", va="top")


def _time_axis(axes: Axes, end_min: float, *, label: bool = True) -> None:
    """A minutes-from-T0 x axis from 0 to `end_min`, with a light vertical grid."""
    axes.set_xlim(0, end_min)
    ticks = minutes_ticks(0, end_min)
    axes.set_xticks(ticks, [minutes_label(t) for t in ticks])
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    if label:
        axes.set_xlabel("minutes from T0")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _rows_axis(axes: Axes, names: Sequence[str]) -> None:
    """One row per name, the first on top, with light row lines (one collection: fast for 50 rows)."""
    axes.set_ylim(max(len(names), 1) - 0.5, -0.5)
    axes.set_yticks(range(len(names)), [cut_middle(name) for name in names])
    axes.hlines(range(len(names)), 0, 1, transform=axes.get_yaxis_transform(), color=GRID, linewidth=0.6, zorder=0)


def _clusters(centres_in: Sequence[float], reach_in: float = 0.12) -> list[list[int]]:
    """The indexes of (sorted) label positions grouped where they lie within `reach_in` of a group's first."""
    groups: list[list[int]] = []
    for index, centre in enumerate(centres_in):
        if groups and centre - centres_in[groups[-1][0]] <= reach_in:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _stagger(centres_in: Sequence[float], widths_in: Sequence[float], gap_in: float = 0.06) -> list[int]:
    """A row for each label (centred at `centres_in`, in that order) such that no two in a row touch."""
    ends: list[float] = []
    rows: list[int] = []
    for centre, width in zip(centres_in, widths_in, strict=True):
        left = centre - width / 2
        row = next((r for r, end in enumerate(ends) if left >= end + gap_in), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = centre + width / 2
        rows.append(row)
    return rows


def timeline_figure(
    milestones: Sequence[tuple[str, float]],
    handovers: Sequence[Handover],
    lanes: Sequence[tuple[str, str]],
    end_t: float,
) -> Figure:
    """The timeline (see `plots.timeline_svg`)."""
    lane_of = {lane_id: row for row, (lane_id, _) in enumerate(lanes)}
    shown = [h for h in handovers if h.sender in lane_of and h.receiver in lane_of]
    ordered = [item for _, item in sorted(enumerate(milestones), key=lambda pair: (pair[1][1], pair[0]))]
    end_min = _timeline_end_minutes(end_t, [t for _, t in milestones] + [h.sent_t for h in shown], shown)
    left_in = max((text_width_in(cut_middle(name), SMALL_PT) for _, name in lanes), default=0.5) + 0.2
    axes_w = WIDTH_IN - left_in - _RIGHT_IN
    centres = [left_in + min(max(t / 60 / end_min, 0), 1) * axes_w for _, t in ordered]
    # Milestones a few points apart share one label (`3` to `5` with an en dash): the labels stay a row or two high.
    groups = _clusters(centres)
    labels = [f"{g[0] + 1}" if len(g) == 1 else f"{g[0] + 1}\u2013{g[-1] + 1}" for g in groups]
    label_x = [sum(centres[i] for i in g) / len(g) for g in groups]
    label_rows = _stagger(label_x, [text_width_in(label, SMALL_PT, bold=True) for label in labels])
    band_in = (max(label_rows, default=-1) + 1) * 0.15 + 0.06
    key = [f"{n}  {cut(name, 44)} ({minutes(t)})" for n, (name, t) in enumerate(ordered, start=1)]
    key_cols = min(3, columns_for(key, WIDTH_IN - 0.3, handle_in=0.0)) if key else 1
    key_rows = math.ceil(len(key) / key_cols)
    styles = _handover_styles(shown)
    legend_in = legend_height_in(1 if styles else 0)
    lane_in = _lane_height_in(len(lanes))
    plot_in = max(len(lanes), 2) * lane_in
    bottom_in = _AXIS_BAND_IN + legend_in + key_rows * _KEY_ROW_IN + 0.1
    height_in = _TITLE_BAND_IN + band_in + plot_in + bottom_in
    figure = Figure(figsize=(WIDTH_IN, height_in))
    axes = figure.add_axes((left_in / WIDTH_IN, bottom_in / height_in, axes_w / WIDTH_IN, plot_in / height_in))
    _title(figure, height_in, "Timeline: milestones and hand-overs between organisations")
    _time_axis(axes, end_min)
    _rows_axis(axes, [name for _, name in lanes])
    axes.vlines(
        [t / 60 for _, t in ordered],
        0,
        1,
        transform=axes.get_xaxis_transform(),
        color=MUTED,
        linewidth=0.6,
        linestyle=":",
        zorder=1,
    )
    top = (bottom_in + plot_in) / height_in
    for label, row, x in zip(labels, label_rows, label_x, strict=True):
        label_y = top + (0.06 + row * 0.15) / height_in
        figure.add_artist(Line2D([x / WIDTH_IN] * 2, [top, label_y], color=MUTED, linewidth=0.6, linestyle=":"))
        figure.text(x / WIDTH_IN, label_y, label, fontsize=SMALL_PT, fontweight="bold", ha="center", va="bottom")
    _draw_handovers(axes, shown, lane_of, end_min, (axes_w / end_min, lane_in))
    if styles:
        figure.legend(
            handles=list(styles.values()),
            labels=list(styles),
            loc="upper center",
            bbox_to_anchor=(0.5, (bottom_in - _AXIS_BAND_IN) / height_in),
            ncol=len(styles),
            handlelength=2.4,
            columnspacing=1.6,
        )
    key_top = bottom_in - _AXIS_BAND_IN - legend_in
    column_w = (WIDTH_IN - 0.3) / key_cols
    for index, entry in enumerate(key):
        column, row = divmod(index, key_rows)
        y = (key_top - row * _KEY_ROW_IN) / height_in
        figure.text((0.15 + column * column_w) / WIDTH_IN, y, entry, fontsize=SMALL_PT, va="top")
    return figure


_LOST = "lost or undeliverable (at the sender)"
_ARROWS: dict[str, tuple[str, Literal["-", "--", ":"]]] = {
    "true fact learned": (TRUE_COLOUR, "-"),
    "false report learned": (FALSE_COLOUR, "--"),
    "in transit at the end": (MUTED, ":"),
}
"""Each kind of arrow's colour and line style (in the legend's order)."""


def _handover_styles(shown: Sequence[Handover]) -> dict[str, Line2D]:
    """The legend of the hand-over styles present, in a fixed order."""
    present = {_kind(h) for h in shown}
    styles = {label: Line2D([], [], color=colour, linestyle=style) for label, (colour, style) in _ARROWS.items()}
    styles[_LOST] = Line2D([], [], color=INK, marker="x", linestyle="none", markersize=5)
    return {label: handle for label, handle in styles.items() if label in present}


def _kind(handover: Handover) -> str:
    """Which legend entry a hand-over is drawn as (a message that arrived already known is not drawn)."""
    if handover.outcome in ("lost", "undeliverable"):
        return _LOST
    if handover.outcome == "in transit":
        return "in transit at the end"
    if handover.learned_t is None:
        return "already known"
    return "true fact learned" if handover.true else "false report learned"


_HEAD_IN = (0.07, 0.025)
"""An arrowhead's length and half-width, in inches."""


def _draw_handovers(
    axes: Axes, shown: Sequence[Handover], lane_of: dict[str, int], end_min: float, scale: tuple[float, float]
) -> None:
    """The hand-overs: per kind, one collection of shafts and one of heads (a patch per arrow is slow for hundreds).

    The heads are drawn in inches (`scale`: inches per minute and per lane; the layout is fixed), so that they keep
    their shape whatever the axes' aspect.
    """
    lost = [(h.sent_t / 60, lane_of[h.sender]) for h in shown if _kind(h) == _LOST]
    if lost:
        xs, ys = zip(*lost, strict=True)
        axes.plot(xs, ys, linestyle="none", marker="x", color=INK, markersize=5, markeredgewidth=1.0, zorder=4)
    for kind, (colour, style) in _ARROWS.items():
        shafts, heads = [], []
        for h in (h for h in shown if _kind(h) == kind):
            x0, y0 = h.sent_t / 60, lane_of[h.sender]
            x1, y1 = (end_min if h.learned_t is None else h.learned_t / 60), lane_of[h.receiver]
            dx, dy = (x1 - x0) * scale[0], (y1 - y0) * scale[1]
            length = math.hypot(dx, dy)
            if length < 1e-6:
                continue
            ux, uy = dx / length, dy / length
            head, half = min(_HEAD_IN[0], length), _HEAD_IN[1]
            bx, by = x1 - ux * head / scale[0], y1 - uy * head / scale[1]
            shafts.append([(x0, y0), (bx, by)])
            heads.append(
                [
                    (x1, y1),
                    (bx - uy * half / scale[0], by + ux * half / scale[1]),
                    (bx + uy * half / scale[0], by - ux * half / scale[1]),
                ]
            )
        if shafts:
            axes.add_collection(LineCollection(shafts, colors=colour, linewidths=0.9, linestyles=style, zorder=3))
            axes.add_collection(PolyCollection(heads, facecolors=colour, edgecolors="none", zorder=3))


def awareness_figure(awareness: Sequence[Awareness], end_t: float) -> Figure:
    """Who knew which key fact when (see `plots.awareness_svg`)."""
    organisations = list(dict.fromkeys((a.stakeholder, a.stakeholder_name) for a in awareness))
    facts = list(dict.fromkeys((a.fact, a.fact_text, a.true) for a in awareness))
    row_of = {org: row for row, (org, _) in enumerate(organisations)}
    fact_index = {fact: index for index, (fact, _, _) in enumerate(facts)}
    never_facts = list(dict.fromkeys(a.fact for a in awareness if a.learned_t is None))
    times = [t for a in awareness for t in (a.learned_t, a.corrected_t) if t is not None]
    end_min = _end_minutes(end_t, times)
    left_in = max((text_width_in(cut_middle(name), SMALL_PT) for _, name in organisations), default=0.5) + 0.2
    never_in = min(max(0.45, 0.12 * len(never_facts) + 0.2), 1.6) if never_facts else 0.0
    labels = [cut(text, 60) + ("" if true else " (false report)") for _, text, true in facts]
    has_correction = any(a.corrected_t is not None for a in awareness)
    entries = [*labels, *(["correction learned"] if has_correction else [])]
    columns = columns_for(entries, WIDTH_IN - 0.3)
    legend_in = legend_height_in(math.ceil(len(entries) / columns))
    plot_in = max(len(organisations), 2) * _lane_height_in(len(organisations))
    bottom_in = _AXIS_BAND_IN + legend_in + 0.05
    height_in = _TITLE_BAND_IN + 0.1 + plot_in + bottom_in
    figure = Figure(figsize=(WIDTH_IN, height_in))
    gap_in = 0.12 if never_facts else 0.0
    axes_w = WIDTH_IN - left_in - _RIGHT_IN - never_in - gap_in
    box = (bottom_in / height_in, plot_in / height_in)
    axes = figure.add_axes((left_in / WIDTH_IN, box[0], axes_w / WIDTH_IN, box[1]))
    _title(figure, height_in, "Awareness: when each organisation learned each key fact")
    _time_axis(axes, end_min)
    _rows_axis(axes, [name for _, name in organisations])
    spread = min(0.16, 0.7 / max(len(facts), 1))
    never_axes = None
    if never_facts:
        never_axes = figure.add_axes(((left_in + axes_w + gap_in) / WIDTH_IN, box[0], never_in / WIDTH_IN, box[1]))
        never_axes.set_ylim(len(organisations) - 0.5, -0.5)
        never_axes.set_xlim(-0.7, len(never_facts) - 0.3)
        never_axes.set_xticks([(len(never_facts) - 1) / 2], ["never"])
        never_axes.set_yticks([])
        for row in range(len(organisations)):
            never_axes.axhline(row, color=GRID, linewidth=0.6, zorder=0)
        for side in ("top", "right", "left"):
            never_axes.spines[side].set_visible(False)
    # One artist per fact and axes (not per marker): 50 organisations times a dozen facts stay fast to draw.
    points: dict[tuple[int, bool], tuple[list[float], list[float]]] = {}
    corrections: dict[int, list[tuple[float, float, float]]] = {}
    for item in awareness:
        index = fact_index[item.fact]
        never = item.learned_t is None
        # On the time axis facts learned at once are spread apart vertically; in the never column each fact has a
        # column of its own, so its marks sit on their organisation's row, where the reader looks for them.
        y = row_of[item.stakeholder] + (0.0 if never else (index - (len(facts) - 1) / 2) * spread)
        x = float(never_facts.index(item.fact)) if item.learned_t is None else item.learned_t / 60
        xs, ys = points.setdefault((index, never), ([], []))
        xs.append(x)
        ys.append(y)
        if item.corrected_t is not None and item.learned_t is not None:
            corrections.setdefault(index, []).append((x, item.corrected_t / 60, y))
    for index, segments in sorted(corrections.items()):
        line_x = [v for start, end, _ in segments for v in (start, end, math.nan)]
        line_y = [v for _, _, y in segments for v in (y, y, math.nan)]
        axes.plot(line_x, line_y, color=series_style(index)[0], linewidth=0.7, linestyle=":", zorder=2)
    ends = [(end, y) for segments in corrections.values() for _, end, y in segments]
    if ends:
        axes.plot(*zip(*ends, strict=True), linestyle="none", marker="|", color=INK, markersize=7, markeredgewidth=1.2)
    for (index, never), (xs, ys) in sorted(points.items()):
        colour, marker = series_style(index)
        target = never_axes if never and never_axes is not None else axes
        face = colour if facts[index][2] else "white"
        target.plot(
            xs,
            ys,
            linestyle="none",
            marker=marker,
            markersize=5,
            color=colour,
            markerfacecolor=face,
            markeredgewidth=0.9,
            zorder=4,
        )
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=series_style(i)[1],
            color=series_style(i)[0],
            markersize=5,
            markerfacecolor=series_style(i)[0] if true else "white",
        )
        for i, (_, _, true) in enumerate(facts)
    ]
    if has_correction:
        handles.append(Line2D([], [], linestyle="none", marker="|", color=INK, markersize=7, markeredgewidth=1.2))
    if entries:
        figure.legend(
            handles=handles,
            labels=entries,
            loc="upper left",
            bbox_to_anchor=(0.1 / WIDTH_IN, (bottom_in - _AXIS_BAND_IN) / height_in),
            ncol=columns,
            handlelength=1.2,
        )
    return figure
