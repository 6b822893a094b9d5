"""Regenerate the golden report plots: `python -m tests.golden.report_plots [--check]`, from the project root.

Each golden is the SVG one plot function of `simulator.analysis.report.plots` draws from the fixed, hand-built facts
below (`GOLDEN_PLOTS`). Regenerate only on purpose (the plots' look changed), then look at the new SVGs and review
the diff. With `--check`, nothing is written: the exit code is 1 if any golden is missing or differs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from simulator.analysis.report import plots
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

GOLDEN_DIR = Path(__file__).resolve().parent / "report"
"""Where the golden SVGs live."""

LANES = (("police", "Police"), ("ems", "Ambulance service"), ("synagogue", "Synagogue security <script>"))
MILESTONES = (("First call", 30.0), ("Police on scene", 540.0), ("All sites warned", 560.0), ("Casualties out", 1500.0))
END_T = 1800.0


def handover(
    sender: str,
    receiver: str,
    fact: str,
    sent_t: float,
    learned_t: float | None,
    *,
    true: bool = True,
    outcome: str = "",
) -> Handover:
    """A hand-over between two of `LANES` (the outcome follows from `learned_t` unless given)."""
    names = dict(LANES)
    return Handover(
        sender=sender,
        sender_name=names[sender],
        receiver=receiver,
        receiver_name=names[receiver],
        fact=fact,
        fact_text=fact.replace("_", " "),
        true=true,
        channel="phone",
        medium="voice",
        sent_t=sent_t,
        learned_t=learned_t,
        failed_attempts=0,
        queue_s=0.0,
        outcome=outcome or ("learned" if learned_t is not None else "in transit"),  # type: ignore[arg-type]
    )


HANDOVERS = (
    handover("synagogue", "police", "shots_fired", 40.0, 100.0),
    handover("police", "ems", "shots_fired", 130.0, 250.0),
    handover("synagogue", "ems", "second_gunman", 300.0, 420.0, true=False),
    handover("police", "synagogue", "area_secured", 1200.0, None, outcome="lost"),
    handover("ems", "police", "casualty_count", 1600.0, None),
)


def awareness(
    org: str, fact: str, learned_t: float | None, *, true: bool = True, corrected_t: float | None = None
) -> Awareness:
    """An awareness row of one of `LANES`."""
    texts = {
        "shots_fired": "Shots fired at the synagogue's main entrance",
        "second_gunman": "A second gunman at the kosher shop",
        "area_secured": "The area around the synagogue is secured",
    }
    return Awareness(org, dict(LANES)[org], fact, texts[fact], true, learned_t, "Police", corrected_t)


AWARENESS = (
    awareness("police", "shots_fired", 100.0),
    awareness("police", "second_gunman", 480.0, true=False, corrected_t=900.0),
    awareness("police", "area_secured", 1200.0),
    awareness("ems", "shots_fired", 250.0),
    awareness("ems", "second_gunman", 420.0, true=False),
    awareness("ems", "area_secured", None),
    awareness("synagogue", "shots_fired", 30.0),
    awareness("synagogue", "second_gunman", 300.0, true=False, corrected_t=1000.0),
    awareness("synagogue", "area_secured", None),
)


def spread(milestone: str, name: str, times: Sequence[float], replications: int) -> MilestoneSpread:
    """A milestone's spread, its percentiles taken by hand from `times` (ten of them: the 2nd, 5th and 9th)."""
    ordered = sorted(times)
    pick = (lambda i: ordered[min(i, len(ordered) - 1)]) if ordered else (lambda i: None)
    return MilestoneSpread(milestone, name, len(times) / replications, pick(1), pick(4), pick(8), tuple(times))


def odds(objective: str, name: str, estimate: float | None, low: float | None, high: float | None) -> ObjectiveOdds:
    """An objective's odds (the ratings are not drawn)."""
    return ObjectiveOdds(
        objective, name, "Operational coordination", Estimate(estimate, low, high), (), 10, "P ≤ 05:00"
    )


BASE_TIMES = (500.0, 520.0, 530.0, 545.0, 560.0, 580.0, 600.0, 640.0, 700.0, 820.0)
RADIO_TIMES = (380.0, 400.0, 410.0, 430.0, 440.0, 450.0, 470.0, 500.0, 560.0)


def variant(label: str, milestones: tuple[MilestoneSpread, ...], objectives: tuple[ObjectiveOdds, ...]) -> VariantFacts:
    """A variant of ten replications."""
    nothing = Estimate(None, None, None)
    return VariantFacts(
        None if label == "base" else label, label, None, 10, milestones, objectives, nothing, None, None, None
    )


VARIANTS = (
    variant(
        "base",
        (
            spread("police_on_scene", "Police on scene", BASE_TIMES, 10),
            spread("all_warned", "All sites warned <script>", [t + 200 for t in BASE_TIMES], 10),
        ),
        (
            odds("response", "Police on scene within 10 minutes", 0.7, 0.4, 0.89),
            odds("warn", "Warn all sites <script>", 0.2, 0.06, 0.51),
        ),
    ),
    variant(
        "radio",
        (
            spread("police_on_scene", "Police on scene", RADIO_TIMES, 10),
            spread("all_warned", "All sites warned <script>", (), 10),
        ),
        (
            odds("response", "Police on scene within 10 minutes", 1.0, 0.72, 1.0),
            odds("warn", "Warn all sites <script>", None, None, None),
        ),
    ),
)


def difference(item: str, name: str, estimate: float | None, low: float | None, high: float | None) -> PairedDifference:
    """A milestone's paired difference over nine pairs."""
    return PairedDifference(item, name, 9, Estimate(estimate, low, high))


DIFFERENCES = (
    VariantDifference(
        "radio",
        "radio",
        "base",
        9,
        (
            difference("police_on_scene", "Police on scene", -130.0, -170.0, -95.0),
            difference("all_warned", "All sites warned <script>", None, None, None),
        ),
        (),
        difference("harm", "harm", -4.0, -6.0, -2.0),
    ),
    VariantDifference(
        "no-call-takers",
        "no-call-takers",
        "base",
        10,
        (
            difference("police_on_scene", "Police on scene", 75.0, 20.0, 130.0),
            difference("all_warned", "All sites warned <script>", 310.0, 240.0, 400.0),
        ),
        (),
        difference("harm", "harm", 3.0, 1.0, 5.0),
    ),
)

GOLDEN_PLOTS: dict[str, Callable[[], str]] = {
    "timeline": lambda: plots.timeline_svg(MILESTONES, HANDOVERS, LANES, END_T),
    "awareness": lambda: plots.awareness_svg(AWARENESS, END_T),
    "distributions": lambda: plots.distributions_svg(VARIANTS),
    "differences": lambda: plots.differences_svg(DIFFERENCES),
    "objectives": lambda: plots.objectives_svg(VARIANTS),
}
"""Each golden's name (`<name>.svg`) and how it is drawn."""


def golden_path(name: str) -> Path:
    """The golden SVG of a plot."""
    return GOLDEN_DIR / f"{name}.svg"


def main(argv: Sequence[str]) -> int:
    """Write (or with `--check`, compare) every golden; the exit code says whether all were up to date."""
    check = "--check" in argv
    stale = []
    for name, draw in GOLDEN_PLOTS.items():
        path = golden_path(name)
        svg = draw().encode("utf-8")
        if path.exists() and path.read_bytes() == svg:
            continue
        stale.append(path.name)
        if not check:
            GOLDEN_DIR.mkdir(exist_ok=True)
            path.write_bytes(svg)
    verb = "out of date" if check else "written"
    print(f"{verb}: {', '.join(stale)}" if stale else "all golden plots are up to date")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
