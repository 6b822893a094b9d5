"""Rating objectives P/S/M/U from milestone times (HSEEP)."""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.exercise import Objective

RATINGS = ("P", "S", "M", "U")
"""Performed without challenges, with some, with major challenges, unable to be performed."""


@dataclass(frozen=True, slots=True)
class ObjectiveRating:
    """An objective's rating in one run."""

    objective: str
    """The objective's id."""
    name: str
    """The objective's text."""
    rating: str | None
    """P, S, M or U; None while the run is still going and the objective may still be met."""
    measured_s: float | None
    """The time from `since` to `until`, when both were reached."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {"objective": self.objective, "name": self.name, "rating": self.rating, "measured_s": self.measured_s}


def rate(objective: Objective, milestones: dict[str, float], now: float, final: bool) -> ObjectiveRating:
    """Rate `objective` given the milestones reached so far (at `now`); `final` at the end of a run."""
    start = 0.0 if objective.since is None else milestones.get(objective.since)
    end = milestones.get(objective.until)
    limits = objective.thresholds
    if start is not None and end is not None and end < start:
        # `until` came first, and a milestone is a first occurrence: it is not reached again after `since`.
        return ObjectiveRating(objective.id, objective.name, "U", None)
    if start is not None and end is not None:
        measured = round(end - start, 3)
        for rating, limit in zip(
            RATINGS, (limits.performed, limits.some_challenges, limits.major_challenges), strict=False
        ):
            if measured <= limit:
                return ObjectiveRating(objective.id, objective.name, rating, measured)
        return ObjectiveRating(objective.id, objective.name, "U", measured)
    if final or (start is not None and now - start > limits.major_challenges):
        return ObjectiveRating(objective.id, objective.name, "U", None)
    return ObjectiveRating(objective.id, objective.name, None, None)
