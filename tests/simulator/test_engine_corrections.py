"""Corrections: a fact that corrects another reaches some stakeholders and not others; what it changes there."""

from __future__ import annotations

from typing import Any

from simulator import Awareness, Exercise
from simulator.records import participant_view, sentence
from simulator.views import network
from tests.simulator.scenario_factory import (
    Data,
    channel,
    escalate,
    inject,
    milestone,
    notify,
    phase,
    rule,
    scenario,
    stakeholder,
    threat,
)

AWARENESS = {"FactLearned", "FactRepeated", "FactCorrected", "FactDisregarded", "RuleFired", "MilestoneReached"}


def facts(*extra: str) -> list[Data]:
    """`six` (a false report of six shooting locations), `one` (corrects it), and facts with no correction."""
    return [
        {"id": "six", "description": "Six shooting locations.", "false_report": True},
        {"id": "one", "description": "One attacker, one location confirmed.", "corrects": ["six"]},
        *({"id": fact, "description": f"The fact {fact}."} for fact in extra),
    ]


def timeline(played: Exercise) -> list[tuple[Any, ...]]:
    """(t, kind, stakeholder, fact or rule or milestone, the correction's fact) of what stakeholders know and do."""
    return [
        (
            r["t"],
            r["kind"],
            r.get("stakeholder"),
            r.get("fact", r.get("rule", r.get("milestone"))),
            r.get("by_fact", r.get("corrected_by")),
        )
        for r in played.records
        if r["kind"] in AWARENESS
    ]


def spread() -> Exercise:
    """The police hear `six` at 1m and pass it on to the hospital and the city (1m each); they hear `one` at 5m and
    pass it on to the hospital only (1m)."""
    played = Exercise(
        scenario(
            facts=facts(),
            stakeholders=[
                stakeholder(
                    "police",
                    rule("tell-six", "six", notify("hospital", "six"), notify("city", "six")),
                    rule("tell-one", "one", notify("hospital", "one")),
                ),
                stakeholder("hospital"),
                stakeholder("city"),
            ],
            channels=[
                channel("to-hospital", "police", "hospital", latency="1m"),
                channel("to-city", "police", "city", latency="1m"),
            ],
            injects=[inject("inj-01", "police", at="1m", fact="six"), inject("inj-02", "police", at="5m", fact="one")],
        ),
        seed=1,
    )
    played.run()
    return played


def test_a_correction_reaches_those_it_is_passed_to_and_not_the_others() -> None:
    played = spread()

    assert timeline(played) == [
        (60.0, "FactLearned", "police", "six", None),
        (60.0, "RuleFired", "police", "tell-six", None),
        (120.0, "FactLearned", "hospital", "six", None),
        (120.0, "FactLearned", "city", "six", None),
        (300.0, "FactLearned", "police", "one", None),
        (300.0, "FactCorrected", "police", "six", "one"),
        (300.0, "RuleFired", "police", "tell-one", None),
        (360.0, "FactLearned", "hospital", "one", None),
        (360.0, "FactCorrected", "hospital", "six", "one"),
    ]
    assert played.awareness("police")["six"] == Awareness("six", 60.0, "inject:inj-01", False, 300.0, "one")
    assert played.awareness("hospital")["six"] == Awareness("six", 120.0, "police", False, 360.0, "one")
    assert played.awareness("city")["six"] == Awareness("six", 120.0, "police", False)


def test_a_correction_records_where_it_came_from() -> None:
    corrected = [r for r in spread().records if r["kind"] == "FactCorrected"]

    assert [(r["stakeholder"], r["fact"], r["by_fact"], r["source"]) for r in corrected] == [
        ("police", "six", "one", "inject:inj-02"),
        ("hospital", "six", "one", "police"),
    ]


def hospital(*rules: Data, **fields: Any) -> Exercise:
    """The hospital hears `six` at 1m and `one` at 5m; injects `before` (3m) and `after` (7m) reach it, no fact."""
    played = Exercise(
        scenario(
            facts=facts("mass-casualty", "stood-down", "normal"),
            stakeholders=[stakeholder("hospital", *rules)],
            injects=[
                inject("inj-six", "hospital", at="1m", fact="six"),
                inject("before", "hospital", at="3m"),
                inject("inj-one", "hospital", at="5m", fact="one"),
                inject("after", "hospital", at="7m"),
            ],
            **fields,
        ),
        seed=1,
    )
    played.run()
    return played


def on_inject(inject_id: str) -> Data:
    return {"event": "inject_delivered", "inject": inject_id}


def test_a_rule_that_needs_a_fact_known_does_not_fire_once_it_is_corrected_and_one_needing_it_unknown_does() -> None:
    played = hospital(
        rule("alert-before", on_inject("before"), escalate("mass-casualty"), when={"known": ["six"]}),
        rule("alert-after", on_inject("after"), escalate("mass-casualty"), when={"known": ["six"]}),
        rule("calm-before", on_inject("before"), escalate("normal"), when={"unknown": ["six"]}),
        rule("calm-after", on_inject("after"), escalate("normal"), when={"unknown": ["six"]}),
    )

    assert [(t, kind, what) for t, kind, _, what, _ in timeline(played)] == [
        (60.0, "FactLearned", "six"),
        (180.0, "RuleFired", "alert-before"),
        (180.0, "FactLearned", "mass-casualty"),
        (300.0, "FactLearned", "one"),
        (300.0, "FactCorrected", "six"),
        (420.0, "RuleFired", "calm-after"),
        (420.0, "FactLearned", "normal"),
    ]


def test_a_rule_and_a_milestone_on_fact_corrected_fire_when_the_fact_is_corrected_after_the_correction_is_learned() -> (
    None
):
    corrected = {"event": "fact_corrected", "fact": "six"}
    played = hospital(
        rule("stand-down", corrected, escalate("stood-down")),
        rule("on-one", "one", escalate("normal")),
        milestones=[milestone("corrected", when={**corrected, "stakeholder": "hospital"})],
    )

    assert [(t, kind, what) for t, kind, _, what, _ in timeline(played)] == [
        (60.0, "FactLearned", "six"),
        (300.0, "FactLearned", "one"),
        (300.0, "FactCorrected", "six"),
        (300.0, "RuleFired", "on-one"),
        (300.0, "FactLearned", "normal"),
        (300.0, "RuleFired", "stand-down"),
        (300.0, "FactLearned", "stood-down"),
        (300.0, "MilestoneReached", "corrected"),
    ]


def test_rules_on_the_correcting_fact_already_see_the_corrected_one_as_corrected() -> None:
    played = hospital(rule("on-one", "one", escalate("mass-casualty"), when={"known": ["six"]}))

    assert [kind for _, kind, *_ in timeline(played)] == ["FactLearned", "FactLearned", "FactCorrected"]


def test_hearing_a_fact_after_its_correction_is_disregarded_and_triggers_nothing() -> None:
    played = Exercise(
        scenario(
            facts=facts("acting"),
            stakeholders=[stakeholder("police", rule("act", "six", escalate("acting"), repeat=True))],
            injects=[
                inject("inj-01", "police", at="1m", fact="six"),
                inject("inj-02", "police", at="5m", fact="one"),
                inject("inj-03", "police", at="7m", fact="six"),
            ],
            milestones=[milestone("six-again", when={"event": "fact_learned", "fact": "six"})],
        ),
        seed=1,
    )
    played.run()

    assert timeline(played) == [
        (60.0, "FactLearned", "police", "six", None),
        (60.0, "RuleFired", "police", "act", None),
        (60.0, "FactLearned", "police", "acting", None),
        (60.0, "MilestoneReached", None, "six-again", None),
        (300.0, "FactLearned", "police", "one", None),
        (300.0, "FactCorrected", "police", "six", "one"),
        (420.0, "FactDisregarded", "police", "six", "one"),
    ]
    assert played.awareness("police")["six"] == Awareness("six", 60.0, "inject:inj-01", False, 300.0, "one")


def test_a_fact_heard_after_its_correction_was_learned_is_never_held() -> None:
    played = Exercise(
        scenario(
            facts=facts("acting"),
            stakeholders=[stakeholder("city", rule("act", "six", escalate("acting")))],
            injects=[inject("inj-01", "city", at="1m", fact="one"), inject("inj-02", "city", at="2m", fact="six")],
        ),
        seed=1,
    )
    played.run()

    assert timeline(played) == [
        (60.0, "FactLearned", "city", "one", None),
        (120.0, "FactDisregarded", "city", "six", "one"),
    ]
    assert list(played.awareness("city")) == ["one"]


def test_a_second_correction_of_a_corrected_fact_changes_nothing() -> None:
    more = {"id": "confirmed", "description": "Police confirm one location.", "corrects": ["six"]}
    played = Exercise(
        scenario(
            facts=[*facts(), more],
            stakeholders=[stakeholder("police")],
            injects=[
                inject("inj-01", "police", at="1m", fact="six"),
                inject("inj-02", "police", at="2m", fact="one"),
                inject("inj-03", "police", at="3m", fact="confirmed"),
            ],
        ),
        seed=1,
    )
    played.run()

    assert [(t, kind, fact) for t, kind, _, fact, _ in timeline(played)] == [
        (60.0, "FactLearned", "six"),
        (120.0, "FactLearned", "one"),
        (120.0, "FactCorrected", "six"),
        (180.0, "FactLearned", "confirmed"),
    ]
    assert played.awareness("police")["six"].corrected_by == "one"


def observed() -> Exercise:
    """The guard sees `six` at 1m (an observation of the threat's approach) and hears `one` at 4m."""
    played = Exercise(
        scenario(
            facts=facts(),
            stakeholders=[stakeholder("guard")],
            injects=[inject("inj-01", "guard", at="4m", fact="one")],
            threat=threat(
                phase(
                    "approach", "approach", "10m", observed_by=[{"stakeholder": "guard", "fact": "six", "after": "1m"}]
                )
            ),
        ),
        seed=1,
    )
    played.advance_to(300.0)
    return played


def test_the_views_show_a_corrected_fact_with_when_and_by_what_it_was_corrected() -> None:
    played = observed()

    facilitator = network(played.world).stakeholders[0].facts
    guard = network(played.world, "guard").stakeholders[0].facts

    assert [(f.fact, f.t, f.source, f.true, f.corrected_t, f.corrected_by) for f in facilitator] == [
        ("six", 60.0, "observation:approach", False, 240.0, "one"),
        ("one", 240.0, "inject:inj-01", True, None, None),
    ]
    assert [(f.fact, f.source, f.true, f.corrected_t, f.corrected_by) for f in guard] == [
        ("six", "observation", None, 240.0, "one"),
        ("one", "inject:inj-01", None, None, None),
    ]
    assert guard[0].to_dict()["corrected_t"] == 240.0


def test_a_participant_reads_a_correction_without_the_phase_it_was_observed_in() -> None:
    corrected = {
        "seq": 3,
        "t": 60.0,
        "kind": "FactCorrected",
        "stakeholder": "guard",
        "fact": "six",
        "by_fact": "one",
        "source": "observation:approach",
    }
    names = {"guard": "Guard", "six": "Six shooting locations", "one": "One attacker"}

    assert participant_view(corrected)["source"] == "observation"
    assert sentence(corrected, names) == (
        "Guard learns Six shooting locations was wrong: One attacker (from observation:approach)"
    )
    assert sentence({**corrected, "kind": "FactDisregarded", "corrected_by": "one"}, names) == (
        "Guard disregards Six shooting locations from observation:approach (corrected by One attacker)"
    )
