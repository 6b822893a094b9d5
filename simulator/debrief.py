"""`Debrief`: what a finished run shows its facilitator (timeline, milestones, ratings, harm), ready to render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scenarios import Scenario
from simulator.evaluation import thresholds_text
from simulator.exercise import Exercise, RunSummary
from simulator.narrative import TIMELINE_KINDS, describe, t_plus, wall_clock
from simulator.views import describe_action, scenario_names, wall_time

NOT_REACHED = "not reached"
"""The clock of a milestone the run never reached."""
NEVER = "never"
"""What an objective measured when its milestones were never both reached."""


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of the timeline: when, and what happened in plain language."""

    seq: int
    """The record's number in the run log."""
    t: float
    """Simulation seconds from T0."""
    clock: str
    """The local wall clock, `HH:MM:SS`."""
    t_plus: str
    """`T+HH:MM:SS`."""
    text: str
    """The record in plain language."""
    milestone: bool
    """Whether the line is a milestone reached (the lines a reader looks for first)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "seq": self.seq,
            "t": self.t,
            "clock": self.clock,
            "t_plus": self.t_plus,
            "text": self.text,
            "milestone": self.milestone,
        }


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    """A milestone of the scenario: when the run reached it, beside its published time when it has one."""

    milestone: str
    """The milestone's id."""
    name: str
    t: float | None
    """Simulation seconds from T0, or None when never reached."""
    clock: str
    """The local wall clock `HH:MM:SS` it was reached at, or `not reached`."""
    t_plus: str
    """`T+HH:MM:SS`, or empty when never reached."""
    published: str | None
    """The published time (as the reference writes it, `HH:MM[:SS]`), in a reconstruction."""
    source: str | None
    """Where the published time comes from."""
    difference_s: float | None = None
    """The run's time minus the published time, in seconds (the published clock time on the nearest day), or None."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "milestone": self.milestone,
            "name": self.name,
            "t": self.t,
            "clock": self.clock,
            "t_plus": self.t_plus,
            "published": self.published,
            "source": self.source,
            "difference_s": self.difference_s,
        }


@dataclass(frozen=True, slots=True)
class ObservedRow:
    """One real incident's figure for a reference interval, beside this run's."""

    incident: str
    source: str
    confidence: str | None
    note: str | None
    observed: str
    """The figure as written (`6m`, `19m to 27m`, `8m (12:03 to 12:11)`)."""
    observed_s: tuple[float, ...]
    """The figure in seconds: one value, or a range's two ends."""
    difference_s: float | None
    """The run's interval minus the observed one, in seconds (for a range: to its nearer end, 0 within it); None
    when the run did not reach both milestones."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "incident": self.incident,
            "source": self.source,
            "confidence": self.confidence,
            "note": self.note,
            "observed": self.observed,
            "observed_s": list(self.observed_s),
            "difference_s": self.difference_s,
        }


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    """A reference interval of the scenario: this run's value and each real incident's."""

    reference: str
    """The reference's id."""
    name: str
    since: str
    until: str
    simulated_s: float | None
    """`until` minus `since` in this run (negative when `until` came first), or None when one was not reached."""
    observed: tuple[ObservedRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "reference": self.reference,
            "name": self.name,
            "since": self.since,
            "until": self.until,
            "simulated_s": self.simulated_s,
            "observed": [row.to_dict() for row in self.observed],
        }


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    """An objective's final rating and what was measured."""

    objective: str
    """The objective's id."""
    name: str
    rating: str | None
    """P, S, M, U or N/A (None only for a run that is not over)."""
    measured: str
    """The measured time as `HH:MM:SS`, or `never`."""
    measured_s: float | None
    """The measured time in seconds, or None."""
    thresholds: str = ""
    """What it is rated against, in words (`P ≤ 10:00, S ≤ 15:00, M ≤ 25:00`, `before Police on scene`)."""
    note: str | None = None
    """Why it is rated U or N/A without a time over the limits (`until came before since`), or None."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "objective": self.objective,
            "name": self.name,
            "rating": self.rating,
            "measured": self.measured,
            "measured_s": self.measured_s,
            "thresholds": self.thresholds,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class ObservationRow:
    """An evaluator's (or the facilitator's) note, for the debrief and the after-action report."""

    t: float
    t_plus: str
    seat: str
    text: str
    objective: str | None
    core_capability: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "t": self.t,
            "t_plus": self.t_plus,
            "seat": self.seat,
            "text": self.text,
            "objective": self.objective,
            "core_capability": self.core_capability,
        }


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A decision taken during the run: by whom, when, which option, and what that option did."""

    decision: str
    """The decision's id."""
    prompt: str
    stakeholder: str
    """The organisation the decision was put to."""
    option: str
    """The option's id."""
    label: str
    """The option as the participant read it."""
    by: str
    """Who took it: a seat, `preset`, or `default` (nobody answered by the deadline)."""
    t: float
    t_plus: str
    consequences: tuple[str, ...]
    """What choosing it did, in words (`lock down synagogue`), in order."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "decision": self.decision,
            "prompt": self.prompt,
            "stakeholder": self.stakeholder,
            "option": self.option,
            "label": self.label,
            "by": self.by,
            "t": self.t,
            "t_plus": self.t_plus,
            "consequences": list(self.consequences),
        }


@dataclass(frozen=True, slots=True)
class Debrief:
    """A finished run as its report shows it; every field is plain data (see `to_dict`)."""

    scenario: str
    """The scenario's id."""
    title: str
    """The scenario's title, with the variant played (`Title — variant radio`)."""
    variant: str | None
    seed: int
    start: str
    """T0 as the scenario writes it (`YYYY-MM-DDTHH:MM[:SS]`)."""
    time_zone: str
    end_t: float
    """When the run ended, in simulation seconds."""
    timeline: tuple[TimelineRow, ...]
    """The records worth a line (`narrative.TIMELINE_KINDS`), in order; empty when the run kept no records."""
    milestones: tuple[MilestoneRow, ...]
    """Every milestone of the scenario: those reached in time order, then the others in the scenario's order."""
    reached: tuple[str, ...]
    """The ids of the milestones reached, in the order they were reached."""
    references: bool
    """Whether any milestone has a published time (a reconstruction): tables then show them beside the run's."""
    objectives: tuple[ObjectiveRow, ...]
    harm: float
    harm_unit: str
    """What the harm figure counts, from the scenario's threat."""
    records: int
    """How many records the run made."""
    decisions: tuple[tuple[str, str], ...]
    """(decision, option) of each decision taken, in the order taken."""
    log: str | None
    """The run log's path, when one was written."""
    observations: tuple[ObservationRow, ...] = ()
    """The notes taken during the run (`observe`), in order."""
    taken: tuple[DecisionRow, ...] = ()
    """Each decision taken, in the order taken, with who took it and what it did."""
    stopped: str | None = None
    """Why the engine's ceiling stopped the run before its end (`Exercise.stopped`), or None."""
    reference_intervals: tuple[ReferenceRow, ...] = ()
    """The scenario's reference observations (`references`) beside this run's intervals."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "variant": self.variant,
            "seed": self.seed,
            "start": self.start,
            "time_zone": self.time_zone,
            "end_t": self.end_t,
            "timeline": [row.to_dict() for row in self.timeline],
            "milestones": [row.to_dict() for row in self.milestones],
            "reached": list(self.reached),
            "references": self.references,
            "objectives": [row.to_dict() for row in self.objectives],
            "harm": self.harm,
            "harm_unit": self.harm_unit,
            "records": self.records,
            "decisions": dict(self.decisions),
            "log": self.log,
            "observations": [row.to_dict() for row in self.observations],
            "taken": [row.to_dict() for row in self.taken],
            "stopped": self.stopped,
            "reference_intervals": [row.to_dict() for row in self.reference_intervals],
        }


def debrief(exercise: Exercise, summary: RunSummary, log: Path | None = None) -> Debrief:
    """The debrief of a finished run, from the exercise that played it and its summary.

    Args:
        exercise: the run (its records give the timeline: none when it kept no records).
        summary: what `exercise.run()` or `exercise.close()` returned.
        log: the run log's path, when one was written.
    """
    scenario = exercise.scenario
    start, zone = scenario.clock.start, scenario.clock.time_zone
    timeline = tuple(
        TimelineRow(
            int(record["seq"]),
            float(record["t"]),
            wall_clock(start, zone, record["t"]),
            t_plus(record["t"]),
            describe(record),
            record["kind"] == "MilestoneReached",
        )
        for record in exercise.records
        if record["kind"] in TIMELINE_KINDS
    )
    milestones = []
    for milestone in scenario.milestones:
        t = summary.milestones.get(milestone.id)
        reference = milestone.reference
        milestones.append(
            MilestoneRow(
                milestone.id,
                milestone.name,
                t,
                NOT_REACHED if t is None else wall_clock(start, zone, t),
                "" if t is None else t_plus(t),
                None if reference is None else reference.time,
                None if reference is None else reference.source,
                None if reference is None or t is None else published_difference(start, zone, t, reference.time),
            )
        )
    # In time order: those reached in the order the run reached them, then the others in the scenario's order.
    reached = tuple(milestone for milestone, _ in sorted(summary.milestones.items(), key=lambda item: item[1]))
    rank = {milestone: index for index, milestone in enumerate(reached)}
    milestones.sort(key=lambda row: rank.get(row.milestone, len(rank)))
    names = {m.id: m.name for m in scenario.milestones}
    by_id = {o.id: o for o in scenario.objectives}
    objectives = tuple(
        ObjectiveRow(
            rating.objective,
            rating.name,
            rating.rating,
            NEVER if rating.measured_s is None else t_plus(rating.measured_s).removeprefix("T+"),
            rating.measured_s,
            thresholds_text(by_id[rating.objective], names) if rating.objective in by_id else "",
            rating.note,
        )
        for rating in summary.objectives
    )
    return Debrief(
        scenario=summary.scenario,
        title=scenario.title + (f" — variant {exercise.variant}" if exercise.variant else ""),
        variant=exercise.variant,
        seed=exercise.seed,
        start=start,
        time_zone=scenario.clock.time_zone,
        end_t=summary.end_t,
        timeline=timeline,
        milestones=tuple(milestones),
        # Reached in time order, ties in the order the run reached them: the summary keeps that order.
        reached=reached,
        references=any(m.reference is not None for m in scenario.milestones),
        objectives=objectives,
        harm=summary.harm,
        harm_unit=harm_unit(scenario),
        records=summary.records,
        decisions=tuple(summary.decisions.items()),
        log=None if log is None else str(log),
        observations=tuple(
            ObservationRow(float(r["t"]), t_plus(r["t"]), r["seat"], r["text"], r["objective"], r["core_capability"])
            for r in exercise.records
            if r["kind"] == "ObservationNoted"
        ),
        taken=_decisions_taken(exercise),
        stopped=exercise.stopped,
        reference_intervals=reference_rows(scenario, summary.milestones),
    )


def published_difference(start: str, time_zone: str, t: float, published: str) -> float:
    """The run's wall-clock time at `t` minus a published clock time `HH:MM[:SS]`, in seconds.

    The published time carries no date: it is taken on the day that puts it nearest to the run's time (a time
    published as 00:05 for a run at 23:58 is 7 minutes later, on the next day).
    """
    reached = wall_time(start, time_zone, t)
    clock = time.fromisoformat(published)
    zone = reached.tzinfo
    candidates = (
        datetime.combine(reached.date() + timedelta(days=days), clock).replace(tzinfo=zone) for days in (-1, 0, 1)
    )
    # In UTC: between two times of one zone Python subtracts clock faces, and a change of the clocks would not count.
    reached_utc = reached.astimezone(UTC)
    differences: list[float] = [(reached_utc - c.astimezone(UTC)).total_seconds() for c in candidates]
    nearest: float = min(differences, key=abs)
    return round(nearest, 3)


def reference_rows(scenario: Scenario, milestones: Mapping[str, float]) -> tuple[ReferenceRow, ...]:
    """Each reference interval of `scenario` beside the interval between its milestones in a run (`milestones`)."""
    zone = scenario.clock.time_zone
    rows = []
    for reference in scenario.references:
        since, until = milestones.get(reference.since), milestones.get(reference.until)
        simulated = None if since is None or until is None else round(until - since, 3)
        observed = tuple(
            ObservedRow(
                seen.incident,
                seen.source,
                seen.confidence,
                seen.note,
                seen.shown(zone),
                seen.values_s(zone),
                None if simulated is None else round(difference_from(simulated, seen.values_s(zone)), 3),
            )
            for seen in reference.observed
        )
        rows.append(ReferenceRow(reference.id, reference.name, reference.since, reference.until, simulated, observed))
    return tuple(rows)


def difference_from(simulated: float, observed: tuple[float, ...]) -> float:
    """`simulated` minus an observed value; for a range (two ends), minus its nearer end, and 0 within it."""
    low, high = min(observed), max(observed)
    if simulated < low:
        return simulated - low
    if simulated > high:
        return simulated - high
    return 0.0


def _decisions_taken(exercise: Exercise) -> tuple[DecisionRow, ...]:
    decisions = {d.id: d for d in exercise.scenario.decisions}
    names = scenario_names(exercise.world)
    rows = []
    for r in exercise.records:
        if r["kind"] != "DecisionTaken" or r["decision"] not in decisions:
            continue
        decision = decisions[r["decision"]]
        option = next((o for o in decision.options if o.id == r["option"]), None)
        rows.append(
            DecisionRow(
                decision.id,
                decision.prompt,
                decision.stakeholder,
                r["option"],
                r["option"] if option is None else option.label,
                r["by"],
                float(r["t"]),
                t_plus(r["t"]),
                () if option is None else tuple(describe_action(a, names) for a in option.consequences),
            )
        )
    return tuple(rows)


def harm_unit(scenario: Scenario) -> str:
    """What the harm figure of `scenario` counts."""
    threat = scenario.threat
    return "exposure-minutes" if threat is None else f"exposure-minutes ({threat.harm.description})"
