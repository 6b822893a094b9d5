"""The drawing of one alert's network: organisations placed by expected time to awareness, single points of failure
marked, what a what-if left out drawn dashed (SVG or PNG, byte for byte the same for the same analysis)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from scenarios import Scenario
from simulator.analysis.network.model import Alert, NetworkAnalysis
from simulator.analysis.report._plot_style import (
    FONT_PT,
    INK,
    MUTED,
    SMALL_PT,
    columns_for,
    cut_middle,
    legend_height_in,
    minutes_label,
    minutes_ticks,
    plot_style,
    svg_of,
    text_width_in,
)
from simulator.files import write_file

CUT = "#D55E00"
"""Vermillion (Okabe-Ito): single points of failure, as an outline and as a thick channel."""
PATH = "#444444"
"""The hops of the fastest expected paths."""
OTHER = "#C8C8C8"
"""The other enabled channels."""
COLOURS = "cividis"
"""Expected time, dark blue (early) to yellow (late): readable with every colour-vision deficiency and in grey."""
LANE_IN = 0.3
"""The height of one row of organisations."""
NODE_PT = 70.0
"""The area of a node's marker."""
NAME_CHARS = 40
"""Names longer than twice this are cut in the middle, keeping their end (`… (112)`)."""
NAME_WIDTH_IN = 2.2
"""A name wider than this goes on two lines."""
COLOUR_BAR_IN = 0.35
"""The room the colour bar takes under the time axis."""
LABEL_GAP_IN = 0.1
"""Between a node and its name."""
FORMATS = (".svg", ".png")
"""The suffixes `draw_network` writes."""


def network_plot(
    analysis: NetworkAnalysis, alert: Alert, scenario: Scenario, suffix: str, *, scale_s: float | None = None
) -> bytes:
    """The drawing of `alert` as `.svg` or `.png` bytes.

    Args:
        analysis: The network analysis the alert belongs to.
        alert: The alert to draw.
        scenario: The scenario analysed (its channels are drawn).
        suffix: `.svg` or `.png`.
        scale_s: The time the colour scale ends at (default: the alert's latest expected time); a what-if passes
            the latest of the network before it, so that the two drawings' colours compare.

    Raises:
        ValueError: another suffix.
    """
    if suffix not in FORMATS:
        raise ValueError(f"a network plot is .svg or .png, not {suffix!r}")
    name = f"network-{alert.site or 'from'}"
    with plot_style(name):
        figure, title = _figure(analysis, alert, scenario, scale_s)
        if suffix == ".svg":
            return svg_of(figure, title).encode("utf-8")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None, "Title": title})
        return buffer.getvalue()


def draw_network(
    analysis: NetworkAnalysis,
    alert: Alert,
    scenario: Scenario,
    path: Path,
    *,
    force: bool = False,
    scale_s: float | None = None,
) -> None:
    """Write the drawing of `alert` to `path` (`.svg` or `.png` by its suffix); an existing file only with `force`.

    Raises:
        ValueError: another suffix.
        simulator.files.FileRefusedError: `path` exists and `force` is false, or is a symbolic link.
    """
    write_file(path, network_plot(analysis, alert, scenario, path.suffix.lower(), scale_s=scale_s), replace=force)


def _wrap(text: str, width_in: float, size: float, *, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width_in` (words kept whole; a single longer word on a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width_in(f"{lines[-1]} {word}", size, bold=bold) <= width_in:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _figure(
    analysis: NetworkAnalysis, alert: Alert, scenario: Scenario, scale_s: float | None = None
) -> tuple[Figure, str]:
    names = analysis.names
    reached = [reach for reach in alert.reach if reach.expected_s is not None]
    never = [reach for reach in alert.reach if reach.expected_s is None]
    removed_people = {item.id for item in analysis.removed if item.kind == "stakeholder"}
    # A long name goes on two lines, never clipped; only a name longer than two lines is cut in the middle.
    labels = {
        reach.stakeholder: "\n".join(
            _wrap(
                cut_middle(names.get(reach.stakeholder, reach.stakeholder), 2 * NAME_CHARS)
                + (" (left out)" if reach.stakeholder in removed_people else ""),
                NAME_WIDTH_IN,
                SMALL_PT,
            )[:2]
        )
        for reach in alert.reach
    }
    widths = {sid: max(text_width_in(line, SMALL_PT) for line in label.split("\n")) for sid, label in labels.items()}
    longest = max(widths.values(), default=1.0)
    span_s = max([reach.expected_s or 0.0 for reach in reached] + [60.0, scale_s or 0.0])
    colour_s = max(scale_s, 1.0) if scale_s is not None else span_s
    """The colour scale runs from T+0 to this (later times take its last colour)."""
    time_in = max(4.0, min(8.0, 0.45 * len(reached)))
    """The width of the time axis: wider for more organisations, so that fewer rows are needed."""
    never_x = time_in + longest + 0.8

    def x_of(seconds: float) -> float:
        return seconds / span_s * time_in

    pos: dict[str, tuple[float, float]] = {}
    lane_ends: list[float] = []
    for reach in reached:
        x = x_of(reach.expected_s or 0.0)
        # The first row whose last name ends before this node: rows fill like lines of text, left to right.
        lane = next((row for row, end in enumerate(lane_ends) if end <= x), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(0.0)
        lane_ends[lane] = x + LABEL_GAP_IN + widths[reach.stakeholder] + 0.15
        pos[reach.stakeholder] = (x, -lane * LANE_IN)
    for index, reach in enumerate(never):
        pos[reach.stakeholder] = (never_x, -index * LANE_IN)
    rows = max(len(lane_ends), len(never), 1)
    width_in = never_x + (longest + 0.5 if never else 0.2) + 0.6
    handles = _legend(alert, analysis)
    columns = columns_for([str(handle.get_label()) for handle in handles], width_in - 0.6)
    legend_in = legend_height_in(-(-len(handles) // columns))
    where = names.get(alert.site, alert.site) if alert.site else ", ".join(names.get(o, o) for o in alert.origins)
    title = f"{analysis.title}: an alert at {where}" if alert.site else f"{analysis.title}: an alert from {where}"
    if analysis.variant:
        title += f" (variant {analysis.variant})"
    title_lines = _wrap(title, width_in - 0.6, FONT_PT, bold=True)
    title_in = len(title_lines) * FONT_PT * 1.3 / 72.0
    top_in = 0.25 + title_in + legend_in
    bottom_in = 0.55 + COLOUR_BAR_IN
    height_in = rows * LANE_IN + bottom_in + 0.1 + top_in
    figure = Figure(figsize=(width_in, height_in))
    ax = figure.add_axes(
        (0.3 / width_in, bottom_in / height_in, (width_in - 0.6) / width_in, (rows * LANE_IN) / height_in)
    )
    ax.set_xlim(-0.25, width_in - 0.6 - 0.25)
    ax.set_ylim(-(rows - 0.5) * LANE_IN, 0.5 * LANE_IN)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    ticks = [t for t in minutes_ticks(0.0, span_s / 60.0, 6) if t * 60.0 <= span_s]
    ax.set_xticks([x_of(t * 60.0) for t in ticks], [minutes_label(t) for t in ticks])
    ax.spines["bottom"].set_bounds(0.0, time_in)
    ax.set_xlabel("minutes after the alert (expected time to awareness)", fontsize=SMALL_PT)
    if never:
        ax.axvline(never_x - 0.4, color=OTHER, linewidth=0.6, linestyle=(0, (2, 2)))
        ax.text(never_x, 0.5 * LANE_IN, "never reached", fontsize=SMALL_PT, color=MUTED, va="bottom")

    removed_channels = {item.id for item in analysis.removed if item.kind == "channel"}
    cut_channels = {cut_off.id for cut_off in alert.cut_offs if cut_off.kind == "channel"}
    cut_people = {cut_off.id for cut_off in alert.cut_offs if cut_off.kind == "stakeholder"}
    path_edges = {(reach.via.sender, reach.via.receiver) for reach in alert.reach if reach.via is not None}
    graph = nx.DiGraph()
    graph.add_nodes_from(pos)
    other: list[tuple[str, str]] = []
    dashed: list[tuple[str, str]] = []
    bold: list[tuple[str, str]] = []
    for channel in sorted(scenario.channels, key=lambda c: c.id):
        edge = (channel.from_, channel.to)
        if edge[0] not in pos or edge[1] not in pos or edge[0] == edge[1]:
            continue
        if channel.id in removed_channels or removed_people & set(edge):
            dashed.append(edge)
        elif channel.id in cut_channels:
            bold.append(edge)
        elif channel.enabled and edge not in path_edges:
            other.append(edge)
    _edges(ax, graph, pos, sorted(set(other)), OTHER, 0.5)
    _edges(ax, graph, pos, sorted(path_edges), PATH, 1.0)
    _edges(ax, graph, pos, sorted(set(bold)), CUT, 2.0)
    _edges(ax, graph, pos, sorted(set(dashed)), MUTED, 0.8, dashed=True)
    # networkx hides the axes' ticks when it draws: the time axis needs them back.
    ax.tick_params(axis="x", bottom=True, labelbottom=True)

    colours = matplotlib.colormaps[COLOURS]
    for reach in alert.reach:
        sid = reach.stakeholder
        x, y = pos[sid]
        fill: Any = "white" if reach.expected_s is None else colours(0.9 * min(1.0, reach.expected_s / colour_s))
        line = CUT if sid in cut_people else (MUTED if reach.expected_s is None else INK)
        ax.scatter(
            [x],
            [y],
            s=NODE_PT,
            marker="s" if sid in alert.origins else "o",
            c=[fill],
            edgecolors=[line],
            linewidths=2.2 if sid in cut_people else 0.8,
            linestyle="--" if sid in removed_people else "-",
            zorder=3,
        )
        ax.text(
            x + LABEL_GAP_IN,
            y,
            labels[sid],
            fontsize=SMALL_PT,
            va="center",
            ha="left",
            color=INK,
            zorder=4,
            # Channels pass behind names: an opaque white ground keeps every name readable.
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4},
        )

    _colour_bar(figure, width_in, height_in, min(time_in, 3.0), colour_s)
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.3 / width_in, 1.0 - (0.2 + title_in) / height_in),
        ncol=columns,
        frameon=False,
        fontsize=SMALL_PT,
        handlelength=1.6,
        columnspacing=1.2,
    )
    figure.text(
        0.3 / width_in, 1.0 - 0.12 / height_in, "\n".join(title_lines), fontsize=FONT_PT, weight="bold", va="top"
    )
    return figure, title


def _colour_bar(figure: Figure, width_in: float, height_in: float, bar_in: float, colour_s: float) -> None:
    """The colour scale of the expected times, from T+0 to `colour_s`, under the time axis."""
    colours = matplotlib.colormaps[COLOURS]
    scale = ListedColormap([colours(0.9 * i / 255) for i in range(256)])
    bar = figure.add_axes((0.3 / width_in, 0.22 / height_in, bar_in / width_in, 0.08 / height_in))
    mappable = ScalarMappable(norm=Normalize(0.0, colour_s / 60.0), cmap=scale)
    figure.colorbar(mappable, cax=bar, orientation="horizontal")
    ticks = [t for t in minutes_ticks(0.0, colour_s / 60.0, 4) if t * 60.0 <= colour_s]
    bar.set_xticks(ticks, [minutes_label(t) for t in ticks])
    bar.tick_params(labelsize=SMALL_PT, length=2, pad=1)
    bar.text(1.03, 0.5, "colour: expected minutes", transform=bar.transAxes, fontsize=SMALL_PT, va="center")


def _legend(alert: Alert, analysis: NetworkAnalysis) -> list[Line2D]:
    """The legend's entries: what the shapes, colours and lines mean (the what-if and cut entries when they occur)."""
    colours = matplotlib.colormaps[COLOURS]
    handles = [
        Line2D(
            [], [], marker="s", linestyle="", markerfacecolor=colours(0.0), markeredgecolor=INK, label="knows at T+0"
        ),
        Line2D([], [], marker="o", linestyle="", markerfacecolor=colours(0.45), markeredgecolor=INK, label="reached"),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=MUTED, label="never reached"),
        Line2D([], [], color=PATH, linewidth=1.0, label="fastest expected path"),
        Line2D([], [], color=OTHER, linewidth=0.8, label="other channel"),
    ]
    if alert.cut_offs:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color=CUT,
                linewidth=2.0,
                markerfacecolor="white",
                markeredgecolor=CUT,
                markeredgewidth=2.0,
                label="single point of failure",
            )
        )
    if analysis.removed:
        handles.append(Line2D([], [], color=MUTED, linestyle="--", label="left out (what-if)"))
    return handles


def _edges(
    ax: Axes,
    graph: nx.DiGraph[str],
    pos: dict[str, tuple[float, float]],
    edges: list[tuple[str, str]],
    colour: str,
    width: float,
    *,
    dashed: bool = False,
) -> None:
    """Draw `edges` as arrows that stop at the nodes' markers, bending a little so that both directions show."""
    if not edges:
        return
    nx.draw_networkx_edges(
        graph,
        pos,
        edgelist=edges,
        ax=ax,
        edge_color=colour,
        width=width,
        style="dashed" if dashed else "solid",
        arrows=True,
        arrowstyle="-|>",
        arrowsize=7,
        node_size=NODE_PT,
        connectionstyle="arc3,rad=0.08",
    )
