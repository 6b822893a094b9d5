"""Loading a run log's records into polars DataFrames, in bounded memory, for analysis."""

from __future__ import annotations

import functools
import typing
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from simulator.logcheck import read_tabletop_log
from simulator.records import KINDS
from simulator.runlog import RunLog

if TYPE_CHECKING:
    import polars as pl

FIRST_COLUMNS = ("seq", "t", "kind")


@dataclass(frozen=True, slots=True)
class LoadedLog:
    """A run log's records as one DataFrame per kind, with the log as read (its header, seal and verdict)."""

    frames: dict[str, pl.DataFrame]
    log: RunLog
    """The log as `read_tabletop_log` read it, without its records (they are in `frames`)."""


def load_log(path: Path) -> LoadedLog:
    """Read a run log through `read_tabletop_log` (every record checked) into one DataFrame per record kind.

    Raises:
        RunLogError: the file is not a run log of Tabletop, or was altered (`FILE:LINE: what`).
    """
    import polars as pl

    parts: dict[str, list[pl.DataFrame]] = defaultdict(list)

    def add(batch: list[dict[str, Any]]) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in batch:
            rows[record["kind"]].append(record)
        for kind, records in rows.items():
            parts[kind].append(_frame(kind, records))

    log = read_tabletop_log(path, keep=_none, on_batch=add)
    return LoadedLog({kind: pl.concat(frames) for kind, frames in sorted(parts.items())}, log)


def records_by_kind(path: Path) -> dict[str, pl.DataFrame]:
    """The records of a run log, one DataFrame per record kind, each with only that kind's fields.

    This is the compact form for large logs: a kind's records share their fields, so no column is mostly empty.
    Nested values (a command, a run's ratings) are JSON text. The header and the seal are left out (`load_log` has
    them); a torn last line is dropped. Every record is checked as every command checks it, the seal too.

    Raises:
        RunLogError: the file is not a run log of Tabletop, or was altered (`FILE:LINE: what`).
    """
    return load_log(path).frames


def records_frame(path: Path) -> pl.DataFrame:
    """All records of a run log in one DataFrame: `seq`, `t`, `kind`, then every field (null where a kind has none).

    Convenient for small logs; for large ones `records_by_kind` holds the same data in far less memory.
    """
    return one_frame(records_by_kind(path))


def one_frame(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The frames of `records_by_kind` as one, in log order, with `seq`, `t` and `kind` first."""
    import polars as pl

    if not frames:
        return pl.DataFrame(schema={"seq": pl.Int64, "t": pl.Float64, "kind": pl.String})
    frame = pl.concat(list(frames.values()), how="diagonal_relaxed").sort("seq")
    return frame.select(*FIRST_COLUMNS, *(c for c in frame.columns if c not in FIRST_COLUMNS))


def _none(record: dict[str, Any]) -> bool:
    return False  # the records go to frames as they are read; none is kept as a dict


def _frame(kind: str, records: list[dict[str, Any]]) -> pl.DataFrame:
    """Checked records of one kind as a frame with that kind's columns and types (nested values as JSON text)."""
    import polars as pl

    schema, nested = _schema(kind)
    if nested:
        records = [{**r, **{name: orjson.dumps(r[name]).decode() for name in nested}} for r in records]
    return pl.DataFrame(records, schema=schema)


@functools.cache
def _schema(kind: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A kind's columns in order (`seq`, `t`, `kind`, then its fields) with their polars types, and its nested ones."""
    import polars as pl

    hints = typing.get_type_hints(KINDS[kind])
    names = [*FIRST_COLUMNS, *(name for name in hints if name not in FIRST_COLUMNS)]
    schema: dict[str, Any] = {}
    nested: list[str] = []
    for name in names:
        hint = hints[name]
        arguments = [a for a in typing.get_args(hint) if a is not type(None)]
        base = arguments[0] if typing.get_origin(hint) is typing.Union and len(arguments) == 1 else hint
        if base is bool:
            schema[name] = pl.Boolean
        elif base is int:
            schema[name] = pl.Int64
        elif base is float:
            schema[name] = pl.Float64
        elif base is str or typing.get_origin(base) is typing.Literal:
            schema[name] = pl.String
        else:
            schema[name], nested = pl.String, [*nested, name]
    return schema, tuple(nested)
