"""The report's plots: byte-stable SVG, text kept as escaped text, a greyscale-safe palette, no overlapping labels."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from itertools import combinations, pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text

from simulator.analysis.report import plots
from simulator.analysis.report._batch_plots import differences_figure, distributions_figure, objectives_figure
from simulator.analysis.report._plot_style import MARKERS, PALETTE, plot_style
from simulator.analysis.report._run_plots import awareness_figure, timeline_figure
from simulator.analysis.report.model import (
    Awareness,
    Estimate,
    Handover,
    MilestoneSpread,
    ObjectiveOdds,
    PairedDifference,
    VariantDifference,
    VariantFacts,
)
from tests.golden import report_plots as golden

PROJECT = Path(__file__).resolve().parents[3]


# --- inputs of any size -----------------------------------------------------------------------------------------------


def lanes_of(count: int) -> list[tuple[str, str]]:
    """`count` organisations with long names (cut in the plots)."""
    return [
        (f"org{i}", f"Regional emergency coordination centre number {i} of the northern district") for i in range(count)
    ]


def handovers_of(lanes: list[tuple[str, str]]) -> list[Handover]:
    """A chain through every lane, with a false report, a lost message and one in transit."""
    found = []
    for i, (sender, sender_name) in enumerate(lanes):
        receiver, receiver_name = lanes[(i + 1) % len(lanes)]
        outcomes: list[Literal["learned", "lost", "in transit"]] = ["learned", "learned", "lost", "in transit"]
        outcome = outcomes[i % 4]
        learned = 60.0 * i + 90 if outcome == "learned" else None
        found.append(
            Handover(
                sender,
                sender_name,
                receiver,
                receiver_name,
                f"f{i}",
                "a fact",
                i % 3 != 1,
                "phone",
                "voice",
                60.0 * i,
                learned,
                0,
                0.0,
                outcome,
            )
        )
    return found


MANY_MILESTONES = [(f"Milestone with a long name number {i}", 300.0 + 20 * (i // 3)) for i in range(12)]
"""Twelve milestones, three at a time within a minute: their labels must be staggered."""


def awareness_of(lanes: list[tuple[str, str]]) -> list[Awareness]:
    """Six facts per organisation (two false, one corrected), some never learned."""
    rows = []
    for i, (org, name) in enumerate(lanes):
        for j in range(6):
            learned = None if (i + j) % 5 == 0 else 60.0 * (i + j)
            corrected = learned + 300 if j == 1 and learned is not None else None
            text = f"Key fact number {j}, described at the length a scenario author might well write it"
            rows.append(Awareness(org, name, f"fact{j}", text, j not in (1, 4), learned, "Police", corrected))
    return rows


def variants_of(count: int, milestones: int) -> list[VariantFacts]:
    """`count` variants of `milestones` milestones and objectives, some never reached or not applicable."""
    variants = []
    for v in range(count):
        spreads = tuple(
            MilestoneSpread(
                f"m{m}",
                f"A milestone whose name goes on for a while {m}",
                0.8 if m % 2 else 1.0,
                600.0 + 60 * m + 30 * v,
                700.0 + 60 * m,
                900.0 + 60 * m,
                () if (m + v) % 7 == 6 else tuple(500.0 + 60 * m + 37 * k for k in range(20)),
            )
            for m in range(milestones)
        )
        objectives = tuple(
            ObjectiveOdds(
                f"o{m}",
                f"An objective with a long name, number {m} of the exercise",
                "Capability",
                Estimate(None, None, None) if m == 3 else Estimate(0.5 + 0.04 * v, 0.3, 0.7),
                (),
                20,
                "P ≤ 05:00",
            )
            for m in range(milestones)
        )
        variants.append(
            VariantFacts(
                f"v{v}",
                f"variant-with-a-long-label-{v}",
                None,
                20,
                spreads,
                objectives,
                Estimate(None, None, None),
                None,
                None,
                None,
            )
        )
    return variants


def differences_of(count: int, milestones: int) -> list[VariantDifference]:
    """`count` variants' differences, one not estimable."""
    return [
        VariantDifference(
            f"v{v}",
            f"variant-with-a-long-label-{v}",
            "base",
            20,
            tuple(
                PairedDifference(
                    f"m{m}",
                    f"A milestone whose name goes on for a while {m}",
                    20,
                    Estimate(None, None, None)
                    if m == 2
                    else Estimate(-600.0 + 90 * m, -700.0 + 90 * m, -500.0 + 90 * m),
                )
                for m in range(milestones)
            ),
            (),
            PairedDifference("harm", "harm", 20, Estimate(1.0, 0.0, 2.0)),
        )
        for v in range(count)
    ]


# --- helpers ----------------------------------------------------------------------------------------------------------


def drawn_texts(figure: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every visible, non-empty text of a drawn figure with its box in pixels (x0, y0, x1, y1)."""
    FigureCanvasAgg(figure)
    figure.set_dpi(200)
    figure.draw_without_rendering()
    found = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent()
        found.append((text.get_text(), (box.x0, box.y0, box.x1, box.y1)))
    return found


def overlaps(figure: Figure) -> list[tuple[str, str]]:
    """The pairs of texts whose boxes intersect (by more than half a pixel), and texts cut off by the figure's edge."""
    texts = drawn_texts(figure)
    width, height = figure.get_size_inches() * figure.dpi
    found = [
        (a, b)
        for (a, (ax0, ay0, ax1, ay1)), (b, (bx0, by0, bx1, by1)) in combinations(texts, 2)
        if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5
    ]
    found += [
        (a, "the figure's edge")
        for a, (x0, y0, x1, y1) in texts
        if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5
    ]
    return found


def built(name: str, make: Callable[[], Figure]) -> Iterator[Figure]:
    """A figure made (and yielded for drawing) inside the house style."""
    with plot_style(name):
        yield make()


def lightness(colour: str) -> float:
    """CIE L* (0 black to 100 white) of a colour: what is left of it in greyscale."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


# --- golden and determinism -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(golden.GOLDEN_PLOTS))
def test_each_plot_of_the_hand_built_facts_is_byte_identical_to_its_golden_svg(name: str) -> None:
    expected = golden.golden_path(name).read_bytes()

    assert golden.GOLDEN_PLOTS[name]().encode("utf-8") == expected, "regenerate: python -m tests.golden.report_plots"


def test_the_golden_svgs_stay_small() -> None:
    sizes = {name: golden.golden_path(name).stat().st_size for name in golden.GOLDEN_PLOTS}

    assert max(sizes.values()) < 40_000, sizes


def test_the_same_facts_give_the_same_bytes_under_any_hash_seed() -> None:
    script = (
        "import hashlib\nfrom tests.golden.report_plots import GOLDEN_PLOTS\n"
        "print(' '.join(hashlib.sha256(GOLDEN_PLOTS[n]().encode()).hexdigest() for n in sorted(GOLDEN_PLOTS)))"
    )
    digests = set()
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(PROJECT)}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=PROJECT, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout.strip())
    here = " ".join(hashlib.sha256(golden.GOLDEN_PLOTS[n]().encode()).hexdigest() for n in sorted(golden.GOLDEN_PLOTS))

    assert digests == {here}


@pytest.mark.parametrize("name", sorted(golden.GOLDEN_PLOTS))
def test_a_plot_keeps_its_text_as_text_with_no_date_creator_or_version(name: str) -> None:
    svg = golden.GOLDEN_PLOTS[name]()

    assert "<text " in svg
    assert "DejaVuSans-" not in svg  # no glyphs drawn as paths
    assert "Matplotlib v" not in svg
    assert "<dc:date>" not in svg


# --- what the text says -----------------------------------------------------------------------------------------------


def test_the_timeline_names_every_lane_and_milestone_with_its_time() -> None:
    svg = golden.GOLDEN_PLOTS["timeline"]()

    for label in ("Police", "Ambulance service", "1  First call (00:30)", "4  Casualties out (25:00)"):
        assert f">{label}</text>" in svg
    assert ">minutes from T0</text>" in svg


def test_the_awareness_plot_names_each_fact_marks_false_reports_and_has_a_never_column() -> None:
    svg = golden.GOLDEN_PLOTS["awareness"]()

    assert ">Shots fired at the synagogue's main entrance</text>" in svg
    assert ">A second gunman at the kosher shop (false report)</text>" in svg
    assert ">correction learned</text>" in svg
    assert ">never</text>" in svg


def test_the_batch_plots_name_the_variants_the_shares_reached_and_the_intervals() -> None:
    distributions = golden.GOLDEN_PLOTS["distributions"]()
    differences = golden.GOLDEN_PLOTS["differences"]()
    objectives = golden.GOLDEN_PLOTS["objectives"]()

    assert ">reached 90%</text>" in distributions  # radio reached 'Police on scene' in 9 of 10
    assert ">never reached</text>" in distributions
    assert "\u221202:10 (\u221202:50 to \u221201:35)" in differences  # -130 s, interval -170 s to -95 s
    assert ">cannot be estimated</text>" in differences
    assert ">← earlier</text>" in differences and ">later →</text>" in differences
    assert ">70% (40% to 89%)</text>" in objectives
    assert ">not applicable</text>" in objectives


def test_a_script_tag_in_a_name_is_escaped_text_never_an_element() -> None:
    for name, draw in golden.GOLDEN_PLOTS.items():
        svg = draw()
        expected = {"timeline": "Synagogue security", "awareness": "Synagogue security", "objectives": "Warn all sites"}
        assert f"{expected.get(name, 'All sites warned')} &lt;script&gt;" in svg
        assert "<script" not in svg


def test_a_dollar_in_a_name_stays_a_dollar_not_mathematics() -> None:
    svg = plots.timeline_svg([("Cost $5 $ per unit", 60.0)], [], [("a", "Bank $1$ unit")], 120.0)

    assert ">Bank $1$ unit</text>" in svg
    assert ">1  Cost $5 $ per unit (01:00)</text>" in svg


def test_a_long_name_is_cut_with_an_ellipsis() -> None:
    svg = plots.timeline_svg([], [], lanes_of(1), 600.0)

    assert ">Regional emergency… district</text>" in svg


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Emergency medical services dispatch centre (112)", "Emergency medical… (112)"),
        ("Fire and rescue service regional control room (110)", "Fire and rescue service… (110)"),
        ("Synagogue security", "Synagogue security"),
    ],
)
def test_a_long_organisation_name_is_cut_in_the_middle_so_its_number_stays(name: str, shown: str) -> None:
    timeline = plots.timeline_svg([], [], [("a", name)], 600.0)
    awareness = plots.awareness_svg([Awareness("a", name, "f", "A fact", True, 60.0, "Police", None)], 600.0)

    assert len(shown) <= 32
    assert f">{shown}</text>" in timeline and f">{shown}</text>" in awareness


def test_plots_of_nothing_are_still_svg_documents() -> None:
    for svg in (
        plots.timeline_svg([], [], [], 0.0),
        plots.awareness_svg([], 0.0),
        plots.distributions_svg([]),
        plots.differences_svg([]),
        plots.objectives_svg([]),
    ):
        assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")


# --- palette ----------------------------------------------------------------------------------------------------------


def test_the_palette_s_colours_stay_apart_in_greyscale() -> None:
    values = sorted(lightness(colour) for colour in PALETTE)

    assert min(b - a for a, b in pairwise(values)) >= 8  # CIE L*: 8 apart at least
    assert max(values) <= 75  # none so light it vanishes on white paper


def test_every_series_has_its_own_marker_shape_and_colour_shape_pairs_repeat_late() -> None:
    assert len(set(MARKERS)) == len(MARKERS)
    pairs = {(PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)]) for i in range(28)}
    assert len(pairs) == 28


# --- no overlapping labels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 12, 50])
def test_no_text_of_the_timeline_overlaps_another(count: int) -> None:
    lanes = lanes_of(count)
    for figure in built("timeline", lambda: timeline_figure(MANY_MILESTONES, handovers_of(lanes), lanes, 3600.0)):
        assert overlaps(figure) == []


@pytest.mark.parametrize("count", [3, 12, 50])
def test_no_text_of_the_awareness_plot_overlaps_another(count: int) -> None:
    rows = awareness_of(lanes_of(count))
    for figure in built("awareness", lambda: awareness_figure(rows, 3600.0)):
        assert overlaps(figure) == []


@pytest.mark.parametrize(("variants", "milestones"), [(1, 1), (2, 5), (4, 12)])
def test_no_text_of_the_batch_plots_overlaps_another(variants: int, milestones: int) -> None:
    facts = variants_of(variants, milestones)
    differences = differences_of(variants, milestones)
    for make in (
        lambda: distributions_figure(facts),
        lambda: objectives_figure(facts),
        lambda: differences_figure(differences),
    ):
        for figure in built("batch", make):
            assert overlaps(figure) == []


def test_the_overlap_check_finds_two_labels_drawn_on_top_of_each_other() -> None:
    figure = Figure(figsize=(3, 2))
    figure.text(0.5, 0.5, "Police")
    figure.text(0.52, 0.5, "Ambulance")

    assert overlaps(figure) == [("Police", "Ambulance")]


def test_the_timeline_grows_with_its_organisations() -> None:
    heights = []
    for count in (3, 50):
        lanes = lanes_of(count)
        for figure in built("timeline", lambda lanes=lanes: timeline_figure([], [], lanes, 600.0)):  # type: ignore[misc]
            heights.append(figure.get_size_inches()[1])

    assert heights[1] > heights[0] + 5  # 47 more lanes, at least 0.17 in each


def test_a_false_report_s_arrow_is_dashed_and_a_true_fact_s_is_solid() -> None:
    lanes = lanes_of(2)
    true_one, false_one = handovers_of(lanes)[0], handovers_of(lanes)[1]  # f0 is true, f1 a false report

    solid = plots.timeline_svg([], [true_one], lanes, 600.0)
    dashed = plots.timeline_svg([], [false_one], lanes, 600.0)

    assert "stroke-dasharray" not in solid
    assert "stroke-dasharray" in dashed


def test_a_paired_difference_s_label_rounds_its_seconds_as_the_report_s_table_does_not_cut_them() -> None:
    # -70.6 s is -01:11 rounded (the table's `signed(round(s))`), -01:10 cut; -100.6 s is -01:41; -40.4 s is -00:40.
    moved = VariantDifference(
        "radio",
        "radio",
        "base",
        9,
        (PairedDifference("police", "Police on scene", 9, Estimate(-70.6, -100.6, -40.4)),),
        (),
        PairedDifference("harm", "harm", 9, Estimate(0.0, -1.0, 1.0)),
    )

    svg = plots.differences_svg([moved])

    assert ">\u221201:11 (\u221201:41 to \u221200:40)</text>" in svg


def test_an_objective_s_name_wraps_to_three_lines_keeping_its_target_and_touches_no_other_label() -> None:
    name = "The congregation is locked in and the doors are secured within 2 minutes"
    objectives = tuple(
        ObjectiveOdds(f"o{m}", name, "Capability", Estimate(0.5, 0.3, 0.7), (), 20, "") for m in range(4)
    )
    nothing = Estimate(None, None, None)
    one = VariantFacts(None, "base", None, 20, (), objectives, nothing, None, None, None)
    for figure in built("objectives", lambda: objectives_figure([one])):
        labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
        assert labels[0] == "The congregation is locked in\nand the doors are secured\nwithin 2 minutes"
        assert overlaps(figure) == []


def test_the_never_column_s_marks_sit_on_their_organisation_s_row() -> None:
    rows = awareness_of(lanes_of(5))  # six facts each, some never learned
    for figure in built("awareness", lambda: awareness_figure(rows, 3600.0)):
        never = figure.axes[1]
        shown = [line for line in never.get_lines() if line.get_marker() != "None"]
        marks = [float(y) for line in shown for y in np.asarray(line.get_ydata(), dtype=float)]
        # Organisation i never learned fact j when (i + j) % 5 == 0: facts 0 and 5 in row 0, one in each other row.
        assert sorted(marks) == [0.0, 0.0, 1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize(("end_t", "right_min"), [(7200.0, 6.0), (330.0, 5.5), (0.0, 6.0)])
def test_the_timeline_ends_a_minute_after_its_last_hand_over_or_milestone_not_at_a_far_end_of_run(
    end_t: float, right_min: float
) -> None:
    lanes = lanes_of(2)
    first = handovers_of(lanes)[0]  # sent at 0 s, learned at 90 s
    # The last thing drawn is the milestone at 300 s: the axis runs a minute past it (8% of 5 minutes is less),
    # or to the run's end when that comes sooner.
    for figure in built("timeline", lambda: timeline_figure([("Done", 300.0)], [first], lanes, end_t)):
        low, high = figure.axes[0].get_xlim()
        assert low == 0.0
        assert high == pytest.approx(right_min)
