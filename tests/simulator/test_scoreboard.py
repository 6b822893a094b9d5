"""The live scoreboard: milestones, each objective's rating so far against its thresholds, and harm."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import load_scenario
from simulator import CommandError, ExerciseHost
from simulator.evaluation import rate


def test_the_scoreboard_rates_each_objective_as_the_run_goes_and_as_the_debrief_does_at_the_end(
    tmp_path: Path,
) -> None:
    scenario = load_scenario("synagogue-holiday-attack")
    host = ExerciseHost.open(scenario, seed=2, log=tmp_path / "run.jsonl")
    host.pause_on_decision = False

    start = host.scoreboard()
    assert [m.t for m in start.milestones] == [None] * len(scenario.milestones)
    assert {o.status for o in start.objectives} == {"pending"}
    limits = {o.id: o.thresholds for o in scenario.objectives}
    for o in start.objectives:
        given = limits[o.id]
        assert given is not None
        assert (o.performed_s, o.some_challenges_s, o.major_challenges_s) == (
            given.performed,
            given.some_challenges,
            given.major_challenges,
        )

    host.set_speed("max")
    host.run_clock()
    while not host.clock().now >= host.clock().end:
        host.tick(1.0)
    host.finish()
    final = host.scoreboard()

    reached = host.milestones()
    assert {m.id: m.t for m in final.milestones if m.t is not None} == {k: round(v, 3) for k, v in reached.items()}
    expected = {o.id: rate(o, reached, host.clock().now, True) for o in scenario.objectives}
    for o in final.objectives:
        assert (o.rating, o.measured_s) == (expected[o.id].rating, expected[o.id].measured_s)
        assert o.status == ("missed" if o.rating == "U" else "met")
    debrief = host.debrief()
    assert [o.rating for o in final.objectives] == [row.rating for row in debrief.objectives]
    assert final.harm == round(debrief.harm, 3) and final.harm_unit == debrief.harm_unit


def test_a_participant_does_not_see_the_scoreboard(tmp_path: Path) -> None:
    host = ExerciseHost.open(load_scenario("synagogue-holiday-attack"), seed=2, log=tmp_path / "run.jsonl")

    with pytest.raises(CommandError, match="cannot see the scoreboard"):
        host.scoreboard("police-control-110")
    host.abandon()
