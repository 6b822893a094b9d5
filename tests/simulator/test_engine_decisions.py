"""Decisions: opened by a rule or a trigger, taken by the participant, a preset, or the default at the deadline."""

from __future__ import annotations

from typing import Any

from simulator import Exercise, OptionView, PendingDecision
from tests.simulator.scenario_factory import (
    channel,
    decision,
    escalate,
    facts,
    inject,
    notify,
    option,
    request_decision,
    rule,
    scenario,
    stakeholder,
)

DECISIONS = {"DecisionOpened", "DecisionTaken", "CommandApplied", "FactLearned", "RuleFired"}


def entry_decision(**fields: Any) -> Exercise:
    """The chief is asked at 1m whether patrols go in (deadline 2m, default: wait)."""
    chief = stakeholder(
        "chief",
        rule("ask", {"event": "inject_delivered", "inject": "inj-01"}, request_decision("entry")),
        rule("after-go", {"event": "decision_taken", "decision": "entry", "option": "go"}, escalate("acting")),
        rule("after-wait", {"event": "decision_taken", "decision": "entry", "option": "wait"}, escalate("acting")),
    )
    return Exercise(
        scenario(
            facts=facts("go-order", "wait-order", "acting"),
            stakeholders=[chief, stakeholder("patrols")],
            channels=[channel("radio", "chief", "patrols", latency="10s")],
            injects=[inject("inj-01", "chief", at="1m")],
            decisions=[
                decision(
                    "entry",
                    "chief",
                    option("go", escalate("go-order"), notify("patrols", "go-order", after="30s")),
                    option("wait", escalate("wait-order")),
                    deadline="2m",
                    default="wait",
                )
            ],
        ),
        seed=1,
        **fields,
    )


def timeline(played: Exercise) -> list[tuple[float, str, str | None]]:
    """(t, kind, what) of decisions, commands, rules and facts learned."""
    return [
        (r["t"], r["kind"], r.get("option", r.get("rule", r.get("fact"))))
        for r in played.records
        if r["kind"] in DECISIONS
    ]


def test_an_unanswered_decision_takes_its_default_at_the_deadline() -> None:
    played = entry_decision()
    played.run()

    assert timeline(played) == [
        (60.0, "RuleFired", "ask"),
        (60.0, "DecisionOpened", None),
        (180.0, "DecisionTaken", "wait"),
        (180.0, "FactLearned", "wait-order"),
        (180.0, "RuleFired", "after-wait"),
        (180.0, "FactLearned", "acting"),
    ]
    assert [r["by"] for r in played.records if r["kind"] == "DecisionTaken"] == ["default"]
    assert played.close().decisions == {"entry": "wait"}


def test_the_participant_decision_before_the_deadline_is_taken_at_once_and_its_consequences_follow() -> None:
    played = entry_decision()
    played.advance_to(100.0)
    pending = played.pending_decisions()
    played.decide("entry", "go", seat="chief")
    played.run()

    assert pending == [
        PendingDecision(
            "entry",
            "chief",
            "Duty officer",
            "Decide entry.",
            (
                # Named as the participants know them, with the delay before a consequence.
                OptionView(
                    "go", "Go", None, ("declare “The fact go-order.”", "after 30s, tell Patrols “The fact go-order.”")
                ),
                OptionView("wait", "Wait", None, ("declare “The fact wait-order.”",)),
            ),
            "wait",
            60.0,
            180.0,
            80.0,
        )
    ]
    assert timeline(played) == [
        (60.0, "RuleFired", "ask"),
        (60.0, "DecisionOpened", None),
        (100.0, "CommandApplied", None),
        (100.0, "DecisionTaken", "go"),
        (100.0, "FactLearned", "go-order"),
        (100.0, "RuleFired", "after-go"),
        (100.0, "FactLearned", "acting"),
        (140.0, "FactLearned", "go-order"),
    ]
    assert [(r["by"], r["stakeholder"]) for r in played.records if r["kind"] == "DecisionTaken"] == [("chief", "chief")]
    assert played.awareness("patrols")["go-order"].source == "chief"
    assert played.pending_decisions() == []


def test_a_preset_decision_is_taken_as_soon_as_the_decision_opens() -> None:
    played = entry_decision(decisions={"entry": "go"})
    played.run()

    assert timeline(played)[:4] == [
        (60.0, "RuleFired", "ask"),
        (60.0, "DecisionOpened", None),
        (60.0, "DecisionTaken", "go"),
        (60.0, "FactLearned", "go-order"),
    ]
    assert [r["by"] for r in played.records if r["kind"] == "DecisionTaken"] == ["preset"]
    assert played.header["decisions"] == {"entry": "go"}


def test_a_decision_opens_on_its_trigger_and_only_once() -> None:
    chief = stakeholder(
        "chief", rule("ask-again", {"event": "inject_delivered", "inject": "inj-02"}, request_decision("entry"))
    )
    played = Exercise(
        scenario(
            facts=facts("alarm", "done"),
            stakeholders=[chief],
            injects=[inject("inj-01", "chief", at="1m", fact="alarm"), inject("inj-02", "chief", at="2m")],
            decisions=[
                decision(
                    "entry",
                    "chief",
                    option("go", escalate("done")),
                    option("wait"),
                    deadline="5m",
                    default="go",
                    trigger={"fact": "alarm"},
                )
            ],
        ),
        seed=1,
    )
    played.run()

    assert [(r["t"], r["kind"]) for r in played.records if r["kind"] in {"DecisionOpened", "DecisionTaken"}] == [
        (60.0, "DecisionOpened"),
        (360.0, "DecisionTaken"),
    ]
