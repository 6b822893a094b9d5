"""Checking a scenario does a fixed amount of work per item: no check walks a whole list for each item."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_validation import measure, ring_scenario, stakeholders_for, variants_for
from scenarios import Scenario, bundled_names, bundled_path, check_scenario, validation
from scenarios._yaml import parse_document, read_document
from scenarios.loader import validate_data
from scenarios.overlay import apply_variant_data
from scenarios.reachability import Reachability
from scenarios.validation import check_references
from scenarios.variants import Variant


class CountingList(list[Any]):
    """A list that counts how often it is walked through (a loop, a `reversed`, an `in`)."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self.walks = 0

    def __iter__(self) -> Any:
        self.walks += 1
        return super().__iter__()

    def __reversed__(self) -> Any:
        self.walks += 1
        return super().__reversed__()

    def __contains__(self, item: object) -> bool:
        self.walks += 1
        return super().__contains__(item)


LISTS = ("sites", "stakeholders", "channels", "injects", "decisions")


def _walks_while_checking(ring: int) -> dict[str, int]:
    document = parse_document(ring_scenario(ring), "ring.yaml")
    scenario, errors = validate_data(document.data, document, ())
    assert scenario is not None and errors == []
    counted = {name: CountingList(getattr(scenario, name)) for name in LISTS}
    diagnostics = check_references(scenario.model_copy(update=counted), document, ())
    assert diagnostics == []
    return {name: items.walks for name, items in counted.items()}


def test_checking_references_walks_each_list_as_often_for_40_stakeholders_as_for_10() -> None:
    small, large = _walks_while_checking(10), _walks_while_checking(40)

    assert large == small


def test_the_generated_1_mb_scenario_is_valid_so_the_benchmark_times_the_whole_check(tmp_path: Path) -> None:
    path = tmp_path / "ring.yaml"
    path.write_text(ring_scenario(stakeholders_for(1.0)), encoding="utf-8")

    result = check_scenario(path)

    assert path.stat().st_size > 1_000_000
    assert (result.ok, result.diagnostics) == (True, [])


def test_the_generated_scenario_with_many_variants_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "variants.yaml"
    path.write_text(ring_scenario(20, variants_for(0.1)), encoding="utf-8")

    result = check_scenario(path)

    assert result.scenario is not None and len(result.scenario.variants) > 500
    assert (result.ok, result.diagnostics) == (True, [])


def test_the_validation_benchmark_checks_each_family_and_compares_it_with_its_smallest_file(tmp_path: Path) -> None:
    timings = measure(tmp_path, repeat=1, sizes=(0.01, 0.02))

    assert [(t.family, t.per_mb_ratio == 1.0) for t in timings] == [
        ("stakeholders", True),
        ("stakeholders", False),
        ("variants", True),
    ]


# Variants: each shares what it leaves alone


def _variants_of_every_kind() -> list[Variant]:
    return [
        Variant(id="units", description="d", change={"stakeholders": {"x1": {"units": 5}}}),
        Variant(id="drop", description="d", remove={"channels": ["c1"], "rules": ["r2"], "phases": ["attack"]}),
        Variant(
            id="rule",
            description="d",
            add={"rules": [{"stakeholder": "x1", "id": "new", "on": {"fact": "attack"}, "do": []}]},
            change={"rules": {"r1": {"description": "changed"}}, "phases": {"attack": {"duration": "5m"}}},
        ),
        Variant(id="clock", description="d", patch={"clock": {"duration": "2h"}, "threat": {"description": "x"}}),
    ]


def test_applying_a_variant_never_changes_the_scenario_it_was_applied_to() -> None:
    cases = [(parse_document(ring_scenario(4), "ring.yaml").data, variant) for variant in _variants_of_every_kind()]
    for name in bundled_names():
        document = read_document(bundled_path(name))
        cases += [(document.data, Variant.model_validate(v)) for v in document.data.get("variants", [])]
    for data, variant in cases:
        before = copy.deepcopy(data)

        apply_variant_data(data, variant)

        assert data == before, variant.id


def test_a_variant_shares_the_sections_it_leaves_alone_and_copies_none_of_the_variants() -> None:
    data = parse_document(ring_scenario(4, variants=3), "ring.yaml").data

    result = apply_variant_data(data, _variants_of_every_kind()[0])

    assert result["stakeholders"] is not data["stakeholders"]
    assert result["stakeholders"][0] is data["stakeholders"][0]
    assert [result[key] is data[key] for key in ("facts", "sites", "channels", "threat")] == [True] * 4
    assert result["variants"] == []


def _ring_listed_backwards(ring: int) -> tuple[Scenario, CountingList]:
    document = parse_document(ring_scenario(ring), "ring.yaml")
    scenario, _ = validate_data(document.data, document, ())
    assert scenario is not None
    backwards = CountingList(scenario.stakeholders[::-1])
    return scenario.model_copy(update={"stakeholders": backwards}), backwards


def test_an_alert_passed_along_a_chain_listed_backwards_reaches_every_stakeholder() -> None:
    scenario, _ = _ring_listed_backwards(30)

    reach = Reachability(scenario)

    assert reach.fired == {rule.id for sh in scenario.stakeholders for rule in sh.playbook}
    assert all(reach.fact_can_reach("attack", f"x{i}") for i in range(30))


def test_working_out_reachability_walks_the_stakeholders_as_often_for_a_chain_of_40_as_for_10() -> None:
    walks = []
    for ring in (10, 40):
        scenario, stakeholders = _ring_listed_backwards(ring)
        Reachability(scenario)
        walks.append(stakeholders.walks)

    assert walks[0] == walks[1]


def test_a_misspelt_id_used_in_many_places_is_searched_for_once_and_reported_everywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = ring_scenario(30).replace(
        "do: [{action: notify, to: x", "do: [{action: notify, to: polise, fact: attack}, {action: notify, to: x"
    )
    document = parse_document(text, "ring.yaml")
    scenario, _ = validate_data(document.data, document, ())
    assert scenario is not None
    searches: list[str] = []

    def counting(word: str, possibilities: list[str], n: int, cutoff: float) -> list[str]:
        searches.append(word)
        return difflib.get_close_matches(word, possibilities, n, cutoff)

    monkeypatch.setattr(validation, "get_close_matches", counting)

    diagnostics = check_references(scenario, document, ())

    assert searches == ["polise"]
    assert {(d.message, d.hint) for d in diagnostics} == {("unknown stakeholder 'polise'", "did you mean 'police'?")}
    assert len(diagnostics) == 30
