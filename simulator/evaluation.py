"""Rating objectives P/S/M/U (or N/A) from milestone times (HSEEP)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scenarios.exercise import Objective
from simulator.formatting import minutes

RATINGS = ("P", "S", "M", "U", "N/A")
"""Performed without challenges, with some, with major challenges, unable to be performed, not applicable."""
NOT_APPLICABLE = "N/A"
"""The rating of an objective that was not met because a milestone it depends on (`not_applicable_unless`) never
happened."""


@dataclass(frozen=True, slots=True)
class ObjectiveRating:
    """An objective's rating in one run."""

    objective: str
    """The objective's id."""
    name: str
    """The objective's text."""
    rating: str | None
    """P, S, M, U or N/A; None while the run is still going and the objective may still be met."""
    measured_s: float | None
    """The time from `since` to `until`, when both were reached in that order."""
    note: str | None = None
    """Why a rating is U or N/A without a time over the limits (`until came before since`), or None."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (the run log's seal: the note is left out, a replay derives it again)."""
        return {"objective": self.objective, "name": self.name, "rating": self.rating, "measured_s": self.measured_s}


def thresholds_text(objective: Objective, names: Mapping[str, str] | None = None) -> str:
    """What the rating is measured against, in words: `P ≤ 10:00, S ≤ 15:00, M ≤ 25:00`, `before Attacker at school`.

    `names` gives the milestones' names (their ids otherwise).
    """
    limits = objective.thresholds
    return limits_text(
        None if limits is None else limits.performed,
        None if limits is None else limits.some_challenges,
        None if limits is None else limits.major_challenges,
        objective.before,
        objective.not_applicable_unless,
        names,
    )


def limits_text(
    performed_s: float | None,
    some_challenges_s: float | None,
    major_challenges_s: float | None,
    before: str | None = None,
    not_applicable_unless: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
) -> str:
    """`thresholds_text` from the values themselves (as a batch summary keeps them)."""
    named = names or {}
    parts = []
    if performed_s is not None and some_challenges_s is not None and major_challenges_s is not None:
        parts.append(f"P ≤ {minutes(performed_s)}, S ≤ {minutes(some_challenges_s)}, M ≤ {minutes(major_challenges_s)}")
    if before is not None:
        parts.append(f"before {named.get(before, before)}")
    if not_applicable_unless:
        parts.append("N/A unless " + " and ".join(named.get(m, m) for m in not_applicable_unless))
    return "; ".join(parts)


def rate(objective: Objective, milestones: Mapping[str, float], now: float, final: bool) -> ObjectiveRating:
    """Rate `objective` given the milestones reached so far (at `now`, in the order reached); `final` at the end.

    An objective with `not_applicable_unless` milestones that the run never reached is N/A, whatever it measured:
    it did not apply in that run. A rating, once given, does not change later in the run, so such an objective
    stays open until they are all reached (or the run ends).
    """
    rating = _rate(objective, milestones, now, final)
    missing = [m for m in objective.not_applicable_unless if m not in milestones]
    if not missing:
        return rating
    if not final:
        return ObjectiveRating(objective.id, objective.name, None, rating.measured_s)
    note = "not applicable: never reached " + ", ".join(missing)
    return ObjectiveRating(objective.id, objective.name, NOT_APPLICABLE, rating.measured_s, note)


def _rate(objective: Objective, milestones: Mapping[str, float], now: float, final: bool) -> ObjectiveRating:
    def rated(letter: str | None, measured: float | None = None, note: str | None = None) -> ObjectiveRating:
        return ObjectiveRating(objective.id, objective.name, letter, measured, note)

    start = 0.0 if objective.since is None else milestones.get(objective.since)
    end = milestones.get(objective.until)
    limits = objective.thresholds
    if start is not None and end is not None and end < start:
        # `until` came first, and a milestone is a first occurrence: it is not reached again after `since`.
        return rated("U", None, f"until came before since ({minutes(start - end)} earlier)")
    if objective.before is not None and _came_first(objective.before, objective.until, milestones):
        return rated("U", None, f"{objective.before} came before {objective.until}")
    if start is not None and end is not None:
        measured = round(end - start, 3)
        if limits is None:
            return rated("P", measured)
        for letter, limit in (("P", limits.performed), ("S", limits.some_challenges), ("M", limits.major_challenges)):
            if measured <= limit:
                return rated(letter, measured)
        return rated("U", measured)
    if final:
        # `never` in the measured column says it all when `until` was not reached; a missing start needs saying.
        return rated("U", None, None if start is not None else f"{objective.since} never reached")
    if start is not None and limits is not None and now - start > limits.major_challenges:
        return rated("U", None, f"not reached {objective.until} within {minutes(limits.major_challenges)}")
    return rated(None)


def _came_first(first: str, second: str, milestones: Mapping[str, float]) -> bool:
    """Whether milestone `first` was reached, and `second` not yet or later; at the same time, the one reached first
    (milestones are kept in the order they were reached)."""
    if first not in milestones:
        return False
    if second not in milestones:
        return True
    if milestones[first] != milestones[second]:
        return milestones[first] < milestones[second]
    order = list(milestones)
    return order.index(first) < order.index(second)
