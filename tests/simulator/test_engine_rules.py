"""Playbook rules: what fires them, their conditions, repeats, and the delays of their actions."""

from __future__ import annotations

from simulator import Exercise
from tests.simulator.scenario_factory import dispatch, escalate, facts, inject, rule, scenario, stakeholder

START = {"event": "start"}


def fired(played: Exercise) -> list[tuple[float, str]]:
    """(t, rule) of every rule that fired."""
    return [(r["t"], r["rule"]) for r in played.records if r["kind"] == "RuleFired"]


def test_rules_on_start_fire_at_t0_for_every_stakeholder() -> None:
    played = Exercise(
        scenario(
            facts=facts("ready"),
            stakeholders=[
                stakeholder("guard", rule("guard-starts", START, escalate("ready"))),
                stakeholder("police", rule("police-starts", START, escalate("ready"))),
            ],
        ),
        seed=1,
    )
    played.run()

    assert [
        (r["t"], r["kind"], r["stakeholder"]) for r in played.records if r["kind"] in {"RuleFired", "FactLearned"}
    ] == [
        (0.0, "RuleFired", "guard"),
        (0.0, "FactLearned", "guard"),
        (0.0, "RuleFired", "police"),
        (0.0, "FactLearned", "police"),
    ]


def test_each_action_starts_after_its_own_delay_counted_from_the_firing() -> None:
    played = Exercise(
        scenario(
            facts=facts("first", "second", "third"),
            stakeholders=[
                stakeholder(
                    "police",
                    rule(
                        "act",
                        {"event": "inject_delivered", "inject": "inj-01"},
                        escalate("first", after="1m"),
                        escalate("second", after="30s"),
                        escalate("third"),
                    ),
                )
            ],
            injects=[inject("inj-01", "police", at="10s")],
        ),
        seed=1,
    )
    played.run()

    assert [(r["t"], r["fact"]) for r in played.records if r["kind"] == "FactLearned"] == [
        (10.0, "third"),
        (40.0, "second"),
        (70.0, "first"),
    ]


def test_known_and_unknown_conditions_are_checked_when_the_event_happens() -> None:
    played = Exercise(
        scenario(
            facts=facts("alarm", "confirmed", "acting"),
            stakeholders=[
                stakeholder(
                    "police",
                    rule("if-confirmed", "alarm", escalate("acting"), when={"known": ["confirmed"]}),
                    rule("unless-confirmed", "alarm", escalate("acting"), when={"unknown": ["confirmed"]}),
                    rule("confirmed-after-alarm", "confirmed", escalate("acting"), when={"known": ["alarm"]}),
                )
            ],
            injects=[
                inject("inj-01", "police", at="1m", fact="confirmed"),
                inject("inj-02", "police", at="2m", fact="alarm"),
            ],
        ),
        seed=1,
    )
    played.run()

    assert fired(played) == [(120.0, "if-confirmed")]


def test_a_time_window_holds_from_not_before_to_not_after_inclusive_and_repeat_fires_each_time() -> None:
    arrivals = {"event": "units_arrived", "site": "hq"}
    window = {"not_before": "2m", "not_after": "4m"}
    patrols = stakeholder(
        "patrols",
        rule("go", START, *(dispatch("hq", after=f"{minute}m") for minute in range(1, 6))),
        rule("every-arrival", arrivals, escalate("seen"), when=window, repeat=True),
        rule("first-arrival", arrivals, escalate("seen"), when=window),
        units=5,
        travel={"hq": "0s"},
    )
    played = Exercise(scenario(facts=facts("seen"), stakeholders=[patrols]), seed=1)
    played.run()

    assert fired(played) == [
        (0.0, "go"),
        (120.0, "every-arrival"),
        (120.0, "first-arrival"),
        (180.0, "every-arrival"),
        (240.0, "every-arrival"),
    ]
    assert [(r["t"], r["kind"]) for r in played.records if r["kind"] in {"FactLearned", "FactRepeated"}] == [
        (120.0, "FactLearned"),
        (120.0, "FactRepeated"),
        (180.0, "FactRepeated"),
        (240.0, "FactRepeated"),
    ]


def test_a_rule_on_an_inject_fires_only_when_that_inject_reaches_its_stakeholder() -> None:
    played = Exercise(
        scenario(
            facts=facts("acting"),
            stakeholders=[
                stakeholder(
                    "police", rule("on-briefing", {"event": "inject_delivered", "inject": "inj-02"}, escalate("acting"))
                ),
                stakeholder("guard"),
            ],
            injects=[inject("inj-01", "guard", at="1m"), inject("inj-02", "police", at="2m")],
        ),
        seed=1,
    )
    played.run()

    assert fired(played) == [(120.0, "on-briefing")]
