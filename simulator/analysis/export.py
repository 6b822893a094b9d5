"""Exporting a run log's records as a table (CSV or Parquet) for spreadsheets, pandas, polars and DuckDB."""

from __future__ import annotations

import io
from pathlib import Path

from simulator.analysis.load import records_frame
from simulator.files import write_file

FORMATS = ("csv", "parquet")


def export(path: Path, output: Path, fmt: str, *, replace: bool = False) -> int:
    """Write the records of a run log to the new file `output` as CSV or Parquet; returns the number of rows.

    Raises:
        RunLogError: the file is not a run log.
        FileRefusedError: `output` exists (without `replace`) or is a symbolic link.
        OSError: `output` cannot be written (it is then left as it was).
        ValueError: an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    frame = records_frame(path)
    table = io.BytesIO()
    if fmt == "csv":
        frame.write_csv(table)
    else:
        frame.write_parquet(table)
    write_file(output, table.getvalue(), replace=replace)
    return frame.height
