"""What must hold exactly for replays and for common random numbers: clock landings, seeds, commands, draws."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from scenarios import Scenario
from simulator import CommandError, Exercise, SimulationError
from simulator.analysis.replay import verify
from simulator.runlog import read_run_log
from tests.simulator.scenario_factory import (
    channel,
    escalate,
    facts,
    notify,
    rule,
    scenario,
    stakeholder,
)


def alarm_scenario() -> Scenario:
    return scenario(
        facts=facts("alarm", "x"),
        stakeholders=[stakeholder("cs", rule("r", "alarm", escalate("x"), when={"not_before": "0.9s"}))],
    )


def test_the_clock_lands_exactly_on_a_tick_so_a_command_there_replays_identically(tmp_path: Path) -> None:
    exercise = Exercise(alarm_scenario(), seed=1, log=tmp_path / "live.jsonl")
    exercise.advance_to(0.2)
    exercise.advance_to(0.9)  # 0.2 + 0.7 is 0.8999999999999999 in floating point
    assert exercise.now == 0.9
    exercise.add_inject("cs", "The alarm rings.", "alarm")
    exercise.run()
    assert [r["kind"] for r in exercise.records if r["kind"] in {"RuleFired", "Escalated"}] == [
        "RuleFired",
        "Escalated",
    ]
    assert verify(tmp_path / "live.jsonl").ok


def test_a_tick_between_milliseconds_moves_the_clock_to_the_nearest_millisecond(tmp_path: Path) -> None:
    exercise = Exercise(alarm_scenario(), seed=1, log=tmp_path / "live.jsonl")
    exercise.advance_to(10.0006)
    assert exercise.now == 10.001
    exercise.add_inject("cs", "The alarm rings.", "alarm")
    exercise.run()
    assert verify(tmp_path / "live.jsonl").ok


@pytest.mark.parametrize("seed", [7.0, "7", True, -1])
def test_only_whole_number_seeds_are_accepted(seed: object) -> None:
    with pytest.raises(SimulationError, match=r"not a whole number|out of range"):
        Exercise(alarm_scenario(), seed=seed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command",
    [
        {"command": "pause", "note": math.nan},
        {"command": "pause", "note": {1, 2}},
        {"command": "add_inject", "to": "cs", "text": "\ud800"},
        ["pause"],
        {1: "pause"},
    ],
)
def test_a_command_the_log_cannot_hold_is_refused_and_the_log_stays_whole(tmp_path: Path, command: object) -> None:
    exercise = Exercise(alarm_scenario(), seed=1, log=tmp_path / "live.jsonl")
    before = exercise._count
    with pytest.raises(CommandError):
        exercise.apply(command)  # type: ignore[arg-type]
    assert exercise._count == before == len(exercise.records)
    exercise.mark_pause("after the refused command")
    exercise.run()
    log = read_run_log(tmp_path / "live.jsonl")
    assert [r["seq"] for r in log.records] == list(range(len(log.records)))
    assert verify(tmp_path / "live.jsonl").ok


def test_background_arrivals_do_not_depend_on_the_scenarios_own_work() -> None:
    def arrivals(with_call: bool) -> list[float]:
        actions = [notify("police", "alarm", after="60s")] if with_call else [escalate("x")]
        built = scenario(
            duration="1h",
            facts=facts("alarm", "x"),
            stakeholders=[
                stakeholder("cs", rule("r", {"event": "start"}, *actions)),
                stakeholder(
                    "police",
                    units=1,
                    intake_time="3m",
                    background={"arrivals_per_hour": 20, "service_time": {"dist": "exponential", "mean": "4m"}},
                ),
            ],
            channels=[channel("c1", "cs", "police")],
        )
        exercise = Exercise(built, seed=3)
        exercise.run()
        jobs = [r for r in exercise.records if r["kind"] == "BackgroundJobStarted"]
        return [round(r["t"] - r["waited_s"], 3) for r in jobs]

    quiet, busy = arrivals(False), arrivals(True)
    assert len(quiet) > 10
    assert busy[: len(quiet) - 2] == quiet[: len(quiet) - 2]
