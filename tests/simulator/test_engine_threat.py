"""The threat: phases, lockdown and evacuation against harm, engagement by armed units, and how the threat ends."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Exercise
from tests.simulator.scenario_factory import (
    Data,
    dispatch,
    evacuate,
    facts,
    lock_down,
    phase,
    rule,
    scenario,
    site,
    stakeholder,
    threat,
)

START = {"event": "start"}
THREAT = {
    "ThreatPhaseStarted",
    "ThreatPhaseEnded",
    "EngagementStarted",
    "EngagementPaused",
    "ThreatNeutralised",
    "ThreatEnded",
    "LockdownStarted",
    "LockdownCompleted",
    "EvacuationStarted",
    "EvacuationCompleted",
    "UnitsArrived",
}


def play(*phases: Data, guard: list[Data] | None = None, patrols: list[Data] | None = None, **fields: Any) -> Exercise:
    """Play a threat of `phases` at `hq` (10 people, 1m lockdown, 3m evacuation) against a guard and patrols."""
    played = Exercise(
        scenario(
            facts=facts("armed-person", "attack"),
            sites=[
                site("hq", 10, lockdown={"duration": "1m"}, evacuation={"duration": "3m"}),
                site("cafe", 4),
            ],
            stakeholders=[
                stakeholder("guard", *(guard or [])),
                stakeholder("patrols", *(patrols or []), can_neutralise=True, travel={"hq": "2m", "cafe": "2m"}),
            ],
            threat=threat(*phases, **fields),
        ),
        seed=1,
    )
    played.run()
    return played


def timeline(played: Exercise) -> list[tuple[float, str, str | None]]:
    """(t, kind, phase) of the threat's records and of the response that acts on it."""
    return [(r["t"], r["kind"], r.get("phase")) for r in played.records if r["kind"] in THREAT]


def harm_rates(played: Exercise) -> list[tuple[float, float, float]]:
    """(t, rate per minute, harm so far) each time the harm rate changes."""
    return [(r["t"], r["rate_per_min"], r["harm"]) for r in played.records if r["kind"] == "HarmRateChanged"]


def seen(fact: str, after: str = "0s") -> list[Data]:
    """The guard sees `fact` after a delay."""
    return [{"stakeholder": "guard", "fact": fact, "after": after}]


def test_phases_follow_one_another_and_the_last_one_ends_the_threat() -> None:
    played = play(phase("approach", "approach", "2m"), phase("attack", "attack", "10m", site="hq"))

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "approach"),
        (120.0, "ThreatPhaseEnded", "approach"),
        (120.0, "ThreatPhaseStarted", "attack"),
        (720.0, "ThreatPhaseEnded", "attack"),
        (720.0, "ThreatEnded", None),
    ]
    assert harm_rates(played) == [(120.0, 10.0, 0.0), (720.0, 0.0, 100.0)]
    assert played.close().harm == 100.0


def test_a_lockdown_complete_before_the_attack_keeps_harm_at_the_locked_down_factor() -> None:
    played = play(
        phase("approach", "approach", "2m", observed_by=seen("armed-person", "10s")),
        phase("attack", "attack", "10m", site="hq"),
        guard=[rule("lock", "armed-person", lock_down("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "approach"),
        (10.0, "LockdownStarted", None),
        (70.0, "LockdownCompleted", None),
        (120.0, "ThreatPhaseEnded", "approach"),
        (120.0, "ThreatPhaseStarted", "attack"),
        (720.0, "ThreatPhaseEnded", "attack"),
        (720.0, "ThreatEnded", None),
    ]
    # 10 people x 0.1 (locked down) x 10 minutes.
    assert harm_rates(played) == [(120.0, 1.0, 0.0), (720.0, 0.0, 10.0)]
    assert played.close().harm == 10.0


def test_a_lockdown_completed_during_the_attack_lowers_harm_from_that_moment() -> None:
    played = play(
        phase("approach", "approach", "2m"),
        phase("attack", "attack", "10m", site="hq", observed_by=seen("attack", "30s")),
        guard=[rule("lock", "attack", lock_down("hq"))],
    )

    # Open for 1m30s (10 x 1.0 x 1.5 = 15), then locked for 8m30s (10 x 0.1 x 8.5 = 8.5).
    assert harm_rates(played) == [(120.0, 10.0, 0.0), (210.0, 1.0, 15.0), (720.0, 0.0, 23.5)]
    assert played.close().harm == 23.5


def test_a_lockdown_does_not_lower_harm_when_the_attack_is_not_blocked_by_it() -> None:
    played = play(
        phase("attack", "attack", "10m", site="hq", entry_blocked_by_lockdown=False),
        guard=[rule("lock", START, lock_down("hq"))],
    )

    assert harm_rates(played) == [(0.0, 10.0, 0.0), (600.0, 0.0, 100.0)]


def test_an_evacuation_lowers_harm_while_under_way_and_again_once_complete() -> None:
    factors = {"open_factor": 2.0, "evacuating_factor": 0.5, "evacuated_factor": 0.1}
    played = play(
        phase("attack", "attack", "10m", site="hq", observed_by=seen("attack", "1m")),
        guard=[rule("leave", "attack", evacuate("hq"))],
        harm=factors,
    )

    # Open 1m (10 x 2.0 x 1 = 20), evacuating 3m (10 x 0.5 x 3 = 15), evacuated 6m (10 x 0.1 x 6 = 6).
    assert harm_rates(played) == [(0.0, 20.0, 0.0), (60.0, 5.0, 20.0), (240.0, 1.0, 35.0), (600.0, 0.0, 41.0)]
    assert played.close().harm == 41.0


def test_units_on_scene_before_the_attack_neutralise_it_after_the_neutralise_time() -> None:
    played = play(
        phase("approach", "approach", "5m"),
        phase("attack", "attack", "20m", site="hq"),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "approach"),
        (120.0, "UnitsArrived", None),
        (300.0, "ThreatPhaseEnded", "approach"),
        (300.0, "ThreatPhaseStarted", "attack"),
        (300.0, "EngagementStarted", "attack"),
        (420.0, "ThreatNeutralised", None),
        (420.0, "EngagementPaused", "attack"),
        (420.0, "ThreatEnded", None),
    ]
    neutralised = next(r for r in played.records if r["kind"] == "ThreatNeutralised")
    assert (neutralised["by"], neutralised["site"]) == ("patrols", "hq")
    ended = next(r for r in played.records if r["kind"] == "ThreatEnded")
    assert (ended["outcome"], ended["by"]) == ("neutralised", "patrols")
    assert played.close().harm == 20.0


def test_units_arriving_during_the_attack_neutralise_it_after_the_neutralise_time() -> None:
    played = play(
        phase("attack", "attack", "10m", site="hq"),
        patrols=[rule("go", START, dispatch("hq", after="1m"))],
        neutralise_time="90s",
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack"),
        (180.0, "UnitsArrived", None),
        (180.0, "EngagementStarted", "attack"),
        (270.0, "ThreatNeutralised", None),
        (270.0, "EngagementPaused", "attack"),
        (270.0, "ThreatEnded", None),
    ]
    assert played.close().harm == 45.0


def test_units_already_there_go_on_stopping_the_next_phase_at_the_same_site_where_they_left_off() -> None:
    # The units engage the approach for 1m before it ends; the attack at the same site starts with them on scene,
    # and the 2m they need to stop the threat there count on from the 1m already done.
    played = play(
        phase("approach", "approach", "3m", site="hq"),
        phase("attack", "attack", "20m", site="hq"),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "approach"),
        (120.0, "UnitsArrived", None),
        (120.0, "EngagementStarted", "approach"),
        (180.0, "ThreatPhaseEnded", "approach"),
        (180.0, "EngagementPaused", "approach"),
        (180.0, "ThreatPhaseStarted", "attack"),
        (180.0, "EngagementStarted", "attack"),
        (240.0, "ThreatNeutralised", None),
        (240.0, "EngagementPaused", "attack"),
        (240.0, "ThreatEnded", None),
    ]


def test_an_engagement_is_cut_short_when_its_phase_ends_first() -> None:
    played = play(
        phase("attack", "attack", "3m", site="hq"),
        phase("flight", "flight", "10m"),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack"),
        (120.0, "UnitsArrived", None),
        (120.0, "EngagementStarted", "attack"),
        (180.0, "ThreatPhaseEnded", "attack"),
        (180.0, "EngagementPaused", "attack"),
        (180.0, "ThreatPhaseStarted", "flight"),
        (780.0, "ThreatPhaseEnded", "flight"),
        (780.0, "ThreatEnded", None),
    ]


def test_units_do_not_neutralise_a_phase_that_is_not_interdictable() -> None:
    played = play(
        phase("attack", "attack", "10m", site="hq", interdictable=False),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack"),
        (120.0, "UnitsArrived", None),
        (600.0, "ThreatPhaseEnded", "attack"),
        (600.0, "ThreatEnded", None),
    ]
    assert played.close().harm == 100.0


def test_units_left_at_one_site_do_not_follow_the_attacker_to_another() -> None:
    played = play(
        phase("attack", "attack", "3m", site="hq", interdictable=False),
        phase("move", "move", "1m"),
        phase("second-attack", "attack", "5m", site="cafe"),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert [(t, kind) for t, kind, _ in timeline(played)][-3:] == [
        (240.0, "ThreatPhaseStarted"),
        (540.0, "ThreatPhaseEnded"),
        (540.0, "ThreatEnded"),
    ]
    # 10 x 3 minutes at the synagogue, then 4 x 5 minutes at the cafe.
    assert played.close().harm == 50.0


@pytest.mark.parametrize("ends_with", ["arrested", "ended", "escaped", "surrendered"])
def test_a_phase_that_ends_the_threat_when_it_runs_its_course_ends_it_with_its_outcome_and_no_neutralisation(
    ends_with: str,
) -> None:
    played = play(
        phase("attack", "attack", "4m", site="hq", ends_with=ends_with),
        phase("flight", "flight", "10m"),
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack"),
        (240.0, "ThreatPhaseEnded", "attack"),
        (240.0, "ThreatEnded", None),
    ]
    ended = next(r for r in played.records if r["kind"] == "ThreatEnded")
    assert (ended["outcome"], ended["by"]) == (ends_with, None)
    assert played.close().harm == 40.0


def test_the_last_phase_running_its_course_ends_the_threat_with_outcome_ended() -> None:
    played = play(phase("attack", "attack", "4m", site="hq"))

    ended = next(r for r in played.records if r["kind"] == "ThreatEnded")
    assert (ended["t"], ended["outcome"], ended["by"]) == (240.0, "ended", None)


def test_an_observation_is_learned_after_its_delay_even_once_the_phase_has_ended() -> None:
    played = play(
        phase("approach", "approach", "1m", observed_by=seen("armed-person", "5m")), phase("flight", "flight", "1h")
    )

    learned = [(r["t"], r["stakeholder"], r["source"]) for r in played.records if r["kind"] == "FactLearned"]
    assert learned == [(300.0, "guard", "observation:approach")]
