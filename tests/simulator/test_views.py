"""The read models a console renders: the MSEL, the network, the clock; frozen and plain JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from scenarios import Scenario, bundled_names, load_scenario
from simulator import Exercise, ExerciseHost
from simulator.views import InjectView, msel, network
from tests.simulator.scenario_factory import channel, facts, inject, notify, rule, scenario, stakeholder


class JsonView(Protocol):
    """A read model."""

    def to_dict(self) -> dict[str, Any]: ...


def small() -> Scenario:
    """Police get inj-01 at 1m (fact `alarm`) and inj-02 at 2m; inj-03 is a contingency for the guard.

    On `alarm` the police phone the guard over a line of capacity 1 that takes 5 minutes; `update` is a rumour.
    """
    return scenario(
        facts=facts("alarm", "update", false_reports=("update",)),
        stakeholders=[
            stakeholder("police", rule("tell", "alarm", notify("guard", "alarm"), notify("guard", "update"))),
            stakeholder("guard", units=2),
        ],
        channels=[channel("line", "police", "guard", latency="5m", capacity=1)],
        injects=[
            inject("inj-01", "police", at="1m", fact="alarm", expected_action="Call the guard", objective=None),
            inject("inj-02", "police", at="2m"),
            inject("inj-03", "guard", contingency=True, fact="update"),
        ],
    )


def row(inject_id: str, status: str, due_t: float | None, to: str, **fields: Any) -> InjectView:
    """An MSEL row with the defaults of the small scenario's injects."""
    open_ = status in ("pending", "held")
    base = InjectView(
        inject_id,
        status,
        due_t,
        None,
        to,
        f"Inject {inject_id}.",
        None,
        "event",
        "verbal",
        None,
        None,
        None,
        False,
        can_fire=open_,
        can_hold=status == "pending",
        can_release=status == "held",
        can_delay=open_ and due_t is not None,
        can_skip=open_,
    )
    return replace(base, **fields)


def test_the_msel_shows_each_injects_status_and_what_the_facilitator_can_do_with_it_now() -> None:
    played = Exercise(small(), seed=1)
    played.advance_to(90.0)
    played.hold_inject("inj-02")

    assert msel(played.world) == [
        row("inj-01", "delivered", 60.0, "police", delivered_t=60.0, fact="alarm", expected_action="Call the guard"),
        row("inj-02", "held", 120.0, "police"),
        row("inj-03", "pending", None, "guard", fact="update", contingency=True),
    ]


def test_the_network_shows_busy_lines_what_each_knows_and_whether_it_is_true() -> None:
    played = Exercise(small(), seed=1)
    played.advance_to(60.0)  # the police learn `alarm` and phone the guard twice on a single line
    seen = network(played.world)
    line = seen.channels[0]

    assert (line.id, line.sender, line.receiver, line.capacity, line.busy, line.waiting) == (
        "line",
        "police",
        "guard",
        1,
        1,
        1,
    )
    police = next(s for s in seen.stakeholders if s.id == "police")
    assert [(f.fact, f.t, f.source, f.true) for f in police.facts] == [("alarm", 60.0, "inject:inj-01", True)]
    played.advance_to(700.0)
    guard = next(s for s in network(played.world).stakeholders if s.id == "guard")
    assert [(f.fact, f.t, f.source, f.true) for f in guard.facts] == [
        ("alarm", 360.0, "police", True),
        ("update", 660.0, "police", False),
    ]


def test_every_view_of_every_bundled_scenario_is_plain_json() -> None:
    for name in bundled_names():
        host = ExerciseHost.open(load_scenario(name), 2)
        host.advance_to(1200.0)
        stakeholder_id = host.exercise.scenario.stakeholders[0].id
        views: list[JsonView] = [
            host.clock(),
            host.catalogue(),
            host.catalogue(stakeholder_id),
            host.network(),
            host.network(stakeholder_id),
            *host.msel(),
            *host.inbox(),
            *host.pending_decisions(),
            *host.awareness(stakeholder_id),
        ]
        for view in views:
            data = view.to_dict()
            assert json.loads(json.dumps(data)) == data, (name, view)
        host.finish()
        assert json.loads(json.dumps(host.debrief().to_dict())) == host.debrief().to_dict()


def test_a_decision_sharing_an_objective_s_id_is_named_by_its_prompt(tmp_path: Path) -> None:
    scenario = load_scenario("synagogue-holiday-attack")
    shared = {o.id for o in scenario.objectives} & {d.id for d in scenario.decisions}
    assert shared  # warn-other-sites is both an objective and the crisis cell's decision
    host = ExerciseHost.open(scenario, 1, log=tmp_path / "run.jsonl")

    names, police = host.catalogue().names, host.catalogue("police-control-110").names
    host.abandon()

    prompts = {d.id: d.prompt for d in scenario.decisions}
    objectives = {o.id: o.name for o in scenario.objectives}
    assert all(names[i] == prompts[i] for i in shared)
    assert all(police[i] == objectives[i] for i in shared)  # not the police's decision: named as the objective
