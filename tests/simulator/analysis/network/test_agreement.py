"""Acceptance: the expected time to awareness agrees with the mean of a 500-replication simulation of the same alert,
on every bundled scenario, for an alert at each site; or the difference is one the model documents, checked here.

The rule (`simulator.analysis.network.simulated.verdict`, which `tabletop network --simulate` uses to mark and
explain a difference; docs/network-analysis.md, "Why the simulation differs"), for each stakeholder the alert
reaches, with E its expected time, S its simulated mean, and the tolerance `tol` = 10% of E from 30 s on, else 3 s:

1. **Agrees**: |S - E| <= tol.
2. **A desk's wait**: E counts the steady-state wait for a free call taker (Erlang C) at the desks on its path,
   W in all; the simulation starts every desk idle at T+0, so its wait is shorter: E - W - tol <= S <= E + tol;
   and played again with the alert raised an hour after T0 (`warm_up`, the desks busy with their background work
   by then), the simulated mean agrees (rule 1) or rule 3 explains it: the wait itself is right.
3. **Parallel paths**: some organisation on its path (itself included) can also be told by another reached
   organisation; the simulated first arrival is the earliest of several random paths, which is earlier than the
   fastest expected path: S < E, and S >= E - W - `PARALLEL_SHARE` * (E - W) (at most that share faster).

Besides: how often it is reached is at least its path's chance, less three standard errors (other paths only add);
an organisation the analysis never reaches is never reached in the simulation.
"""

from __future__ import annotations

import math

import pytest

from scenarios import Scenario, bundled_names, load_scenario
from simulator.analysis.network.analysis import analyse_network
from simulator.analysis.network.model import Alert, Hop, Reach
from simulator.analysis.network.simulated import (
    SimulatedReach,
    has_parallel_path,
    simulate_alert,
    verdict,
)

REPLICATIONS = 500
WARM_UP_S = 3600.0
"""How long the desks work before the alert, when a desk's wait is checked in its steady state."""


def _hand_built() -> tuple[Scenario, Alert]:
    """A made-up alert: the guard calls the desk (which waits 20 s for a call taker), the desk tells the patrol, whom
    the guard can also call directly (its expected time is later, so it is not on the fastest path)."""
    people = [("guard", "site_staff"), ("desk", "police_control"), ("patrol", "patrol")]
    scenario = Scenario.model_validate(
        {
            "schema_version": 2,
            "id": "made-up",
            "title": "Made up",
            "summary": "Three organisations.",
            "learning_objectives": ["Pass it on."],
            "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
            "sites": [{"id": "s", "name": "Site", "kind": "school", "occupancy": 10}],
            "stakeholders": [{"id": sid, "name": sid.title(), "kind": kind} for sid, kind in people],
            "channels": [
                {"id": "x", "from": "guard", "to": "desk", "latency": "40s"},
                {"id": "y", "from": "desk", "to": "patrol", "latency": "40s"},
                {"id": "z", "from": "guard", "to": "patrol", "latency": "5m"},
                {"id": "back", "from": "patrol", "to": "desk", "latency": "1s"},
            ],
        }
    )
    to_desk = Hop("guard", "desk", ("x",), 60.0, 1.0)
    to_patrol = Hop("desk", "patrol", ("y",), 40.0, 1.0)
    alert = Alert(
        "s",
        ("guard",),
        (
            Reach("guard", 0.0, 1.0, ()),
            Reach("desk", 60.0, 1.0, (to_desk,), wait_s=20.0),
            Reach("patrol", 100.0, 1.0, (to_desk, to_patrol)),
        ),
        (),
        (),
    )
    return scenario, alert


def test_the_rule_tells_agreement_a_desk_wait_and_parallel_paths_apart() -> None:
    scenario, alert = _hand_built()
    origin, desk, police = alert.reach
    # 3 s below 30 s, 10% from 30 s on.
    assert verdict(scenario, alert, Reach("congregation", 20.0, 1.0, ()), SimulatedReach(22.9, 5, 5)) == "agrees"
    assert verdict(scenario, alert, Reach("congregation", 20.0, 1.0, ()), SimulatedReach(16.9, 5, 5)).startswith(
        "differs"
    )
    assert verdict(scenario, alert, Reach("congregation", 20.0, 1.0, ()), SimulatedReach(23.1, 5, 5)) == "queueing"
    assert verdict(scenario, alert, desk, SimulatedReach(54.5, 5, 5)) == "agrees"
    # The desk's other way in comes from the patrol, who learns through it: no parallel path. 20 s of wait explain
    # down to 60 - 20 - 6 = 34 s, not less, and never later.
    assert has_parallel_path(scenario, alert, desk) is False
    assert verdict(scenario, alert, desk, SimulatedReach(34.5, 5, 5)) == "desk wait"
    assert verdict(scenario, alert, desk, SimulatedReach(33.0, 5, 5)).startswith("differs")
    # Later than expected: queueing, which the analysis does not count (the acceptance test refuses it).
    assert verdict(scenario, alert, desk, SimulatedReach(66.5, 5, 5)) == "queueing"
    # The guard can also call the patrol: down to (100 - 20) * 0.6 = 48 s.
    assert has_parallel_path(scenario, alert, police) is True
    assert verdict(scenario, alert, police, SimulatedReach(49.0, 5, 5)) == "parallel paths"
    assert verdict(scenario, alert, police, SimulatedReach(47.0, 5, 5)).startswith("differs")
    assert verdict(scenario, alert, origin, SimulatedReach(None, 0, 5)) == "never reached in the simulation"


@pytest.mark.slow  # about 20 s in all: 500 replications of every alert, and again warmed up where a desk waits
@pytest.mark.parametrize("name", bundled_names())
def test_expected_times_agree_with_a_500_replication_simulation_or_the_difference_is_explained(name: str) -> None:
    scenario = load_scenario(name)
    analysis = analyse_network(scenario)
    problems = []
    warmed: dict[int, dict[str, SimulatedReach]] = {}
    for alert in analysis.alerts:
        simulated = simulate_alert(scenario, alert.origins, REPLICATIONS)
        for reach in alert.reach:
            played = simulated[reach.stakeholder]
            where = f"alert at {alert.site}, {reach.stakeholder}"
            if reach.expected_s is None:
                if played.reached:
                    problems.append(f"{where}: never reached expected, reached {played.reached} times")
                continue
            found = verdict(scenario, alert, reach, played)
            if found.startswith(("differs", "never", "queueing")):
                problems.append(f"{where}: {found}")
            if found == "desk wait":
                warm = warmed.setdefault(
                    id(alert), simulate_alert(scenario, alert.origins, REPLICATIONS, warm_up=WARM_UP_S)
                )
                steady = verdict(scenario, alert, reach, warm[reach.stakeholder])
                if steady not in ("agrees", "parallel paths"):
                    problems.append(f"{where}: after a warm-up, {steady}")
            spread = 3 * math.sqrt(reach.probability * (1 - reach.probability) / REPLICATIONS)
            if played.reached / REPLICATIONS < reach.probability - spread - 1e-9:
                problems.append(
                    f"{where}: reached {played.reached / REPLICATIONS:.1%}, path's chance {reach.probability:.1%}"
                )
    assert problems == []
