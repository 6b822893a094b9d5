"""Surges: a stakeholder's background work arrives `factor` times as often for a while, the highest factor winning."""

from __future__ import annotations

from typing import Any

from scenarios.playbook import Surge
from simulator import Exercise
from simulator.records import participant_view, sentence
from simulator.views import describe_action
from tests.simulator.scenario_factory import Data, rule, scenario, stakeholder

HOUR = 3600.0
BASE_PER_HOUR = 600
"""The police's usual background calls: ten a minute."""
START = {"event": "start"}


def surge(factor: float, duration: str, after: str, **fields: Any) -> Data:
    """A `surge` action."""
    return {"action": "surge", "factor": factor, "for": duration, "after": after, **fields}


def play(*surges: Data, hours: int = 4, seed: int = 7) -> Exercise:
    """The police control room (50 call takers, 1-second calls) with its surges, started at T0 by a rule of the
    city (the surge is the police's, ordered by whoever learns the attack is public)."""
    city = [rule("public", START, *surges)] if surges else []
    played = Exercise(
        scenario(
            duration=f"{hours}h",
            stakeholders=[
                stakeholder("police", units=50, background={"arrivals_per_hour": BASE_PER_HOUR, "service_time": "1s"}),
                stakeholder("city", *city),
            ],
        ),
        seed=seed,
    )
    played.run()
    return played


def surge_records(played: Exercise) -> list[tuple[float, str, dict[str, Any]]]:
    return [
        (r["t"], r["kind"], {k: v for k, v in r.items() if k not in ("seq", "t", "kind")})
        for r in played.records
        if r["kind"] in ("LoadSurged", "LoadSurgeEnded")
    ]


def jobs(played: Exercise, since_h: float, until_h: float) -> int:
    """How many background calls the police took in that window (a call is taken as it arrives: units are free)."""
    return sum(
        1 for r in played.records if r["kind"] == "BackgroundJobStarted" and since_h * HOUR <= r["t"] < until_h * HOUR
    )


def about(expected: float) -> range:
    """Within five standard deviations of a Poisson count with this mean (wide: the seed is fixed anyway)."""
    spread = 5 * expected**0.5
    return range(int(expected - spread), int(expected + spread) + 1)


def test_a_surge_multiplies_the_background_calls_in_its_window_and_not_outside_it() -> None:
    played = play(surge(5, "1h", after="1h", stakeholder="police"))

    assert surge_records(played) == [
        (HOUR, "LoadSurged", {"stakeholder": "police", "factor": 5.0, "until_t": 2 * HOUR}),
        (2 * HOUR, "LoadSurgeEnded", {"stakeholder": "police"}),
    ]
    assert jobs(played, 0, 1) in about(BASE_PER_HOUR)
    assert jobs(played, 1, 2) in about(5 * BASE_PER_HOUR)
    assert jobs(played, 2, 4) in about(2 * BASE_PER_HOUR)
    assert all(r["waited_s"] == 0.0 for r in played.records if r["kind"] == "BackgroundJobStarted")


def test_without_a_surge_the_calls_stay_at_their_usual_rate() -> None:
    played = play()

    assert surge_records(played) == []
    assert all(jobs(played, hour, hour + 1) in about(BASE_PER_HOUR) for hour in range(4))


def test_the_calls_before_a_surge_are_those_of_the_same_seed_without_it() -> None:
    def before_surge(played: Exercise) -> list[tuple[float, float]]:
        return [
            (r["t"], r["service_s"]) for r in played.records if r["kind"] == "BackgroundJobStarted" and r["t"] < HOUR
        ]

    assert before_surge(play(surge(5, "1h", after="1h", stakeholder="police"))) == before_surge(play())


def test_a_surge_plays_the_same_with_the_same_seed() -> None:
    first, again = (play(surge(5, "1h", after="1h", stakeholder="police")) for _ in range(2))

    assert first.records == again.records


def test_overlapping_surges_take_the_highest_factor_and_end_when_the_last_one_does() -> None:
    played = play(
        surge(3, "2h", after="1h", stakeholder="police"),
        surge(10, "30m", after="1h30m", stakeholder="police"),
        surge(2, "15m", after="1h40m", stakeholder="police"),  # weaker than both: changes nothing
    )

    assert surge_records(played) == [
        (HOUR, "LoadSurged", {"stakeholder": "police", "factor": 3.0, "until_t": 3 * HOUR}),
        (1.5 * HOUR, "LoadSurged", {"stakeholder": "police", "factor": 10.0, "until_t": 2 * HOUR}),
        (6000.0, "LoadSurged", {"stakeholder": "police", "factor": 2.0, "until_t": 6900.0}),
        (3 * HOUR, "LoadSurgeEnded", {"stakeholder": "police"}),
    ]
    assert jobs(played, 0, 1) in about(BASE_PER_HOUR)
    assert jobs(played, 1, 1.5) in about(3 * BASE_PER_HOUR / 2)
    assert jobs(played, 1.5, 2) in about(10 * BASE_PER_HOUR / 2)
    assert jobs(played, 2, 3) in about(3 * BASE_PER_HOUR)
    assert jobs(played, 3, 4) in about(BASE_PER_HOUR)


def test_a_surge_of_the_acting_stakeholder_is_its_own() -> None:
    played = Exercise(
        scenario(
            stakeholders=[
                stakeholder(
                    "police",
                    rule("public", START, surge(4, "10m", after="5m")),
                    background={"arrivals_per_hour": 60, "service_time": "1s"},
                )
            ],
        ),
        seed=1,
    )
    played.run()

    assert surge_records(played) == [
        (300.0, "LoadSurged", {"stakeholder": "police", "factor": 4.0, "until_t": 900.0}),
        (900.0, "LoadSurgeEnded", {"stakeholder": "police"}),
    ]


def test_a_surge_reads_as_a_sentence_and_its_participant_is_not_told_how_long_it_lasts() -> None:
    surged = {"seq": 4, "t": 60.0, "kind": "LoadSurged", "stakeholder": "police", "factor": 5.0, "until_t": 3660.0}
    names = {"police": "Police control room"}

    assert sentence(surged, names) == "Police control room's other work surges to 5 times its usual rate"
    assert (
        sentence({**surged, "kind": "LoadSurgeEnded"}, names)
        == "Police control room's other work is back to its usual rate"
    )
    assert "until_t" not in participant_view(surged)
    assert participant_view(surged)["factor"] == 5.0


def test_a_decision_option_that_surges_says_so() -> None:
    action = Surge.model_validate({"action": "surge", "factor": 2.5, "for": "30m", "stakeholder": "police"})

    assert describe_action(action, {"police": "Police"}) == "other work of Police surges 2.5-fold for 30m"
