"""The report's plots as deterministic SVG documents: the same facts give the same bytes, on any machine.

Each plot is drawn on a `matplotlib.figure.Figure` of its own (no pyplot: no global figure registry, no interactive
backend, nothing to close), inside `matplotlib.rc_context` with the house style (`_plot_style.figure_style`): text
kept as text in DejaVu Sans (shipped with matplotlib), no mathtext (a `$` in a name is a dollar), SVG ids from a
fixed salt per plot, no date or creator in the metadata. Names are escaped by the SVG writer (`<script>` becomes
`&lt;script&gt;`). Colours are Okabe-Ito, with a marker shape (and a line style) per series as well, so that nothing
depends on colour alone; every figure is 17 cm wide and grows in height with its rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.analysis.report.model import Awareness, Handover, VariantDifference, VariantFacts


def timeline_svg(
    milestones: Sequence[tuple[str, float]],
    handovers: Sequence[Handover],
    lanes: Sequence[tuple[str, str]],
    end_t: float,
) -> str:
    """The run's timeline: one lane per organisation, its hand-overs as arrows and its milestones along the top.

    Args:
        milestones: (name, t) of each milestone reached; numbered in time order at the top, named in a key below.
        handovers: drawn as arrows from the sender's lane at `sent_t` to the receiver's at `learned_t` (solid for a
            true fact, dashed for a false report, dotted to the end when still in transit); lost or undeliverable
            ones as a cross at the sender; those that arrived already known are not drawn. Hand-overs between
            organisations not in `lanes` are left out.
        lanes: (id, name) of each organisation, top to bottom (a long name is cut in the middle: its end stays).
        end_t: the end of the run (seconds); the x axis ends a little after the last hand-over or milestone (8% of
            its time, a minute at least), or at `end_t` if that comes first, so that a long run's arrows do not
            crowd its first minutes. An arrow still in transit runs to the axis's end.

    Returns:
        The SVG document.
    """
    from simulator.analysis.report._plot_style import plot_style, svg_of
    from simulator.analysis.report._run_plots import timeline_figure

    with plot_style("timeline"):
        return svg_of(timeline_figure(milestones, handovers, lanes, end_t), "Timeline")


def awareness_svg(awareness: Sequence[Awareness], end_t: float) -> str:
    """Who knew which key fact when: a row per organisation, a marker per fact where it learned it.

    Args:
        awareness: the (organisation, key fact) rows, organisations in order; one colour and shape per fact, hollow
            for a false report, a black bar where its correction was learned, and a `never` column on the right
            for the facts an organisation never learned.
        end_t: the end of the run (seconds), the x axis's right end.

    Returns:
        The SVG document.
    """
    from simulator.analysis.report._plot_style import plot_style, svg_of
    from simulator.analysis.report._run_plots import awareness_figure

    with plot_style("awareness"):
        return svg_of(awareness_figure(awareness, end_t), "Awareness of the key facts")


def distributions_svg(variants: Sequence[VariantFacts]) -> str:
    """Per milestone (rows) and variant: the range, P10 to P90 and median of its time, with the share reached when
    some replications never reached it.

    Args:
        variants: the batch's variants, in order (one colour and shape each).

    Returns:
        The SVG document.
    """
    from simulator.analysis.report._batch_plots import distributions_figure
    from simulator.analysis.report._plot_style import plot_style, svg_of

    with plot_style("distributions"):
        return svg_of(distributions_figure(variants), "Milestone distributions")


def differences_svg(differences: Sequence[VariantDifference]) -> str:
    """A forest plot: per milestone and variant the mean paired difference against the reference (minutes) with its
    95% interval, a zero line, and `earlier ← → later`.

    Args:
        differences: one per non-reference variant, in order.

    Returns:
        The SVG document.
    """
    from simulator.analysis.report._batch_plots import differences_figure
    from simulator.analysis.report._plot_style import plot_style, svg_of

    with plot_style("differences"):
        return svg_of(differences_figure(differences), "Paired differences")


def objectives_svg(variants: Sequence[VariantFacts]) -> str:
    """Per objective and variant: the probability of meeting it (0 to 100%) with its 95% interval.

    Args:
        variants: the batch's variants, in order.

    Returns:
        The SVG document.
    """
    from simulator.analysis.report._batch_plots import objectives_figure
    from simulator.analysis.report._plot_style import plot_style, svg_of

    with plot_style("objectives"):
        return svg_of(objectives_figure(variants), "Objectives met")
