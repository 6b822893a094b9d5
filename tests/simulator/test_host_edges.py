"""The host under misuse: listeners that fail, move the clock or command at odd moments; bad values; odd logs."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import pytest

from scenarios import load_scenario
from simulator import CommandError, ExerciseHost, ListenerError, Record, SimulationError
from simulator.analysis.replay import ReplayError, verify
from simulator.commands import DelayInject, FireInject

SYNAGOGUE = "synagogue-holiday-attack"


def hosted(name: str, tmp_path: Path, seed: int = 1) -> tuple[ExerciseHost, Path]:
    log = tmp_path / f"{name}.jsonl"
    return ExerciseHost.open(load_scenario(name), seed, log=log, source=name), log


@pytest.mark.parametrize("name", ["bomb-threat-misinformation", "multi-site-cascade"])
def test_a_command_from_a_listener_right_after_an_event_at_an_odd_float_time_replays_exactly(
    name: str, tmp_path: Path
) -> None:
    host, log = hosted(name, tmp_path)
    odd: list[float] = []

    def note_at_an_odd_time(record: Record) -> None:
        now = host.exercise.now
        if len(odd) < 3 and now != round(now, 3):
            odd.append(now)
            host.submit({"command": "observe", "seat": "evaluator", "text": f"at {now!r}"})

    host.subscribe(note_at_an_odd_time)
    host.advance_to(host.exercise.end_t)
    host.finish()

    assert odd, "the scenario has no event at a time that is not a whole millisecond"
    applied = [r for r in host.exercise.records if r["kind"] == "CommandApplied"]
    assert [r["exact_t"] for r in applied] == odd
    assert verify(log).ok


def test_typed_commands_are_checked_as_their_json_is(tmp_path: Path) -> None:
    host, _log = hosted(SYNAGOGUE, tmp_path)
    count = len(host.exercise.records)

    with pytest.raises(CommandError, match="set_speed: speed '5x' is not one of"):
        host.set_speed("5x")  # type: ignore[arg-type]
    with pytest.raises(CommandError, match="pause: note: expected text"):
        host.pause(123)  # type: ignore[arg-type]
    with pytest.raises(CommandError, match="delay_inject needs by_s"):
        host.submit(DelayInject(inject="inj-03", by_s=math.nan))
    with pytest.raises(CommandError, match="fire_inject: inject: expected text"):
        host.submit(FireInject(inject=["inj-04"]))  # type: ignore[arg-type]
    with pytest.raises(CommandError, match="cannot be written to the run log"):
        host.submit({"command": "add_inject", "to": "police-control-110", "text": "x", "notes": math.nan})
    assert len(host.exercise.records) == count
    host.abandon()


def test_a_failing_listener_is_reported_after_the_event_and_the_run_stays_exact(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    failed: list[Record] = []

    def broken_widget(record: Record) -> None:
        if record["kind"] == "FactLearned" and not failed:
            failed.append(record)
            raise RuntimeError("a widget bug")

    host.subscribe(broken_widget)
    host.set_speed("60x")
    host.run_clock()
    with pytest.raises(ListenerError) as reported:
        for _ in range(400):
            host.tick(1.0)
    assert isinstance(reported.value.__cause__, RuntimeError)
    while host.clock().next_event_t is not None:
        host.tick(1.0)
    host.finish()

    assert failed
    assert verify(log).ok


def test_a_listener_that_commands_as_the_run_ends_does_not_stop_the_log_from_being_sealed(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)

    def late_note(record: Record) -> None:
        if record["kind"] == "RunEnded":
            host.submit({"command": "observe", "seat": "evaluator", "text": "too late"})

    host.subscribe(late_note)
    host.advance_to(500.0)
    with pytest.raises(ListenerError) as reported:
        host.finish()

    assert isinstance(reported.value.__cause__, CommandError)
    assert host.clock().finished
    assert host.finish() == host.exercise.close()
    assert [r["kind"] for r in host.exercise.records].count("RunEnded") == 1
    assert verify(log).ok


def test_the_clock_cannot_be_moved_from_a_listener(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    refused: list[str] = []

    def impatient(record: Record) -> None:
        if record["kind"] == "FactLearned" and not refused:
            try:
                host.step()
            except SimulationError as exc:
                refused.append(str(exc))

    host.subscribe(impatient)
    host.advance_to(host.exercise.end_t)
    host.finish()

    assert refused == [
        "the clock cannot be moved from a record listener while an event is being processed; move it from the "
        "console's timer or key handler, after the listener returns"
    ]
    assert verify(log).ok


@pytest.mark.parametrize("dt", [math.inf, -1.0, math.nan, "1", True])
def test_tick_needs_a_finite_wall_time_and_a_wrong_one_changes_nothing(dt: object) -> None:
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1)
    host.set_speed("60x")
    host.run_clock()

    with pytest.raises(ValueError, match="tick needs the wall time that passed"):
        host.tick(dt)  # type: ignore[arg-type]
    host.tick(1.0)
    assert host.clock().now == 60.0


def test_a_log_that_lacks_only_its_seal_has_ended_and_is_not_resumed(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    host.advance_to(600.0)
    host.finish()
    log.write_bytes(b"".join(log.read_bytes().splitlines(keepends=True)[:-1]))

    with pytest.raises(ReplayError, match="this exercise has ended"):
        ExerciseHost.resume(log)


def test_a_participant_is_told_only_of_its_own_decisions_and_the_clock_refuses_what_it_already_does(
    tmp_path: Path,
) -> None:
    host, _log = hosted(SYNAGOGUE, tmp_path)

    with pytest.raises(CommandError, match=r"no decision 'hurry'; police-control-110's decisions: patrols-in-or-wait$"):
        host.submit({"command": "decide", "seat": "police-control-110", "decision": "hurry", "option": "x"})
    with pytest.raises(CommandError, match="the clock is already paused"):
        host.pause()
    host.run_clock()
    with pytest.raises(CommandError, match="the clock is already running"):
        host.run_clock()
    host.abandon()


def test_a_participant_reads_the_injects_delivered_to_it_and_its_own_choices(tmp_path: Path) -> None:
    host, _log = hosted(SYNAGOGUE, tmp_path)
    host.submit({"command": "add_inject", "to": "crisis-cell", "text": "The mayor calls.", "from": "Mayor's office"})
    host.advance_to(900.0)
    scenario = host.exercise.scenario

    mine = host.inbox("crisis-cell")
    assert mine[0].to_dict() == {
        "id": "adhoc-1",
        "t": 0.0,
        "to": "crisis-cell",
        "sender": "Mayor's office",
        "text": "The mayor calls.",
        "delivery_method": "verbal",
        "inject_type": "contingency",
    }
    assert all(row.to == "crisis-cell" for row in mine)
    assert {row.to for row in host.inbox()} > {"crisis-cell"}
    choices = host.catalogue("crisis-cell")
    assert [d.id for d in choices.decisions] == [d.id for d in scenario.decisions if d.stakeholder == "crisis-cell"]
    assert [d.id for d in host.catalogue().decisions] == [d.id for d in scenario.decisions]
    assert host.catalogue().names["police-control-110"] == next(
        sh.name for sh in scenario.stakeholders if sh.id == "police-control-110"
    )
    for view in ("milestones", "objectives", "harm"):
        with pytest.raises(CommandError, match="cannot see"):
            getattr(host, view)("crisis-cell")
    with pytest.raises(CommandError, match="no seat 'crisis-cel'"):
        host.network("crisis-cel")
    host.abandon()


def test_the_debrief_keeps_the_observations(tmp_path: Path) -> None:
    host, _log = hosted(SYNAGOGUE, tmp_path)
    host.advance_to(120.0)
    host.submit(
        {"command": "observe", "seat": "evaluator", "text": "Slow first call.", "objective": "alert-police-fast"}
    )
    with contextlib.suppress(CommandError):
        host.submit({"command": "observe", "seat": "police-control-110", "text": "not mine to note"})
    host.finish()

    assert [o.to_dict() for o in host.debrief().observations] == [
        {
            "t": 120.0,
            "t_plus": "T+00:02:00",
            "seat": "evaluator",
            "text": "Slow first call.",
            "objective": "alert-police-fast",
            "core_capability": None,
        }
    ]
