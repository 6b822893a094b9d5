"""The scenario compiled once per Setup: channel routes, the trigger index, runs sharing it and leaving it as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from simulator import Exercise
from simulator._compiled import compile_scenario
from simulator.setup import Setup
from tests.simulator.scenario_factory import (
    channel,
    decision,
    facts,
    milestone,
    notify,
    option,
    rule,
    scenario,
    stakeholder,
)

ROOT = Path(__file__).resolve().parents[2]
START = {"event": "start"}


def test_a_route_is_the_first_enabled_channel_by_id_whatever_the_scenario_order() -> None:
    built = scenario(
        facts=facts("alarm"),
        stakeholders=[stakeholder("guard"), stakeholder("police"), stakeholder("fire")],
        channels=[
            channel("z-radio", "guard", "police"),
            channel("m-phone", "guard", "police"),
            channel("a-fax", "guard", "police", enabled=False),
            channel("b-line", "police", "guard", enabled=False),
        ],
    )
    routes = compile_scenario(built).routes

    assert {pair: plan.channel.id for pair, plan in routes.items()} == {("guard", "police"): "m-phone"}
    assert routes[("guard", "police")].stream == "channel:m-phone"


def test_the_trigger_index_keeps_the_order_a_run_registers_its_listeners_in() -> None:
    # Rules by stakeholder id (the scenario lists `zoe` first), each playbook in order; then decisions; milestones.
    built = scenario(
        facts=facts("alarm"),
        stakeholders=[
            stakeholder("zoe", rule("z1", {"event": "fact_learned", "fact": "alarm"}, notify("amy", "alarm"))),
            stakeholder(
                "amy",
                rule("a1", {"event": "fact_learned", "fact": "alarm"}, notify("zoe", "alarm")),
                rule("a2", {"event": "fact_learned", "fact": "alarm"}, notify("zoe", "alarm")),
            ),
        ],
        channels=[channel("amy-zoe", "amy", "zoe"), channel("zoe-amy", "zoe", "amy")],
        decisions=[
            decision(
                "d",
                "amy",
                option("yes"),
                option("no"),
                deadline="5m",
                default="yes",
                trigger={"event": "fact_learned", "fact": "alarm"},
            )
        ],
        milestones=[milestone("m", when={"event": "fact_learned", "fact": "alarm", "stakeholder": "zoe"})],
    )
    index = compile_scenario(built).triggers
    named = [binding[1].rule.id if binding[0] == "rule" else f"{binding[0]}:{binding[1]}" for binding in index.bindings]
    assert named == ["a1", "a2", "z1", "decision:d", "milestone:m"]

    at_amy = [named[order] for order, _wanted in index.matching("fact_learned", "alarm", "amy")]
    at_zoe = [named[order] for order, _wanted in index.matching("fact_learned", "alarm", "zoe")]
    assert at_amy == ["a1", "a2", "decision:d"]
    assert at_zoe == ["z1", "decision:d", "milestone:m"]
    # The milestone waits for `zoe`: it is indexed at zoe's, not looked at for amy's events.
    assert index.matching("fact_learned", "alarm", None) == index.matching("fact_learned", "alarm", "nobody")


def test_a_fact_added_by_one_run_is_not_known_to_the_next_run_of_the_same_setup() -> None:
    setup = Setup.of(scenario(facts=facts("alarm"), stakeholders=[stakeholder("guard")]))
    first = Exercise(setup, 1)
    first.add_inject("guard", "Smoke at the back door.", "smoke", fact_description="Smoke is seen at the back door.")
    first.close()
    second = Exercise(setup, 2)

    assert "smoke" in first.world.facts
    assert sorted(second.world.facts) == ["alarm"]
    assert sorted(setup.compiled.facts) == ["alarm"]


def test_runs_of_one_setup_share_its_compiled_scenario() -> None:
    setup = Setup.of(scenario(facts=facts("alarm"), stakeholders=[stakeholder("guard")]))

    assert Exercise(setup, 1).world.compiled is Exercise(setup, 2).world.compiled is setup.compiled


def test_the_engine_does_not_import_networkx() -> None:
    code = "import sys, simulator.exercise; print('networkx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
