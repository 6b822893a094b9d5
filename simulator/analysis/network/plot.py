"""The drawing of one alert's network: organisations placed by expected time to awareness, single points of failure
marked, what a what-if left out drawn dashed (SVG or PNG, byte for byte the same for the same analysis)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
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
    cut,
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
"""Names longer than this are cut in the middle, keeping their end (`… (112)`)."""
LABEL_GAP_IN = 0.1
"""Between a node and its name."""
FORMATS = (".svg", ".png")
"""The suffixes `draw_network` writes."""


def network_plot(analysis: NetworkAnalysis, alert: Alert, scenario: Scenario, suffix: str) -> bytes:
    """The drawing of `alert` as `.svg` or `.png` bytes.

    Args:
        analysis: The network analysis the alert belongs to.
        alert: The alert to draw.
        scenario: The scenario analysed (its channels are drawn).
        suffix: `.svg` or `.png`.

    Raises:
        ValueError: another suffix.
    """
    if suffix not in FORMATS:
        raise ValueError(f"a network plot is .svg or .png, not {suffix!r}")
    name = f"network-{alert.site or 'from'}"
    with plot_style(name):
        figure, title = _figure(analysis, alert, scenario)
        if suffix == ".svg":
            return svg_of(figure, title).encode("utf-8")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None, "Title": title})
        return buffer.getvalue()


def draw_network(
    analysis: NetworkAnalysis, alert: Alert, scenario: Scenario, path: Path, *, force: bool = False
) -> None:
    """Write the drawing of `alert` to `path` (`.svg` or `.png` by its suffix); an existing file only with `force`.

    Raises:
        ValueError: another suffix.
        simulator.files.FileRefusedError: `path` exists and `force` is false, or is a symbolic link.
    """
    write_file(path, network_plot(analysis, alert, scenario, path.suffix.lower()), replace=force)


def _figure(analysis: NetworkAnalysis, alert: Alert, scenario: Scenario) -> tuple[Figure, str]:
    names = analysis.names
    reached = [reach for reach in alert.reach if reach.expected_s is not None]
    never = [reach for reach in alert.reach if reach.expected_s is None]
    removed_people = {item.id for item in analysis.removed if item.kind == "stakeholder"}
    labels = {
        reach.stakeholder: cut_middle(names.get(reach.stakeholder, reach.stakeholder), NAME_CHARS)
        + (" (left out)" if reach.stakeholder in removed_people else "")
        for reach in alert.reach
    }
    widths = {sid: text_width_in(label, SMALL_PT) for sid, label in labels.items()}
    longest = max(widths.values(), default=1.0)
    span_s = max([reach.expected_s or 0.0 for reach in reached] + [60.0])
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
    top_in = 0.45 + legend_in
    height_in = rows * LANE_IN + 0.65 + top_in
    figure = Figure(figsize=(width_in, height_in))
    ax = figure.add_axes((0.3 / width_in, 0.55 / height_in, (width_in - 0.6) / width_in, (rows * LANE_IN) / height_in))
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
        fill: Any = "white" if reach.expected_s is None else colours(0.9 * (reach.expected_s / span_s))
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
            # Channels pass behind names: a white ground keeps every name readable.
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.4},
        )

    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.3 / width_in, 1.0 - 0.4 / height_in),
        ncol=columns,
        frameon=False,
        fontsize=SMALL_PT,
        handlelength=1.6,
        columnspacing=1.2,
    )
    where = names.get(alert.site, alert.site) if alert.site else ", ".join(names.get(o, o) for o in alert.origins)
    title = f"{analysis.title}: an alert at {where}" if alert.site else f"{analysis.title}: an alert from {where}"
    if analysis.variant:
        title += f" (variant {analysis.variant})"
    figure.text(0.3 / width_in, 1.0 - 0.12 / height_in, cut(title, 120), fontsize=FONT_PT, weight="bold", va="top")
    return figure, title


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
