"""Messages: channel latency, failures (retry, fallback, give up), busy lines, wrong receivers, call taking."""

from __future__ import annotations

from typing import Any

from simulator import Exercise
from tests.simulator.scenario_factory import Data, channel, facts, notify, rule, scenario, stakeholder

START = {"event": "start"}
MESSAGES = {
    "MessageSent",
    "MessageArrived",
    "MessageFailed",
    "MessageFellBack",
    "MessageLost",
    "MessageRerouted",
    "MessageUndeliverable",
}


def guard_calls(*actions: Data, **sections: Any) -> Exercise:
    """A guard that does `actions` at T0 and the police (or the given `stakeholders`), played to the end."""
    assert not (actions and "stakeholders" in sections), "give the guard's actions or the stakeholders, not both"
    sections.setdefault("stakeholders", [stakeholder("guard", rule("call", START, *actions)), stakeholder("police")])
    played = Exercise(scenario(facts=facts("alarm", "fire", "flood"), **sections), seed=1)
    played.run()
    return played


def messages(played: Exercise) -> list[tuple[float, str, str | None, str | None]]:
    """(t, kind, channel, receiver) of every message record, and when each fact was learned."""
    return [
        (r["t"], r["kind"], r.get("channel"), r.get("receiver", r.get("stakeholder")))
        for r in played.records
        if r["kind"] in MESSAGES | {"FactLearned", "MessageTaken"}
    ]


def test_a_message_arrives_after_its_delay_and_the_channel_latency() -> None:
    played = guard_calls(
        notify("police", "alarm", after="10s"),
        channels=[channel("phone", "guard", "police", latency="30s")],
    )

    assert messages(played) == [
        (10.0, "MessageSent", "phone", "police"),
        (40.0, "MessageArrived", "phone", "police"),
        (40.0, "FactLearned", None, "police"),
    ]
    assert played.awareness("police")["alarm"].t == 40.0


def test_the_first_enabled_channel_by_id_carries_a_message_without_via() -> None:
    played = guard_calls(
        notify("police", "alarm"),
        channels=[
            channel("z-radio", "guard", "police", latency="5s"),
            channel("m-phone", "guard", "police", latency="50s"),
            channel("a-fax", "guard", "police", latency="1s", enabled=False),
        ],
    )

    assert messages(played) == [
        (0.0, "MessageSent", "m-phone", "police"),
        (50.0, "MessageArrived", "m-phone", "police"),
        (50.0, "FactLearned", None, "police"),
    ]


def test_via_names_the_channel_to_use() -> None:
    played = guard_calls(
        notify("police", "alarm", via="z-radio"),
        channels=[
            channel("m-phone", "guard", "police", latency="50s"),
            channel("z-radio", "guard", "police", latency="5s"),
        ],
    )

    assert messages(played)[:2] == [
        (0.0, "MessageSent", "z-radio", "police"),
        (5.0, "MessageArrived", "z-radio", "police"),
    ]


def test_a_failing_channel_retries_until_its_attempts_are_exhausted_then_loses_the_message() -> None:
    on_failure = {"then": "retry", "retry_after": "20s", "max_attempts": 3}
    played = guard_calls(
        notify("police", "alarm"),
        channels=[channel("phone", "guard", "police", latency="10s", failure_probability=1.0, on_failure=on_failure)],
    )

    assert [(r["t"], r["kind"], r.get("attempt")) for r in played.records if r["kind"] in MESSAGES] == [
        (0.0, "MessageSent", 1),
        (10.0, "MessageFailed", 1),
        (30.0, "MessageSent", 2),
        (40.0, "MessageFailed", 2),
        (60.0, "MessageSent", 3),
        (70.0, "MessageFailed", 3),
        (70.0, "MessageLost", None),
    ]
    assert played.awareness("police") == {}


def test_a_failed_message_is_given_up_at_once_by_default() -> None:
    played = guard_calls(
        notify("police", "alarm"),
        channels=[channel("phone", "guard", "police", latency="10s", failure_probability=1.0)],
    )

    assert messages(played) == [
        (0.0, "MessageSent", "phone", "police"),
        (10.0, "MessageFailed", "phone", "police"),
        (10.0, "MessageLost", "phone", "police"),
    ]


def test_a_failed_message_falls_back_to_the_fallback_channel_and_its_receiver() -> None:
    played = guard_calls(
        stakeholders=[
            stakeholder("guard", rule("call", START, notify("police", "alarm"))),
            stakeholder("police"),
            stakeholder("control"),
        ],
        channels=[
            channel(
                "police-phone",
                "guard",
                "police",
                latency="10s",
                failure_probability=1.0,
                on_failure={"then": "fallback", "fallback": "control-radio"},
            ),
            channel("control-radio", "guard", "control", latency="5s"),
        ],
    )

    assert messages(played) == [
        (0.0, "MessageSent", "police-phone", "police"),
        (10.0, "MessageFailed", "police-phone", "police"),
        (10.0, "MessageFellBack", "police-phone", "control"),
        (10.0, "MessageSent", "control-radio", "control"),
        (15.0, "MessageArrived", "control-radio", "control"),
        (15.0, "FactLearned", None, "control"),
    ]


def test_a_fallback_to_a_disabled_channel_loses_the_message() -> None:
    played = guard_calls(
        notify("police", "alarm"),
        channels=[
            channel(
                "phone",
                "guard",
                "police",
                latency="10s",
                failure_probability=1.0,
                on_failure={"then": "fallback", "fallback": "radio"},
            ),
            channel("radio", "guard", "police", latency="5s", enabled=False),
        ],
    )

    assert [(r["t"], r["kind"]) for r in played.records if r["kind"] in MESSAGES] == [
        (0.0, "MessageSent"),
        (10.0, "MessageFailed"),
        (10.0, "MessageLost"),
    ]


def test_channels_that_fall_back_to_each_other_lose_the_message_instead_of_looping() -> None:
    def failing(fallback: str) -> dict[str, Any]:
        return {"latency": "10s", "failure_probability": 1.0, "on_failure": {"then": "fallback", "fallback": fallback}}

    played = guard_calls(
        notify("police", "alarm"),
        channels=[
            channel("phone", "guard", "police", **failing("radio")),
            channel("radio", "guard", "police", **failing("phone")),
        ],
    )

    assert [(r["t"], r["kind"], r["channel"]) for r in played.records if r["kind"] in MESSAGES] == [
        (0.0, "MessageSent", "phone"),
        (10.0, "MessageFailed", "phone"),
        (10.0, "MessageFellBack", "phone"),
        (10.0, "MessageSent", "radio"),
        (20.0, "MessageFailed", "radio"),
        (20.0, "MessageLost", "radio"),
    ]


def test_about_the_failure_probability_of_many_messages_fail() -> None:
    sent = 1000
    played = guard_calls(
        *(notify("police", "alarm", after=f"{i}s") for i in range(sent)),
        channels=[channel("phone", "guard", "police", latency="1s", failure_probability=0.25)],
        duration="1h",
    )

    kinds = [r["kind"] for r in played.records]
    assert kinds.count("MessageSent") == sent
    assert kinds.count("MessageFailed") + kinds.count("MessageArrived") == sent
    assert abs(kinds.count("MessageFailed") / sent - 0.25) < 0.05


def test_a_line_of_capacity_one_carries_the_second_message_after_the_first() -> None:
    played = guard_calls(
        notify("police", "alarm"),
        notify("police", "fire"),
        channels=[channel("phone", "guard", "police", latency="30s", capacity=1)],
    )

    assert [(r["t"], r["kind"], r["fact"]) for r in played.records if r["kind"] in MESSAGES] == [
        (0.0, "MessageSent", "alarm"),
        (30.0, "MessageArrived", "alarm"),
        (30.0, "MessageSent", "fire"),
        (60.0, "MessageArrived", "fire"),
    ]


def test_a_line_without_capacity_carries_messages_side_by_side() -> None:
    played = guard_calls(
        notify("police", "alarm"),
        notify("police", "fire"),
        channels=[channel("phone", "guard", "police", latency="30s")],
    )

    assert [(r["t"], r["kind"], r["fact"]) for r in played.records if r["kind"] in MESSAGES] == [
        (0.0, "MessageSent", "alarm"),
        (0.0, "MessageSent", "fire"),
        (30.0, "MessageArrived", "alarm"),
        (30.0, "MessageArrived", "fire"),
    ]


def test_an_alternative_with_probability_one_reroutes_the_message_on_its_own_channel() -> None:
    played = guard_calls(
        stakeholders=[
            stakeholder(
                "guard",
                rule(
                    "call",
                    START,
                    notify("police", "alarm", via="police-phone", alternatives=[{"to": "ambulance", "probability": 1}]),
                ),
            ),
            stakeholder("police"),
            stakeholder("ambulance"),
        ],
        channels=[
            channel("police-phone", "guard", "police", latency="10s"),
            channel("ambulance-phone", "guard", "ambulance", latency="20s"),
        ],
    )

    assert messages(played) == [
        (0.0, "MessageRerouted", None, "ambulance"),
        (0.0, "MessageSent", "ambulance-phone", "ambulance"),
        (20.0, "MessageArrived", "ambulance-phone", "ambulance"),
        (20.0, "FactLearned", None, "ambulance"),
    ]
    rerouted = next(r for r in played.records if r["kind"] == "MessageRerouted")
    assert (rerouted["intended"], rerouted["receiver"]) == ("police", "ambulance")
    assert played.awareness("police") == {}


def test_a_message_with_no_enabled_channel_is_undeliverable() -> None:
    played = guard_calls(
        notify("police", "alarm"),
        channels=[channel("phone", "guard", "police", enabled=False)],
    )

    assert messages(played) == [(0.0, "MessageUndeliverable", None, "police")]


def test_a_one_unit_control_room_understands_three_calls_one_after_another() -> None:
    played = guard_calls(
        stakeholders=[
            stakeholder("guard", rule("call", START, *(notify("control", f) for f in ("alarm", "fire", "flood")))),
            stakeholder("control", units=1, intake_time="40s"),
        ],
        channels=[channel("phone", "guard", "control", latency="5s")],
    )

    assert [
        (r["t"], r["kind"], r["fact"], r.get("waited_s"))
        for r in played.records
        if r["kind"] in {"MessageTaken", "FactLearned"}
    ] == [
        (5.0, "MessageTaken", "alarm", 0.0),
        (45.0, "FactLearned", "alarm", None),
        (45.0, "MessageTaken", "fire", 40.0),
        (85.0, "FactLearned", "fire", None),
        (85.0, "MessageTaken", "flood", 80.0),
        (125.0, "FactLearned", "flood", None),
    ]


def test_a_two_unit_control_room_takes_two_calls_at_once() -> None:
    played = guard_calls(
        stakeholders=[
            stakeholder("guard", rule("call", START, *(notify("control", f) for f in ("alarm", "fire", "flood")))),
            stakeholder("control", units=2, intake_time="40s"),
        ],
        channels=[channel("phone", "guard", "control")],
    )

    assert [(r["t"], r["kind"], r["fact"]) for r in played.records if r["kind"] in {"MessageTaken", "FactLearned"}] == [
        (0.0, "MessageTaken", "alarm"),
        (0.0, "MessageTaken", "fire"),
        (40.0, "FactLearned", "alarm"),
        (40.0, "FactLearned", "fire"),
        (40.0, "MessageTaken", "flood"),
        (80.0, "FactLearned", "flood"),
    ]
