"""The bundled library: every scenario validates cleanly, teaches something, has variants; reconstructions are exact."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from typing import get_args

import pytest
from pydantic import BaseModel

from scenarios import Scenario, apply_variant, bundled_names, bundled_path, check_scenario, load_scenario
from scenarios.distributions import Distribution
from scenarios.playbook import Notify

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/scenario.schema.json"
EXPECTED = {
    "synagogue-holiday-attack",
    "multi-site-cascade",
    "bomb-threat-misinformation",
    "halle-2019-reconstruction",
    "christchurch-2019-reconstruction",
}
RECONSTRUCTIONS = sorted(name for name in bundled_names() if name.endswith("-reconstruction"))
DISTRIBUTIONS: tuple[type[BaseModel], ...] = get_args(Distribution)


def _walk(value: object) -> Iterator[object]:
    """Every value inside a model, depth first (models, their fields, lists and mappings)."""
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)


def _with_each_variant(scenario: Scenario) -> Iterator[Scenario]:
    """The scenario itself, then the scenario with each of its variants applied."""
    yield scenario
    for variant in scenario.variants:
        yield apply_variant(scenario, variant.id)


def _offset_s(scenario: Scenario, clock_time: str) -> float:
    """Seconds from T0 to a local clock time (`HH:MM` or `HH:MM:SS`) on the day the scenario starts."""
    start = datetime.fromisoformat(scenario.clock.start)
    return (datetime.combine(start.date(), time.fromisoformat(clock_time)) - start).total_seconds()


def test_the_library_holds_the_expected_scenarios() -> None:
    assert set(bundled_names()) >= EXPECTED


def test_the_library_holds_at_least_two_reconstructions() -> None:
    assert {"halle-2019-reconstruction", "christchurch-2019-reconstruction"} <= set(RECONSTRUCTIONS)


@pytest.mark.parametrize("name", bundled_names())
def test_a_bundled_scenario_validates_without_errors_or_warnings(name: str) -> None:
    result = check_scenario(name)

    assert [diagnostic.format() for diagnostic in result.diagnostics] == []
    assert result.scenario is not None


@pytest.mark.parametrize("name", bundled_names())
def test_a_bundled_scenario_has_three_to_five_learning_objectives_and_a_summary(name: str) -> None:
    scenario = load_scenario(name)

    assert 3 <= len(scenario.learning_objectives) <= 5
    assert scenario.summary.strip()


@pytest.mark.parametrize("name", bundled_names())
def test_a_bundled_scenario_has_at_least_one_variant(name: str) -> None:
    assert len(load_scenario(name).variants) >= 1


@pytest.mark.parametrize("name", bundled_names())
def test_a_bundled_file_starts_with_the_schema_comment(name: str) -> None:
    path = bundled_path(name)

    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_COMMENT
    assert (path.parent / "../schema/scenario.schema.json").resolve().is_file()


@pytest.mark.parametrize("name", bundled_names())
def test_each_variant_applies_and_changes_the_scenario(name: str) -> None:
    scenario = load_scenario(name)
    base = scenario.model_dump(mode="json", exclude={"variants"})

    for variant in scenario.variants:
        changed = apply_variant(scenario, variant.id)

        assert changed.variants == []
        assert changed.model_dump(mode="json", exclude={"variants"}) != base, f"variant {variant.id!r} changes nothing"


@pytest.mark.parametrize("name", RECONSTRUCTIONS)
def test_a_reconstruction_and_its_variants_use_fixed_delays_only(name: str) -> None:
    for scenario in _with_each_variant(load_scenario(name)):
        distributions = [type(node).__name__ for node in _walk(scenario) if isinstance(node, DISTRIBUTIONS)]
        failing = [channel.id for channel in scenario.channels if channel.failure_probability > 0]
        busy = [stakeholder.id for stakeholder in scenario.stakeholders if stakeholder.background is not None]
        chancy = [
            alternative.probability
            for node in _walk(scenario)
            if isinstance(node, Notify)
            for alternative in node.alternatives
            if alternative.probability not in (0.0, 1.0)
        ]

        assert (distributions, failing, busy, chancy) == ([], [], [], []), scenario.id


@pytest.mark.parametrize("name", RECONSTRUCTIONS)
def test_a_reconstruction_cites_a_source_for_every_timing(name: str) -> None:
    scenario = load_scenario(name)
    references = [milestone for milestone in scenario.milestones if milestone.reference is not None]

    assert scenario.sources != []
    assert len(references) >= 4
    assert [m.id for m in references if m.reference is not None and not m.reference.source.strip()] == []
    assert scenario.threat is not None
    assert [phase.id for phase in scenario.threat.phases if not (phase.source or "").strip()] == []


@pytest.mark.parametrize("name", RECONSTRUCTIONS)
def test_every_reference_time_of_a_reconstruction_falls_within_its_run(name: str) -> None:
    scenario = load_scenario(name)

    for milestone in scenario.milestones:
        if milestone.reference is not None:
            assert 0 <= _offset_s(scenario, milestone.reference.time) <= scenario.clock.duration, milestone.id


@pytest.mark.parametrize("name", RECONSTRUCTIONS)
def test_a_reconstruction_reaches_each_milestone_at_its_published_time(name: str) -> None:
    from simulator import Exercise

    scenario = load_scenario(name)
    expected = {
        milestone.id: _offset_s(scenario, milestone.reference.time)
        for milestone in scenario.milestones
        if milestone.reference is not None
    }

    for seed in (0, 1):
        reached = Exercise(scenario, seed).run().milestones

        assert {key: reached.get(key) for key in expected} == expected
