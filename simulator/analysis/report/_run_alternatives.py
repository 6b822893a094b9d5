"""What the other options of a run's decisions would have given: the run forked in memory where each decision opened."""

from __future__ import annotations

from dataclasses import replace

from scenarios import Scenario
from simulator.analysis.fork import fork
from simulator.analysis.report.model import Alternative, DecisionFacts, MilestoneShift, RatingShift
from simulator.debrief import Debrief
from simulator.runlog import RunLog


def with_alternatives(
    log: RunLog, decisions: tuple[DecisionFacts, ...], debrief: Debrief, scenario: Scenario
) -> tuple[DecisionFacts, ...]:
    """Each decision taken, with what each of its other options gives (same seed, same draws until it opened).

    The forks run in memory (no log is written); each plays to the scenario's end, as the run did. Only the
    milestones and ratings that differ from the run's are kept.

    Args:
        log: the run's log, every record read.
        decisions: the run's decisions (`_run_rows.decisions`).
        debrief: the run's debrief (its milestones, ratings and harm are what the alternatives are compared with).
        scenario: the scenario played (its variant applied).
    """
    options = {d.id: d.options for d in scenario.decisions}
    milestones = {row.milestone: row.t for row in debrief.milestones}
    ratings = {row.objective: row.rating for row in debrief.objectives}
    names = {m.id: m.name for m in scenario.milestones}
    found = []
    for decision in decisions:
        if decision.option is None:
            found.append(decision)
            continue
        alternatives = []
        for option in options.get(decision.decision, ()):
            if option.id == decision.option:
                continue
            forked = fork(log, at_decision=decision.decision, decisions={decision.decision: option.id}, embedded=True)
            summary = forked.summary
            shifts = tuple(
                MilestoneShift(m.id, names[m.id], milestones.get(m.id), summary.milestones.get(m.id))
                for m in scenario.milestones
                if milestones.get(m.id) != summary.milestones.get(m.id)
            )
            rated = tuple(
                RatingShift(r.objective, r.name, ratings.get(r.objective), r.rating)
                for r in summary.objectives
                if ratings.get(r.objective) != r.rating
            )
            alternatives.append(
                Alternative(option.id, option.label, round(summary.harm - debrief.harm, 3), shifts, rated)
            )
        found.append(replace(decision, alternatives=tuple(alternatives)))
    return tuple(found)
