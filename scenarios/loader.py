"""Loading a scenario: YAML to models, every mistake reported at once with its line, column and a hint."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_args

import orjson
from pydantic import BaseModel, ValidationError

from scenarios._base import FieldError, StrictModel
from scenarios._yaml import Document, Locator, Path_, read_document
from scenarios.errors import Diagnostic, ScenarioError
from scenarios.library import resolve
from scenarios.scenario import SCHEMA_VERSION, Scenario

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class CheckResult:
    """What checking one file found."""

    file: str
    """The file as the user named it."""
    scenario: Scenario | None
    """The scenario, when it has no errors."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Errors and warnings, in file order."""
    sha256: str = ""
    """SHA-256 of the file's bytes."""

    @property
    def ok(self) -> bool:
        """Whether the file has no errors (warnings allowed)."""
        return not any(d.severity == "error" for d in self.diagnostics)


def check_scenario(source: str | Path) -> CheckResult:
    """Check a scenario file or bundled scenario name; user mistakes become diagnostics, never exceptions."""
    with _cyclic_gc_paused():
        return _check_scenario(source)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Checking builds a few hundred thousand objects and frees them all at the end; each of the collector's
    passes in between walks all of them, and for 1 MB those passes took three times as long as the parsing itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_scenario(source: str | Path) -> CheckResult:
    try:
        path, display = resolve(source)
    except ScenarioError as exc:
        return CheckResult(str(source), None, list(exc.diagnostics))
    try:
        document = read_document(path, display)
    except ScenarioError as exc:
        return CheckResult(display, None, list(exc.diagnostics))
    digest = document.sha256
    scenario, diagnostics = validate_document(document)
    diagnostics.sort(key=lambda d: (d.line, d.column, d.severity))
    return CheckResult(display, scenario, diagnostics, digest)


def load_scenario(source: str | Path) -> Scenario:
    """Load a valid scenario from a file or a bundled name.

    Raises:
        ScenarioError: with every error found.
    """
    result = check_scenario(source)
    if result.scenario is None or not result.ok:
        raise ScenarioError([d for d in result.diagnostics if d.severity == "error"])
    return result.scenario


def validate_document(document: Document) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate parsed YAML: the models first, then the cross-references and the variants."""
    from scenarios.reachability import Reachability
    from scenarios.validation import apply_variants, check_references, check_variants

    if not isinstance(document.data, dict):
        return None, [document.diagnostic((), "a scenario is a mapping of keys (schema_version, id, title...)")]
    scenario, diagnostics = validate_data(document.data, document, ())
    if scenario is None:
        return None, diagnostics
    applied = apply_variants(scenario, document)
    variants = [variant.result for variant in applied if variant.result is not None]
    reachabilities: dict[int, Reachability] = {}  # the scenarios live until the end of this function
    diagnostics = check_references(scenario, document, (), variants, reachabilities=reachabilities)
    if not any(d.severity == "error" for d in diagnostics):
        diagnostics += check_variants(applied, document, diagnostics, reachabilities=reachabilities)
    ok = not any(d.severity == "error" for d in diagnostics)
    return (scenario if ok else None), diagnostics


def validate_data(data: Any, document: Locator, prefix: Path_) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate data against the models; errors are located through `document` (paths under `prefix`)."""
    try:
        return Scenario.model_validate_json(orjson.dumps(data), strict=True), []
    except ValidationError as exc:
        return None, [_diagnostic(error, data, document, prefix) for error in exc.errors(include_url=False)]


def validate_model(model: type[M], data: Any, where: str) -> tuple[M | None, list[Diagnostic]]:
    """Validate data that did not come from a file (a command, a form) against one model of the language.

    The messages are the loader's own; each diagnostic's `path` names the field (`line` and `column` are 1).
    """
    try:
        return model.model_validate_json(orjson.dumps(data), strict=True), []
    except ValidationError as exc:
        located = Document(where, data, {})
        return None, [_diagnostic(error, data, located, ()) for error in exc.errors(include_url=False)]


_TYPE_NAMES = {
    "string_type": ("text", None),
    "bool_type": ("true or false", "YAML 1.2 reads only true and false as booleans (yes, no, on, off are text)"),
    "list_type": ("a list", "write each item on its own line, starting with '- '"),
    "int_type": ("a whole number", None),
    "float_type": ("a number", None),
    "dict_type": ("a mapping of keys", None),
    "model_type": ("a mapping of keys", None),
}
"""For pydantic's type errors: what was expected, and a hint."""


def _diagnostic(error: Any, data: Any, document: Locator, prefix: Path_) -> Diagnostic:
    path, node = _data_path(error["loc"], data)
    kind: str = error["type"]
    message: str = error["msg"].removeprefix("Value error, ")
    hint = None
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        hint = cause.hint
        target = _value_at(data, path)
        if cause.field is not None and isinstance(target, dict) and cause.field in target:
            path = (*path, cause.field)
    elif kind in _TYPE_NAMES:
        wanted, hint = _TYPE_NAMES[kind]
        message = f"expected {wanted}, got {_describe(error['input'])}"
        if kind == "string_type" and not isinstance(error["input"], dict | list):
            hint = f'put it in quotes: "{_yaml_text(error["input"])}"'
    elif kind == "delay" and isinstance(error["input"], dict) and isinstance(error["input"].get("dist"), str):
        from scenarios.distributions import DISTRIBUTION_NAMES

        given = error["input"]["dist"]
        message = f"unknown distribution {given!r}"
        close = get_close_matches(given, DISTRIBUTION_NAMES, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(DISTRIBUTION_NAMES)}"
        path = (*path, "dist")
    elif kind == "extra_forbidden":
        key = str(path[-1])
        parent = node if isinstance(node, dict) else {}
        tagged = _tagged_models().get(error["loc"][-2]) if len(error["loc"]) > 1 else None
        fields = tuple(_keys(tagged)) if tagged else _fields_of(frozenset(k for k in parent if k != key))
        close = get_close_matches(key, fields, n=1, cutoff=0.6)
        message = f"unknown key {key!r}"
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else (f"expected one of: {', '.join(sorted(fields))}" if fields else None)
        )
    elif kind == "missing":
        message = f"missing required key {path[-1]!r}"
    elif kind == "literal_error" and path == ("schema_version",):
        message = f"{error['input']!r} is not supported: this Tabletop reads schema version {SCHEMA_VERSION}"
        hint = f"write schema_version: {SCHEMA_VERSION} (a file written for a newer Tabletop needs that Tabletop)"
    elif kind == "literal_error":
        expected = [option.strip().strip("'") for option in error["ctx"]["expected"].replace(" or ", ", ").split(", ")]
        given = error["input"]
        close = get_close_matches(str(given), expected, n=1, cutoff=0.5) if isinstance(given, str) else []
        message = f"{given!r} is not one of: {', '.join(expected)}"
        hint = f"did you mean {close[0]!r}?" if close else None
    elif kind == "union_tag_invalid":
        message = f"unknown {error['ctx']['discriminator'].strip(chr(39))} {error['ctx']['tag']!r}"
        expected = [t.strip().strip("'") for t in error["ctx"]["expected_tags"].split(",")]
        close = get_close_matches(str(error["ctx"]["tag"]), expected, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(expected)}"
        tagged_item = _value_at(data, path)
        if isinstance(tagged_item, dict) and error["ctx"]["discriminator"].strip("'") in tagged_item:
            path = (*path, error["ctx"]["discriminator"].strip("'"))
    elif kind == "union_tag_not_found":
        message = f"missing key {error['ctx']['discriminator'].strip(chr(39))!r}"
    return document.diagnostic((*prefix, *path), message, hint)


def _describe(value: Any) -> str:
    """How a value read from YAML looks to the author."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool | int | float):
        return f"the {'boolean' if isinstance(value, bool) else 'number'} {_yaml_text(value)}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _yaml_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _value_at(data: Any, path: Path_) -> Any:
    """The value at `path` in the data, or None where the path leaves it."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _data_path(loc: tuple[str | int, ...], data: Any) -> tuple[Path_, Any]:
    """Keep the parts of a pydantic location that are keys or indexes in the data (dropping union tags).

    Returns the path and the container holding its last part.
    """
    path: list[str | int] = []
    node = data
    parent = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            parent, node = node, node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent, node = node, node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and part in _all_field_names():
            path.append(part)
            parent = node
            break
    return tuple(path), parent


@cache
def _models() -> tuple[type[BaseModel], ...]:
    found: list[type[BaseModel]] = []
    stack: list[type[BaseModel]] = [StrictModel]
    while stack:
        model = stack.pop()
        found.append(model)
        stack.extend(model.__subclasses__())
    return tuple(found)


@cache
def _tagged_models() -> dict[str | int, type[BaseModel]]:
    """Models that name their own kind (`action: notify`, `dist: lognormal`), by that name (pydantic's union tag)."""
    found: dict[str | int, type[BaseModel]] = {}
    for model in _models():
        for kind in ("action", "dist"):
            if kind in model.model_fields:
                found.update(dict.fromkeys(get_args(model.model_fields[kind].annotation), model))
    return found


@cache
def _all_field_names() -> frozenset[str]:
    return frozenset(name for model in _models() for name in _keys(model))


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


@cache
def _fields_of(present: frozenset[str]) -> tuple[str, ...]:
    """The keys of the model that best fits a mapping holding `present` keys (to suggest a misspelt key)."""
    best: tuple[str, ...] = ()
    best_score = -1
    for model in _models():
        keys = _keys(model)
        if not keys:
            continue
        score = len(present & set(keys)) * 2 - len(present - set(keys))
        if score > best_score:
            best, best_score = tuple(keys), score
    return best
