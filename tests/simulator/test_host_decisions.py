"""The host's decision policy: the clock pauses when a decision opens while it runs, unless turned off."""

from __future__ import annotations

from pathlib import Path

from scenarios import load_scenario
from simulator import ExerciseHost, Host, Record
from simulator.analysis.replay import verify

SYNAGOGUE = "synagogue-holiday-attack"


def opened(tmp_path: Path, *, pause_on_decision: bool = True, seed: int = 1) -> tuple[ExerciseHost, Path]:
    """A host of the synagogue scenario writing its log in `tmp_path`, its clock running at 60x."""
    log = tmp_path / "run.jsonl"
    host = ExerciseHost.open(
        load_scenario(SYNAGOGUE), seed=seed, log=log, source=SYNAGOGUE, pause_on_decision=pause_on_decision
    )
    host.set_speed("60x")
    host.run_clock()
    return host, log


def run_until_paused(host: ExerciseHost) -> None:
    """Tick half a second of wall time at a time until the clock stops (at most the whole run)."""
    while not host.paused and host.clock().next_event_t is not None:
        host.tick(0.5)


def play_to_the_end(host: ExerciseHost) -> None:
    """Resume whenever the host paused, until nothing is left to happen."""
    while host.clock().next_event_t is not None:
        if host.paused:
            host.run_clock()
        host.tick(1.0)


def kinds_after(records: list[Record], seq: int, kind: str) -> list[Record]:
    """The records of `kind` from `seq` on."""
    return [r for r in records[seq:] if r["kind"] == kind]


def test_the_clock_pauses_at_the_moment_a_decision_opens_and_the_pause_names_it(tmp_path: Path) -> None:
    host, log = opened(tmp_path)
    resumed_at = len(host.exercise.records)

    run_until_paused(host)

    records = host.exercise.records
    (first, *_later) = kinds_after(records, resumed_at, "DecisionOpened")
    pauses = kinds_after(records, resumed_at, "PauseMarked")
    assert [p["note"] for p in pauses] == [f"decision open: {first['decision']}"]
    assert pauses[0]["seq"] > first["seq"]
    assert pauses[0]["t"] == first["t"] == host.clock().now  # stopped in the same moment, nothing after
    assert host.paused
    assert [d.decision for d in host.pending_decisions()] == [first["decision"]]
    command = kinds_after(records, resumed_at, "CommandApplied")[-1]["command"]
    assert command == {"command": "pause", "seat": "facilitator", "note": f"decision open: {first['decision']}"}

    play_to_the_end(host)
    host.finish()
    checked = verify(log)
    assert checked.ok, checked.divergence


def test_with_the_policy_off_the_clock_runs_on_and_the_deadline_takes_the_default(tmp_path: Path) -> None:
    host, log = opened(tmp_path, pause_on_decision=False)
    resumed_at = len(host.exercise.records)

    host.tick(3600.0)

    records = host.exercise.records
    assert not kinds_after(records, resumed_at, "PauseMarked")
    assert not host.paused
    first = kinds_after(records, resumed_at, "DecisionOpened")[0]
    decision = next(d for d in host.exercise.scenario.decisions if d.id == first["decision"])
    taken = next(r for r in kinds_after(records, resumed_at, "DecisionTaken") if r["decision"] == decision.id)
    assert (taken["by"], taken["option"]) == ("default", decision.default)
    assert taken["t"] == round(first["t"] + decision.deadline, 3)
    host.finish()
    assert verify(log).ok


def test_the_policy_can_be_turned_off_and_on_during_a_run_through_the_host_protocol(tmp_path: Path) -> None:
    hosted, _log = opened(tmp_path)
    host: Host = hosted
    assert host.pause_on_decision

    host.pause_on_decision = False
    hosted.tick(6.0)  # six minutes of exercise time: the first decisions open, the clock runs on
    assert not host.clock().paused
    assert not host.pause_on_decision
    opened_while_off = [r for r in hosted.exercise.records if r["kind"] == "DecisionOpened"]
    assert opened_while_off != []

    host.pause_on_decision = True
    run_until_paused(hosted)
    pauses = [r for r in hosted.exercise.records if r["kind"] == "PauseMarked"]
    opened_ = [r for r in hosted.exercise.records if r["kind"] == "DecisionOpened"]
    assert len(opened_) == len(opened_while_off) + 1
    assert [p["note"] for p in pauses] == [f"decision open: {opened_[-1]['decision']}"]
    hosted.abandon()


def test_a_decision_preset_before_it_opens_makes_no_pause(tmp_path: Path) -> None:
    host, _log = opened(tmp_path)
    resumed_at = len(host.exercise.records)
    run_until_paused(host)
    first = kinds_after(host.exercise.records, resumed_at, "DecisionOpened")[0]["decision"]
    option = next(d for d in host.exercise.scenario.decisions if d.id == first).options[0].id
    host.abandon()

    preset = ExerciseHost.open(load_scenario(SYNAGOGUE), seed=1, decisions={first: option})
    preset.set_speed("60x")
    preset.run_clock()
    run_until_paused(preset)

    notes = [r["note"] for r in preset.exercise.records if r["kind"] == "PauseMarked"]
    assert f"decision open: {first}" not in notes
    taken = [r for r in preset.exercise.records if r["kind"] == "DecisionTaken" and r["decision"] == first]
    assert [r["by"] for r in taken] == ["preset"]
    preset.abandon()


def test_a_paused_clock_moved_by_the_facilitator_makes_no_pause_of_its_own(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), seed=1, log=log, source=SYNAGOGUE)

    host.advance_to(host.exercise.end_t)

    assert any(r["kind"] == "DecisionOpened" for r in host.exercise.records)
    assert not any(r["kind"] in ("PauseMarked", "CommandApplied") for r in host.exercise.records)
    host.abandon()


def test_a_resumed_host_does_not_pause_again_for_the_decisions_its_log_opened(tmp_path: Path) -> None:
    host, log = opened(tmp_path)
    run_until_paused(host)
    first = host.pending_decisions()[0].decision
    host.run_clock()  # the table talked it over and lets the deadline run
    host.tick(0.5)
    host.abandon()
    interrupted = log.read_bytes()

    resumed = ExerciseHost.resume(log)

    assert log.read_bytes() == interrupted  # the pause was made again from the log's command, not by the host
    assert resumed.pause_on_decision
    assert not resumed.paused
    run_until_paused(resumed)
    notes = [r["note"] for r in resumed.exercise.records if r["kind"] == "PauseMarked"]
    assert notes.count(f"decision open: {first}") == 1
    assert len(notes) == 2  # and the next decision to open paused the resumed clock
    play_to_the_end(resumed)
    resumed.finish()
    assert verify(log).ok
