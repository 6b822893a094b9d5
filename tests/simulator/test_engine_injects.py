"""Injects: delivered at their time, on their trigger after a delay, or (contingency) only when fired."""

from __future__ import annotations

from typing import Any

from simulator import Exercise
from tests.simulator.scenario_factory import Data, dispatch, facts, inject, rule, scenario, stakeholder


def briefing(*injects: Data, **sections: Any) -> Exercise:
    """The police and patrols (one dispatch at T0, one at 5m; 1m to hq) receive `injects`."""
    patrols = stakeholder(
        "patrols",
        rule("go", {"event": "start"}, dispatch("hq"), dispatch("hq", after="5m")),
        units=2,
        travel={"hq": "1m"},
    )
    return Exercise(
        scenario(
            facts=facts("alarm", "update"),
            stakeholders=[stakeholder("police"), patrols],
            injects=list(injects),
            **sections,
        ),
        seed=1,
    )


def delivered(played: Exercise) -> list[tuple[float, str, str, str]]:
    """(t, inject, to, by) of every delivered inject."""
    return [(r["t"], r["inject"], r["to"], r["by"]) for r in played.records if r["kind"] == "InjectDelivered"]


def test_injects_with_a_time_are_delivered_then_and_their_facts_are_learned_at_once() -> None:
    played = briefing(
        inject("inj-02", "police", at="2m", fact="update"),
        inject("inj-01", "police", at="1m", fact="alarm"),
    )
    played.run()

    assert [
        (r["t"], r["kind"], r.get("inject"), r.get("source"))
        for r in played.records
        if r["kind"] in {"InjectDelivered", "FactLearned"}
    ] == [
        (60.0, "InjectDelivered", "inj-01", None),
        (60.0, "FactLearned", None, "inject:inj-01"),
        (120.0, "InjectDelivered", "inj-02", None),
        (120.0, "FactLearned", None, "inject:inj-02"),
    ]


def test_an_inject_on_a_trigger_is_delivered_its_delay_after_the_first_time_the_event_happens() -> None:
    played = briefing(
        inject("inj-01", "police", trigger={"event": "units_arrived", "site": "hq"}, after="1m"),
        inject("inj-02", "police", trigger={"fact": "alarm", "stakeholder": "police"}, after="30s"),
        inject("inj-03", "police", at="10m", fact="alarm"),
    )
    played.run()

    assert [(r["t"], r["kind"]) for r in played.records if r["kind"] == "UnitsArrived"] == [
        (60.0, "UnitsArrived"),
        (360.0, "UnitsArrived"),
    ]
    assert delivered(played) == [
        (120.0, "inj-01", "police", "schedule"),
        (600.0, "inj-03", "police", "schedule"),
        (630.0, "inj-02", "police", "schedule"),
    ]


def test_a_contingency_inject_is_delivered_only_when_a_facilitator_fires_it() -> None:
    contingency = inject("inj-09", "police", contingency=True, fact="alarm")
    unfired = briefing(contingency)
    unfired.run()
    fired = briefing(contingency)
    fired.advance_to(300.0)
    fired.fire_inject("inj-09")
    fired.run()

    assert delivered(unfired) == []
    assert delivered(fired) == [(300.0, "inj-09", "police", "facilitator")]
    assert fired.awareness("police")["alarm"].t == 300.0


def test_a_contingency_inject_with_a_time_waits_for_the_facilitator_but_one_with_a_trigger_follows_it() -> None:
    played = briefing(
        inject("inj-08", "police", contingency=True, at="1m", fact="alarm"),
        inject("inj-09", "police", contingency=True, trigger={"event": "units_arrived", "site": "hq"}),
    )
    played.run()

    assert delivered(played) == [(60.0, "inj-09", "police", "schedule")]
