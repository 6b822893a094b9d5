"""Loading a scenario: YAML to models, every mistake reported at once with its line, column and a hint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from scenarios._base import StrictModel
from scenarios._yaml import Document, Locator, Path_, read_document
from scenarios.errors import Diagnostic, ScenarioError
from scenarios.library import resolve
from scenarios.scenario import Scenario


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
    try:
        path, display = resolve(source)
    except ScenarioError as exc:
        return CheckResult(str(source), None, list(exc.diagnostics))
    try:
        document = read_document(path, display)
    except ScenarioError as exc:
        return CheckResult(display, None, list(exc.diagnostics))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
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
    from scenarios.validation import check_references, check_variants

    if not isinstance(document.data, dict):
        return None, [document.diagnostic((), "a scenario is a mapping of keys (schema_version, id, title...)")]
    scenario, diagnostics = validate_data(document.data, document, ())
    if scenario is None:
        return None, diagnostics
    diagnostics = check_references(scenario, document, ())
    if not any(d.severity == "error" for d in diagnostics):
        diagnostics += check_variants(scenario, document, diagnostics)
    ok = not any(d.severity == "error" for d in diagnostics)
    return (scenario if ok else None), diagnostics


def validate_data(data: Any, document: Locator, prefix: Path_) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate data against the models; errors are located through `document` (paths under `prefix`)."""
    try:
        return Scenario.model_validate_json(orjson.dumps(data), strict=True), []
    except ValidationError as exc:
        return None, [_diagnostic(error, data, document, prefix) for error in exc.errors(include_url=False)]


def _diagnostic(error: Any, data: Any, document: Locator, prefix: Path_) -> Diagnostic:
    path, node = _data_path(error["loc"], data)
    kind: str = error["type"]
    message: str = error["msg"].removeprefix("Value error, ")
    hint = None
    if kind == "extra_forbidden":
        key = str(path[-1])
        parent = node if isinstance(node, dict) else {}
        fields = _fields_of(frozenset(k for k in parent if k != key))
        close = get_close_matches(key, fields, n=1, cutoff=0.6)
        message = f"unknown key {key!r}"
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else (f"expected one of: {', '.join(sorted(fields))}" if fields else None)
        )
    elif kind == "missing":
        message = f"missing required key {path[-1]!r}"
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
    elif kind == "union_tag_not_found":
        message = f"missing key {error['ctx']['discriminator'].strip(chr(39))!r}"
    return document.diagnostic((*prefix, *path), message, hint)


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
