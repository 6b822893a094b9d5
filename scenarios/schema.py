"""The JSON Schema of the scenario language, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scenarios._base import DURATION_PATTERN, format_duration
from scenarios.scenario import SCHEMA_VERSION, Scenario

SCHEMA_PATH = Path(__file__).parent / "schema" / "scenario.schema.json"
"""The committed copy of the schema, shipped with the package."""
SCHEMA_ID = f"https://tabletop.example/schema/scenario-v{SCHEMA_VERSION}.json"


def scenario_schema() -> dict[str, Any]:
    """The schema as draft-07 (what yaml-language-server handles best), with every field's description."""
    schema = Scenario.model_json_schema(by_alias=True, ref_template="#/definitions/{model}", mode="validation")
    definitions = schema.pop("$defs", {})
    for model in (schema, *definitions.values()):
        for prop in model.get("properties", {}).values():
            _write_duration_default(prop)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
        "definitions": definitions,
    }


def _write_duration_default(prop: dict[str, Any]) -> None:
    """Write a duration's default as in files (`30s`): pydantic gives seconds, which the schema itself refuses."""
    default = prop.get("default")
    if isinstance(default, bool) or not isinstance(default, int | float):
        return
    choices = [prop, *prop.get("oneOf", []), *prop.get("anyOf", [])]
    if any(choice.get("pattern") == DURATION_PATTERN for choice in choices):
        prop["default"] = format_duration(default)


def schema_text() -> str:
    """The schema as the text written to disk (sorted keys, two-space indent, final newline)."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
