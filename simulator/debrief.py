"""`Debrief`: what a finished run shows its facilitator (timeline, milestones, ratings, harm), ready to render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios import Scenario
from simulator.exercise import Exercise, RunSummary
from simulator.narrative import TIMELINE_KINDS, describe, t_plus, wall_clock
from simulator.views import describe_action, scenario_names

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
        }


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    """An objective's final rating and what was measured."""

    objective: str
    """The objective's id."""
    name: str
    rating: str | None
    """P, S, M or U (None only for a run that is not over)."""
    measured: str
    """The measured time as `HH:MM:SS`, or `never`."""
    measured_s: float | None
    """The measured time in seconds, or None."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "objective": self.objective,
            "name": self.name,
            "rating": self.rating,
            "measured": self.measured,
            "measured_s": self.measured_s,
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
    """Every milestone of the scenario, in the scenario's order."""
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
            )
        )
    objectives = tuple(
        ObjectiveRow(
            rating.objective,
            rating.name,
            rating.rating,
            NEVER if rating.measured_s is None else t_plus(rating.measured_s).removeprefix("T+"),
            rating.measured_s,
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
        reached=tuple(milestone for milestone, _ in sorted(summary.milestones.items(), key=lambda item: item[1])),
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
    )


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
