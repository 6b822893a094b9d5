"""The host under misuse: listeners that fail, move the clock or command at odd moments; bad values; odd logs."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from scenarios import load_scenario
from simulator import EVALUATOR, CommandError, ExerciseHost, ListenerError, Record, SimulationError
from simulator.analysis.replay import ReplayError, verify
from simulator.commands import DelayInject, FireInject
from simulator.runlog import RunLogError

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


def test_a_command_too_long_for_a_log_line_is_refused_and_a_long_one_that_fits_is_logged(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    count = len(host.exercise.records)
    pasted = "A pasted page. " * 10_000  # 150,000 characters: twice in the log it would near the line limit

    for command in (
        {"command": "pause", "note": pasted},
        {"command": "observe", "seat": EVALUATOR, "text": pasted},
        {"command": "add_inject", "to": "police-control-110", "text": pasted},
    ):
        with pytest.raises(CommandError, match=r"holds 1\d\d,\d{3} bytes of text, more than the 65,536"):
            host.submit(command)
    assert len(host.exercise.records) == count
    host.submit(
        {"command": "observe", "seat": EVALUATOR, "text": "A long note. " * 3_000}
    )  # 39,000 characters: it fits
    host.finish()
    assert verify(log).ok


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
        if host.paused:  # a decision opened
            host.run_clock()
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
        "the clock cannot be moved, nor the run ended, from a record listener while an event is being processed; "
        "do it from the console's timer or key handler, after the listener returns"
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


def test_a_run_finished_right_after_a_step_that_made_no_record_verifies(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    while True:
        before = len(host.exercise.records)
        host.step()
        if len(host.exercise.records) == before:
            break
    ended_at = host.exercise.now
    host.finish()

    ended = host.exercise.records[-1]
    assert (ended["kind"], ended["exact_t"], ended["step"]) == ("RunEnded", ended_at, host.exercise.step)
    assert verify(log).ok


@pytest.mark.parametrize("act", ["step", "finish", "abandon"])
def test_a_listener_can_neither_move_the_clock_nor_end_the_run(act: str, tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    host.advance_to(600.0)

    def meddle(record: Record) -> None:
        if record["kind"] in ("RunEnded", "FactLearned"):
            getattr(host, act)()

    host.subscribe(meddle)
    with pytest.raises(ListenerError) as reported:
        host.advance_to(1200.0) if act != "step" else host.finish()
    assert isinstance(reported.value.__cause__, SimulationError)
    with contextlib.suppress(ListenerError):
        host.finish()

    assert host.exercise.records[-1]["kind"] == "RunEnded"
    assert verify(log).ok


def test_a_pause_already_waiting_for_its_turn_is_not_logged_twice(tmp_path: Path) -> None:
    host, _log = hosted(SYNAGOGUE, tmp_path)
    refused: list[str] = []

    def pause_twice(record: Record) -> None:
        if record["kind"] == "MilestoneReached" and not refused:
            host.pause("first")
            try:
                host.pause("second")
            except CommandError as exc:
                refused.append(str(exc))

    host.subscribe(pause_twice)
    host.run_clock()
    host.set_speed("60x")
    host.tick(60.0)

    assert refused == ["the clock is already paused; resume it first"]
    assert [r["note"] for r in host.exercise.records if r["kind"] == "PauseMarked"] == ["first"]
    host.abandon()


def test_a_huge_tick_only_takes_the_clock_to_the_end() -> None:
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1, pause_on_decision=False)
    host.set_speed("60x")
    host.run_clock()
    host.tick(1e307)

    assert host.clock().now == host.exercise.end_t


def test_a_participant_is_not_told_when_the_next_event_is_due_nor_the_milestones() -> None:
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1)
    s = host.exercise.scenario
    others = {f.id for f in s.facts} | {o.id for o in s.objectives} | {sh.id for sh in s.stakeholders}
    milestones = {m.id for m in s.milestones} - others  # some milestones share a fact's id
    assert milestones

    assert host.clock().next_event_t is not None
    assert host.clock("police-control-110").next_event_t is None
    assert not milestones & set(host.catalogue("police-control-110").names)
    assert milestones <= set(host.catalogue().names)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda h: h.advance_to("10"), "advance_to needs a simulation time"),
        (lambda h: h.advance_to(math.nan), "advance_to needs a simulation time"),
        (lambda h: h.records_since(1.5), "records_since needs a record number"),
        (lambda h: h.subscribe(print, kinds="PauseMarked"), "kinds is a collection of record kinds"),
        (lambda h: h.subscribe(print, kinds=["PauseMarkd"]), "no record kind 'PauseMarkd'; did you mean 'PauseMarked'"),
    ],
)
def test_a_wrong_argument_to_the_host_is_a_clear_error(call: Callable[[ExerciseHost], object], message: str) -> None:
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1)

    with pytest.raises(ValueError, match=message):
        call(host)


def test_an_altered_log_is_not_resumed_and_leaves_no_partial_file(tmp_path: Path) -> None:
    host, log = hosted(SYNAGOGUE, tmp_path)
    host.advance_to(300.0)
    host.submit({"command": "fire_inject", "inject": "inj-04"})
    host.abandon()
    lines = log.read_bytes().splitlines(keepends=True)
    altered = b"".join(line.replace(b'"step":', b'"stop":') for line in lines)
    log.write_bytes(altered)
    first_step = next(number for number, line in enumerate(lines, start=1) if b'"step":' in line)

    with pytest.raises(RunLogError, match=f"{log}:{first_step}: a CommandApplied record without its 'step' field"):
        ExerciseHost.resume(log)  # refused as it is read, as every command that reads a log refuses it
    assert log.read_bytes() == altered
    assert list(tmp_path.iterdir()) == [log]
