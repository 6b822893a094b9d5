"""The alert played by the engine: the flood scenario's shape, and times on small networks worked out by hand."""

from __future__ import annotations

from typing import Any

from scenarios import Scenario
from simulator.analysis.network.simulated import ALERT, SimulatedReach, flood_scenario, simulate_alert


def _scenario(channels: list[dict[str, Any]], **extra: Any) -> Scenario:
    """Four stakeholders a, b, c, d (a at the site, with a playbook of its own) and the given channels."""
    stakeholders: list[dict[str, Any]] = [
        {
            "id": "a",
            "name": "Alpha",
            "kind": "site_staff",
            "site": "s",
            "playbook": [{"id": "own", "on": {"fact": "own-fact"}, "do": [{"action": "lock_down", "site": "s"}]}],
        },
        {"id": "b", "name": "Bravo", "kind": "police_control", "units": 2},
        {"id": "c", "name": "Charlie", "kind": "patrol"},
        {"id": "d", "name": "Delta", "kind": "media"},
    ]
    data: dict[str, Any] = {
        "schema_version": 2,
        "id": "tiny",
        "title": "Tiny",
        "summary": "A tiny network.",
        "learning_objectives": ["Pass it on."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
        "facts": [{"id": "own-fact", "description": "Something else."}],
        "sites": [{"id": "s", "name": "Site", "kind": "school", "occupancy": 10, "lockdown": {}}],
        "stakeholders": stakeholders,
        "channels": channels,
        "milestones": [{"id": "m", "name": "M", "when": {"fact": "own-fact", "stakeholder": "a"}}],
        **extra,
    }
    return Scenario.model_validate(data)


def _channel(id_: str, sender: str, receiver: str, latency: str = "10s", **extra: Any) -> dict[str, Any]:
    return {"id": id_, "from": sender, "to": receiver, "latency": latency, **extra}


def test_the_flood_scenario_keeps_the_network_and_gives_everyone_one_rule_to_pass_the_alert_on() -> None:
    scenario = _scenario(
        [
            _channel("z-ab", "a", "b"),
            _channel("ad", "a", "d"),
            _channel("ac", "a", "c", enabled=False),
            _channel("ab-slow", "a", "b", latency="1m"),
        ]
    )
    flood = flood_scenario(scenario, ["a"])
    assert [fact.id for fact in flood.facts] == [ALERT]
    assert flood.channels == scenario.channels
    assert flood.sites == scenario.sites
    assert [(inject.to, inject.at, inject.fact) for inject in flood.injects] == [("a", 0.0, ALERT)]
    assert flood.milestones == [] and flood.objectives == [] and flood.threat is None and flood.decisions == []
    alpha = flood.stakeholders[0]
    assert len(alpha.playbook) == 1
    rule = alpha.playbook[0]
    assert rule.on.fact == ALERT
    # Receivers in id order (b before d, whatever the channels' ids), each via the fastest channel to it (z-ab,
    # 10 s, not ab-slow, first by id); the disabled channel to c is not used.
    assert [(action.action, getattr(action, "to", None), getattr(action, "via", 1)) for action in rule.do] == [
        ("notify", "b", "z-ab"),
        ("notify", "d", "ad"),
    ]
    bravo = flood.stakeholders[1]
    assert bravo.units == 2 and bravo.playbook == []


def test_a_chain_of_fixed_latencies_is_learned_at_their_sum_in_every_replication() -> None:
    scenario = _scenario([_channel("ab", "a", "b", "10s"), _channel("bc", "b", "c", "20s")])
    reach = simulate_alert(scenario, ["a"], replications=5)
    assert reach["a"] == SimulatedReach(0.0, 5, 5)
    assert reach["b"] == SimulatedReach(10.0, 5, 5)
    assert reach["c"] == SimulatedReach(30.0, 5, 5)
    assert reach["d"] == SimulatedReach(None, 0, 5)


def test_the_first_arrival_over_two_paths_is_the_faster_one_and_intake_adds_its_time() -> None:
    scenario = _scenario(
        [_channel("ab", "a", "b", "10s"), _channel("bd", "b", "d", "10s"), _channel("ad", "a", "d", "50s")]
    )
    scenario = scenario.model_copy(
        update={
            "stakeholders": [
                s if s.id != "d" else s.model_copy(update={"intake_time": 5.0}) for s in scenario.stakeholders
            ]
        }
    )
    reach = simulate_alert(scenario, ["a"], replications=3)
    assert reach["d"].mean_s == 25.0


def test_a_channel_that_always_fails_reaches_nobody_and_a_retry_after_it_is_counted() -> None:
    failing = _channel("ab", "a", "b", "10s", failure_probability=1.0)
    assert simulate_alert(_scenario([failing]), ["a"], replications=4)["b"] == SimulatedReach(None, 0, 4)
    half = _channel(
        "ab",
        "a",
        "b",
        "10s",
        failure_probability=0.5,
        on_failure={"then": "retry", "retry_after": "5s", "max_attempts": 2},
    )
    reach = simulate_alert(_scenario([half]), ["a"], replications=200, seed=7)["b"]
    # Two attempts: reached with 1 - 0.25 = 0.75; at 10 s (2/3 of those) or 10 + 5 + 10 = 25 s (1/3): mean 15 s.
    assert 130 <= reach.reached <= 170
    assert reach.mean_s is not None and 13.0 <= reach.mean_s <= 17.0
    assert reach.replications == 200


def test_several_origins_all_know_at_zero() -> None:
    reach = simulate_alert(_scenario([_channel("ab", "a", "b")]), ["a", "c"], replications=2)
    assert reach["a"].mean_s == 0.0 and reach["c"].mean_s == 0.0 and reach["b"].mean_s == 10.0
