"""Checks over the whole scenario that no single reference shows: variant ids, milestone cycles, the run's load."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scenarios._base import format_duration
from scenarios._yaml import Path_
from scenarios.errors import Severity
from scenarios.exercise import Milestone
from scenarios.limits import MAX_BACKGROUND_JOBS
from scenarios.playbook import Surge
from scenarios.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, with its path in the scenario."""

    path: Path_
    """Where, in the scenario's data."""
    message: str
    """What is wrong."""
    hint: str | None = None
    """How to fix it."""
    severity: Severity = "error"
    """Errors stop a run; warnings do not."""


def soundness_findings(scenario: Scenario) -> Iterator[Finding]:
    """Every whole-scenario problem of a scenario that is valid against the models."""
    yield from _duplicate_variants(scenario)
    yield from _milestone_cycles(scenario.milestones)
    yield from _background_load(scenario)
    yield from _start_on_the_wall_clock(scenario)


def _start_on_the_wall_clock(scenario: Scenario) -> Iterator[Finding]:
    """A start that the clocks of its time zone skip (the hour lost to summer time) or show twice (the hour repeated
    when it ends): the run plays, but its local times are not the ones the author meant, or are ambiguous."""
    zone = ZoneInfo(scenario.clock.time_zone)
    start = datetime.fromisoformat(scenario.clock.start)
    first, second = start.replace(tzinfo=zone, fold=0), start.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return
    shown = start.strftime("%H:%M")
    on_the_wall = first.astimezone(UTC).astimezone(zone)
    if on_the_wall.replace(tzinfo=None) != start:
        read = on_the_wall.strftime("%H:%M")
        yield Finding(
            ("clock", "start"),
            f"{shown} does not exist on that day in {scenario.clock.time_zone}: the clocks skip that hour, so the "
            f"run starts at {read}",
            "choose a time outside the skipped hour",
            "warning",
        )
    else:
        yield Finding(
            ("clock", "start"),
            f"{shown} happens twice on that day in {scenario.clock.time_zone} (the clocks go back): the run starts at "
            "the first of the two",
            "choose a time outside the repeated hour, if the exercise means the second",
            "warning",
        )


def _duplicate_variants(scenario: Scenario) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, variant in enumerate(scenario.variants):
        if variant.id in seen:
            yield Finding(("variants", index, "id"), f"duplicate id {variant.id!r}", "ids must be unique")
        seen.add(variant.id)


def _dependencies(milestone: Milestone) -> list[str]:
    """The milestones `milestone` waits for."""
    if milestone.when is not None:
        return [milestone.when.milestone] if milestone.when.milestone is not None else []
    return list(milestone.all_of)


def _milestone_cycles(milestones: list[Milestone]) -> Iterator[Finding]:
    """Milestones that wait for each other (`a` all_of `[b]`, `b` all_of `[a]`): none of them is ever reached.

    An `at_least` can let a cycle be entered from outside, so the cycles reported are among the milestones that no
    run can reach (over-approximating: every event-triggered milestone is taken as reachable).
    """
    by_id = {m.id: m for m in reversed(milestones)}
    index = {m.id: i for i, m in reversed(list(enumerate(milestones)))}
    reached = {m.id for m in milestones if m.when is not None and m.when.milestone is None}
    changed = True
    while changed:  # a fixpoint: each pass reaches at least one more milestone, or ends
        changed = False
        for m in milestones:
            if m.id in reached:
                continue
            needs = _dependencies(m)
            enough = 1 if m.when is not None else (m.at_least or len(needs))
            if sum(need in reached for need in needs) >= enough:
                reached.add(m.id)
                changed = True
    # Every unreached milestone waits for an unreached one, so following those links from it ends in a cycle.
    visited: set[str] = set()
    for m in milestones:
        if m.id in reached:
            continue
        walk: list[str] = []
        current: str | None = m.id
        while current is not None and current not in visited:
            visited.add(current)
            walk.append(current)
            current = next(
                (n for n in _dependencies(by_id[current]) if n in by_id and n not in reached),
                None,
            )
        if current is None or current not in walk:
            continue
        cycle = walk[walk.index(current) :]
        if len(cycle) == 1:
            continue  # waiting for itself is reported where it is written
        first = min(cycle, key=index.__getitem__)
        start = cycle.index(first)
        ordered = [*cycle[start:], *cycle[:start], first]
        key = "when" if by_id[first].when is not None else "all_of"
        yield Finding(
            ("milestones", index[first], key),
            f"milestones {' -> '.join(repr(name) for name in ordered)} wait for each other in a cycle, "
            "so none of them can ever be reached",
            "make one of them wait for something outside the cycle",
        )


def _background_load(scenario: Scenario) -> Iterator[Finding]:
    """A run's background jobs, all stakeholders together, stay within `MAX_BACKGROUND_JOBS` (each is a record)."""
    hours = scenario.clock.duration / 3600
    surges = _surges(scenario)
    loads = []
    for i, sh in enumerate(scenario.stakeholders):
        if sh.background is not None:
            factor, surge_s = surges.get(sh.id, (1.0, 0.0))
            surge_hours = min(surge_s, scenario.clock.duration) / 3600
            loads.append((sh.background.arrivals_per_hour * (hours + (factor - 1) * surge_hours), i))
    total = sum(load for load, _ in loads)
    if total <= MAX_BACKGROUND_JOBS:
        return
    _, busiest = max(loads)
    run = format_duration(scenario.clock.duration)
    yield Finding(
        ("stakeholders", busiest, "background", "arrivals_per_hour"),
        f"the background work adds up to about {total:,.0f} jobs in a run of {run}, "
        f"more than the {MAX_BACKGROUND_JOBS:,} a run may hold",
        "lower arrivals_per_hour" + (" or the surges' factors" if surges else "") + ", or shorten clock.duration",
    )


def _surges(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """For each stakeholder whose work a surge action multiplies: the highest factor, and the seconds of all its
    surges together (each action counted once; while surges overlap, only the highest factor applies)."""
    found: dict[str, tuple[float, float]] = {}
    ordered = [(sh.id, rule.do) for sh in scenario.stakeholders for rule in sh.playbook]
    ordered += [(d.stakeholder, option.consequences) for d in scenario.decisions for option in d.options]
    for owner, actions in ordered:
        for action in actions:
            if isinstance(action, Surge):
                who = action.stakeholder or owner
                factor, seconds = found.get(who, (1.0, 0.0))
                found[who] = (max(factor, action.factor), seconds + action.for_)
    return found
