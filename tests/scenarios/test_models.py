"""The scenario models: durations, distributions, triggers, variants, reachability warnings and located errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from scenarios import Diagnostic, Scenario, ScenarioError, apply_variant
from scenarios._base import format_duration, parse_duration
from scenarios._yaml import parse_document
from scenarios.distributions import Delay, Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform
from scenarios.limits import MAX_DURATION_S
from scenarios.loader import validate_document
from scenarios.playbook import Trigger

SMALL = """\
schema_version: 2
id: small-exercise
title: Shots at a synagogue door
summary: Community security sees an attack and calls the police, who send a patrol.
learning_objectives:
  - The police learn of the attack within minutes.
clock:
  start: "2026-09-21T11:50:00"
  time_zone: Europe/Berlin
  duration: 1h
facts:
  - id: attack
    description: Shots at the synagogue door.
sites:
  - id: synagogue
    name: Synagogue
    kind: synagogue
    occupancy: 50
    lockdown:
      duration: {dist: lognormal, median: 1m, p90: 3m}
stakeholders:
  - id: security
    name: Community security
    kind: community_security
    site: synagogue
    playbook:
      - id: call-police
        on: {fact: attack}
        do:
          - {action: notify, to: police, fact: attack, after: 30s}
  - id: police
    name: Police control room
    kind: police_control
    units: 2
    travel:
      synagogue: 5m
    playbook:
      - id: send-patrol
        on: {fact: attack}
        do:
          - {action: dispatch, site: synagogue}
channels:
  - {id: security-phone, from: security, to: police, latency: 10s}
injects:
  - id: inj-01
    at: 1m
    to: security
    text: Shots at the door.
    fact: attack
milestones:
  - id: police-know
    name: The police know
    when: {fact: attack, stakeholder: police}
"""
"""A small valid scenario without warnings; tests append to it or replace one line of it."""


def _check(text: str) -> tuple[Scenario | None, list[Diagnostic]]:
    return validate_document(parse_document(text, "small.yaml"))


def _small(*replacements: tuple[str, str], variants: str = "") -> str:
    text = SMALL
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text + variants


def _scenario(text: str) -> Scenario:
    scenario, diagnostics = _check(text)
    assert [d.format() for d in diagnostics if d.severity == "error"] == []
    assert scenario is not None
    return scenario


def _formatted(diagnostics: list[Diagnostic], severity: str) -> list[str]:
    return [d.format() for d in diagnostics if d.severity == severity]


def _line(text: str, snippet: str) -> int:
    """The 1-based number of the one line of `text` holding `snippet`."""
    numbers = [number for number, line in enumerate(text.splitlines(), start=1) if snippet in line]
    assert len(numbers) == 1, snippet
    return numbers[0]


def test_the_small_scenario_is_valid_without_warnings() -> None:
    assert _check(SMALL)[1] == []


# Durations


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("20s", 20.0),
        ("7m", 420.0),
        ("1h30m", 5400.0),
        ("1m30.5s", 90.5),
        ("1h 30m", 5400.0),
        ("1.5h", 5400.0),
        ("0s", 0.0),
        ("2h0m5s", 7205.0),
    ],
)
def test_a_duration_with_units_is_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (90, "90 has no unit: write a duration such as '90s' or '90m'"),
        (1.5, "1.5 has no unit: write a duration such as '1.5s' or '1.5m'"),
        ("90", "'90' is not a duration: write it like '20s', '7m' or '1h30m'"),
        ("5 minutes", "'5 minutes' is not a duration: write it like '20s', '7m' or '1h30m'"),
        ("-3s", "'-3s' is negative: a duration is 0s or more, such as '20s', '7m' or '1h30m'"),
        ("1m1h", "'1m1h' is not a duration: write it like '20s', '7m' or '1h30m'"),
        ("7M", "'7M' is not a duration: write it like '20s', '7m' or '1h30m'"),
        ("1d", "'1d' is not a duration: write it like '20s', '7m' or '1h30m'"),
        ("", "'' is not a duration: write it like '20s', '7m' or '1h30m'"),
        (True, "expected a duration such as '20s', '7m' or '1h30m', got true"),
        (None, "expected a duration such as '20s', '7m' or '1h30m', got nothing"),
    ],
)
def test_a_duration_without_a_unit_or_in_other_words_is_refused(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(value)

    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (20, "20s"),
        (420, "7m"),
        (5400, "1h30m"),
        (90.5, "1m30.5s"),
        (3600.000000000001, "1h"),
        (1e-5, "0.00001s"),
    ],
)
def test_format_duration_writes_the_scenario_notation(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@given(st.floats(min_value=0, max_value=MAX_DURATION_S, allow_nan=False, allow_infinity=False))
def test_format_duration_reads_back_to_the_microsecond(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds, abs=1e-6, rel=1e-12)


@given(st.floats(min_value=0, max_value=MAX_DURATION_S, allow_nan=False, allow_infinity=False))
def test_format_duration_is_stable_once_read_back(seconds: float) -> None:
    text = format_duration(seconds)

    assert format_duration(parse_duration(text)) == text


@given(st.integers(0, 1000), st.integers(0, 59), st.integers(0, 59))
def test_whole_hours_minutes_and_seconds_are_written_as_an_author_would(hours: int, minutes: int, secs: int) -> None:
    parts = [f"{hours}h" * bool(hours), f"{minutes}m" * bool(minutes), f"{secs}s" * bool(secs)]
    written = "".join(parts) or "0s"

    assert format_duration(hours * 3600 + minutes * 60 + secs) == written


def test_a_duration_is_written_back_in_json_in_the_scenario_notation() -> None:
    scenario = _scenario(SMALL)

    assert scenario.model_dump(mode="json")["clock"]["duration"] == "1h"
    assert scenario.clock.duration == 3600.0


# Distributions


def _delay(value: object) -> object:
    return TypeAdapter(Delay).validate_python(value)


def _refusal(model: type[Any], data: Mapping[str, object]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(error["loc"], error["msg"].removeprefix("Value error, ")) for error in caught.value.errors()]


def test_a_delay_is_a_duration_or_one_of_six_distributions() -> None:
    assert [type(_delay(value)).__name__ for value in ("30s", *DISTRIBUTIONS.values())] == [
        "float",
        "Fixed",
        "Uniform",
        "Triangular",
        "Lognormal",
        "Exponential",
        "Empirical",
    ]


DISTRIBUTIONS: dict[str, dict[str, object]] = {
    "fixed": {"dist": "fixed", "value": "30s"},
    "uniform": {"dist": "uniform", "low": "30s", "high": "1m"},
    "triangular": {"dist": "triangular", "low": "30s", "mode": "45s", "high": "2m"},
    "lognormal": {"dist": "lognormal", "median": "40s", "p90": "1m30s"},
    "exponential": {"dist": "exponential", "mean": "2m"},
    "empirical": {"dist": "empirical", "values": ["10s", "20s"], "weights": [3, 1]},
}


def test_a_distribution_reads_its_durations_in_seconds() -> None:
    triangular = _delay(DISTRIBUTIONS["triangular"])

    assert isinstance(triangular, Triangular)
    assert (triangular.low, triangular.mode, triangular.high) == (30, 45, 120)


def test_a_delay_with_an_unknown_distribution_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValidationError, match="'dist' set to one of: fixed, uniform, triangular, lognormal"):
        _delay({"dist": "normal", "mean": "1m"})


def test_a_fixed_distribution_needs_a_duration_with_a_unit() -> None:
    assert _refusal(Fixed, {"dist": "fixed", "value": 30}) == [
        (("value",), "30 has no unit: write a duration such as '30s' or '30m'")
    ]


def test_a_uniform_distribution_may_be_a_single_point_but_not_upside_down() -> None:
    assert Uniform.model_validate({"dist": "uniform", "low": "1m", "high": "1m"}).high == 60
    assert _refusal(Uniform, {"dist": "uniform", "low": "1m", "high": "30s"}) == [((), "low must not exceed high")]


@pytest.mark.parametrize(
    ("low", "mode", "high"),
    [("1m", "30s", "2m"), ("30s", "3m", "2m")],
    ids=["mode-below-low", "mode-above-high"],
)
def test_a_triangular_distribution_needs_its_mode_between_low_and_high(low: str, mode: str, high: str) -> None:
    data = {"dist": "triangular", "low": low, "mode": mode, "high": high}

    assert _refusal(Triangular, data) == [((), "expected low <= mode <= high")]


def test_a_lognormal_distribution_needs_a_positive_median_below_its_p90() -> None:
    assert _refusal(Lognormal, {"dist": "lognormal", "median": "0s", "p90": "1m"}) == [
        ((), "median must be more than 0s")
    ]
    assert _refusal(Lognormal, {"dist": "lognormal", "median": "1m", "p90": "1m"}) == [
        ((), "p90 must be longer than the median")
    ]


def test_an_exponential_distribution_needs_a_positive_mean() -> None:
    assert _refusal(Exponential, {"dist": "exponential", "mean": "0s"}) == [((), "mean must be more than 0s")]


def test_an_empirical_distribution_needs_values_and_one_positive_weight_for_each() -> None:
    assert Empirical.model_validate({"dist": "empirical", "values": ["10s"]}).weights is None
    assert _refusal(Empirical, {"dist": "empirical", "values": []})[0][0] == ("values",)
    assert _refusal(Empirical, {"dist": "empirical", "values": ["10s"], "weights": [0]})[0][0] == ("weights", 0)
    assert _refusal(Empirical, {"dist": "empirical", "values": ["10s", "20s"], "weights": [1]}) == [
        ((), "1 weights for 2 values: give one weight per value")
    ]


def test_a_distribution_refuses_a_key_of_another_distribution() -> None:
    assert _refusal(Lognormal, {"dist": "lognormal", "median": "1m", "p90": "2m", "mean": "1m"}) == [
        (("mean",), "Extra inputs are not permitted")
    ]


# Triggers


@pytest.mark.parametrize(
    "data",
    [
        {"fact": "shots-fired"},
        {"fact": "shots-fired", "stakeholder": "police"},
        {"event": "start"},
        {"event": "units_arrived"},
        {"event": "units_arrived", "stakeholder": "patrols", "site": "synagogue"},
        {"event": "lockdown_complete", "site": "synagogue"},
        {"event": "decision_taken", "decision": "send-or-wait", "option": "send-in"},
        {"event": "threat_phase_started", "phase": "attack"},
        {"event": "milestone_reached", "milestone": "police-know"},
    ],
)
def test_a_trigger_takes_the_fields_its_event_needs_and_allows(data: dict[str, str]) -> None:
    assert Trigger.model_validate(data).model_dump(exclude_defaults=True) == data


def test_a_trigger_without_an_event_waits_for_a_fact() -> None:
    assert Trigger.model_validate({"fact": "shots-fired"}).event == "fact_learned"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "event 'fact_learned' needs fact"),
        ({"event": "lockdown_complete"}, "event 'lockdown_complete' needs site"),
        ({"event": "decision_taken", "option": "send-in"}, "event 'decision_taken' needs decision"),
        ({"event": "start", "fact": "shots-fired"}, "event 'start' does not take fact (it takes no other field)"),
        (
            {"fact": "shots-fired", "site": "synagogue"},
            "event 'fact_learned' does not take site (it takes fact, stakeholder)",
        ),
        (
            {"event": "threat_ended", "site": "synagogue", "phase": "attack"},
            "event 'threat_ended' does not take phase, site (it takes outcome)",
        ),
    ],
)
def test_a_trigger_refuses_missing_and_foreign_fields(data: dict[str, str], message: str) -> None:
    assert _refusal(Trigger, data) == [((), message)]


def test_a_trigger_refuses_an_unknown_event() -> None:
    assert _refusal(Trigger, {"event": "shots_fired"})[0][0] == ("event",)


# Variants


def _variant(body: str) -> str:
    return f"variants:\n  - id: what-if\n    description: A what-if.\n{body}"


def test_no_variant_gives_the_scenario_itself() -> None:
    scenario = _scenario(SMALL)

    assert apply_variant(scenario, None) is scenario


def test_a_variant_change_merges_into_a_mapping_and_keeps_the_other_keys() -> None:
    body = """\
    add:
      sites:
        - {id: cafe, name: Cafe, kind: restaurant, occupancy: 8}
    change:
      stakeholders:
        police: {units: 4, travel: {cafe: 3m}}
"""
    scenario = _scenario(_small(variants=_variant(body)))

    police = apply_variant(scenario, "what-if").stakeholders[1]

    assert (police.name, police.units, police.travel) == ("Police control room", 4, {"synagogue": 300.0, "cafe": 180.0})


def test_a_variant_change_replaces_a_list_whole() -> None:
    body = """\
    change:
      stakeholders:
        police:
          playbook:
            - id: lock-the-door
              on: {fact: attack}
              do:
                - {action: lock_down, site: synagogue}
"""
    scenario = _scenario(_small(variants=_variant(body)))

    police = apply_variant(scenario, "what-if").stakeholders[1]

    assert [rule.id for rule in police.playbook] == ["lock-the-door"]


def test_a_variant_change_replaces_a_whole_distribution_when_it_names_its_kind() -> None:
    body = """\
    change:
      sites:
        synagogue:
          lockdown: {duration: {dist: uniform, low: 2m, high: 4m}}
"""
    scenario = _scenario(_small(variants=_variant(body)))

    lockdown = apply_variant(scenario, "what-if").sites[0].lockdown

    assert lockdown is not None
    assert isinstance(lockdown.duration, Uniform)
    assert (lockdown.duration.low, lockdown.duration.high) == (120, 240)


def test_a_variant_change_without_a_kind_merges_into_the_distribution() -> None:
    body = "    change:\n      sites:\n        synagogue:\n          lockdown: {duration: {median: 2m}}\n"
    scenario = _scenario(_small(variants=_variant(body)))

    lockdown = apply_variant(scenario, "what-if").sites[0].lockdown

    assert lockdown is not None
    assert isinstance(lockdown.duration, Lognormal)
    assert (lockdown.duration.median, lockdown.duration.p90) == (120, 180)


def test_a_variant_change_may_replace_a_duration_by_a_distribution() -> None:
    body = "    change:\n      channels:\n        security-phone: {latency: {dist: exponential, mean: 1m}}\n"
    scenario = _scenario(_small(variants=_variant(body)))

    latency = apply_variant(scenario, "what-if").channels[0].latency

    assert isinstance(latency, Exponential)
    assert latency.mean == 60


def test_a_variant_removes_items_by_id() -> None:
    body = "    remove:\n      milestones: [police-know]\n"
    scenario = _scenario(_small(variants=_variant(body)))

    assert apply_variant(scenario, "what-if").milestones == []


def test_a_variant_adds_items_after_the_existing_ones() -> None:
    body = "    add:\n      channels:\n        - {id: police-radio, from: police, to: security, medium: radio}\n"
    scenario = _scenario(_small(variants=_variant(body)))

    assert [channel.id for channel in apply_variant(scenario, "what-if").channels] == ["security-phone", "police-radio"]


def test_a_variant_leaves_the_scenario_it_is_applied_to_unchanged_and_drops_the_variants() -> None:
    scenario = _scenario(_small(variants=_variant("    remove:\n      milestones: [police-know]\n")))

    varied = apply_variant(scenario, "what-if")

    assert ([m.id for m in scenario.milestones], [v.id for v in scenario.variants]) == (["police-know"], ["what-if"])
    assert varied.variants == []


def test_an_unknown_variant_is_refused_with_a_did_you_mean() -> None:
    scenario = _scenario(_small(variants=_variant("    remove:\n      milestones: [police-know]\n")))

    with pytest.raises(ScenarioError) as caught:
        apply_variant(scenario, "what-iff")

    assert [(d.message, d.hint) for d in caught.value.diagnostics] == [
        ("no variant 'what-iff'", "did you mean 'what-if'?")
    ]


def test_a_variant_cannot_rename_an_item() -> None:
    text = _small(variants=_variant("    change:\n      facts:\n        attack: {id: shots}\n"))
    scenario, diagnostics = _check(text)

    assert scenario is None
    assert _formatted(diagnostics, "error") == [
        f"small.yaml:{_line(text, 'attack: {id: shots}')}:18: variants[0].change.facts.attack.id: "
        "a variant cannot rename an item"
    ]


# Reachability warnings


def test_a_rule_on_a_fact_that_never_reaches_its_stakeholder_is_warned_about() -> None:
    text = _small(
        ("facts:\n", "facts:\n  - id: rumour\n    description: A rumour.\n"),
        (
            "          - {action: dispatch, site: synagogue}\n",
            "          - {action: dispatch, site: synagogue}\n"
            "      - id: never\n"
            "        on: {fact: rumour}\n"
            "        do:\n"
            "          - {action: lock_down, site: synagogue}\n",
        ),
    )
    scenario, diagnostics = _check(text)

    assert scenario is not None
    assert _formatted(diagnostics, "warning") == [
        f"small.yaml:{_line(text, 'on: {fact: rumour}')}:9: warning: stakeholders[1].playbook[1].on: "
        "rule 'never' can never fire: no inject, observation or message carrying 'rumour' can reach 'police'"
    ]


def test_what_only_a_variant_makes_possible_is_not_warned_about_as_impossible() -> None:
    """'Never' means in no variant: a rule that only a variant's channel can trigger is not dead."""
    text = _small(
        ("latency: 10s}", "latency: 10s, enabled: false}"),
        variants=_variant("    change:\n      channels:\n        security-phone: {enabled: true}\n"),
    )
    scenario, diagnostics = _check(text)

    assert scenario is not None
    assert _formatted(diagnostics, "warning") == []


def test_without_the_variant_the_same_rule_is_warned_about_as_impossible() -> None:
    text = _small(("latency: 10s}", "latency: 10s, enabled: false}"))
    scenario, diagnostics = _check(text)

    assert scenario is not None
    assert _formatted(diagnostics, "warning") == [
        f"small.yaml:{_line(text, 'name: Police control room') - 1}:5: warning: stakeholders[1].id: "
        "no message, inject or observation can ever reach 'police'; "
        "add a channel to it, an inject for it, or remove it",
        f"small.yaml:{_line(text, '- id: send-patrol') + 1}:9: warning: stakeholders[1].playbook[0].on: "
        "rule 'send-patrol' can never fire: no inject, observation or message carrying 'attack' can reach 'police'",
        f"small.yaml:{_line(text, 'when: {fact: attack')}:5: warning: milestones[0].when: "
        "milestone 'police-know' can never be reached: fact 'attack' never reaches 'police'",
    ]


def test_a_variant_that_silences_a_rule_is_warned_about_at_the_variant() -> None:
    text = _small(variants=_variant("    change:\n      channels:\n        security-phone: {enabled: false}\n"))
    scenario, diagnostics = _check(text)

    assert scenario is not None
    assert [d.message for d in diagnostics if d.severity == "warning"] == [
        "in variant 'what-if', stakeholders[1].id: no message, inject or observation can ever reach 'police'",
        "in variant 'what-if', stakeholders[1].playbook[0].on: rule 'send-patrol' can never fire: "
        "no inject, observation or message carrying 'attack' can reach 'police'",
        "in variant 'what-if', milestones[0].when: milestone 'police-know' can never be reached: "
        "fact 'attack' never reaches 'police'",
    ]
    assert {(d.line, d.path) for d in diagnostics} == {(_line(text, "- id: what-if"), "variants[0]")}


def test_a_decision_nothing_opens_is_warned_about() -> None:
    decision = """\
decisions:
  - id: send-or-wait
    stakeholder: police
    role: Duty officer
    prompt: Do the patrols go in now?
    deadline: 1m
    default: go-in
    options:
      - {id: go-in, label: Send the patrols in}
      - {id: wait, label: Wait for armed response}
"""
    text = SMALL + decision
    scenario, diagnostics = _check(text)

    assert scenario is not None
    assert _formatted(diagnostics, "warning") == [
        f"small.yaml:{_line(text, '- id: send-or-wait')}:5: warning: decisions[0].id: "
        "decision 'send-or-wait' is never opened; "
        "give it a trigger, or add a request_decision action to a rule"
    ]


# Located errors


def test_a_misspelt_key_is_located_and_answered_with_a_did_you_mean() -> None:
    text = _small(("    units: 2\n", "    unitz: 2\n"))
    scenario, diagnostics = _check(text)

    assert scenario is None
    assert [(d.line, d.column, d.path, d.message, d.hint) for d in diagnostics] == [
        (_line(text, "unitz: 2"), 5, "stakeholders[1].unitz", "unknown key 'unitz'", "did you mean 'units'?")
    ]


def test_a_misspelt_key_of_one_action_is_matched_against_that_action_only() -> None:
    text = _small(("{action: dispatch, site: synagogue}", "{action: dispatch, site: synagogue, stakholder: police}"))

    assert [(d.message, d.hint) for d in _check(text)[1]] == [
        ("unknown key 'stakholder'", "did you mean 'stakeholder'?")
    ]


def test_every_error_of_a_file_is_reported_at_once_in_file_order() -> None:
    text = _small(("    units: 2\n", "    unitz: 2\n"), ("  duration: 1h\n", "  duration: 60\n"))

    assert [(d.line, d.path) for d in _check(text)[1]] == [
        (_line(text, "duration: 60"), "clock.duration"),
        (_line(text, "unitz: 2"), "stakeholders[1].unitz"),
    ]


@pytest.mark.parametrize("seat", ["facilitator", "evaluator"])
def test_a_stakeholder_cannot_take_the_name_of_a_console_seat(seat: str) -> None:
    text = _small(("  - id: police\n", f"  - id: {seat}\n"))
    _, diagnostics = _check(text)
    line = _line(text, f"- id: {seat}")

    assert f"small.yaml:{line}:5: stakeholders[1].id: {seat!r} is the name of a console seat, not available as a " + (
        f"stakeholder id; call it e.g. {seat}-team (a live exercise has the seats facilitator and evaluator)"
    ) in _formatted(diagnostics, "error")
