"""A batch's output folder: claimed atomically, its plan written first, its rows kept across a crash.

While a batch runs, its folder holds `batch.json` (the plan, written before anything else and locked by the running
batch) and `results.csv` (the header, then the rows in their final order, each chunk flushed before it is counted;
after a kill, a torn last line at most), plus `logs/` with `--keep-logs`. `results.parquet` and `summary.json`
appear only at the end, each written under a temporary name and renamed into place, so that a reader never finds
a half-written one. A folder with a manifest, no summary and no running batch is an interrupted batch, which
`--resume` finishes.
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import orjson
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, ValidationError

from scenarios import Scenario
from simulator._locking import lock
from simulator.analysis.batch import BatchError, BatchPlan
from simulator.analysis.results import csv_header, parse_row, summarise, write_parquet
from simulator.exercise import tool_version
from simulator.files import sync_folder
from simulator.setup import scenario_data, scenario_digest

MANIFEST = "batch.json"
RESULTS_CSV = "results.csv"
RESULTS_PARQUET = "results.parquet"
SUMMARY = "summary.json"


class BatchManifest(BaseModel):
    """The plan of a batch, as `batch.json` holds it: what `--resume` checks and runs again (workers do not count)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    format: Literal["tabletop-batch"] = "tabletop-batch"
    format_version: Literal[1] = 1
    tool_version: str
    """The Tabletop that began the batch: another one might give other rows."""
    scenario_id: str
    scenario_sha256: str
    """SHA-256 of the scenario's canonical JSON (`simulator.setup.scenario_digest`)."""
    source: str | None
    """How the scenario was named (bundled name or path), as the kept run logs record it."""
    source_file: str | None
    """The scenario file's absolute path (none for a bundled scenario, or a scenario handed over in memory)."""
    variants: list[str | None]
    """The variants in order (null for the base scenario)."""
    replications: int
    seed: int
    common_random_numbers: bool
    decisions: dict[str, str]
    keep_logs: bool
    scenario: dict[str, Any]
    """The scenario itself, for a batch whose scenario came from no file."""

    @classmethod
    def of(cls, plan: BatchPlan, *, keep_logs: bool) -> BatchManifest:
        """The manifest of a plan about to run."""
        source_file = None
        if plan.source is not None and Path(plan.source).is_file():
            source_file = str(Path(plan.source).resolve())
        return cls(
            tool_version=tool_version(),
            scenario_id=plan.scenario.id,
            scenario_sha256=scenario_digest(plan.scenario),
            source=plan.source,
            source_file=source_file,
            variants=list(plan.variants),
            replications=plan.replications,
            seed=plan.seed,
            common_random_numbers=plan.common_random_numbers,
            decisions=dict(plan.decisions),
            keep_logs=keep_logs,
            scenario=scenario_data(plan.scenario),
        )

    def plan(self, folder: Path) -> BatchPlan:
        """The plan again, with the scenario read anew from its file or bundled name (or the copy kept here).

        Raises:
            scenarios.ScenarioError: the scenario no longer loads.
            BatchError: the scenario or Tabletop changed since the batch began.
        """
        from scenarios import load_scenario

        if self.tool_version != tool_version():
            raise BatchError(
                f"{folder} was begun by Tabletop {self.tool_version}, this is {tool_version()}",
                "another version may give other rows: start a new batch in a new --out folder",
            )
        if self.source is None:
            scenario = Scenario.model_validate_json(orjson.dumps(self.scenario), strict=True)
        else:
            scenario = load_scenario(self.source_file or self.source)
        if scenario_digest(scenario) != self.scenario_sha256:
            raise BatchError(
                f"{folder}: the scenario {self.source_file or self.source or self.scenario_id} changed since the "
                "batch began",
                "its rows would not fit the new rows: start a new batch in a new --out folder",
            )
        return BatchPlan(
            scenario,
            tuple(self.variants),
            self.replications,
            self.seed,
            self.common_random_numbers,
            dict(self.decisions),
            self.source,
        )


class BatchFolder:
    """A batch's output folder, held (locked) by this process from `claim` or `reopen` until `close`.

    The lock is an advisory `flock` on `batch.json`. It goes with the open file, so worker processes forked from
    this one hold it too: a folder counts as in use until the last process of its batch has gone.
    """

    def __init__(self, path: Path, fd: int, manifest: BatchManifest) -> None:
        self.path = path
        self.manifest = manifest
        self._fd: int | None = fd

    @property
    def csv(self) -> Path:
        """The rows as they come."""
        return self.path / RESULTS_CSV

    @classmethod
    def claim(cls, path: Path, manifest: BatchManifest) -> BatchFolder:
        """Take a new or empty folder for a new batch: create `batch.json` exclusively, lock it, write the plan.

        Two batches started together into the same folder cannot both pass: the file is created with
        `O_CREAT | O_EXCL`, which one of them only can do.

        Raises:
            BatchError: the folder is not empty (with what it holds), or another batch took it first.
        """
        if path.exists() and not path.is_dir():
            raise BatchError(f"{path} is a file, not a folder", "choose a new --out folder")
        path.mkdir(parents=True, exist_ok=True)
        if any(path.iterdir()):
            raise BatchError(*_occupied(path))
        try:
            fd = os.open(path / MANIFEST, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError as exc:
            raise BatchError(
                f"{path}: another batch took this folder at the same moment",
                "its results are left alone: choose a new --out folder",
            ) from exc
        try:
            _lock(fd, path, wait=True)  # whoever glances at the folder meanwhile lets go at once
            os.write(fd, manifest.model_dump_json(indent=2).encode("utf-8") + b"\n")
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        sync_folder(path)
        return cls(path, fd, manifest)

    @classmethod
    def reopen(cls, path: Path) -> BatchFolder:
        """Take an interrupted batch's folder to finish it.

        Raises:
            BatchError: the folder holds no batch, a damaged manifest, a batch still running, or a finished one.
        """
        manifest_path = path / MANIFEST
        if not manifest_path.is_file():
            what = "no such folder" if not path.is_dir() else f"no batch to resume (no {MANIFEST})"
            raise BatchError(f"{path}: {what}", "--resume takes the --out folder of an interrupted batch")
        fd = os.open(manifest_path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            _lock(fd, path, wait=False)
            manifest = _read_manifest(manifest_path)
            if (path / SUMMARY).exists():
                raise BatchError(
                    f"{path} holds a finished batch: nothing to resume", f"its summary is {path / SUMMARY}"
                )
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, manifest)

    def keep_rows(self, plan: BatchPlan, played: tuple[Scenario, ...], schema: pa.Schema) -> Kept:
        """Keep the rows an interrupted batch left in results.csv; cut off the torn or damaged lines after them.

        A row is kept when its line is whole (ends in a newline), its cells fit the schema and it is the row the
        plan puts there (the same variant, replication and seed). Everything from the first line that is not is
        dropped, to be computed again.

        Raises:
            BatchError: the file's header is not this batch's.
        """
        header = csv_header(*played)
        try:
            file = self.csv.open("r+b")
        except FileNotFoundError:
            return Kept(0, 0, True)
        with file:
            first = file.readline()
            if first != header:
                if not first.endswith(b"\n") and header.startswith(first):  # killed while writing the header
                    file.close()
                    self.csv.unlink()
                    return Kept(0, 0, True)
                raise BatchError(
                    f"{self.csv}:1: not the header of this batch's results",
                    "the folder was changed by something else: start a new batch in a new --out folder",
                )
            kept, end, dropped = 0, file.tell(), 0
            for line in file:
                if dropped or kept == plan.rows or not _is_row(line, schema, plan.key(kept)):
                    dropped += 1
                    continue
                kept += 1
                end += len(line)
            file.truncate(end)
            file.flush()
            os.fsync(file.fileno())
        return Kept(kept, dropped, False)

    def finish(self, schema: pa.Schema, played: dict[str, Scenario], plan: dict[str, Any]) -> dict[str, Any]:
        """Write results.parquet from results.csv, then summary.json (each atomically); the summary.

        The summary comes last: a folder with one holds a finished batch.
        """
        parquet = self.path / RESULTS_PARQUET
        _replace_atomically(parquet, lambda temporary: write_parquet(self.csv, temporary, schema))
        summary = summarise(parquet, played)
        summary["plan"] = plan
        text = orjson.dumps(summary, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        _replace_atomically(self.path / SUMMARY, lambda temporary: temporary.write_bytes(text))
        return summary

    def close(self) -> None:
        """Let go of the folder; does nothing if already done."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Kept:
    """What an interrupted batch left in results.csv."""

    rows: int
    """Whole rows kept, the first of the plan's."""
    dropped: int
    """Torn or damaged lines cut off (after a kill, a torn last line at most)."""
    fresh: bool
    """There is no file yet: the batch was killed before it wrote the header."""


def _is_row(line: bytes, schema: pa.Schema, expected: tuple[str, int, int]) -> bool:
    if not line.endswith(b"\n"):
        return False
    try:
        (fields,) = csv.reader([line.decode("utf-8")])
        row = parse_row(schema, fields)
    except ValueError:  # not UTF-8, two lines in one, cells that do not parse
        return False
    # Harm and milestone times are finite and never negative in a row a run wrote; another is run again.
    if any(isinstance(value, float) and not (math.isfinite(value) and value >= 0) for value in row.values()):
        return False
    return (row["variant"], row["replication"], row["seed"]) == expected


def _occupied(path: Path) -> tuple[str, str]:
    """What a non-empty folder holds, and what to do: the message and hint that refuse a new batch there."""
    manifest = path / MANIFEST
    if not manifest.is_file():
        return f"{path} is not empty", "choose a new --out folder, so that no results are overwritten"
    with contextlib.suppress(BatchError), _glance(path):
        if (path / SUMMARY).exists():
            return f"{path} holds a finished batch", "choose a new --out folder, so that no results are overwritten"
        return (
            f"{path} holds an interrupted batch",
            f"finish it with `tabletop batch --resume {path}`, or choose a new --out folder",
        )
    return f"{path} is in use by a batch that is still running", "wait for it, or choose a new --out folder"


@contextlib.contextmanager
def _glance(path: Path) -> Iterator[None]:
    """Hold the folder's lock for a moment (raises BatchError when a running batch holds it)."""
    fd = os.open(path / MANIFEST, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        _lock(fd, path, wait=False)
        yield
    finally:
        os.close(fd)


def _lock(fd: int, path: Path, *, wait: bool) -> None:
    """Lock the manifest (see `simulator._locking.lock`).

    Raises:
        BatchError: a running batch holds it, and `wait` is false.
    """
    if not lock(fd, wait=wait):
        raise BatchError(
            f"{path} is in use by a batch that is still running", "wait for it, or choose a new --out folder"
        )


def _read_manifest(path: Path) -> BatchManifest:
    try:
        return BatchManifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        raise BatchError(
            f"{path}: not a batch manifest ({where}: {error['msg']})",
            "it was damaged, or the batch was killed before it began: start a new batch in a new --out folder",
        ) from exc


def _replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file under a temporary name, fsync it, and rename it to `path` (readers see all of it or none)."""
    temporary = path.with_name(f".{path.name}.partial")
    temporary.unlink(missing_ok=True)  # left by a batch killed while writing it
    write(temporary)
    fd = os.open(temporary, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    temporary.replace(path)
    sync_folder(path.parent)
