"""Milestones (first occurrence, all_of and at_least) and objective ratings P/S/M/U at their thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios import Scenario
from simulator import Exercise, ObjectiveRating
from tests.simulator.scenario_factory import Data, facts, inject, milestone, objective, scenario, stakeholder


def learned(fact: str, by: str | None = None) -> Data:
    """A trigger: `fact` is learned (by anyone, or by `by`)."""
    return {"fact": fact} if by is None else {"fact": fact, "stakeholder": by}


def briefed(*times: tuple[str, str, str], **sections: Any) -> Scenario:
    """Guard and police receive injects (id, to, at), each carrying the fact named like it."""
    sections.setdefault("facts", facts(*(inject_id for inject_id, _, _ in times)))
    return scenario(
        stakeholders=[stakeholder("guard"), stakeholder("police")],
        injects=[inject(inject_id, to, at=at, fact=inject_id) for inject_id, to, at in times],
        **sections,
    )


def reached(played: Exercise) -> list[tuple[float, str]]:
    """(t, milestone) of every MilestoneReached record."""
    return [(r["t"], r["milestone"]) for r in played.records if r["kind"] == "MilestoneReached"]


def test_a_milestone_is_recorded_the_first_time_its_event_happens_only() -> None:
    played = Exercise(
        scenario(
            facts=facts("alarm"),
            stakeholders=[stakeholder("guard"), stakeholder("police")],
            injects=[
                inject("inj-01", "guard", at="1m", fact="alarm"),
                inject("inj-02", "police", at="90s", fact="alarm"),
                inject("inj-03", "police", at="2m", fact="alarm"),
            ],
            milestones=[
                milestone("alarm-known", when=learned("alarm")),
                milestone("police-know", when=learned("alarm", "police")),
            ],
        ),
        seed=1,
    )
    played.run()

    assert reached(played) == [(60.0, "alarm-known"), (90.0, "police-know")]
    assert played.milestones() == {"alarm-known": 60.0, "police-know": 90.0}


def test_all_of_waits_for_every_milestone_and_at_least_for_that_many() -> None:
    played = Exercise(
        briefed(
            ("first", "guard", "1m"),
            ("second", "police", "2m"),
            ("third", "guard", "3m"),
            milestones=[
                milestone("m-first", when=learned("first")),
                milestone("m-second", when=learned("second")),
                milestone("m-third", when=learned("third")),
                milestone("m-never", when=learned("never")),
                milestone("all-three", all_of=["m-first", "m-second", "m-third"]),
                milestone("two-of-three", all_of=["m-third", "m-second", "m-first"], at_least=2),
                milestone("with-never", all_of=["m-first", "m-never"]),
            ],
            facts=facts("first", "second", "third", "never"),
        ),
        seed=1,
    )
    played.run()

    assert reached(played) == [
        (60.0, "m-first"),
        (120.0, "m-second"),
        (120.0, "two-of-three"),
        (180.0, "m-third"),
        (180.0, "all-three"),
    ]


def test_a_milestone_can_mark_any_kind_of_event() -> None:
    played = Exercise(
        briefed(
            ("alarm", "guard", "1m"),
            milestones=[
                milestone("briefed", when={"event": "inject_delivered", "inject": "alarm"}),
                milestone("twice", when={"event": "milestone_reached", "milestone": "briefed"}),
            ],
        ),
        seed=1,
    )
    played.run()

    assert reached(played) == [(60.0, "briefed"), (60.0, "twice")]


@pytest.mark.parametrize(
    ("at", "rating", "measured_s"),
    [
        ("1m", "P", 60.0),
        ("1m0.5s", "S", 60.5),
        ("2m", "S", 120.0),
        ("2m0.5s", "M", 120.5),
        ("3m", "M", 180.0),
        ("3m0.5s", "U", 180.5),
    ],
)
def test_an_objective_is_rated_by_the_thresholds_it_is_within_boundaries_included(
    at: str, rating: str, measured_s: float
) -> None:
    played = Exercise(
        briefed(
            ("alarm", "police", at),
            milestones=[milestone("police-know", when=learned("alarm"))],
            objectives=[objective("alert-police", "police-know", "1m", "2m", "3m")],
        ),
        seed=1,
    )
    summary = played.run()

    assert summary.objectives == [ObjectiveRating("alert-police", "Alert-Police", rating, measured_s)]
    assert played.records[-1]["ratings"] == {"alert-police": rating}


def test_an_objective_whose_milestone_is_never_reached_is_rated_u() -> None:
    played = Exercise(
        briefed(
            ("alarm", "police", "1m"),
            milestones=[milestone("guard-knows", when=learned("alarm", "guard"))],
            objectives=[objective("alert-guard", "guard-knows", "1m", "2m", "3m")],
        ),
        seed=1,
    )

    assert played.run().objectives == [ObjectiveRating("alert-guard", "Alert-Guard", "U", None)]


def test_an_objective_is_measured_from_its_since_milestone_and_rated_u_when_that_is_never_reached() -> None:
    played = Exercise(
        briefed(
            ("alarm", "guard", "1m"),
            ("confirmed", "police", "3m"),
            milestones=[
                milestone("guard-knows", when=learned("alarm")),
                milestone("police-confirm", when=learned("confirmed")),
                milestone("never", when=learned("never")),
            ],
            objectives=[
                objective("confirm", "police-confirm", "1m", "2m", "3m", since="guard-knows"),
                objective("confirm-after-nothing", "police-confirm", "1m", "2m", "3m", since="never"),
            ],
            facts=facts("alarm", "confirmed", "never"),
        ),
        seed=1,
    )

    assert [(r.objective, r.rating, r.measured_s) for r in played.run().objectives] == [
        ("confirm", "S", 120.0),
        ("confirm-after-nothing", "U", None),
    ]


def test_a_rating_is_open_during_the_run_until_the_objective_is_met_or_past_its_last_threshold() -> None:
    played = Exercise(
        briefed(
            ("alarm", "police", "4m"),
            milestones=[milestone("police-know", when=learned("alarm"))],
            objectives=[objective("alert-police", "police-know", "1m", "2m", "3m")],
        ),
        seed=1,
    )
    ratings: list[str | None] = []
    for t in (60.0, 180.0, 181.0, 240.0):
        played.advance_to(t)
        ratings.append(played.objectives()[0].rating)

    assert ratings == [None, None, "U", "U"]


def test_an_objective_whose_until_comes_before_its_since_is_rated_u_not_measured_negative() -> None:
    played = Exercise(
        briefed(
            ("alarm", "guard", "5m"),
            ("confirmed", "police", "1m"),
            milestones=[
                milestone("guard-knows", when=learned("alarm")),
                milestone("police-confirm", when=learned("confirmed")),
            ],
            objectives=[objective("confirm", "police-confirm", "1m", "2m", "3m", since="guard-knows")],
            facts=facts("alarm", "confirmed"),
        ),
        seed=1,
    )

    assert [(r.objective, r.rating, r.measured_s) for r in played.run().objectives] == [("confirm", "U", None)]
