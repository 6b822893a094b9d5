"""Loading a scenario: YAML to models, every mistake reported at once with its line, column and a hint."""

from __future__ import annotations

import gc
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_args

import orjson
from pydantic import BaseModel, ValidationError

from scenarios._base import FieldError, StrictModel
from scenarios._values import unreadable_values
from scenarios._wording import CONSTRAINTS, constraint, describe, is_number_text, over_limit_hint, yaml_text
from scenarios._yaml import Document, Locator, Path_, read_document
from scenarios.errors import Diagnostic, ScenarioError, close_match
from scenarios.library import resolve
from scenarios.migrate import FIRST_VERSION, Migration, migrate_data
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
    # File order, except that a duplicate id comes first: the unknown references it causes are its consequences.
    diagnostics.sort(key=lambda d: (not d.message.startswith(_CAUSES), d.line, d.column, d.severity))
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
    migration = migrate_data(document.data)
    migrated = [_migrated(document, migration)] if migration.changes else []
    document = replace(document, data=migration.data)  # values change, never a key: the positions hold
    scenario, diagnostics = validate_data(document.data, document, ())
    if scenario is None:
        return None, [*migrated, *diagnostics]
    applied = apply_variants(scenario, document)
    variants = [variant.result for variant in applied if variant.result is not None]
    reachabilities: dict[int, Reachability] = {}  # the scenarios live until the end of this function
    diagnostics = check_references(scenario, document, (), variants, reachabilities=reachabilities)
    if not any(d.severity == "error" for d in diagnostics):
        diagnostics += check_variants(applied, document, diagnostics, reachabilities=reachabilities)
    ok = not any(d.severity == "error" for d in diagnostics)
    return (scenario if ok else None), [*migrated, *diagnostics]


def _migrated(document: Document, migration: Migration) -> Diagnostic:
    """The one warning a file of an older version gets: it was read as the current version."""
    changes = len(migration.changes)
    bundled = document.file.removesuffix(" (bundled)")
    hint = (
        f"tabletop migrate {shlex.quote(document.file)} lists them; add --force to make them in the file"
        if bundled == document.file
        else f"tabletop new FILE --from {bundled} writes a copy in version {SCHEMA_VERSION}"
    )
    return document.diagnostic(
        ("schema_version",),
        f"the file is in schema version {migration.from_version}, read as version {SCHEMA_VERSION} with {changes} "
        f"change{'s' * (changes != 1)}",
        hint,
        severity="warning",
    )


_CAUSES = ("duplicate id ",)
"""Diagnostics listed before the others: they cause further errors (an id taken twice is missing elsewhere)."""


def validate_data(data: Any, document: Locator, prefix: Path_) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate data against the models; errors are located through `document` (paths under `prefix`)."""
    unreadable = unreadable_values(data, document, prefix)
    if unreadable:
        return None, unreadable
    try:
        return Scenario.model_validate_json(orjson.dumps(data), strict=True), []
    except ValidationError as exc:
        return None, _diagnostics(exc, data, document, prefix)


def validate_model(model: type[M], data: Any, where: str) -> tuple[M | None, list[Diagnostic]]:
    """Validate data that did not come from a file (a command, a form) against one model of the language.

    The messages are the loader's own; each diagnostic's `path` names the field (`line` and `column` are 1).
    """
    located = Document(where, data, {})
    unreadable = unreadable_values(data, located)
    if unreadable:
        return None, unreadable
    try:
        return model.model_validate_json(orjson.dumps(data), strict=True), []
    except ValidationError as exc:
        return None, _diagnostics(exc, data, located, ())


def _diagnostics(exc: ValidationError, data: Any, document: Locator, prefix: Path_) -> list[Diagnostic]:
    """Every error of a validation, except a missing key explained by a misspelt one (`occupency: 320` is one
    mistake: the unknown key, with its "did you mean 'occupancy'?")."""
    errors = exc.errors(include_url=False)
    diagnostics = [_diagnostic(error, data, document, prefix) for error in errors]
    misspelt = {
        (d.path.rpartition(".")[0], d.hint.removeprefix("did you mean ").rstrip("?").strip("'"))
        for d in diagnostics
        if d.message.startswith("unknown key ") and d.hint and d.hint.startswith("did you mean ")
    }
    return [
        d
        for d, error in zip(diagnostics, errors, strict=True)
        if not (error["type"] == "missing" and d.path.rpartition(".")[::2] in misspelt)
    ]


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
        given = error["input"]
        message = f"expected {wanted}, got {describe(given)}"
        key = path[-1] if path else None
        if given is None:
            noun = f"the {str(key).replace('_', ' ')}" if kind == "string_type" and isinstance(key, str) else wanted
            hint = f"write {noun} after `{key}:`" if isinstance(key, str) else f"write {wanted} after the '- '"
        elif kind == "string_type" and not isinstance(given, dict | list):
            hint = f'put it in quotes: "{yaml_text(given)}"'
        elif is_number_text(given):
            hint = over_limit_hint(key, None) if kind in ("int_type", "float_type") else hint
        elif kind in ("dict_type", "model_type") and isinstance(given, list):
            hint = _mapping_hint(error.get("ctx", {}).get("class_name"))
    elif kind in CONSTRAINTS:
        named = next((part for part in reversed(path) if isinstance(part, str)), None)
        message, hint = constraint(kind, error["ctx"], error["input"], named)
    elif kind == "delay" and isinstance(error["input"], dict) and isinstance(error["input"].get("dist"), str):
        from scenarios.distributions import DISTRIBUTION_NAMES

        given = error["input"]["dist"]
        message = f"unknown distribution {given!r}"
        close = close_match(given, DISTRIBUTION_NAMES)
        hint = f"did you mean {close!r}?" if close else f"expected one of: {', '.join(DISTRIBUTION_NAMES)}"
        path = (*path, "dist")
    elif kind == "extra_forbidden":
        key = str(path[-1])
        parent = node if isinstance(node, dict) else {}
        tagged = _tagged_models().get(error["loc"][-2]) if len(error["loc"]) > 1 else None
        fields = tuple(_keys(tagged)) if tagged else _fields_of(frozenset(k for k in parent if k != key))
        close = close_match(key, fields)
        message = f"unknown key {key!r}"
        hint = (
            f"did you mean {close!r}?"
            if close
            else (f"expected one of: {', '.join(sorted(fields))}" if fields else None)
        )
    elif kind == "missing":
        message = f"missing required key {path[-1]!r}"
        hint = f"write schema_version: {SCHEMA_VERSION} first" if path == ("schema_version",) else None
    elif kind == "literal_error" and path == ("schema_version",):
        message = (
            f"{error['input']!r} is not supported: this Tabletop reads schema versions "
            f"{' and '.join(map(str, range(FIRST_VERSION, SCHEMA_VERSION + 1)))}"
        )
        hint = f"write schema_version: {SCHEMA_VERSION} (a file written for a newer Tabletop needs that Tabletop)"
    elif kind == "literal_error":
        expected = [option.strip().strip("'") for option in error["ctx"]["expected"].replace(" or ", ", ").split(", ")]
        given = error["input"]
        close = close_match(given, expected) if isinstance(given, str) else None
        message = f"{given!r} is not one of: {', '.join(expected)}"
        hint = f"did you mean {close!r}?" if close else None
    elif kind == "union_tag_invalid":
        message = f"unknown {error['ctx']['discriminator'].strip(chr(39))} {error['ctx']['tag']!r}"
        expected = [t.strip().strip("'") for t in error["ctx"]["expected_tags"].split(",")]
        close = close_match(str(error["ctx"]["tag"]), expected)
        hint = f"did you mean {close!r}?" if close else f"expected one of: {', '.join(expected)}"
        tagged_item = _value_at(data, path)
        if isinstance(tagged_item, dict) and error["ctx"]["discriminator"].strip("'") in tagged_item:
            path = (*path, error["ctx"]["discriminator"].strip("'"))
    elif kind == "union_tag_not_found":
        message = f"missing key {error['ctx']['discriminator'].strip(chr(39))!r}"
    return document.diagnostic((*prefix, *path), message, hint)


def _mapping_hint(model_name: str | None) -> str:
    """How to write a mapping where a list was written (`- ` lines)."""
    model = next((m for m in _models() if m.__name__ == model_name), None)
    if model is None:
        return "write key: value lines without the '- ' in front"
    keys = [info.alias or name for name, info in model.model_fields.items() if info.is_required()] or _keys(model)
    return f"write it as {{{', '.join(f'{key}: ...' for key in keys)}}}"


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
