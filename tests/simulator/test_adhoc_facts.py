"""An ad-hoc inject can bring a fact the scenario does not have: true, or a false report the players cannot tell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scenarios import Scenario, load_scenario
from simulator import CommandError, Exercise, ExerciseHost, parse_command
from simulator.analysis.replay import verify
from tests.simulator.scenario_factory import facts, scenario, stakeholder

SYNAGOGUE = "synagogue-holiday-attack"
POLICE = "police-control-110"
RUMOUR: dict[str, Any] = {
    "command": "add_inject",
    "to": POLICE,
    "text": "A caller says a second gunman is at the school.",
    "fact": "second-gunman",
    "fact_description": "A second gunman is at the school.",
    "false_report": True,
}


def two_desks() -> Scenario:
    """Police and a guard, who know of `alarm` and `done`."""
    return scenario(facts=facts("alarm", "done"), stakeholders=[stakeholder("police"), stakeholder("guard")])


def test_a_new_fact_is_learned_as_true_and_the_views_show_its_description() -> None:
    played = Exercise(two_desks(), seed=1)

    played.add_inject("guard", "Smoke at the back door.", "smoke", fact_description="Smoke is seen at the back door.")

    learned = [r for r in played.records if r["kind"] == "FactLearned"]
    assert [(r["stakeholder"], r["fact"], r["source"], r["true"]) for r in learned] == [
        ("guard", "smoke", "inject:adhoc-1", True)
    ]
    host = ExerciseHost(played)
    assert [(f.fact, f.description, f.true) for f in host.awareness("guard")] == [
        ("smoke", "Smoke is seen at the back door.", True)
    ]
    for seat in ("facilitator", "guard", "police"):
        catalogue = host.catalogue(seat)
        assert [(f.id, f.name) for f in catalogue.facts][-1] == ("smoke", "Smoke is seen at the back door.")
        assert catalogue.names["smoke"] == "Smoke is seen at the back door."


def test_a_new_false_report_is_learned_as_false_and_its_participant_is_never_told(tmp_path: Path) -> None:
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1, log=tmp_path / "run.jsonl", source=SYNAGOGUE)
    feed: list[dict[str, Any]] = []
    host.subscribe(feed.append, seat=POLICE)

    host.submit(RUMOUR)

    (held,) = [f for f in host.awareness(POLICE) if f.fact == "second-gunman"]
    assert (held.description, held.true) == ("A second gunman is at the school.", False)
    (told,) = [f for f in host.awareness(POLICE, seat=POLICE) if f.fact == "second-gunman"]
    assert (told.description, told.true) == ("A second gunman is at the school.", None)
    learned = [r for r in host.exercise.records if r["kind"] == "FactLearned" and r["fact"] == "second-gunman"]
    assert [r["true"] for r in learned] == [False]
    assert feed == host.records_since(0, POLICE)[-len(feed) :]
    assert [r["kind"] for r in feed] == ["InjectDelivered", "FactLearned"]  # not told it was written on the spot
    for record in host.records_since(0, POLICE):
        assert "false_report" not in record and "true" not in record
        assert "false_report" not in str(record.get("command", ""))
    host.abandon()


def test_a_new_fact_rides_in_the_commands_json_and_the_run_replays_byte_for_byte(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), 1, log=log, source=SYNAGOGUE)
    host.advance_to(200.0)
    host.submit(RUMOUR)
    host.advance_to(400.0)
    host.submit({**RUMOUR, "to": "community-security", "fact_description": None, "false_report": False})
    host.finish()

    applied = [r["command"] for r in host.exercise.records if r["kind"] == "CommandApplied"]
    assert applied[0] == {"seat": "facilitator", "inject_type": "contingency", **RUMOUR}
    assert "fact_description" not in applied[1] and "false_report" not in applied[1]
    learned = [
        (r["stakeholder"], r["true"])
        for r in host.exercise.records
        if r["kind"] == "FactLearned" and r["fact"] == "second-gunman"
    ]
    assert ("community-security", False) in learned  # the same rumour passed on: still false
    checked = verify(log)
    assert checked.ok, checked.divergence


@pytest.mark.parametrize(
    "data",
    [
        RUMOUR,
        {**RUMOUR, "false_report": False},
        {key: value for key, value in RUMOUR.items() if key != "false_report"},
        {"command": "add_inject", "to": POLICE, "text": "x", "fact": "attack-at-synagogue"},
    ],
)
def test_an_add_inject_written_as_data_parses_back_to_itself(data: dict[str, Any]) -> None:
    command = parse_command(data)

    assert parse_command(command.to_dict()) == command
    assert command.to_dict().get("fact_description") == data.get("fact_description")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"fact_description": None, "false_report": False},
            "add_inject: fact 'second-gunman' is new: give fact_description (what it says) and, for a rumour, "
            "false_report: true",
        ),
        (
            {"fact": "attack-at-synagog", "fact_description": None, "false_report": False},
            "did you mean 'attack-at-synagogue'?",
        ),
        ({"fact_description": None}, "fact 'second-gunman' is new: give fact_description (what it says), not only"),
        (
            {"fact": "attack-at-synagogue"},
            "add_inject: fact 'attack-at-synagogue' exists already: its description and truth are set",
        ),
        ({"fact": "attack-at-synagogue", "fact_description": None}, "fact 'attack-at-synagogue' exists already"),
        ({"fact": None}, "add_inject: fact_description describes the inject's fact: give fact too"),
        ({"fact": None, "fact_description": None}, "add_inject: false_report says the inject's fact is false"),
        ({"false_report": "yes"}, "add_inject: false_report: expected true or false, got 'yes'"),
        ({"fact_description": 7}, "add_inject: fact_description: "),
        ({"fact_description": "  "}, "add_inject: fact_description is empty; say what the new fact says"),
        ({"fact": "Second Gunman"}, "add_inject: fact: "),
    ],
)
def test_a_new_fact_that_does_not_fit_is_refused_and_nothing_is_logged_or_learned(
    change: dict[str, Any], message: str
) -> None:
    exercise = Exercise(load_scenario(SYNAGOGUE), 1)
    before, known = len(exercise.records), dict(exercise.world.facts)
    data = {key: value for key, value in {**RUMOUR, **change}.items() if value is not None}

    with pytest.raises(CommandError) as refused:
        exercise.apply(data)

    assert message in str(refused.value)
    assert len(exercise.records) == before
    assert exercise.world.facts == known


def test_a_fact_an_earlier_inject_brought_is_named_again_without_its_description() -> None:
    exercise = Exercise(load_scenario(SYNAGOGUE), 1)
    exercise.apply(RUMOUR)

    with pytest.raises(CommandError, match="fact 'second-gunman' exists already"):
        exercise.apply({**RUMOUR, "to": "community-security"})
    exercise.add_inject("community-security", "The police say a second gunman is at the school.", "second-gunman")

    assert exercise.awareness("community-security")["second-gunman"].true is False
