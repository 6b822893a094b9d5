"""The one reader of Tabletop run logs: every record checked against the record vocabulary, the seal against it.

Every command that reads a log (replay, fork, compare, export, resume) reads it through `read_tabletop_log`, so
each gets the same verdict (`RunLog.verdict`) or the same located refusal, and none meets a record it cannot use.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias

import typing_extensions
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from simulator._logformat import ALTERED, RunLogError
from simulator.logfile import RunLog, read_header, read_run_log
from simulator.records import KINDS

Record: TypeAlias = dict[str, Any]
_Int64 = Annotated[int, Field(ge=-(2**63), lt=2**63)]  # what a table column (and JSON readers) can hold
_STRICT = ConfigDict(strict=True, extra="forbid")
_LENIENT = ConfigDict(strict=True, extra="allow")
_RATINGS = Literal["P", "S", "M", "U", "N/A"]


def _strict_typed_dict(name: str, fields: Mapping[str, Any], config: ConfigDict) -> Any:
    """A TypedDict pydantic validates strictly (`typing.TypedDict` is not one it takes on Python 3.11)."""
    typed: dict[str, Any] = {key: _Int64 if kind is int else kind for key, kind in fields.items()}
    made = typing_extensions.TypedDict(name, typed)  # type: ignore[misc]
    made.__pydantic_config__ = config  # type: ignore[attr-defined]
    return made


@functools.cache
def _records_adapter() -> TypeAdapter[list[Record]]:
    """Validates a list of records, each against its kind's fields (the vocabulary in `simulator.records`)."""
    kinds = tuple(_strict_typed_dict(name, typing.get_type_hints(kind), _STRICT) for name, kind in KINDS.items())
    one: Any = Annotated[typing.Union[kinds], Field(discriminator="kind")]  # noqa: UP007
    return TypeAdapter(list[one])


_HEADER = {
    "tool_version": str,
    "scenario_id": str,
    "scenario_sha256": str,
    "scenario_source": str | None,
    "variant": str | None,
    "seed": Annotated[int, Field(ge=0)],
    "start": str,
    "time_zone": str,
    "duration_s": Annotated[float, Field(ge=0, allow_inf_nan=False)],
    "decisions": dict[str, str],
    "scenario": dict[str, Any],
}
_OBJECTIVE = {"objective": str, "name": str, "rating": _RATINGS | None, "measured_s": float | None}
_SEAL = {
    "type": Literal["seal"],
    "records": int,
    "sha256": str,
    "scenario": str,
    "variant": str | None,
    "seed": int,
    "end_t": float,
    "milestones": dict[str, float],
    "harm": float,
    "record_count": int,
    "decisions": dict[str, str],
}


@functools.cache
def _header_adapter() -> TypeAdapter[Record]:
    return TypeAdapter(_strict_typed_dict("RunLogHeader", _HEADER, _LENIENT))


@functools.cache
def _seal_adapter() -> TypeAdapter[Record]:
    objective: Any = _strict_typed_dict("SealedObjective", _OBJECTIVE, _STRICT)
    return TypeAdapter(_strict_typed_dict("RunLogSeal", {**_SEAL, "objectives": list[objective]}, _STRICT))


class _RecordChecker:
    """Checks batches of records as they are read: their fields, their order, and what the seal must agree with."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ended_at: int | None = None  # the index of the RunEnded record
        self.decisions: dict[str, str] = {}

    def __call__(self, batch: list[Record], first: int) -> None:
        try:
            _records_adapter().validate_python(batch)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            index = first + int(error["loc"][0])
            raise self._refuse(index, _described(error, batch[int(error["loc"][0])])) from None
        for offset, record in enumerate(batch):
            index = first + offset
            if self.ended_at is not None:
                raise self._refuse(index, f"a record after the run's end (RunEnded is record {self.ended_at})")
            if record["seq"] != index:
                raise self._refuse(index, f"record number (seq) {record['seq']} where {index} was due")
            kind = record["kind"]
            if kind == "RunEnded":
                self.ended_at = index
            elif kind == "DecisionTaken":
                self.decisions[record["decision"]] = record["option"]

    def _refuse(self, index: int, what: str) -> RunLogError:
        return RunLogError(f"{self.path}:{index + 2}: {what}", ALTERED)


def _described(error: ErrorDetails, value: object) -> str:
    """A validation error in words: which record kind, which field, what is wrong with it."""
    where = error["loc"][1:]
    if error["type"] == "union_tag_not_found":
        return "a record without its 'kind'"
    if error["type"] == "union_tag_invalid":
        return f"an unknown record kind {_short(value.get('kind') if isinstance(value, dict) else None)}"
    kind, field = str(where[0]), ".".join(str(part) for part in where[1:])
    return f"a {kind} record {_field_problem(error, field)}"


def _field_problem(error: ErrorDetails, field: str) -> str:
    if error["type"] == "missing":
        return f"without its {field!r} field"
    if error["type"] == "extra_forbidden":
        return f"with a field {field!r} that it does not have"
    return f"whose {field!r} is {_short(error['input'])}: {error['msg'][:1].lower()}{error['msg'][1:]}"


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def read_tabletop_log(
    path: Path,
    keep: Callable[[Record], bool] | None = None,
    *,
    on_batch: Callable[[list[Record]], None] | None = None,
) -> RunLog:
    """Read a run log of Tabletop, checking every line, record and the seal: the reader every command uses.

    On top of `read_run_log` (the format: header, seal, line lengths, a torn last line), each record must be one of
    the vocabulary's kinds with exactly its fields and their types, numbered in order from 0, none after
    `RunEnded`; the header must hold what a replay needs; a seal's outcome must be the run's (its
    `RunEnded` record and its decisions). `RunLog.verdict` then says what the file is worth.

    Args:
        path: the file.
        keep: keep only the records for which this is true (all are checked); all when None.
        on_batch: called with each batch of checked records as it is read (to stream a huge log).

    Raises:
        RunLogError: `FILE:LINE: what is wrong`, for anything that is not as Tabletop writes it.
    """
    _check_header(path, read_header(path))  # first: a log is not read through for a header that cannot be used
    checker = _RecordChecker(path)

    def check(batch: list[Record], first: int) -> None:
        checker(batch, first)
        if on_batch is not None:
            on_batch(batch)

    log = read_run_log(path, keep, check=check)
    if log.seal is not None:
        _check_seal(log, checker)
    return log


def _check_header(path: Path, header: Record) -> None:
    try:
        _header_adapter().validate_python(header)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"])
        what = "is missing" if error["type"] == "missing" else f"is {_short(error['input'])}: {error['msg'].lower()}"
        raise RunLogError(f"{path}:1: the run-log header's {field!r} {what}", ALTERED) from None


def _check_seal(log: RunLog, checker: _RecordChecker) -> None:
    """The seal's outcome must be its run's: a seal edited and hashed again does not get past."""
    seal, line = log.seal, log.record_count + 2
    assert seal is not None
    try:
        _seal_adapter().validate_python(seal)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"])
        raise RunLogError(f"{log.path}:{line}: the seal's {field!r} is not as Tabletop writes it", ALTERED) from None
    ended = log.last_record
    if ended is None or ended.get("kind") != "RunEnded":
        raise RunLogError(f"{log.path}:{line}: the seal does not follow the run's RunEnded record", ALTERED)
    header = log.header
    expected = {
        "scenario": header["scenario_id"],
        "variant": header["variant"],
        "seed": header["seed"],
        "end_t": ended["exact_t"],
        "harm": ended["harm"],
        "milestones": ended["milestones"],
        "record_count": log.record_count,
        "decisions": checker.decisions,
        "objectives": ended["ratings"],
    }
    sealed = {**seal, "objectives": {o["objective"]: o["rating"] for o in seal["objectives"]}}
    for field, value in expected.items():
        if sealed[field] != value:
            raise RunLogError(
                f"{log.path}:{line}: the seal's {field} {_short(sealed[field])} is not the run's {_short(value)}",
                ALTERED,
            )
