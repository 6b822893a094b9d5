"""The alert played by the engine: a scenario in which every organisation only passes the alert on, and the mean
time at which each learns it over a batch of seeds (the check of the expected times)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scenarios import Scenario
from scenarios._base import format_duration
from simulator.analysis.network._hops import ranked_channels
from simulator.analysis.network.model import Alert, Reach
from simulator.exercise import Exercise
from simulator.setup import Setup

ALERT = "alert"
"""The one fact of a flood scenario."""
PARALLEL_SHARE = 0.4
"""How much earlier than the fastest expected path the earliest of several random paths may be (a share of E - W)."""
AGREES = "agrees"
DESK_WAIT = "desk wait"
PARALLEL_PATHS = "parallel paths"
QUEUEING = "queueing"
"""What `verdict` finds, besides a sentence saying how the times differ."""


@dataclass(frozen=True, slots=True)
class SimulatedReach:
    """When one stakeholder learned the alert over a batch of replications."""

    mean_s: float | None
    """The mean time of its first awareness over the replications that reached it; None when none did."""
    reached: int
    """In how many replications it learned the alert."""
    replications: int
    """How many replications were played."""


def flood_scenario(scenario: Scenario, origins: Sequence[str], *, warm_up: float = 0.0) -> Scenario:
    """The scenario's network with one alert that every organisation passes on at once.

    The stakeholders (units, intake, background work), sites and channels are kept; the one fact is `alert`; one
    inject at T+0 gives it to each origin; each stakeholder's playbook is one rule: on learning `alert`, notify each
    stakeholder it has an enabled channel to (no delay), in id order, `via` the fastest of those channels (the one
    the analysis takes: `ranked_channels`). There is no threat, decision,
    milestone, objective or variant.

    Args:
        scenario: The scenario (its variant already applied).
        origins: The stakeholders who know at T+0.
        warm_up: Give the origins the alert this many seconds after T0 instead (the clock runs as much longer), so
            that the desks' background work is under way when the alert comes, as in the analysis' steady state.
    """
    receivers: dict[str, list[tuple[str, str]]] = {stakeholder.id: [] for stakeholder in scenario.stakeholders}
    ranked = ranked_channels({c.id: c for c in scenario.channels}, receivers)
    for (sender, receiver), ids in ranked.items():
        receivers[sender].append((receiver, ids[0]))
    stakeholders: list[dict[str, Any]] = []
    for stakeholder in scenario.stakeholders:
        data = stakeholder.model_dump(mode="json", by_alias=True)
        to = receivers[stakeholder.id]
        data["playbook"] = (
            [
                {
                    "id": f"pass-on-{stakeholder.id}",
                    "on": {"fact": ALERT},
                    "do": [{"action": "notify", "to": receiver, "fact": ALERT, "via": via} for receiver, via in to],
                }
            ]
            if to
            else []
        )
        stakeholders.append(data)
    base = scenario.model_dump(mode="json", by_alias=True)
    data = {
        "schema_version": base["schema_version"],
        "id": base["id"],
        "title": base["title"],
        "summary": base["summary"],
        "learning_objectives": base["learning_objectives"],
        "clock": {**base["clock"], "duration": format_duration(scenario.clock.duration + warm_up)},
        "facts": [{"id": ALERT, "description": "The alert: an attack is under way."}],
        "sites": base["sites"],
        "stakeholders": stakeholders,
        "channels": base["channels"],
        "injects": [
            {
                "id": f"alert-{index + 1}",
                "at": format_duration(warm_up),
                "to": origin,
                "text": "The alert.",
                "fact": ALERT,
            }
            for index, origin in enumerate(origins)
        ],
    }
    return Scenario.model_validate(data)


def simulate_alert(
    scenario: Scenario, origins: Sequence[str], replications: int, seed: int = 0, *, warm_up: float = 0.0
) -> dict[str, SimulatedReach]:
    """Play the alert from `origins` with the engine, seeds `seed` to `seed + replications - 1`, without a log.

    Args:
        scenario: The scenario (its variant already applied).
        origins: The stakeholders who know at T+0.
        replications: How many runs to play.
        seed: The first run's seed.
        warm_up: Raise the alert this long after T0 (see `flood_scenario`); times are counted from the alert.

    Returns:
        For every stakeholder, in the scenario's order: when it first learned the alert (after the alert), over the
        runs.
    """
    flood = flood_scenario(scenario, origins, warm_up=warm_up)
    setup = Setup.of(flood)
    reachable = _reachable(flood, origins)
    ids = [stakeholder.id for stakeholder in flood.stakeholders]
    totals = dict.fromkeys(ids, 0.0)
    counts = dict.fromkeys(ids, 0)
    for run_seed in range(seed, seed + replications):
        learned: dict[str, float] = {}
        holder: list[Exercise] = []

        def listen(record: Any, learned: dict[str, float] = learned, holder: list[Exercise] = holder) -> None:
            if record["kind"] == "FactLearned" and record["fact"] == ALERT:
                learned[record["stakeholder"]] = float(record["t"]) - warm_up
                # Background work goes on to the end of the clock: stop once all who can be reached know.
                if len(learned) >= len(reachable) and holder:
                    holder[0].halt()

        exercise = Exercise(setup, run_seed, keep_records=False, on_record=listen)
        holder.append(exercise)
        if len(learned) < len(reachable):
            exercise.advance_to(exercise.end_t)
        for stakeholder, t in learned.items():
            totals[stakeholder] += t
            counts[stakeholder] += 1
    return {
        stakeholder: SimulatedReach(
            totals[stakeholder] / counts[stakeholder] if counts[stakeholder] else None,
            counts[stakeholder],
            replications,
        )
        for stakeholder in ids
    }


def _reachable(flood: Scenario, origins: Sequence[str]) -> set[str]:
    """Who the alert can reach at all: along enabled channels and their enabled fallbacks, from the origins."""
    channels = {channel.id: channel for channel in flood.channels if channel.enabled}
    leaving: dict[str, list[str]] = {}
    for channel in channels.values():
        leaving.setdefault(channel.from_, []).append(channel.id)
    seen = set(origins)
    todo = list(origins)
    while todo:
        sender = todo.pop()
        for channel_id in leaving.get(sender, []):
            channel = channels[channel_id]
            targets = [channel.to]
            fallback = channel.on_failure.fallback
            if channel.on_failure.then == "fallback" and fallback in channels:
                targets.append(channels[fallback].to)
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    return seen


def tolerance(expected_s: float) -> float:
    """How far a simulated mean may be from the expected time and still agree: 10% from 30 s on, else 3 s."""
    return 0.1 * expected_s if expected_s >= 30 else 3.0


def path_wait(alert: Alert, reach: Reach) -> float:
    """W: the expected waits for a call taker at the receivers along the reach's path."""
    waits = {r.stakeholder: r.wait_s for r in alert.reach}
    return sum(waits[hop.receiver] for hop in reach.path)


def has_parallel_path(scenario: Scenario, alert: Alert, reach: Reach) -> bool:
    """Whether an organisation on the path can also be told by a reached organisation other than the one before it,
    one whose own path does not pass through it (a route around it: random delays sometimes make it the first)."""
    paths = {r.stakeholder: {hop.receiver for hop in r.path} for r in alert.reach if r.expected_s is not None}
    for hop in reach.path:
        senders = {
            c.from_
            for c in scenario.channels
            if c.enabled and c.to == hop.receiver and c.from_ in paths and hop.receiver not in paths[c.from_]
        }
        if senders - {hop.sender, hop.receiver}:
            return True
    return False


def verdict(scenario: Scenario, alert: Alert, reach: Reach, played: SimulatedReach) -> str:
    """Whether a reached stakeholder's simulated mean agrees with its expected time, or which effect explains the
    difference (docs/network-analysis.md, "Why simulated and expected times differ").

    With E the expected time, S the simulated mean, W the desks' waits on the path (`path_wait`) and `tolerance`:
    `agrees` when |S - E| is within it; `desk wait` when E - W - tol <= S <= E + tol (the simulation starts every
    desk idle); `parallel paths` when an organisation on the path has another way in (`has_parallel_path`) and
    (E - W)(1 - PARALLEL_SHARE) <= S < E (the earliest of several random paths); `queueing` when S is later
    (several messages at one desk, which the analysis does not count); else a sentence saying how they differ.

    Args:
        scenario: The scenario played (what-if applied).
        alert: The alert, analysed with its paths.
        reach: The stakeholder's reach (it is reached).
        played: Its simulated reach.
    """
    assert reach.expected_s is not None
    expected, simulated = reach.expected_s, played.mean_s
    if simulated is None:
        return "never reached in the simulation"
    tol = tolerance(expected)
    wait = path_wait(alert, reach)
    if abs(simulated - expected) <= tol:
        return AGREES
    if wait > 0 and expected - wait - tol <= simulated <= expected + tol:
        return DESK_WAIT
    if has_parallel_path(scenario, alert, reach) and (expected - wait) * (1 - PARALLEL_SHARE) <= simulated < expected:
        return PARALLEL_PATHS
    if simulated > expected:
        return QUEUEING
    return f"differs: expected {expected:.1f} s (wait {wait:.1f} s), simulated {simulated:.1f} s"
