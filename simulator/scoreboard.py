"""The scoreboard of a live run: milestones reached, each objective's rating so far against its thresholds, harm.

A read model for the facilitator's and evaluators' consoles (participants do not see the evaluation while they
play); computed here so that every console shows the same ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from simulator.debrief import harm_unit
from simulator.evaluation import rate
from simulator.views import _View

if TYPE_CHECKING:
    from simulator.exercise import Exercise

RATING_MEANINGS: Final = (
    ("P", "performed without challenges"),
    ("S", "performed with some challenges"),
    ("M", "performed with major challenges"),
    ("U", "unable to be performed"),
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
    performed_s: float
    """Up to this many seconds: P."""
    some_challenges_s: float
    """Up to this: S."""
    major_challenges_s: float
    """Up to this: M; longer, or never: U."""
    rating: str | None
    """P, S, M or U once it is settled; None while it may still be met."""
    measured_s: float | None
    """The time from `since` to `until`, once both were reached."""
    status: Literal["met", "missed", "pending"]
    """met: rated P, S or M; missed: rated U; pending: not settled yet."""


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
    objectives = []
    for objective in scenario.objectives:
        rating = rate(objective, reached, exercise.now, exercise.finished)
        limits = objective.thresholds
        status: Literal["met", "missed", "pending"] = (
            "pending" if rating.rating is None else "missed" if rating.rating == "U" else "met"
        )
        objectives.append(
            ObjectiveStatus(
                objective.id,
                objective.name,
                objective.core_capability,
                objective.since,
                objective.until,
                float(limits.performed),
                float(limits.some_challenges),
                float(limits.major_challenges),
                rating.rating,
                rating.measured_s,
                status,
            )
        )
    return Scoreboard(milestones, tuple(objectives), round(exercise.harm, 3), harm_unit(scenario))
