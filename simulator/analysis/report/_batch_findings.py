"""A batch's strengths and areas for improvement, and what its reader must know: always of odds, never of one run.

- An objective met (P or S) with probability ≥ 0.9 whose interval's low end is ≥ 0.8, in the reference: a strength;
  one met with probability < 0.5: an improvement, with what it measured (P10 / P50 / P90) and how far the P50 is
  from the S limit.
- A variant whose paired difference in meeting an objective lies entirely above zero, or that brings a milestone
  the response wants early entirely earlier, by a minute or more on average, or that lowers harm (interval entirely
  below zero): one improvement per variant, titled with its largest effect, the others and any adverse effects said
  in its analysis. `responsible` is None: a variant is a change of plan, whose owner the programme names.
- A variant that makes an objective less often met (interval entirely below zero): a strength of the reference
  (what it has and the variant takes away is worth keeping).

A milestone the response wants early is one a responder's action or knowledge reaches (a fact learned, units
arrived, a lockdown complete, the threat neutralised...); the threat's own timeline (an attack starting, the attacker
escaping), a false report learned and an objective's `before` milestone are not: earlier is not better there.

`weight` ranks the findings (larger first), so that the first three of each are those that matter most: objectives
of the reference come first (3 + the shortfall or the probability), then variants' effects on objectives (2 + the
difference), then variants' other effects (1 + s / (s + 1 h), for the most seconds they move a milestone; 1 for harm
alone). A variant's finding is titled with its effect on an objective, else on harm (the outcome), else on a milestone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scenarios import Scenario
from scenarios.exercise import Objective
from simulator.analysis.batch import BASE
from simulator.analysis.report._words import share
from simulator.analysis.report.model import (
    Estimate,
    Finding,
    ObjectiveOdds,
    PairedDifference,
    VariantDifference,
    VariantFacts,
)
from simulator.analysis.results import quantiles
from simulator.formatting import minutes

STRONG = 0.9
"""The probability of meeting an objective from which it is a strength (with `STRONG_LOW` as the interval's low end)."""
STRONG_LOW = 0.8
WEAK = 0.5
"""The probability of meeting an objective under which it is an area for improvement."""
EARLIER_S = 60.0
"""How much earlier (on average, the interval entirely below zero) a variant must bring a milestone to count."""
FEW = 30
"""Replications per variant under which the report warns that intervals are wide."""

_RESPONSE_EVENTS = frozenset(
    {
        "fact_learned",
        "fact_corrected",
        "units_arrived",
        "units_staged",
        "lockdown_complete",
        "evacuation_complete",
        "threat_engaged",
        "threat_neutralised",
        "decision_taken",
    }
)
Kind = Literal["strength", "improvement"]
_MAX_EFFECTS = 4
"""Effects listed in a variant's analysis beside its title's (the rest are counted)."""


@dataclass(frozen=True, slots=True)
class Measured:
    """What an objective measured over one variant's runs where it applied."""

    values: tuple[float, ...]
    """Seconds from `since` (or T0) to `until`, in the runs that reached both (in that order)."""
    never: int
    """Runs where `since` or `until` was never reached (rated U)."""
    runs: int
    """Runs where it applied."""


def batch_findings(
    variants: Sequence[VariantFacts],
    differences: Sequence[VariantDifference],
    reference: str,
    played: Mapping[str, Scenario],
    measured: Mapping[str, Mapping[str, Measured]],
    common_random_numbers: bool,
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """The strengths and the areas for improvement of a batch (see the module's docstring), largest weight first."""
    facts = {v.label: v for v in variants}
    strengths: list[Finding] = []
    improvements: list[Finding] = []
    if reference in facts:
        scenario = played[reference]
        for odds in facts[reference].objectives:
            objective = next(o for o in scenario.objectives if o.id == odds.objective)
            found = _objective_finding(odds, objective, scenario, measured[reference][odds.objective], reference)
            if found is not None:
                (strengths if found.kind == "strength" else improvements).append(found)
    for difference in differences:
        effects = _Effects.of(difference, played[reference], facts.get(reference), facts.get(difference.variant))
        described = _described(facts.get(difference.variant), difference, reference, common_random_numbers)
        better = [effect for effect in effects.ranked() if effect.good]
        if better:
            improvements.append(effects.finding("improvement", better[0], described, reference))
        worse = [effect for effect in effects.ranked() if not effect.good and effect.objective is not None]
        if worse:
            strengths.append(effects.finding("strength", worse[0], described, reference))
    return _ranked(strengths), _ranked(improvements)


def batch_notes(
    variants: Sequence[VariantFacts],
    reference: str,
    scenario: Scenario,
    common_random_numbers: bool,
    decisions: Mapping[str, str],
) -> tuple[str, ...]:
    """What the reader must know to read the batch's numbers right."""
    notes = []
    fewest = min((v.replications for v in variants), default=0)
    if fewest < FEW:
        notes.append(
            f"Only {fewest:,} replications per variant: the intervals are wide and a real difference may not show; "
            "run more (-n 1000) before drawing conclusions."
        )
    if not common_random_numbers:
        notes.append(
            "The variants were run with independent seeds: their differences set replication i of each variant "
            "against replication i of the reference, not the same draws, so the intervals are wider than with "
            "common random numbers."
        )
    if reference != BASE:
        notes.append(f"The base scenario was not played: the differences are against variant {reference}.")
    if scenario.decisions:
        preset = [f"{d.id} = {decisions[d.id]}" for d in scenario.decisions if d.id in decisions]
        left = len(scenario.decisions) - len(preset)
        said = [f"the preset ones ({', '.join(preset)}) are taken as soon as they open"] if preset else []
        if left:
            said.append(
                f"{'every other' if preset else 'every'} decision takes its default option at its deadline, "
                "and the time it waits counts in every run"
            )
        notes.append("Nobody answers decisions in a batch: " + "; ".join(said) + ".")
    for variant in variants:
        for odds in variant.objectives:
            apart = dict(odds.ratings).get("N/A", 0)
            if apart:
                notes.append(
                    f"{odds.name}: did not apply in {apart:,} of {variant.replications:,} runs of {variant.label} "
                    "(rated N/A, counted apart from its probability)."
                )
    return tuple(notes)


# --- objectives of the reference --------------------------------------------------------------------------------------


def _objective_finding(
    odds: ObjectiveOdds, objective: Objective, scenario: Scenario, measured: Measured, reference: str
) -> Finding | None:
    p, low, high = odds.met.estimate, odds.met.low, odds.met.high
    if p is None or low is None or high is None:
        return None
    kind: Kind
    if p >= STRONG and low >= STRONG_LOW:
        kind, title, weight = "strength", f"{odds.name}: met (rated P or S) in {share(p)} of runs", 3 + p
    elif p < WEAK:
        kind, title, weight = "improvement", f"{odds.name}: met (rated P or S) in only {share(p)} of runs", 3 + (1 - p)
    else:
        return None
    title += f" ({_interval(share(low), share(high))})"
    counts = dict(odds.ratings)
    if odds.applicable and any(counts.values()):
        # "Met" counts S as well: a strength met mostly with some challenges must not read as mostly performed.
        title += f"; rated P in {share(counts.get('P', 0) / odds.applicable)}"
    names = {m.id: m.name for m in scenario.milestones}
    ratings = ", ".join(f"{rating} in {count:,}" for rating, count in odds.ratings if count and rating != "N/A")
    against = f", against {odds.thresholds}" if odds.thresholds else ""
    sentences = [f"In {_where(reference)}, rated {ratings} of {odds.applicable:,} runs where it applied{against}."]
    span = f"from '{names.get(objective.since, objective.since)}' to" if objective.since else "from T0 to"
    span += f" '{names.get(objective.until, objective.until)}'"
    spread = quantiles(list(measured.values))
    if measured.values:
        shown = ", ".join(f"{q.upper()} {minutes(spread[q])}" for q in ("p10", "p50", "p90"))
        sentences.append(f"It measured {span}: {shown}.")
    if measured.never:
        sentences.append(f"In {measured.never:,} of {measured.runs:,} runs it was never measured (rated U).")
    limit = None if objective.thresholds is None else objective.thresholds.some_challenges
    p50 = spread["p50"]
    if kind == "improvement" and limit is not None and p50 is not None and p50 > limit:
        sentences.append(f"Its P50 is {minutes(p50 - limit)} over the S limit of {minutes(limit)}.")
    return Finding(
        kind,
        title,
        " ".join(sentences),
        objective=odds.objective,
        core_capability=odds.core_capability,
        weight=weight,
    )


def _interval(low: str, high: str) -> str:
    """A 95% interval in words (`95% interval 96% to 100%`: never two bare percentages in a row)."""
    return f"95% interval {low} to {high}"


def _points(value: float) -> str:
    """A difference of two probabilities, in percentage points (`+9.0`)."""
    return f"{100 * value:+.1f}"


def _where(reference: str) -> str:
    return "the base scenario" if reference == BASE else f"variant {reference} (the reference)"


# --- variants against the reference -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Effect:
    """One effect of a variant whose interval lies entirely on one side of zero, in words."""

    text: str
    good: bool
    size: float
    """The difference in probability (objectives), seconds (milestones) or exposure-minutes (harm), unsigned."""
    objective: ObjectiveOdds | None = None
    milestone: bool = False


@dataclass(frozen=True, slots=True)
class _Effects:
    variant: str
    effects: tuple[_Effect, ...]

    @classmethod
    def of(
        cls, d: VariantDifference, base: Scenario, reference: VariantFacts | None, variant: VariantFacts | None
    ) -> _Effects:
        effects = []
        for item in d.objectives:
            odds = _odds(variant, item.item)
            sign = _side(item.mean)
            if sign and odds is not None:
                effects.append(_Effect(_objective_text(item, reference, variant), sign > 0, abs(_mid(item)), odds))
        early = _sooner_is_better(base)
        for item in d.milestones:
            sign, size = _side(item.mean), abs(_mid(item))
            if sign and item.item in early and size >= EARLIER_S:
                effects.append(_Effect(_milestone_text(item, d.pairs), sign < 0, size, milestone=True))
        sign = _side(d.harm.mean)
        if sign:
            effects.append(_Effect(_harm_text(d.harm), sign < 0, abs(_mid(d.harm))))
        return cls(d.variant, tuple(effects))

    def ranked(self) -> list[_Effect]:
        """Objectives first, then harm, then milestones, each largest first."""
        return sorted(self.effects, key=_priority)

    def finding(self, kind: Kind, first: _Effect, described: str, reference: str) -> Finding:
        """The finding led by `first`: the variant's other effects on the same side, then those on the other."""
        also = [e.text for e in self.ranked() if e.good == first.good and e is not first]
        but = [e.text for e in self.ranked() if e.good != first.good]
        if kind == "strength":
            title = f"Worth keeping, as variant {self.variant} shows: {first.text}"
        else:
            title = f"With variant {self.variant}, {first.text}"
        sentences = [described]
        if also:
            sentences.append("It also: " + _listed(also) + ".")
        if but:
            sentences.append("But: " + _listed(but) + ".")
        if kind == "strength":
            sentences.append(f"What {_where(reference)} has and this variant changes is worth keeping.")
        moved = max((e.size for e in self.effects if e.milestone and e.good == first.good), default=0.0)
        weight = 2 + first.size if first.objective is not None else 1 + moved / (moved + 3600)
        return Finding(
            kind,
            title,
            " ".join(sentences),
            objective=None if first.objective is None else first.objective.objective,
            core_capability=None if first.objective is None else first.objective.core_capability,
            weight=weight,
        )


def _priority(effect: _Effect) -> tuple[int, float]:
    # Harm before milestones: it is the outcome, and a long list of milestones must not push it out of the analysis.
    return (0 if effect.objective is not None else 2 if effect.milestone else 1, -effect.size)


def _listed(texts: list[str]) -> str:
    shown = texts[:_MAX_EFFECTS]
    more = len(texts) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "")


def _described(variant: VariantFacts | None, d: VariantDifference, reference: str, crn: bool) -> str:
    description = "" if variant is None or not variant.description else variant.description.rstrip(".") + "."
    paired = "the same seeds, paired" if crn else "independent seeds: replication i against replication i"
    return f"Variant {d.variant}: {description} Against {_where(reference)}, over {d.pairs:,} replications ({paired})."


def _odds(variant: VariantFacts | None, objective: str) -> ObjectiveOdds | None:
    return None if variant is None else next((o for o in variant.objectives if o.objective == objective), None)


def _side(mean: Estimate) -> int:
    """+1 when the interval lies entirely above zero, -1 entirely below, 0 otherwise (or with no interval)."""
    if mean.low is None or mean.high is None or mean.estimate is None:
        return 0
    return 1 if mean.low > 0 else -1 if mean.high < 0 else 0


def _mid(item: PairedDifference) -> float:
    return item.mean.estimate or 0.0


def _objective_text(item: PairedDifference, reference: VariantFacts | None, variant: VariantFacts | None) -> str:
    mean = item.mean
    before, after = _odds(reference, item.item), _odds(variant, item.item)
    more = "more" if _mid(item) > 0 else "less"
    shift = ""
    was, now = (None if odds is None else odds.met.estimate for odds in (before, after))
    if was is not None and now is not None:
        shift = f"{share(was)} → {share(now)} of runs, "
    low, high = _points(mean.low or 0.0), _points(mean.high or 0.0)
    return (
        f"'{item.name}' is met (rated P or S) {more} often: {shift}{_points(_mid(item))} points "
        f"({_interval(low, high)} points)"
    )


def _milestone_text(item: PairedDifference, pairs: int) -> str:
    low, high = item.mean.low or 0.0, item.mean.high or 0.0
    # A milestone is compared only where both runs of a pair reached it: say so when that is not every pair.
    # "Replications", not "pairs": with independent seeds they are not pairs of the same draws.
    where = "" if item.pairs == pairs else f", in the {item.pairs:,} replications where both reached it"
    if _mid(item) < 0:
        shift = f"{_seconds(-_mid(item))} earlier ({_interval(_seconds(-high), _seconds(-low))}{where})"
    else:
        shift = f"{_seconds(_mid(item))} later ({_interval(_seconds(low), _seconds(high))}{where})"
    return f"'{item.name}' comes {shift}"


def _harm_text(item: PairedDifference) -> str:
    low, high = item.mean.low or 0.0, item.mean.high or 0.0
    if _mid(item) < 0:
        return f"harm falls by {-_mid(item):.2f} exposure-minutes ({_interval(f'{-high:.2f}', f'{-low:.2f}')})"
    return f"harm rises by {_mid(item):.2f} exposure-minutes ({_interval(f'{low:.2f}', f'{high:.2f}')})"


def _seconds(value: float) -> str:
    """Seconds as `mm:ss`, rounded to the second as the terminal's table rounds them (`+.0f s`), not cut."""
    return minutes(float(round(value)))


def _sooner_is_better(scenario: Scenario) -> frozenset[str]:
    """The milestones the response wants early (see the module's docstring)."""
    false_facts = {fact.id for fact in scenario.facts if fact.false_report}
    adverse = {objective.before for objective in scenario.objectives if objective.before is not None}
    by_id = {milestone.id: milestone for milestone in scenario.milestones}
    known: dict[str, bool] = {}

    def wanted(milestone_id: str, seen: frozenset[str]) -> bool:
        if milestone_id in known:
            return known[milestone_id]
        milestone = by_id.get(milestone_id)
        if milestone is None or milestone_id in adverse or milestone_id in seen:
            return False
        inner = seen | {milestone_id}
        parts = [wanted(part, inner) for part in milestone.all_of]
        when = milestone.when
        if when is not None and when.event == "milestone_reached" and when.milestone is not None:
            parts.append(wanted(when.milestone, inner))
        elif when is not None:
            parts.append(
                when.event in _RESPONSE_EVENTS and not (when.event == "fact_learned" and when.fact in false_facts)
            )
        known[milestone_id] = bool(parts) and all(parts)
        return known[milestone_id]

    return frozenset(m for m in by_id if wanted(m, frozenset()))


def _ranked(findings: list[Finding]) -> tuple[Finding, ...]:
    """Largest weight first; equal weights in the order found (the scenario's, then the batch's)."""
    return tuple(sorted(findings, key=lambda finding: -finding.weight))
