"""Exporting a run log's records as a table (CSV or Parquet) for spreadsheets, pandas, polars and DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from simulator.runlog import read_run_log

FIRST_COLUMNS = ("seq", "t", "kind")


def records_table(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The log's records as rows with one column per field (nested values as JSON text), and the column order."""
    log = read_run_log(path)
    columns: dict[str, None] = dict.fromkeys(FIRST_COLUMNS)
    rows = []
    for record in log.records:
        row = {}
        for key, value in record.items():
            columns.setdefault(key)
            row[key] = orjson.dumps(value).decode() if isinstance(value, dict | list) else value
        rows.append(row)
    return list(columns), rows


def export(path: Path, output: Path, fmt: str) -> int:
    """Write the records of a run log to `output` as CSV or Parquet; returns the number of rows."""
    import polars as pl

    columns, rows = records_table(path)
    frame = pl.from_dicts(rows, schema=_schema(columns, rows), strict=False)
    if fmt == "csv":
        frame.write_csv(output)
    elif fmt == "parquet":
        frame.write_parquet(output)
    else:
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    return len(rows)


def _schema(columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One type per column: float if any value is a float, int if all are ints, bool if all bools, else text."""
    import polars as pl

    types: dict[str, Any] = {}
    for column in columns:
        seen = {type(row[column]) for row in rows if row.get(column) is not None}
        if seen <= {bool} and seen:
            types[column] = pl.Boolean
        elif seen <= {int} and seen:
            types[column] = pl.Int64
        elif seen <= {int, float} and seen:
            types[column] = pl.Float64
        else:
            types[column] = pl.String
    return types
