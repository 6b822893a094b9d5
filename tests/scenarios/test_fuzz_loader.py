"""Whatever an author writes, checking it gives diagnostics, never an exception (hypothesis mutates real scenarios)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from scenarios import bundled_names, bundled_path
from scenarios._yaml import Document, parse_document
from scenarios.loader import validate_document

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(["30s", "1h", "-3s", "lognormal", "attack", "synagogue", "police-control-110", ""]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(bundled_path(name).read_text(encoding="utf-8"))
    return data


BASES = {name: load(name) for name in bundled_names()}


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the data."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A bundled scenario with one to three values replaced, deleted or given a stray key."""
    data = copy.deepcopy(BASES[draw(st.sampled_from(sorted(BASES)))])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "stray"]))
        if action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_a_mutated_scenario_is_checked_without_an_exception(data: dict[str, Any]) -> None:
    scenario, diagnostics = validate_document(Document("fuzz.yaml", data, {}))
    assert scenario is not None or any(d.severity == "error" for d in diagnostics)
    assert all(d.format().startswith("fuzz.yaml:") for d in diagnostics)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_is_either_parsed_or_refused_with_a_located_message(text: str) -> None:
    from scenarios import ScenarioError

    try:
        document = parse_document(text, "any.yaml")
    except ScenarioError as exc:
        assert all(d.format().startswith("any.yaml:") for d in exc.diagnostics)
        return
    validate_document(document)


def test_a_variant_adding_an_item_whose_id_is_a_list_gets_a_located_error() -> None:
    # Found by the fuzzer: a list id in a variant's `add` crashed the overlay (a list cannot be looked up in a set).
    data = copy.deepcopy(BASES["synagogue-holiday-attack"])
    data["variants"][0]["add"]["rules"][0]["id"] = ["patrols", "self"]
    scenario, diagnostics = validate_document(Document("fuzz.yaml", data, {}))
    assert scenario is None
    assert [d.message for d in diagnostics if d.severity == "error"] == [
        "in variant 'direct-radio', stakeholders[5].playbook[2].id: expected text, got a list"  # patrols
    ]
