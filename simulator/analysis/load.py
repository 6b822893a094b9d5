"""Loading a run log's records into polars DataFrames, in bounded memory, for analysis."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from simulator.runlog import RunLogError

if TYPE_CHECKING:
    import polars as pl

CHUNK_BYTES = 4 * 1024 * 1024
"""Parse the records this many bytes at a time (the file is never held whole)."""
FIRST_COLUMNS = ("seq", "t", "kind")


def records_by_kind(path: Path) -> dict[str, pl.DataFrame]:
    """The records of a run log, one DataFrame per record kind, each with only that kind's fields.

    This is the compact form for large logs: a kind's records share their fields, so no column is mostly empty.
    Nested values (a command, a run's ratings) are JSON text. The header and the seal are left out (read them with
    `simulator.runlog.read_run_log`); a torn last line is dropped. The seal is not checked: `tabletop replay
    --verify` does that.

    Raises:
        RunLogError: the file is not a run log.
    """
    import polars as pl

    parts: dict[str, list[pl.DataFrame]] = defaultdict(list)
    with path.open("rb") as file:
        if b'"format":"tabletop-run-log"' not in file.readline():
            raise RunLogError(f"{path}: not a Tabletop run log (first line is not a run-log header)")
        pending = b""
        while chunk := file.read(CHUNK_BYTES):
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            pending = data[cut:]  # at the end, what is left without a newline is a torn line from a crash
            for kind, frame in _parse(data[:cut]):
                parts[kind].append(frame)
    return {kind: pl.concat(frames, how="diagonal_relaxed") for kind, frames in sorted(parts.items())}


def records_frame(path: Path) -> pl.DataFrame:
    """All records of a run log in one DataFrame: `seq`, `t`, `kind`, then every field (null where a kind has none).

    Convenient for small logs; for large ones `records_by_kind` holds the same data in far less memory.
    """
    import polars as pl

    frames = list(records_by_kind(path).values())
    if not frames:
        return pl.DataFrame(schema={"seq": pl.Int64, "t": pl.Float64, "kind": pl.String})
    frame = pl.concat(frames, how="diagonal_relaxed").sort("seq")
    return frame.select(*FIRST_COLUMNS, *(c for c in frame.columns if c not in FIRST_COLUMNS))


def _parse(block: bytes) -> list[tuple[str, pl.DataFrame]]:
    """Parse complete record lines into one frame per kind (the seal line, if there, is left out)."""
    import polars as pl

    last = block.rfind(b"\n", 0, len(block) - 1) + 1
    if b'"type":"seal"' in block[last:]:  # records have no "type"; only the header and the seal do
        block = block[:last]
    if not block:
        return []
    frame = pl.read_ndjson(io.BytesIO(block), infer_schema_length=None).with_row_index("_line")
    out = []
    for (kind,), part in frame.partition_by("kind", as_dict=True, maintain_order=True).items():
        if any(isinstance(dtype, pl.Struct | pl.List) for dtype in part.schema.values()):
            # Few records nest values (commands, a run's outcome); polars would merge their shapes, so they are
            # read again one by one and their nested values kept as the JSON text they were written as.
            lines = block.split(b"\n")
            rows = [_flat(orjson.loads(lines[index])) for index in part["_line"].to_list()]
            out.append((str(kind), pl.from_dicts(rows, infer_schema_length=None)))
            continue
        kept = [name for name in part.columns if name != "_line" and part[name].null_count() < part.height]
        out.append((str(kind), part.select(kept)))
    return out


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    return {k: orjson.dumps(v).decode() if isinstance(v, dict | list) else v for k, v in record.items()}
