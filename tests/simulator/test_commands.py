"""Facilitator and participant commands: what each does, how a wrong one is refused, and exact replay."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import Scenario, load_scenario
from simulator import CommandData, CommandError, Exercise
from tests.simulator.scenario_factory import decision, escalate, facts, inject, option, scenario, stakeholder

INJECTS = {"InjectDelivered", "InjectHeld", "InjectReleased", "InjectWithheld", "InjectDelayed", "InjectSkipped"}


def msel() -> Scenario:
    """Police get inj-01 (1m, opens `entry`) and inj-02 (2m, opens `later`); inj-03 follows alarm by 1m to the
    guard; inj-09 is a contingency."""
    return scenario(
        facts=facts("alarm", "update", "done"),
        stakeholders=[stakeholder("police"), stakeholder("guard")],
        injects=[
            inject("inj-01", "police", at="1m", fact="alarm"),
            inject("inj-02", "police", at="2m", fact="update"),
            inject("inj-03", "guard", trigger={"fact": "alarm", "stakeholder": "police"}, after="1m"),
            inject("inj-09", "police", contingency=True, fact="update"),
        ],
        decisions=[
            decision(
                "entry",
                "police",
                option("go", escalate("done")),
                option("wait"),
                deadline="5m",
                default="wait",
                trigger={"event": "inject_delivered", "inject": "inj-01"},
            ),
            decision(
                "later",
                "police",
                option("yes"),
                option("no"),
                deadline="5m",
                default="no",
                trigger={"event": "inject_delivered", "inject": "inj-02"},
            ),
        ],
    )


def injects(played: Exercise) -> list[tuple[float, str, str, str | None]]:
    """(t, kind, inject, by) of every inject record."""
    return [(r["t"], r["kind"], r["inject"], r.get("by")) for r in played.records if r["kind"] in INJECTS]


def at(t: float, *commands: CommandData) -> Exercise:
    """A run of the MSEL with `commands` applied at `t`, played to the end."""
    played = Exercise(msel(), seed=1)
    played.advance_to(t)
    for command in commands:
        played.apply(command)
    played.run()
    return played


def test_fire_delivers_a_pending_inject_early_and_not_again_when_it_is_due() -> None:
    played = at(30.0, {"command": "fire_inject", "inject": "inj-02"})

    assert injects(played) == [
        (30.0, "InjectDelivered", "inj-02", "facilitator"),
        (60.0, "InjectDelivered", "inj-01", "schedule"),
        (120.0, "InjectDelivered", "inj-03", "schedule"),
    ]


def test_a_held_inject_is_withheld_when_due_and_delivered_on_release_when_overdue() -> None:
    played = Exercise(msel(), seed=1)
    played.advance_to(10.0)
    played.hold_inject("inj-01")
    played.advance_to(90.0)
    played.release_inject("inj-01")
    played.run()

    assert injects(played) == [
        (10.0, "InjectHeld", "inj-01", None),
        (60.0, "InjectWithheld", "inj-01", None),
        (90.0, "InjectReleased", "inj-01", None),
        (90.0, "InjectDelivered", "inj-01", "facilitator"),
        (120.0, "InjectDelivered", "inj-02", "schedule"),
        (150.0, "InjectDelivered", "inj-03", "schedule"),
    ]


def test_an_inject_released_before_it_is_due_is_delivered_on_time() -> None:
    played = Exercise(msel(), seed=1)
    played.advance_to(10.0)
    played.hold_inject("inj-01")
    played.advance_to(20.0)
    played.release_inject("inj-01")
    played.run()

    assert injects(played)[:3] == [
        (10.0, "InjectHeld", "inj-01", None),
        (20.0, "InjectReleased", "inj-01", None),
        (60.0, "InjectDelivered", "inj-01", "schedule"),
    ]


def test_a_triggered_inject_held_before_its_trigger_is_withheld_when_due_and_delivered_on_release() -> None:
    played = Exercise(msel(), seed=1)
    played.advance_to(10.0)
    played.hold_inject("inj-03")
    played.advance_to(150.0)
    played.release_inject("inj-03")
    played.run()

    assert [entry for entry in injects(played) if entry[2] == "inj-03"] == [
        (10.0, "InjectHeld", "inj-03", None),
        (120.0, "InjectWithheld", "inj-03", None),
        (150.0, "InjectReleased", "inj-03", None),
        (150.0, "InjectDelivered", "inj-03", "facilitator"),
    ]


def test_delay_pushes_an_inject_back_from_its_due_time() -> None:
    played = at(10.0, {"command": "delay_inject", "inject": "inj-01", "by_s": 30})

    assert injects(played)[:2] == [
        (10.0, "InjectDelayed", "inj-01", None),
        (90.0, "InjectDelivered", "inj-01", "schedule"),
    ]
    assert next(r["due_t"] for r in played.records if r["kind"] == "InjectDelayed") == 90.0


def test_a_skipped_inject_is_never_delivered_and_what_it_would_have_triggered_never_happens() -> None:
    played = at(10.0, {"command": "skip_inject", "inject": "inj-01"})

    assert injects(played) == [
        (10.0, "InjectSkipped", "inj-01", None),
        (120.0, "InjectDelivered", "inj-02", "schedule"),
    ]


def test_add_inject_writes_a_new_inject_and_delivers_it_now() -> None:
    played = at(45.0, {"command": "add_inject", "to": "guard", "text": "A caller reports smoke.", "fact": "update"})

    assert [
        (r["t"], r["kind"], r.get("inject"), r.get("fact"))
        for r in played.records
        if r["kind"] in {"InjectAdded", "InjectDelivered", "FactLearned"}
        and r.get("to", r.get("stakeholder")) == "guard"
    ] == [
        (45.0, "InjectAdded", "adhoc-1", "update"),
        (45.0, "InjectDelivered", "adhoc-1", "update"),
        (45.0, "FactLearned", None, "update"),
        (120.0, "InjectDelivered", "inj-03", None),
    ]


def test_add_inject_never_reuses_the_id_of_an_inject_of_the_scenario() -> None:
    played = Exercise(
        scenario(stakeholders=[stakeholder("police")], injects=[inject("adhoc-1", "police", at="1h")]), seed=1
    )
    played.add_inject("police", "First.")
    played.add_inject("police", "Second.")
    played.run()

    assert [(r["t"], r["inject"]) for r in played.records if r["kind"] == "InjectDelivered"] == [
        (0.0, "adhoc-2"),
        (0.0, "adhoc-3"),
        (3600.0, "adhoc-1"),
    ]


def test_decide_takes_an_open_decision_for_the_seat_that_sent_it() -> None:
    played = at(70.0, {"command": "decide", "seat": "police", "decision": "entry", "option": "go"})

    assert [
        (r["t"], r["kind"], r.get("option"), r.get("by")) for r in played.records if r["kind"].startswith("Decision")
    ] == [
        (60.0, "DecisionOpened", None, None),
        (70.0, "DecisionTaken", "go", "police"),
        (120.0, "DecisionOpened", None, None),
        (420.0, "DecisionTaken", "no", "default"),
    ]


def test_every_applied_command_is_recorded_with_its_time_and_step() -> None:
    played = Exercise(msel(), seed=1)
    points = []
    played.advance_to(30.0)
    points.append((played.now, played.step))
    played.fire_inject("inj-09")
    played.step_once()
    points.append((played.now, played.step))
    played.mark_pause("coffee")
    played.advance_to(70.0)
    points.append((played.now, played.step))
    played.decide("entry", "go", seat="police")
    played.run()

    assert points == [(30.0, 0), (60.0, 1), (70.0, 1)]
    assert [(r["t"], r["step"], r["command"]) for r in played.records if r["kind"] == "CommandApplied"] == [
        (30.0, 0, {"command": "fire_inject", "seat": "facilitator", "inject": "inj-09"}),
        (60.0, 1, {"command": "pause", "seat": "facilitator", "note": "coffee"}),
        (70.0, 1, {"command": "decide", "seat": "police", "decision": "entry", "option": "go"}),
    ]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ({"command": "explode"}, "unknown command 'explode'; commands: fire_inject, hold_inject, release_inject"),
        ({"inject": "inj-01"}, "unknown command None"),
        ({"command": "fire_inject", "inject": "inj-1"}, "no inject 'inj-1'; did you mean 'inj-01'?"),
        ({"command": "fire_inject", "inject": "inj-01"}, "inject 'inj-01' was already delivered"),
        ({"command": "hold_inject", "inject": "inj-01"}, "inject 'inj-01' is delivered, not pending"),
        ({"command": "release_inject", "inject": "inj-02"}, "inject 'inj-02' is pending, not held"),
        (
            {"command": "delay_inject", "inject": "inj-02", "by_s": 0},
            "delay_inject needs by_s, a number of seconds above 0",
        ),
        ({"command": "delay_inject", "inject": "inj-02", "by_s": "30s"}, "delay_inject needs by_s"),
        ({"command": "delay_inject", "inject": "inj-02", "by_s": True}, "delay_inject needs by_s"),
        ({"command": "delay_inject", "inject": "inj-02", "by_s": float("nan")}, "delay_inject needs by_s"),
        ({"command": "delay_inject", "inject": "inj-02", "by_s": float("inf")}, "delay_inject needs by_s"),
        ({"command": "delay_inject", "inject": "inj-02"}, "delay_inject: missing required key 'by_s'"),
        ({"command": "delay_inject", "inject": "inj-09", "by_s": 30}, "inject 'inj-09' has no scheduled time to delay"),
        ({"command": "skip_inject", "inject": "inj-01"}, "inject 'inj-01' was already delivered"),
        (
            {"command": "add_inject", "to": "polize", "text": "x"},
            "no stakeholder 'polize'; stakeholders: guard, police",
        ),
        ({"command": "add_inject", "to": ["police"], "text": "x"}, "add_inject: to: expected text, got a list"),
        ({"command": "add_inject", "to": "police", "text": "  "}, "an inject needs a text"),
        (
            {"command": "add_inject", "to": "police", "text": "x", "fact": "fire"},
            "add_inject: fact 'fire' is new: give fact_description",
        ),
        ({"command": "add_inject", "to": "police", "text": "x", "fact": ["alarm"]}, "add_inject: fact: expected text"),
        ({"command": "decide", "seat": "guard", "decision": "entry", "option": "go"}, "seat 'guard' cannot take"),
        ({"command": "hold_inject", "seat": "police", "inject": "inj-02"}, "seat 'police' cannot hold inject"),
        ({"command": "decide", "decision": "exit", "option": "go"}, "no decision 'exit'"),
        ({"command": "decide", "decision": "later", "option": "yes"}, "decision 'later' is not open yet"),
        (
            {"command": "decide", "decision": "entry", "option": "run"},
            "decision 'entry' has no option 'run'; options: go, wait",
        ),
    ],
)
def test_a_command_that_does_not_fit_is_refused_with_a_helpful_message_and_logs_nothing(
    command: dict[str, Any], message: str
) -> None:
    played = Exercise(msel(), seed=1)
    played.advance_to(70.0)
    before = [dict(r) for r in played.records]

    with pytest.raises(CommandError) as refused:
        played.apply(command)

    assert str(refused.value).startswith(message)
    assert played.records == before


def test_a_decision_already_taken_cannot_be_taken_again() -> None:
    played = Exercise(msel(), seed=1)
    played.advance_to(70.0)
    played.decide("entry", "go")

    with pytest.raises(CommandError, match="decision 'entry' is taken; a decision can be taken while it is open"):
        played.decide("entry", "wait")


def test_no_command_is_taken_once_the_run_has_ended() -> None:
    played = Exercise(msel(), seed=1)
    played.run()
    count = len(played.records)

    with pytest.raises(CommandError, match="the run has ended"):
        played.mark_pause()
    assert len(played.records) == count


@pytest.mark.parametrize(
    ("presets", "message"),
    [
        ({"entri": "go"}, "no decision 'entri'; did you mean 'entry'?"),
        ({"entry": "run"}, "decision 'entry' has no option 'run'; options: go, wait"),
    ],
)
def test_a_wrong_preset_decision_is_refused_before_the_run_starts(presets: dict[str, str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        Exercise(msel(), seed=1, decisions=presets)


# --- replay ------------------------------------------------------------------------------------------------


def replay(scenario_: Scenario, seed: int, records: list[dict[str, Any]]) -> Exercise:
    """Play a run again, applying each logged command at its logged step and time."""
    again = Exercise(scenario_, seed=seed)
    for record in records:
        if record["kind"] == "CommandApplied":
            again.advance_to_point(record["t"], record["step"])
            again.apply(record["command"])
    again.run()
    return again


def test_a_command_is_logged_at_the_same_step_however_the_clock_was_moved_there() -> None:
    in_ticks = Exercise(msel(), seed=1)
    for t in range(1, 31):
        in_ticks.advance_to(float(t))
    at_once = Exercise(msel(), seed=1)
    at_once.advance_to(30.0)

    assert (in_ticks.step, in_ticks.next_event_t()) == (at_once.step, at_once.next_event_t()) == (0, 60.0)
    in_ticks.mark_pause()
    at_once.mark_pause()
    assert in_ticks.records == at_once.records


def test_replaying_the_commands_at_their_time_and_step_reproduces_the_run_exactly() -> None:
    bundled = load_scenario("synagogue-holiday-attack")
    played = Exercise(bundled, seed=7)
    played.advance_to(90.0)
    played.fire_inject("inj-04")
    played.hold_inject("inj-03")
    while played.now < 40 * 60.0 and played.step_once():
        for pending in played.pending_decisions():
            played.decide(pending.decision, pending.options[0].id)
    played.add_inject("media", "A journalist calls the synagogue.", "press-request")
    played.advance_to(45 * 60.0)
    played.release_inject("inj-03")
    played.mark_pause("hot wash")
    played.run()

    again = replay(bundled, 7, played.records)

    assert [r["command"]["command"] for r in played.records if r["kind"] == "CommandApplied"] == [
        "fire_inject",
        "hold_inject",
        "decide",
        "decide",
        "decide",
        "add_inject",
        "release_inject",
        "pause",
    ]
    assert again.records == played.records
    assert again.log_bytes() == played.log_bytes()


STEPS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=200, allow_nan=False),
        st.sampled_from(
            [
                {"command": "fire_inject", "inject": "inj-09"},
                {"command": "fire_inject", "inject": "inj-02"},
                {"command": "hold_inject", "inject": "inj-01"},
                {"command": "hold_inject", "inject": "inj-03"},
                {"command": "release_inject", "inject": "inj-01"},
                {"command": "release_inject", "inject": "inj-03"},
                {"command": "delay_inject", "inject": "inj-02", "by_s": 45},
                {"command": "skip_inject", "inject": "inj-02"},
                {"command": "add_inject", "to": "guard", "text": "Smoke.", "fact": "alarm"},
                {"command": "decide", "decision": "entry", "option": "go"},
                {"command": "decide", "decision": "later", "option": "yes"},
                {"command": "pause", "note": ""},
            ]
        ),
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=STEPS)
def test_any_script_of_commands_replays_to_the_same_records(script: list[tuple[float, dict[str, Any]]]) -> None:
    played = Exercise(msel(), seed=3)
    for wait_s, command in script:
        played.advance_to(played.now + wait_s)
        with contextlib.suppress(CommandError):
            played.apply(command)
    played.run()

    assert replay(msel(), 3, played.records).records == played.records


def test_records_since_a_number_are_the_records_from_that_sequence_number_on() -> None:
    exercise = Exercise(msel(), seed=1)
    exercise.advance_to(90.0)
    seen = len(exercise.records)
    exercise.mark_pause("check")
    later = exercise.records_since(seen)
    assert [r["seq"] for r in later] == list(range(seen, len(exercise.records)))
    assert later[0]["kind"] == "CommandApplied"
