"""The live exercise host: commands from anywhere replay exactly, seats see only their audience, the clock policy."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import bundled_names, load_scenario
from simulator import (
    FACILITATOR,
    Awareness,
    CommandError,
    Exercise,
    ExerciseHost,
    Host,
    Record,
    parse_command,
)
from simulator.analysis.replay import verify
from simulator.records import HIDDEN_FROM_PARTICIPANTS, audience, participant_view

SYNAGOGUE = "synagogue-holiday-attack"


@pytest.fixture
def host(tmp_path: Path) -> Iterator[ExerciseHost]:
    """A host of the synagogue scenario, seed 1, writing `run.jsonl` in `tmp_path` (left unsealed at the end)."""
    with ExerciseHost.open(load_scenario(SYNAGOGUE), 1, log=tmp_path / "run.jsonl", source=SYNAGOGUE) as opened:
        yield opened


# --- defects of the engine API ---------------------------------------------------------------------------------


def test_a_command_from_a_record_listener_is_logged_where_it_applies_and_the_log_verifies(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    done: list[Record] = []
    exercise: list[Exercise] = []

    def pause_on_first_milestone(record: Record) -> None:
        if record["kind"] == "MilestoneReached" and not done:
            done.append(record)
            exercise[0].mark_pause("auto pause from a listener")

    exercise.append(
        Exercise(load_scenario(SYNAGOGUE), 1, log=log, on_record=pause_on_first_milestone, source=SYNAGOGUE)
    )
    exercise[0].run()

    commands = [r for r in exercise[0].records if r["kind"] == "CommandApplied"]
    assert len(commands) == 1
    # It applies right after the event that reached the milestone: later than the milestone, in the same moment.
    assert commands[0]["seq"] > done[0]["seq"]
    assert commands[0]["t"] == done[0]["t"]
    assert commands[0]["step"] > 0
    assert verify(log).ok


def test_a_command_with_an_unknown_key_is_refused_and_nothing_is_delivered_or_logged() -> None:
    exercise = Exercise(load_scenario(SYNAGOGUE), 1)
    before = len(exercise.records)
    typo = {"command": "add_inject", "to": "police-control-110", "text": "hi", "fcat": "shots-fired"}

    with pytest.raises(CommandError, match=r"add_inject: unknown key 'fcat'; did you mean 'fact'\?"):
        exercise.apply(typo)
    assert len(exercise.records) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"command": "pause", "note": "x", "seat": "facilitator", "why": "?"}, "pause: unknown key 'why'"),
        ({"command": "fire_inject"}, "fire_inject: missing required key 'inject'"),
        ({"command": "fire_inject", "inject": 4}, "fire_inject: inject: expected text, got 4"),
        ({"command": "set_speed", "speed": "2x"}, "set_speed: speed '2x' is not one of: 1x, 10x, 60x, max"),
        ({"command": "fire_injects", "inject": "a"}, "unknown command 'fire_injects'; did you mean 'fire_inject'?"),
        ({"command": "add_inject", "to": "police", "text": "x", "at": "5m"}, "add_inject: unknown key 'at'"),
        ({"command": "add_inject", "to": ["police"], "text": "x"}, "add_inject: to: expected text, got a list"),
        ({"command": "add_inject", "to": "police"}, "add_inject: missing required key 'text'"),
        (
            {"command": "add_inject", "to": "police", "text": "x", "delivery_method": "pigeon"},
            "add_inject: delivery_method: 'pigeon' is not one of: verbal, phone",
        ),
        ({"command": "pause", "seat": 3}, "pause: seat: expected text, got 3"),
    ],
)
def test_parse_command_is_strict_with_the_loaders_messages(data: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse_command(data)

    assert str(refused.value).startswith(message)


def test_a_parsed_command_written_as_data_parses_back_to_itself() -> None:
    data = {
        "command": "add_inject",
        "seat": "facilitator",
        "to": "police-control-110",
        "text": "A caller reports shots.",
        "fact": "shots-fired",
        "expected_action": "Dispatch armed units",
        "inject_type": "contingency",
    }
    command = parse_command(data)

    assert command.to_dict() == data
    assert parse_command(command.to_dict()) == command
    assert parse_command({"command": "pause"}).to_dict() == {"command": "pause", "seat": FACILITATOR, "note": ""}


def test_a_listener_cannot_change_a_record_and_the_log_stays_as_written(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    refused: list[str] = []

    def decorate(record: Record) -> None:
        for change in (
            lambda: record.__setitem__("shown", True),
            lambda: record.update(shown=True),
            lambda: record.pop("kind"),
        ):
            try:
                change()
            except TypeError:
                refused.append(record["kind"])

    exercise = Exercise(load_scenario(SYNAGOGUE), 1, log=log, on_record=decorate, source=SYNAGOGUE)
    exercise.run()

    assert len(refused) == 3 * len(exercise.records)
    assert exercise.log_bytes() == log.read_bytes()
    with pytest.raises(TypeError):
        exercise.header["seed"] = 2  # type: ignore[index]


def test_a_pending_decision_shows_what_each_option_does_and_awareness_is_exported() -> None:
    exercise = Exercise(load_scenario(SYNAGOGUE), 1)
    while not exercise.pending_decisions() and exercise.step_once():
        pass
    pending = exercise.pending_decisions()[0]
    decision = next(d for d in exercise.scenario.decisions if d.id == pending.decision)

    assert [o.id for o in pending.options] == [o.id for o in decision.options]
    assert all(
        len(o.consequences) == len(d.consequences) for o, d in zip(pending.options, decision.options, strict=True)
    )
    assert any(o.consequences for o in pending.options)
    assert pending.time_left_s == pending.deadline_t - exercise.now
    assert pending.to_dict()["options"][0]["id"] == decision.options[0].id
    known = exercise.awareness(pending.stakeholder)
    assert all(isinstance(a, Awareness) for a in known.values())


# --- seats ---------------------------------------------------------------------------------------------------


def test_a_participant_takes_only_their_own_decisions_and_a_refusal_is_logged_nowhere(host: ExerciseHost) -> None:
    while not host.pending_decisions() and host.step():
        pass
    pending = host.pending_decisions()[0]
    other = next(sh.id for sh in host.exercise.scenario.stakeholders if sh.id != pending.stakeholder)
    count = len(host.exercise.records)
    wrong = {"command": "decide", "seat": other, "decision": pending.decision, "option": pending.options[0].id}

    with pytest.raises(CommandError, match=f"seat '{other}' cannot take decision '{pending.decision}'"):
        host.submit(wrong)
    with pytest.raises(CommandError, match="seat 'evaluator' cannot fire inject"):
        host.submit({"command": "fire_inject", "seat": "evaluator", "inject": "inj-01"})
    with pytest.raises(CommandError, match="no seat 'polise'"):
        host.submit({"command": "pause", "seat": "polise"})
    assert len(host.exercise.records) == count
    assert host.pending_decisions(seat=other) == []

    host.submit({**wrong, "seat": pending.stakeholder})
    taken = next(r for r in host.exercise.records[count:] if r["kind"] == "DecisionTaken")
    assert (taken["decision"], taken["option"], taken["by"]) == (
        pending.decision,
        pending.options[0].id,
        pending.stakeholder,
    )


def test_an_evaluator_notes_an_observation_tied_to_an_objective(host: ExerciseHost) -> None:
    objective = host.exercise.scenario.objectives[0].id
    host.submit({"command": "observe", "seat": "evaluator", "text": "Call taker asked the right questions.",
                 "objective": objective, "core_capability": "Operational Communications"})  # fmt: skip

    assert dict(host.exercise.records[-1]) == {
        "seq": host.exercise.records[-1]["seq"],
        "t": 0.0,
        "kind": "ObservationNoted",
        "seat": "evaluator",
        "text": "Call taker asked the right questions.",
        "objective": objective,
        "core_capability": "Operational Communications",
    }
    with pytest.raises(CommandError, match="no objective 'nope'"):
        host.submit({"command": "observe", "seat": "evaluator", "text": "x", "objective": "nope"})


def every_seat(name: str) -> tuple[ExerciseHost, dict[str, list[Record]]]:
    """A host of a bundled scenario played to the end with a subscription for every seat."""
    host = ExerciseHost.open(load_scenario(name), 3)
    seats = ["facilitator", "evaluator", *sorted(sh.id for sh in host.exercise.scenario.stakeholders)]
    received: dict[str, list[Record]] = {seat: [] for seat in seats}
    for seat in seats:
        host.subscribe(received[seat].append, seat=seat)
    host.set_speed("max")
    while host.clock().next_event_t is not None:
        if host.paused:  # at T0, and whenever a decision opens
            host.run_clock()
        host.tick(1.0)
    host.finish()
    return host, received


@pytest.mark.parametrize("name", bundled_names())
def test_each_seat_receives_exactly_the_records_of_its_audience_over_a_whole_run(name: str) -> None:
    host, received = every_seat(name)
    since_start = host.exercise.records[len(host.exercise.records) - len(received["facilitator"]) :]
    participants = [seat for seat in received if seat not in ("facilitator", "evaluator")]

    assert received["facilitator"] == received["evaluator"] == since_start
    for seat in participants:
        expected = [participant_view(r) for r in since_start if audience(r).admits(seat)]
        assert received[seat] == expected, seat
        assert host.records_since(0, seat) == [
            participant_view(r) for r in host.exercise.records if audience(r).admits(seat)
        ]
        assert len(received[seat]) < len(since_start)


@pytest.mark.parametrize("name", bundled_names())
def test_a_participant_is_never_told_the_ground_truth(name: str) -> None:
    host, received = every_seat(name)
    phases = {p.id for p in host.exercise.scenario.threat.phases} if host.exercise.scenario.threat else set()
    seen = [r for seat, records in received.items() if seat not in ("facilitator", "evaluator") for r in records]

    assert seen
    assert not {r["kind"] for r in seen} & {"ThreatPhaseStarted", "ThreatEnded", "MilestoneReached", "InjectHeld"}
    for record in seen:
        assert not set(record) & HIDDEN_FROM_PARTICIPANTS.get(record["kind"], frozenset()), record
        assert "true" not in record, record
        values = {str(value) for value in record.values()}
        assert not {f"observation:{phase}" for phase in phases} & values, record
    truths = [r for r in host.exercise.records if r["kind"] == "FactLearned"]
    assert all("true" in r for r in truths)  # the facilitator still sees which reports are false


def test_records_since_reads_the_log_when_records_are_not_kept(tmp_path: Path) -> None:
    kept = Exercise(load_scenario(SYNAGOGUE), 2)
    kept.advance_to(600.0)
    unkept = Exercise(load_scenario(SYNAGOGUE), 2, keep_records=False, log=tmp_path / "run.jsonl")
    unkept.advance_to(600.0)

    from_log = (unkept.records_since(10), unkept.records_since(10, "police-control-110"))
    unkept.abandon()

    assert unkept.records == []
    assert from_log == (kept.records_since(10), kept.records_since(10, "police-control-110"))
    with pytest.raises(ValueError, match="keep them in memory or write a log"):
        Exercise(load_scenario(SYNAGOGUE), 2, keep_records=False).records_since(0)


def test_a_participant_sees_only_its_own_organisation_in_the_views(host: ExerciseHost) -> None:
    host.exercise.advance_to(900.0)
    seat = "police-control-110"
    mine = host.network(seat)
    everything = host.network()

    assert [s.id for s in mine.stakeholders] == [s.id for s in everything.stakeholders]
    for view, full in zip(mine.stakeholders, everything.stakeholders, strict=True):
        if view.id == seat:
            assert [f.fact for f in view.facts] == [f.fact for f in full.facts]
            assert all(f.true is None for f in view.facts)
        else:
            assert (view.facts, view.busy, view.waiting) == ((), None, None)
    assert all(seat in (c.sender, c.receiver) for c in mine.channels)
    with pytest.raises(CommandError, match="cannot see the MSEL"):
        host.msel(seat)
    with pytest.raises(CommandError, match="cannot see what"):
        host.awareness("community-security", seat)
    own = host.awareness(seat, seat)
    assert [f.fact for f in own] == sorted(
        host.exercise.awareness(seat), key=lambda f: host.exercise.awareness(seat)[f].t
    )
    assert all(f.true is None for f in own)
    assert all(f.true is not None for f in host.awareness(seat))


# --- the clock -------------------------------------------------------------------------------------------------


def test_the_host_starts_paused_and_runs_at_its_speed_in_whole_milliseconds(host: ExerciseHost) -> None:
    host.tick(5.0)
    assert (host.clock().now, host.clock().paused) == (0.0, True)

    host.run_clock()
    host.tick(0.0004)  # less than a millisecond: carried over
    host.tick(0.0006)
    assert host.clock().now == 0.001
    host.set_speed("60x")
    host.tick(0.5)
    assert host.clock().now == 30.001
    host.pause("discussion")
    host.tick(10.0)
    assert (host.clock().now, host.clock().paused, host.clock().speed) == (30.001, True, "60x")
    kinds = [r["kind"] for r in host.exercise.records if r["kind"] in ("ClockResumed", "SpeedChanged", "PauseMarked")]
    assert kinds == ["ClockResumed", "SpeedChanged", "PauseMarked"]


def test_a_pause_from_a_listener_stops_the_clock_at_that_moment(host: ExerciseHost) -> None:
    first: list[float] = []

    def pause_at_first_milestone(record: Record) -> None:
        if record["kind"] == "MilestoneReached" and not first:
            first.append(record["t"])
            host.pause(f"milestone {record['milestone']}")

    host.subscribe(pause_at_first_milestone)
    host.run_clock()
    host.set_speed("60x")
    host.tick(3600.0)

    assert host.clock().paused
    assert host.clock().now == first[0]
    assert host.exercise.records[-1]["kind"] == "PauseMarked"


def test_the_clock_shows_local_time_across_a_change_to_summer_time(tmp_path: Path) -> None:
    data = load_scenario(SYNAGOGUE).model_dump(mode="json", by_alias=True)
    data["clock"] = {**data["clock"], "start": "2026-03-29T01:30:00", "time_zone": "Europe/Berlin"}
    from scenarios import Scenario

    host = ExerciseHost.open(Scenario.model_validate(data), 1)
    assert (host.clock().wall_clock, host.clock().utc_offset) == ("01:30:00", "+01:00")
    host.exercise.advance_to(3600.0)
    assert (host.clock().wall_clock, host.clock().utc_offset) == ("03:30:00", "+02:00")


def test_step_jumps_to_the_next_moment_something_happens(host: ExerciseHost) -> None:
    upcoming = host.clock().next_event_t
    assert upcoming is not None

    assert host.step()
    assert host.clock().now == upcoming
    assert host.clock().next_event_t is None or host.clock().next_event_t > upcoming  # type: ignore[operator]


def test_the_host_is_a_host() -> None:
    host: Host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1)
    assert host.clock().paused


# --- random scripts through the host replay exactly ------------------------------------------------------------

COMMANDS = st.sampled_from(
    [
        {"command": "fire_inject", "inject": "inj-04"},
        {"command": "hold_inject", "inject": "inj-03"},
        {"command": "release_inject", "inject": "inj-03"},
        {"command": "delay_inject", "inject": "inj-03", "by_s": 90},
        {"command": "skip_inject", "inject": "inj-02"},
        {"command": "add_inject", "to": "police-control-110", "text": "A second caller.", "fact": "shots-fired"},
        {"command": "decide", "decision": "patrols-in-or-wait", "option": "wait-for-armed"},
        {"command": "decide", "seat": "community-security", "decision": "lockdown-or-evacuate", "option": "evacuate"},
        {"command": "preset_decision", "decision": "warn-other-sites", "option": "warn-now"},
        {"command": "pause", "note": "discussion"},
        {"command": "resume"},
        {"command": "set_speed", "speed": "10x"},
        {"command": "observe", "seat": "evaluator", "text": "noted"},
    ]
)
SCRIPT = st.lists(
    st.tuples(st.sampled_from(["tick", "step", "listener"]), st.floats(0.0, 120.0), COMMANDS), max_size=10
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(script=SCRIPT)
def test_any_script_of_commands_through_the_host_replays_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, script: list[tuple[str, float, dict[str, Any]]]
) -> None:
    log = tmp_path_factory.mktemp("script") / "run.jsonl"
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 5, log=log, source=SYNAGOGUE)
    armed: list[dict[str, Any]] = []

    def from_a_listener(record: Record) -> None:
        if armed and record["kind"] in ("FactLearned", "MessageSent", "InjectDelivered"):
            with contextlib.suppress(CommandError):
                host.submit(armed.pop())

    host.subscribe(from_a_listener)
    host.run_clock()
    host.set_speed("60x")
    for how, wait_s, command in script:
        if how == "listener":
            armed.append(command)
        else:
            with contextlib.suppress(CommandError):
                host.submit(command)
        if how == "step":
            host.step()
        if host.paused:
            host.run_clock()
        host.tick(wait_s / 60.0)
    host.set_speed("max")
    while host.clock().next_event_t is not None:
        if host.paused:
            host.run_clock()
        host.tick(1.0)
    host.finish()

    checked = verify(log)
    assert checked.ok, checked.divergence


def test_the_scenario_language_reserves_exactly_the_control_seats() -> None:
    from scenarios.validation import RESERVED_STAKEHOLDER_IDS
    from simulator.seats import CONTROL_SEATS

    assert CONTROL_SEATS == RESERVED_STAKEHOLDER_IDS


def test_a_run_the_facilitator_finished_early_verifies(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 2, log=log, source=SYNAGOGUE)
    host.advance_to(1234.5)
    host.step()
    host.finish()

    assert host.exercise.records[-1]["t"] < host.exercise.end_t
    assert verify(log).ok


def test_the_debrief_comes_when_the_run_has_ended_and_is_the_one_tabletop_run_prints(tmp_path: Path) -> None:
    from simulator.debrief import debrief

    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1)
    with pytest.raises(CommandError, match="the debrief comes when the run has ended"):
        host.debrief()
    host.advance_to(host.exercise.end_t)
    summary = host.finish()

    alone = Exercise(load_scenario(SYNAGOGUE), 1)
    assert host.debrief() == debrief(alone, alone.run())
    assert host.debrief().to_dict()["harm"] == summary.harm
