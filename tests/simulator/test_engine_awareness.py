"""Awareness: a stakeholder acts only on what reached it, and only the first learning of a fact counts."""

from __future__ import annotations

from simulator import Exercise
from tests.simulator.scenario_factory import (
    channel,
    escalate,
    facts,
    inject,
    notify,
    phase,
    rule,
    scenario,
    stakeholder,
    threat,
)

START = {"event": "start"}


def test_a_stakeholder_the_message_never_reached_does_not_act() -> None:
    played = Exercise(
        scenario(
            facts=facts("alarm", "acting"),
            stakeholders=[
                stakeholder("guard", rule("call", START, notify("police", "alarm", after="10s"))),
                stakeholder("police", rule("police-acts", "alarm", escalate("acting"))),
                stakeholder("neighbour", rule("neighbour-acts", "alarm", escalate("acting"))),
            ],
            channels=[channel("phone", "guard", "police", latency="20s"), channel("shout", "guard", "neighbour")],
        ),
        seed=1,
    )
    played.run()

    assert [
        (r["t"], r["kind"], r["stakeholder"], r.get("rule", r.get("fact")))
        for r in played.records
        if r["kind"] in {"RuleFired", "FactLearned"}
    ] == [
        (0.0, "RuleFired", "guard", "call"),
        (30.0, "FactLearned", "police", "alarm"),
        (30.0, "RuleFired", "police", "police-acts"),
        (30.0, "FactLearned", "police", "acting"),
    ]
    assert played.awareness("neighbour") == {}


def test_awareness_shows_each_fact_with_its_time_source_and_truth() -> None:
    played = Exercise(
        scenario(
            facts=facts("alarm", "rumour", "declared", "seen", false_reports=("rumour",)),
            stakeholders=[
                stakeholder("guard", rule("call", START, notify("police", "alarm", after="10s"))),
                stakeholder("police", rule("declare", "rumour", escalate("declared", after="1m"))),
            ],
            channels=[channel("phone", "guard", "police", latency="20s")],
            injects=[inject("inj-01", "police", at="2m", fact="rumour")],
            threat=threat(
                phase(
                    "approach", "approach", "5m", observed_by=[{"stakeholder": "police", "fact": "seen", "after": "4m"}]
                )
            ),
        ),
        seed=1,
    )
    played.run()

    assert {
        fact: (known.fact, known.t, known.source, known.true) for fact, known in played.awareness("police").items()
    } == {
        "alarm": ("alarm", 30.0, "guard", True),
        "rumour": ("rumour", 120.0, "inject:inj-01", False),
        "declared": ("declared", 180.0, "self", True),
        "seen": ("seen", 240.0, "observation:approach", True),
    }
    assert [(r["t"], r["fact"], r["true"]) for r in played.records if r["kind"] == "FactLearned"] == [
        (30.0, "alarm", True),
        (120.0, "rumour", False),
        (180.0, "declared", True),
        (240.0, "seen", True),
    ]


def test_awareness_is_a_snapshot_of_what_is_known_now() -> None:
    played = Exercise(
        scenario(
            facts=facts("alarm"),
            stakeholders=[stakeholder("police")],
            injects=[inject("inj-01", "police", at="2m", fact="alarm")],
        ),
        seed=1,
    )
    played.advance_to(119.0)
    before = played.awareness("police")
    played.advance_to(120.0)

    assert before == {}
    assert list(played.awareness("police")) == ["alarm"]


def test_only_the_first_learning_of_a_fact_triggers_rules_later_copies_are_recorded() -> None:
    played = Exercise(
        scenario(
            facts=facts("alarm", "acting"),
            stakeholders=[
                stakeholder("guard", rule("call", START, notify("police", "alarm", after="10s"))),
                stakeholder("police", rule("act", "alarm", escalate("acting"), repeat=True)),
            ],
            channels=[channel("phone", "guard", "police", latency="20s")],
            injects=[inject("inj-01", "police", at="1m", fact="alarm")],
        ),
        seed=1,
    )
    played.run()

    assert [
        (r["t"], r["kind"], r.get("fact"), r.get("source"))
        for r in played.records
        if r["kind"] in {"FactLearned", "FactRepeated", "RuleFired"} and r["stakeholder"] == "police"
    ] == [
        (30.0, "FactLearned", "alarm", "guard"),
        (30.0, "RuleFired", None, None),
        (30.0, "FactLearned", "acting", "self"),
        (60.0, "FactRepeated", "alarm", "inject:inj-01"),
    ]
    assert played.awareness("police")["alarm"].source == "guard"
