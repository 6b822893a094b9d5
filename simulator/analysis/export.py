"""Exporting a run log's records as a table (CSV or Parquet) for spreadsheets, pandas, polars and DuckDB."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from simulator.analysis.load import load_log, one_frame
from simulator.analysis.spreadsheet import escape_text_columns
from simulator.files import write_file
from simulator.runlog import RunLog

FORMATS = ("csv", "parquet")


@dataclass(frozen=True, slots=True)
class Exported:
    """What `export` wrote: how many rows, from which log (its verdict says whether it was sealed)."""

    rows: int
    log: RunLog


def export(path: Path, output: Path, fmt: str, *, replace: bool = False) -> Exported:
    """Write the records of a run log to the new file `output` as CSV or Parquet, after checking every record and
    the seal.

    In CSV, text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`...) starts with a single quote
    (`simulator.analysis.spreadsheet`); Parquet keeps the text as it is.

    Raises:
        RunLogError: the file is not a run log of Tabletop, or was altered (`FILE:LINE: what`).
        FileRefusedError: `output` exists (without `replace`) or is a symbolic link.
        OSError: `output` cannot be written (it is then left as it was).
        ValueError: an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    loaded = load_log(path)
    frame = one_frame(loaded.frames)
    table = io.BytesIO()
    if fmt == "csv":
        escape_text_columns(frame).write_csv(table)
    else:
        frame.write_parquet(table)
    write_file(output, table.getvalue(), replace=replace)
    return Exported(frame.height, loaded.log)
