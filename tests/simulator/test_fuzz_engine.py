"""Every valid scenario plays to the end: hypothesis mutates the bundled scenarios; those still valid must run."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from scenarios._yaml import Document
from scenarios.loader import validate_document
from simulator import Exercise
from tests.scenarios.test_fuzz_loader import mutated


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_a_valid_mutation_of_a_bundled_scenario_plays_to_the_end_in_every_variant(data: dict[str, Any]) -> None:
    scenario, _diagnostics = validate_document(Document("fuzz.yaml", data, {}))
    if scenario is None or scenario.clock.duration > 6 * 3600:  # invalid, or too long for a quick test
        return
    for variant in [None, *(v.id for v in scenario.variants)]:
        summary = Exercise(scenario, 1, variant).run()
        assert summary.end_t == pytest.approx(scenario.clock.duration, abs=0.001)  # the clock moves in ms
