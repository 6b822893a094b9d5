"""Validation messages a newcomer can act on, and whole-scenario mistakes (duplicate variants, milestone cycles,
tags) refused where they are written."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from scenarios import Diagnostic, check_scenario, slugify
from scenarios._yaml import parse_document
from scenarios.loader import validate_document, validate_model
from scenarios.validation import RESERVED_STAKEHOLDER_IDS
from simulator.seats import CONTROL_SEATS
from tests.scenarios.test_limits import _at, _errors, _small
from tests.scenarios.test_models import SMALL


def _warnings(text: str) -> list[str]:
    _, diagnostics = validate_document(parse_document(text, "small.yaml"))
    return [d.format() for d in diagnostics if d.severity == "warning"]


def _checked(tmp_path: Path, text: str) -> list[Diagnostic]:
    """What `tabletop validate` lists for `text`, in its order."""
    path = tmp_path / "small.yaml"
    path.write_text(text, encoding="utf-8")
    return check_scenario(path).diagnostics


# Range and length checks, in the project's words


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        (
            "    occupancy: 50\n",
            "    occupancy: -5\n",
            "occupancy",
            "sites[0].occupancy: -5 is less than 0; write 0 or more",
        ),
        (
            "latency: 10s}",
            "latency: 10s, failure_probability: 1.5}",
            "failure_probability",
            "channels[0].failure_probability: 1.5 is more than 1; write 1 or less",
        ),
        (
            "latency: 10s}",
            "latency: 10s, capacity: 0}",
            "capacity",
            "channels[0].capacity: 0 is less than 1; write 1 or more",
        ),
        (
            "latency: 10s}",
            "latency: {dist: empirical, values: [1s], weights: [0]}}",
            "0]",
            "channels[0].latency.weights[0]: 0 is not more than 0; write more than 0",
        ),
        (
            "  - The police learn of the attack within minutes.\n",
            "  []\n",
            "learning_objectives",
            "learning_objectives: needs at least 1 item, got none; add them under `learning_objectives:`, each on its "
            "own line starting with '- '",
        ),
    ],
    ids=["ge", "le", "ge-capacity", "gt", "min-length"],
)
def test_a_range_or_length_check_is_worded_plainly_with_a_hint(old: str, new: str, snippet: str, expected: str) -> None:
    text = _small((old, new))

    assert _errors(text) == [f"{_at(text, snippet)} {expected}"]


def test_a_decision_with_too_few_options_says_how_many_it_needs() -> None:
    text = _small(
        append="decisions:\n  - id: go\n    stakeholder: police\n    role: chief\n    prompt: Go?\n    deadline: 1m\n"
        "    default: yes-go\n    options: []\n"
    )

    errors = _errors(text)

    assert (
        f"{_at(text, 'options: []')} decisions[0].options: needs at least 2 items, got none; add them under "
        + ("`options:`, each on its own line starting with '- '")
        in errors
    )
    assert not any("after validation" in error or "Input should" in error for error in errors)


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        (
            "title: Shots at a synagogue door\n",
            "title:\n",
            "title",
            "title: expected text, got nothing (null); write the title after `title:`",
        ),
        (
            "    occupancy: 50\n",
            "    occupancy:\n",
            "occupancy",
            "sites[0].occupancy: expected a whole number, got nothing (null); write a whole number after `occupancy:`",
        ),
    ],
)
def test_an_empty_value_is_asked_for_after_its_key(old: str, new: str, snippet: str, expected: str) -> None:
    text = _small((old, new))

    assert _errors(text) == [f"{_at(text, snippet)} {expected}"]


def test_a_far_off_name_gets_no_did_you_mean() -> None:
    text = _small(("{action: dispatch, site: synagogue}", "{action: retract, site: synagogue}"))

    assert _errors(text) == [
        f"{_at(text, 'action: retract')} stakeholders[1].playbook[0].do[0].action: unknown action 'retract'; expected "
        "one of: notify, dispatch, lock_down, evacuate, escalate, request_decision, recall, redirect, surge"
    ]


def test_a_close_name_still_gets_its_did_you_mean() -> None:
    text = _small(("{action: dispatch, site: synagogue}", "{action: dispach, site: synagogue}"))

    assert [e.rsplit("; ", 1)[-1] for e in _errors(text)] == ["did you mean 'dispatch'?"]


def test_a_misspelt_required_key_is_one_error_the_unknown_key_with_its_suggestion() -> None:
    text = _small(("    occupancy: 50\n", "    occupency: 50\n"))

    assert _errors(text) == [
        f"{_at(text, 'occupency')} sites[0].occupency: unknown key 'occupency'; did you mean 'occupancy'?"
    ]


def test_a_duplicate_id_is_listed_before_the_unknown_references_it_causes(tmp_path: Path) -> None:
    text = SMALL.replace("  - id: police\n", "  - id: security\n")

    diagnostics = _checked(tmp_path, text)

    assert diagnostics[0].message == "duplicate id 'security'"
    assert diagnostics[0].line > min(d.line for d in diagnostics)  # listed first, though not first in the file
    assert "unknown stakeholder 'police'" in [d.message for d in diagnostics[1:]]


@pytest.mark.parametrize(
    ("name", "suggested"), [("spcj-sécurité", "spcj-securite"), ("Übung Straße", "ubung-strasse"), ("Ærø", "aero")]
)
def test_an_id_suggested_from_a_non_ascii_name_is_transliterated(name: str, suggested: str) -> None:
    text = _small(("id: small-exercise\n", f"id: {name}\n"))

    assert _errors(text) == [
        f"{_at(text, f'id: {name}')} id: {name!r} is not a valid id: use lower-case letters, digits and single "
        f"hyphens, e.g. {suggested!r}"
    ]
    assert slugify(name) == suggested


# Whole-scenario mistakes


def test_a_duplicate_variant_id_is_refused_at_the_second() -> None:
    text = _small(
        append="variants:\n"
        "  - {id: slow, description: Slow line., change: {channels: {security-phone: {latency: 5m}}}}\n"
        "  - {id: slow, description: Slower line., change: {channels: {security-phone: {latency: 20m}}}}\n"
    )

    assert _errors(text) == [
        f"{_at(text, 'id: slow, description: Slower')} variants[1].id: duplicate id 'slow'; ids must be unique"
    ]


@pytest.mark.parametrize(
    ("milestones", "cycle"),
    [
        ("  - {id: a, name: A, all_of: [b]}\n  - {id: b, name: B, all_of: [a]}\n", "'a' -> 'b' -> 'a'"),
        (
            "  - {id: b, name: B, all_of: [c, police-know]}\n  - {id: a, name: A, all_of: [b]}\n"
            "  - {id: c, name: C, when: {event: milestone_reached, milestone: a}}\n",
            "'b' -> 'c' -> 'a' -> 'b'",
        ),
    ],
    ids=["two", "three-with-a-when"],
)
def test_milestones_waiting_for_each_other_are_refused_naming_the_cycle(milestones: str, cycle: str) -> None:
    text = _small(append=milestones)
    first = milestones.splitlines()[0]
    line = _at(text, first).split(":")[1]

    assert _errors(text) == [
        f"small.yaml:{line}:{first.index('all_of') + 1}: milestones[1].all_of: milestones {cycle} wait for "
        "each other in a cycle, so none of them can ever be reached; make one of them wait for something outside "
        "the cycle"
    ]


def test_a_cycle_that_at_least_lets_in_from_outside_is_not_refused() -> None:
    text = _small(
        append="  - {id: a, name: A, all_of: [b, police-know], at_least: 1}\n  - {id: b, name: B, all_of: [a]}\n"
    )

    assert _errors(text) == []


@pytest.mark.parametrize(
    ("value", "tag"),
    [('!!bool "yes"', "!!bool"), ("!!python/name:os.system", "!!python/name:os.system"), ("!!binary aGk=", "!!binary")],
)
def test_an_explicit_yaml_tag_is_refused_where_it_is_written(value: str, tag: str) -> None:
    text = _small(("title: Shots at a synagogue door\n", f"title: {value}\n"))

    assert _errors_of_document(text) == [
        f"{_at(text, value)} title: YAML tags such as {tag} are not allowed in scenarios; write the "
        "value plainly (true, 12, some text) without a tag or a %YAML directive"
    ]


def _errors_of_document(text: str) -> list[str]:
    from scenarios import ScenarioError

    with pytest.raises(ScenarioError) as refused:
        parse_document(text, "small.yaml")
    return [d.format() for d in refused.value.diagnostics]


def test_a_stakeholder_acting_on_start_alone_is_not_warned_as_unreachable() -> None:
    text = _small(
        (
            "  - id: police\n",
            "  - id: cell\n    name: Crisis cell\n    kind: crisis_cell\n    playbook:\n"
            "      - {id: open-cell, on: {event: start}, do: [{action: notify, to: police, fact: attack}]}\n"
            "  - id: police\n",
        ),
        ("channels:\n", "channels:\n  - {id: cell-phone, from: cell, to: police}\n"),
    )

    assert _errors(text) == []
    assert _warnings(text) == []


def test_the_reserved_stakeholder_ids_are_the_console_seats_of_the_engine() -> None:
    assert RESERVED_STAKEHOLDER_IDS == CONTROL_SEATS


def test_a_mapping_written_as_a_list_is_shown_how_to_write_it() -> None:
    text = _small(
        append="objectives:\n  - id: fast\n    name: Fast\n    core_capability: Operational Communications\n"
        "    until: police-know\n    thresholds: [3m, 5m, 10m]\n"
    )

    assert _errors(text) == [
        f"{_at(text, 'thresholds')} objectives[0].thresholds: expected a mapping of keys, got a list; write it as "
        "{performed: ..., some_challenges: ..., major_challenges: ...}"
    ]


def test_a_stakeholder_without_units_that_takes_calls_is_refused_at_its_units_with_a_fix() -> None:
    text = _small(("    units: 2\n", "    units: 0\n    intake_time: 30s\n"))

    assert _errors(text) == [
        f"{_at(text, 'units: 0')} stakeholders[1].units: a stakeholder with 0 units cannot take calls (intake_time) "
        "or do background work; give it units: 1 or more, or remove intake_time and background"
    ]


class _Bounded(BaseModel):
    """A model with the range and length checks the scenario models do not use yet (none is a scenario model)."""

    share: float = Field(lt=1)
    tags: list[str] = Field(max_length=2)
    code: str = Field(min_length=2, max_length=3)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"share": 1, "tags": [], "code": "ab"}, ("share", "1 is not less than 1", "write less than 1")),
        (
            {"share": 0, "tags": ["a", "b", "c"], "code": "ab"},
            ("tags", "holds 3 items, more than the 2 allowed", "remove some"),
        ),
        ({"share": 0, "tags": [], "code": "a"}, ("code", "needs at least 2 characters, got 1", "write more text")),
        (
            {"share": 0, "tags": [], "code": "abcd"},
            ("code", "holds 4 characters, more than the 3 allowed", "shorten it"),
        ),
    ],
    ids=["lt", "max-length", "min-length-text", "max-length-text"],
)
def test_every_kind_of_range_and_length_check_has_the_project_wording(
    data: dict[str, object], expected: tuple[str, str, str]
) -> None:
    model, diagnostics = validate_model(_Bounded, data, "a command")

    assert model is None
    assert [(d.path, d.message, d.hint) for d in diagnostics] == [expected]


# A start the clocks of its time zone skip or show twice


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (
            "2026-03-29T02:30:00",
            "clock.start: 02:30 does not exist on that day in Europe/Berlin: the clocks skip that hour, so the run "
            "starts at 03:30; choose a time outside the skipped hour",
        ),
        (
            "2026-10-25T02:10:00",
            "clock.start: 02:10 happens twice on that day in Europe/Berlin (the clocks go back): the run starts at the "
            "first of the two; choose a time outside the repeated hour, if the exercise means the second",
        ),
    ],
    ids=["skipped-hour", "repeated-hour"],
)
def test_a_start_in_an_hour_the_clocks_skip_or_repeat_is_warned(start: str, expected: str) -> None:
    text = _small(('  start: "2026-09-21T11:50:00"\n', f'  start: "{start}"\n'))

    assert _errors(text) == []
    assert _warnings(text) == [f"{_at(text, 'start: ')} warning: {expected}"]


@pytest.mark.parametrize("start", ["2026-03-29T01:59:59", "2026-03-29T03:00:00", "2026-10-25T03:00:00"])
def test_a_start_just_outside_a_change_of_the_clocks_is_not_warned(start: str) -> None:
    assert _warnings(_small(('  start: "2026-09-21T11:50:00"\n', f'  start: "{start}"\n'))) == []


@pytest.mark.parametrize("start", ["9999-12-31T23:30:00", "0001-01-01T00:00:00", "3000-01-01T00:00:00"])
def test_a_start_off_the_calendar_a_run_can_count_in_is_refused(start: str) -> None:
    text = _small(('  start: "2026-09-21T11:50:00"\n', f'  start: "{start}"\n'))

    assert _errors(text) == [
        f"{_at(text, 'start: ')} clock.start: {start!r}: write a start between the years 1900 and 2999"
    ]
