"""The JSON Schema of the scenario language, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from scenarios._base import DURATION_PATTERN, StrictModel, format_duration
from scenarios.scenario import SCHEMA_VERSION, Scenario

SCHEMA_PATH = Path(__file__).parent / "schema" / "scenario.schema.json"
"""The committed copy of the schema, shipped with the package."""
SCHEMA_ID = f"https://tabletop.example/schema/scenario-v{SCHEMA_VERSION}.json"


def scenario_schema() -> dict[str, Any]:
    """The schema as draft-07 (what yaml-language-server handles best), with every field's description."""
    schema = Scenario.model_json_schema(by_alias=True, ref_template="#/definitions/{model}", mode="validation")
    definitions = schema.pop("$defs", {})
    models = _models_by_name()
    for name, model in (("Scenario", schema), *definitions.items()):
        if "properties" in model:
            _describe_fields(models[name], model["properties"])
        for prop in model.get("properties", {}).values():
            _write_duration_default(prop)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
        "definitions": definitions,
    }


def _models_by_name() -> dict[str, type[BaseModel]]:
    """Every model of the language by the names of its definition in the schema: its class name, or (where two
    models share one) its module and class name, as pydantic writes them (`scenarios__references__Observation`)."""
    found: dict[str, type[BaseModel]] = {}
    stack: list[type[BaseModel]] = [StrictModel]
    while stack:
        model = stack.pop()
        found[model.__name__] = found[f"{model.__module__}.{model.__qualname__}".replace(".", "__")] = model
        stack.extend(model.__subclasses__())
    return found


def _describe_fields(model: type[BaseModel], properties: dict[str, Any]) -> None:
    """Give each property the docstring of its field, as pydantic's `use_attribute_docstrings` would (a description
    written with `Field(description=...)` is kept)."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        owner = next(cls for cls in model.__mro__ if name in inspect.get_annotations(cls))
        docstring = field_docstrings(owner).get(name)
        if info.description is None and docstring is not None and key in properties:
            properties[key]["description"] = docstring


@cache
def field_docstrings(cls: type) -> dict[str, str]:
    """The docstrings of a class's own fields: the string right below a field's annotation, by the field's name."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    return {
        field.target.id: inspect.cleandoc(text.value.value)
        for field, text in pairwise(body)
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and isinstance(text, ast.Expr)
        and isinstance(text.value, ast.Constant)
        and isinstance(text.value.value, str)
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
