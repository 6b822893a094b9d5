"""The committed JSON Schema: up to date, accepting every bundled scenario, refusing mistakes, documenting every key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft7Validator

from scenarios import bundled_names, bundled_path
from scenarios._yaml import read_document
from scenarios.schema import SCHEMA_PATH, scenario_schema, schema_text

REGENERATE = "tabletop schema -o scenarios/schema/scenario.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _bundled_data(name: str) -> Any:
    return read_document(bundled_path(name)).data


def _errors(validator: Draft7Validator, data: Any) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(data)
    )


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of the scenario and of each definition, as (`Model.key`, its schema)."""
    models = {"Scenario": schema, **schema["definitions"]}
    for model, definition in models.items():
        for key, prop in definition.get("properties", {}).items():
            yield f"{model}.{key}", prop


def test_the_committed_schema_equals_the_one_the_models_generate() -> None:
    committed = SCHEMA_PATH.read_text(encoding="utf-8")

    assert committed == schema_text(), f"the committed schema is out of date: regenerate it with `{REGENERATE}`"


def test_the_schema_is_draft_7_with_its_id() -> None:
    schema = scenario_schema()

    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].startswith("https://")
    assert "$defs" not in json.dumps(schema)


def test_there_is_at_least_one_bundled_scenario() -> None:
    assert bundled_names() != []


@pytest.mark.parametrize("name", bundled_names())
def test_a_bundled_scenario_is_valid_against_the_schema(name: str, validator: Draft7Validator) -> None:
    assert _errors(validator, _bundled_data(name)) == []


def test_the_schema_refuses_an_unknown_top_level_key(validator: Draft7Validator) -> None:
    data = _bundled_data("synagogue-holiday-attack")
    data["author"] = "Exercise planning team"

    assert _errors(validator, data) == [": Additional properties are not allowed ('author' was unexpected)"]


def test_the_schema_refuses_a_misspelt_key_deep_in_a_rule(validator: Draft7Validator) -> None:
    data = _bundled_data("synagogue-holiday-attack")
    data["stakeholders"][0]["playbook"][0]["onn"] = data["stakeholders"][0]["playbook"][0].pop("on")

    assert any("'onn' was unexpected" in error for error in _errors(validator, data))


def test_the_schema_refuses_a_duration_without_a_unit(validator: Draft7Validator) -> None:
    data = _bundled_data("synagogue-holiday-attack")
    data["clock"]["duration"] = 90

    assert _errors(validator, data) == ["clock/duration: 90 is not of type 'string'"]


def test_the_schema_refuses_an_id_that_is_not_a_slug(validator: Draft7Validator) -> None:
    data = _bundled_data("synagogue-holiday-attack")
    data["id"] = "Synagogue Attack"

    assert [error.split(":")[0] for error in _errors(validator, data)] == ["id"]


def test_the_schema_refuses_a_wrong_schema_version(validator: Draft7Validator) -> None:
    data = _bundled_data("bomb-threat-misinformation")
    data["schema_version"] = 3

    assert _errors(validator, data) == ["schema_version: 2 was expected"]


def test_every_property_in_the_schema_has_a_description() -> None:
    undocumented = [name for name, prop in _properties(scenario_schema()) if not prop.get("description")]

    assert undocumented == []


def test_every_model_in_the_schema_has_a_description() -> None:
    schema = scenario_schema()
    models = {"Scenario": schema, **schema["definitions"]}

    assert [name for name, model in models.items() if not model.get("description")] == []


def test_every_default_in_the_schema_is_valid_against_its_own_property() -> None:
    schema = scenario_schema()
    invalid = []
    for name, prop in _properties(schema):
        if "default" in prop:
            rule = {key: value for key, value in prop.items() if key != "default"}
            if not Draft7Validator({**rule, "definitions": schema["definitions"]}).is_valid(prop["default"]):
                invalid.append(f"{name}: {prop['default']!r}")

    assert invalid == []
