"""The after-action report of a batch as a document: distributions and variants, never one run."""

from __future__ import annotations

from collections.abc import Callable

from simulator.analysis.report import plots
from simulator.analysis.report._sections import (
    MARKING,
    executive_summary,
    finding_text,
    handling_section,
    improvement_plan,
    organisations_appendix,
    overview_rows,
    slug,
    unbroken,
)
from simulator.analysis.report._words import share
from simulator.analysis.report.model import (
    BatchFacts,
    Block,
    Bullets,
    Estimate,
    Figure,
    MilestoneSpread,
    PairedDifference,
    Paragraph,
    Report,
    Section,
    Table,
)
from simulator.exercise import tool_version
from simulator.formatting import DASH, minutes, signed

RATING_LETTERS = ("P", "S", "M", "U", "N/A")


def batch_report(facts: BatchFacts) -> Report:
    """The report of a batch, in the HSEEP order of sections."""
    count = len(facts.variants)
    runs = (
        f"{facts.replications} replications of each of {count} variants"
        if count > 1
        else (f"{facts.replications} replications of {facts.variants[0].label}")
    )
    return Report(
        title=f"After-action report: {facts.title}",
        subtitle=f"Batch {facts.folder_name}: {runs} (seed {facts.seed})",
        kind="batch",
        marking=MARKING,
        sections=(
            handling_section(
                f"It reports {runs} of the scenario {facts.scenario_id}, simulated: not a real incident. Its figures "
                "are distributions over the replications, not the outcome of one exercise.",
                f"Made by Tabletop {tool_version()} from the batch folder {facts.folder_name}; the same folder always "
                "gives the same report.",
            ),
            _overview(facts, runs),
            executive_summary(_opening(facts, runs), facts.strengths, facts.improvements, "None found in this batch."),
            _analysis(facts),
            _milestones(facts),
            _variants(facts),
            improvement_plan(facts.improvements),
            organisations_appendix(facts.organisations, first_learned=False),
        ),
        generator=f"Tabletop {tool_version()}",
    )


def _overview(facts: BatchFacts, runs: str) -> Section:
    presets = ", ".join(f"{decision} = {option}" for decision, option in facts.decisions)
    blocks: list[Block] = [
        overview_rows(
            (
                ("Exercise name", facts.title),
                ("Scenario", facts.scenario_id),
                ("Scenario date (T0)", f"{facts.start.replace('T', ' ')} ({facts.time_zone})"),
                ("Replications", runs),
                ("Seed", str(facts.seed)),
                (
                    "Random numbers",
                    "common: replication i of every variant uses the same seed, so differences are paired"
                    if facts.common_random_numbers
                    else "independent for each variant",
                ),
                ("Decisions", f"preset: {presets}; the others take their defaults" if presets else "the defaults"),
                ("Participating organisations", f"{len(facts.organisations)} (Appendix B)"),
            )
        ),
        Paragraph(facts.summary),
        Paragraph("Learning objectives:"),
        Bullets(facts.learning_objectives),
        Paragraph("Threat or hazard:"),
        Bullets(facts.threat, "No threat: an information exercise."),
        Table(
            "Variants",
            ("Variant", "What it changes", "Replications"),
            tuple((v.label, v.description or DASH, str(v.replications)) for v in facts.variants),
            (False, False, True),
        ),
    ]
    if facts.notes:
        blocks += [Paragraph("Notes:"), Bullets(facts.notes)]
    return Section("overview", "Exercise overview", tuple(blocks))


def _opening(facts: BatchFacts, runs: str) -> str:
    reference = next((v for v in facts.variants if v.label == facts.reference_label), facts.variants[0])
    odds = "; ".join(
        f"{o.name}: {_percent(o.met.estimate)} ({_interval(o.met, _percent)})" for o in reference.objectives
    )
    return f"Over {runs}, the chance of meeting each objective in {reference.label}: {odds or 'no objectives'}."


def _analysis(facts: BatchFacts) -> Section:
    reference = facts.variants[0]
    capabilities = list(dict.fromkeys(o.core_capability for o in reference.objectives))
    subsections = []
    for capability in capabilities:
        blocks: list[Block] = []
        for objective in (o for o in reference.objectives if o.core_capability == capability):
            rows = []
            for variant in facts.variants:
                odds = next((o for o in variant.objectives if o.objective == objective.objective), None)
                if odds is None:
                    continue
                counts = dict(odds.ratings)
                rows.append(
                    (
                        variant.label,
                        _percent(odds.met.estimate),
                        _interval(odds.met, _percent),
                        *(str(counts.get(letter, 0)) for letter in RATING_LETTERS),
                    )
                )
            blocks.append(
                Paragraph(f"Objective: {objective.name}. Rated against: {unbroken(objective.thresholds) or DASH}.")
            )
            blocks.append(
                Table(
                    f"{objective.name}: the chance of meeting it (rated P or S where it applied)",
                    ("Variant", "Met", "95% interval", *RATING_LETTERS),
                    tuple(rows),
                    (False, True, True, True, True, True, True, True),
                )
            )
            findings = [f for f in (*facts.strengths, *facts.improvements) if f.objective == objective.objective]
            blocks.append(Paragraph("Strengths:"))
            blocks.append(Bullets(tuple(finding_text(f) for f in findings if f.kind == "strength")))
            blocks.append(Paragraph("Areas for improvement:"))
            blocks.append(Bullets(tuple(finding_text(f) for f in findings if f.kind == "improvement")))
        subsections.append(Section(slug("capability", capability), capability, tuple(blocks)))
    figure = Figure(
        "objectives",
        "The chance of meeting each objective",
        "For each objective, one mark per variant: the share of replications that met it (rated P or S), with its "
        "95% interval as a bar.",
        plots.objectives_svg(facts.variants),
    )
    intro = Paragraph(
        "Each objective, rated in every replication (P: performed without challenges; S: with some challenges; M: "
        "with major challenges; U: unable to be performed; N/A: did not apply), as the chance of meeting it (P or S) "
        "with its 95% interval (Wilson), and how often each rating came."
    )
    return Section("analysis", "Analysis of core capabilities", (intro, figure), tuple(subsections))


def _milestones(facts: BatchFacts) -> Section:
    spreads = {(v.label, m.milestone): m for v in facts.variants for m in v.milestones}
    order: dict[str, str] = {}
    for variant in facts.variants:
        for spread in variant.milestones:
            order.setdefault(spread.milestone, spread.name)
    rows = tuple(
        (name, *(_spread_cell(spreads.get((v.label, milestone))) for v in facts.variants))
        for milestone, name in order.items()
    )
    figure = Figure(
        "milestone-distributions",
        "When each milestone was reached",
        "For each milestone, one row per variant: the times of the replications that reached it (minutes from T0), "
        "with P10, P50 (the median) and P90 marked; the share reached is written where some never reached it.",
        plots.distributions_svg(facts.variants),
    )
    table = Table(
        "Milestones: P50 (P10 to P90) in minutes:seconds from T0, over the replications that reached them",
        ("Milestone", *(v.label for v in facts.variants)),
        rows,
        (False, *(True for _ in facts.variants)),
    )
    harm = Table(
        "Harm",
        ("Variant", "Mean", "95% interval", "P10", "P50", "P90"),
        tuple(
            (
                v.label,
                _number(v.harm.estimate),
                _interval(v.harm, _number),
                _number(v.harm_p10),
                _number(v.harm_p50),
                _number(v.harm_p90),
            )
            for v in facts.variants
        ),
        (False, True, True, True, True, True),
    )
    return Section("milestones", "Milestones and harm", (figure, table, harm))


def _variants(facts: BatchFacts) -> Section:
    if not facts.differences:
        return Section(
            "variants",
            "Variants compared",
            (Paragraph("The batch played one variant: there is nothing to compare it with."),),
        )
    pairing = (
        "replication by replication (the same seeds)"
        if facts.common_random_numbers
        else "replication i against replication i (independent seeds: the pairs share no draws)"
    )
    figure = Figure(
        "paired-differences",
        "What each variant changes",
        f"Each variant against {facts.reference_label}, {pairing}: the mean "
        "difference of each milestone's time in minutes with its 95% interval. Left of zero is earlier; an interval "
        "that crosses zero is no clear difference.",
        plots.differences_svg(facts.differences),
    )
    blocks: list[Block] = [
        Paragraph(
            f"Each variant minus {facts.reference_label}, {pairing}: a negative time is earlier; a positive "
            "chance is more often met or reached. A milestone's time is compared over the pairs that both reached "
            "it, how often it was reached over all pairs. Only what differed in some pair is listed; the harm "
            "always is."
        ),
        figure,
    ]
    for difference in facts.differences:
        rows = [_difference_row("Milestone", item, minutes_signed=True) for item in difference.milestones]
        rows += [_difference_row("Milestone reached", item, minutes_signed=False) for item in difference.reached]
        rows += [_difference_row("Objective met", item, minutes_signed=False) for item in difference.objectives]
        harm = difference.harm
        rows.append(
            ("Harm", "exposure-minutes", str(harm.pairs), _number(harm.mean.estimate), _interval(harm.mean, _number))
        )
        blocks.append(
            Table(
                f"{difference.label} minus {difference.reference_label} ({difference.pairs} pairs)",
                ("", "What", "Pairs", "Mean difference", "95% interval"),
                tuple(rows),
                (False, False, True, True, True),
            )
        )
    return Section("variants", "Variants compared", tuple(blocks))


def _difference_row(what: str, item: PairedDifference, *, minutes_signed: bool) -> tuple[str, ...]:
    shown = _signed_minutes if minutes_signed else _signed_points
    return (what, item.name, str(item.pairs), shown(item.mean.estimate), _interval(item.mean, shown))


def _spread_cell(spread: MilestoneSpread | None) -> str:
    if spread is None:
        return DASH
    if spread.p50 is None:
        return "never reached"
    cell = f"{minutes(spread.p50)} ({minutes(spread.p10)} to {minutes(spread.p90)})"
    return cell if spread.reached >= 1 else f"{cell}, reached in {share(spread.reached)}"


# --- numbers in words -----------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return DASH if value is None else share(value)


def _number(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def _signed_minutes(value: float | None) -> str:
    return DASH if value is None else signed(round(value))


def _signed_points(value: float | None) -> str:
    if value is None:
        return DASH
    points = round(100 * value)
    if points == 0:  # a change too small to round to a point still shows (1 run in 1,000 is 0.1 points)
        return "±0 points" if value == 0 else f"{100 * value:+.1f} points"
    return f"{points:+d} point" if abs(points) == 1 else f"{points:+d} points"


def _interval(estimate: Estimate, shown: Callable[[float | None], str]) -> str:
    if estimate.low is None or estimate.high is None:
        return DASH
    return f"{shown(estimate.low)} to {shown(estimate.high)}"
