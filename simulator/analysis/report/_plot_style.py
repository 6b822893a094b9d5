"""The report plots' house style: palette, markers, fonts, text measuring and the deterministic SVG writer."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#000000", "#D55E00")
"""Okabe-Ito colours for series, in the order series take them: blue, orange, black, vermillion (CIE L* 46, 71, 0,
54: at least 8 apart in greyscale). Sky blue, bluish green, reddish purple and yellow are left out: their lightness is
too close to one of these (or to white paper)."""
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X")
"""A marker shape per series (7, coprime with the 4 colours: 28 series before a (colour, shape) pair repeats)."""
TRUE_COLOUR = "#0072B2"
FALSE_COLOUR = "#D55E00"
MUTED = "#8C8C8C"
GRID = "#E3E3E3"
INK = "#222222"

WIDTH_IN = 6.7
"""17 cm: the text width of an A4 portrait page."""
FONT_PT = 8.0
SMALL_PT = 7.0
TITLE_PT = 9.5
NAME_CHARS = 32
"""Names longer than this are cut with `…` (tick labels); legends allow more."""

_STYLE: dict[str, object] = {
    "svg.hashsalt": "tabletop-report",
    "svg.fonttype": "none",
    "svg.id": None,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": FONT_PT,
    "text.parse_math": False,
    "text.usetex": False,
    "text.color": INK,
    "axes.edgecolor": "#9A9A9A",
    "axes.labelcolor": INK,
    "axes.linewidth": 0.6,
    "axes.titlesize": TITLE_PT,
    "axes.labelsize": FONT_PT,
    "xtick.color": "#9A9A9A",
    "ytick.color": "#9A9A9A",
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "xtick.labelsize": SMALL_PT,
    "ytick.labelsize": SMALL_PT,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 0.0,
    "legend.fontsize": SMALL_PT,
    "legend.frameon": False,
    "lines.linewidth": 1.0,
    "path.simplify": False,
    "svg.image_inline": True,
}
"""The rcParams every plot is drawn with (inside `rc_context`, never set globally): text stays text (`fonttype`
none, no mathtext so a `$` in a name is a dollar), ids come from a fixed salt, one font shipped with matplotlib."""


def figure_style(name: str) -> dict[str, object]:
    """The rcParams of a plot; `name` salts the SVG ids so that two plots inlined in one page never share an id."""
    return {**_STYLE, "svg.hashsalt": f"tabletop-report-{name}"}


@contextmanager
def plot_style(name: str) -> Iterator[None]:
    """Draw (and save) inside the house style."""
    rc: dict[Any, Any] = figure_style(name)  # matplotlib types the keys as a Literal of every rcParam
    with matplotlib.rc_context(rc):
        yield


def svg_of(figure: Figure, title: str) -> str:
    """The figure as a deterministic SVG document: no date, no creator (so a matplotlib upgrade alone does not change
    the bytes), the title as its `<title>` (escaped like all text)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None, "Creator": None})
    return buffer.getvalue()


_MEASURE = TextToPath()


def text_width_in(text: str, size: float = FONT_PT, *, bold: bool = False) -> float:
    """The width of one line of text in the house font, in inches (as the SVG will lay it out)."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    width, _, _ = _MEASURE.get_text_width_height_descent(text, prop, ismath=False)
    return float(width) / 72.0


def cut(text: str, limit: int = NAME_CHARS) -> str:
    """A one-line label: whitespace collapsed, cut with `…` past `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def cut_middle(text: str, limit: int = NAME_CHARS) -> str:
    """A one-line name cut in the middle past `limit` characters, keeping its end (`… (112)`, `… district`): the end
    of an organisation's name (its number, its district) is often what tells it from the one on the next row."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    opening = flat.rfind(" (")
    if flat.endswith(")") and opening >= 0 and len(flat) - opening <= limit // 2:
        tail = flat[opening + 1 :]
    else:
        tail = flat[-(limit // 3) :]
        if flat[-len(tail) - 1] != " " and " " in tail:
            tail = tail[tail.index(" ") + 1 :]  # the end's whole words only
    room = limit - 2 - len(tail)
    head = flat[:room]
    if flat[room] != " " and " " in head[room * 2 // 3 :]:
        head = head[: head.rindex(" ")]  # whole words, unless that loses more than a third of the start
    return f"{head.rstrip()}… {tail}"


def wrap(text: str, width: int = 24, lines: int = 2) -> str:
    """A label of at most `lines` lines of `width` characters, the last one cut with `…` when it does not fit."""
    parts = textwrap.wrap(" ".join(text.split()), width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], cut(" ".join(parts[lines - 1 :]), width)]
    return "\n".join(parts)


def series_style(index: int) -> tuple[str, str]:
    """The (colour, marker) of the `index`-th series."""
    return PALETTE[index % len(PALETTE)], MARKERS[index % len(MARKERS)]


def minutes_ticks(low: float, high: float, target: int = 8) -> list[float]:
    """Round tick positions (minutes) covering [low, high], about `target` of them, all inside it."""
    span = max(high - low, 1e-9)
    steps = (0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 960)
    step = next((s for s in steps if span / s <= target), steps[-1])
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 6) for i in range(max(count, 0))]


def minutes_label(value: float) -> str:
    """A tick label in minutes (`-5`, `0`, `12.5`), with a true minus sign (U+2212)."""
    text = f"{value:g}"
    return text.replace("-", "\u2212")


def columns_for(labels: Sequence[str], available_in: float, *, size: float = SMALL_PT, handle_in: float = 0.3) -> int:
    """How many legend columns of `labels` fit side by side in `available_in` inches."""
    widest = max((text_width_in(label, size) for label in labels), default=0.0) + handle_in + 0.15
    return max(1, min(len(labels), int(available_in // widest)))


def legend_height_in(rows: int, size: float = SMALL_PT) -> float:
    """The height a frameless legend of `rows` rows takes (matplotlib's default spacing), in inches."""
    return (rows * 1.65 * size + 0.6 * size) / 72.0 if rows else 0.0
