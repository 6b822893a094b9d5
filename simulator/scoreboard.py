"""The scoreboard of a live run: milestones reached, each objective's rating so far against its thresholds, harm.

A read model for the facilitator's and evaluators' consoles (participants do not see the evaluation while they
play); computed here so that every console shows the same ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from simulator.debrief import harm_unit
from simulator.evaluation import NOT_APPLICABLE, rate, thresholds_text
from simulator.views import _View

if TYPE_CHECKING:
    from simulator.exercise import Exercise

RATING_MEANINGS: Final = (
    ("P", "performed without challenges"),
    ("S", "performed with some challenges"),
    ("M", "performed with major challenges"),
    ("U", "unable to be performed"),
    ("N/A", "not applicable (a milestone it depends on never happened)"),
)
"""The HSEEP ratings and what each means (the legend beside the ratings)."""


@dataclass(frozen=True, slots=True)
class MilestoneStatus(_View):
    """A milestone of the scenario and when the run reached it."""

    id: str
    name: str
    t: float | None
    """Simulation seconds from T0 when it was reached; None while it has not been."""


@dataclass(frozen=True, slots=True)
class ObjectiveStatus(_View):
    """An objective with its rating so far and the thresholds it is rated against."""

    id: str
    name: str
    core_capability: str
    since: str | None
    """The milestone its clock starts at (None: T0)."""
    until: str
    """The milestone that must be reached."""
    performed_s: float | None
    """Up to this many seconds: P (None: the objective has no thresholds, only `before`)."""
    some_challenges_s: float | None
    """Up to this: S."""
    major_challenges_s: float | None
    """Up to this: M; longer, or never: U."""
    rating: str | None
    """P, S, M, U or N/A once it is settled; None while it may still be met."""
    measured_s: float | None
    """The time from `since` to `until`, once both were reached."""
    status: Literal["met", "missed", "not applicable", "pending"]
    """met: rated P, S or M; missed: rated U; not applicable: N/A; pending: not settled yet."""
    before: str | None = None
    """The milestone `until` must come before, if any."""
    thresholds: str = ""
    """What it is rated against, in words (`P ≤ 10:00, S ≤ 15:00, M ≤ 25:00`)."""
    note: str | None = None
    """Why it is rated U or N/A without a time over the limits (`until came before since`)."""


@dataclass(frozen=True, slots=True)
class Scoreboard(_View):
    """Where the run stands against its objectives."""

    milestones: tuple[MilestoneStatus, ...]
    """Every milestone, in the scenario's order."""
    objectives: tuple[ObjectiveStatus, ...]
    harm: float
    """Harm so far, rounded to a thousandth."""
    harm_unit: str
    """What the harm figure counts."""


def scoreboard(exercise: Exercise) -> Scoreboard:
    """The scoreboard of `exercise` now (ratings final once it has ended)."""
    reached = exercise.world.milestones
    scenario = exercise.scenario
    milestones = tuple(
        MilestoneStatus(m.id, m.name, None if m.id not in reached else round(reached[m.id], 3))
        for m in scenario.milestones
    )
    names = {m.id: m.name for m in scenario.milestones}
    objectives = []
    for objective in scenario.objectives:
        rating = rate(objective, reached, exercise.now, exercise.finished)
        limits = objective.thresholds
        status: Literal["met", "missed", "not applicable", "pending"] = (
            "pending"
            if rating.rating is None
            else "missed"
            if rating.rating == "U"
            else "not applicable"
            if rating.rating == NOT_APPLICABLE
            else "met"
        )
        objectives.append(
            ObjectiveStatus(
                objective.id,
                objective.name,
                objective.core_capability,
                objective.since,
                objective.until,
                None if limits is None else float(limits.performed),
                None if limits is None else float(limits.some_challenges),
                None if limits is None else float(limits.major_challenges),
                rating.rating,
                rating.measured_s,
                status,
                objective.before,
                thresholds_text(objective, names),
                rating.note,
            )
        )
    return Scoreboard(milestones, tuple(objectives), round(exercise.harm, 3), harm_unit(scenario))
