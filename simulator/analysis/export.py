"""Exporting a run log's records as a table (CSV or Parquet) for spreadsheets, pandas, polars and DuckDB."""

from __future__ import annotations

from pathlib import Path

from simulator.analysis.load import records_frame

FORMATS = ("csv", "parquet")


def export(path: Path, output: Path, fmt: str) -> int:
    """Write the records of a run log to `output` as CSV or Parquet; returns the number of rows.

    Raises:
        RunLogError: the file is not a run log.
        ValueError: an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    frame = records_frame(path)
    if fmt == "csv":
        frame.write_csv(output)
    else:
        frame.write_parquet(output)
    return frame.height
