"""Shared fixtures for the analysis tests: logged runs of the bundled synagogue scenario, and a tiny scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import Scenario, load_scenario
from simulator import Exercise
from tests.simulator.scenario_factory import (
    channel,
    decision,
    facts,
    inject,
    milestone,
    notify,
    objective,
    option,
    request_decision,
    rule,
    scenario,
    stakeholder,
)


@pytest.fixture(scope="session")
def synagogue() -> Scenario:
    """The bundled synagogue scenario."""
    return load_scenario("synagogue-holiday-attack")


def write_run(scenario: Scenario, path: Path, seed: int = 5, source: str | None = None) -> Exercise:
    """Play a run to the end with a log at `path`, with one facilitator command along the way."""
    exercise = Exercise(scenario, seed, log=path, source=source or "synagogue-holiday-attack")
    exercise.advance_to(120.0)
    exercise.mark_pause("discussion")
    exercise.advance_to(400.0)
    exercise.add_inject("crisis-cell", "The mayor calls.", None)
    exercise.run()
    return exercise


@pytest.fixture
def logged_run(tmp_path: Path, synagogue: Scenario) -> Path:
    """A sealed run log with commands in it."""
    path = tmp_path / "run.jsonl"
    write_run(synagogue, path)
    return path


def phoned_alarm() -> Scenario:
    """The guard learns of an alarm at 4.1 s and is asked whether to phone the police now or a minute later.

    The phone has no latency. Decided at once, the police know at 4.1 s (`now`) or at 64.1 s (`later`): a change of
    one minute that the floats 64.1 - 4.1 miss by a last bit. Left to its deadline (2 m), the default `now` is taken
    at 124.1 s. The objective is rated P up to 30 s, S up to 1 m, M up to 2 m. Nothing ever reports `shots`. The
    variant `slow-phone` gives the phone a latency of 2 minutes; `decision-milestone` adds the milestone
    `call-decided`, reached when the guard decides.
    """
    return scenario(
        duration="10m",
        facts=facts("alarm", "shots"),
        stakeholders=[stakeholder("guard", rule("ask", "alarm", request_decision("call"))), stakeholder("police")],
        channels=[channel("phone", "guard", "police")],
        injects=[inject("inj-01", "guard", at="4.1s", fact="alarm")],
        decisions=[
            decision(
                "call",
                "guard",
                option("now", notify("police", "alarm")),
                option("later", notify("police", "alarm", after="1m")),
                deadline="2m",
                default="now",
            )
        ],
        milestones=[
            milestone("guard-knows", when={"fact": "alarm", "stakeholder": "guard"}),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
            milestone("shots-heard", when={"fact": "shots"}),
        ],
        objectives=[objective("alert-police", "police-know", "30s", "1m", "2m")],
        variants=[
            {
                "id": "slow-phone",
                "description": "The phone takes two minutes to get through.",
                "change": {"channels": {"phone": {"latency": "2m"}}},
            },
            {
                "id": "decision-milestone",
                "description": "Adds a milestone for the guard's decision.",
                "add": {
                    "milestones": [
                        {
                            "id": "call-decided",
                            "name": "Call decided",
                            "when": {"event": "decision_taken", "decision": "call"},
                        }
                    ]
                },
            },
        ],
    )
