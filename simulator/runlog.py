"""Writing a run log: one append-only JSONL file per run: a header line, one line per record, a sealing line.

Reading one back is `simulator.logfile` (re-exported here); the format's shared parts are `simulator._logformat`.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self, TypeVar

from simulator._locking import lock_exclusively
from simulator._logformat import (
    FORMAT,
    FORMAT_VERSION,
    HEADER_KEYS,
    LINE_TYPES,
    MAX_HEADER_BYTES,
    MAX_LINE_BYTES,
    SEAL_KEYS,
    RunLogError,
    canonical_json,
    canonical_line,
    new_line_hash,
    seal_sha256,
)
from simulator.logfile import RunLog, iter_records, read_header, read_run_log, repair_run_log

_Lines = TypeVar("_Lines", bytes, bytearray)

BLOCK_BYTES = 256 << 10
"""How many bytes of records a writer without `flush_each` holds before writing them (and at most loses when the
process is killed): 256 KiB, a few thousand records."""

__all__ = [
    "BLOCK_BYTES",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_HEADER_BYTES",
    "MAX_LINE_BYTES",
    "RunLog",
    "RunLogError",
    "RunLogWriter",
    "canonical_json",
    "default_log_name",
    "encode_run_log",
    "iter_records",
    "lock_for_resume",
    "read_header",
    "read_run_log",
    "repair_run_log",
    "unused_log_path",
]


def default_log_name(scenario_id: str, when: datetime.datetime) -> str:
    """The file name a run's log gets unless the user names one: `2026-12-01-1030-synagogue-holiday-attack.jsonl`.

    The date and time to the minute come first, so a folder of logs lists in the order they were played. The engine
    never reads the clock: the caller passes `when`, its local time now (an aware `datetime` is written as it is,
    in its own time zone).

    Raises:
        ValueError: `scenario_id` is not a plain name (empty, or holding a path separator).
    """
    if not scenario_id or scenario_id.startswith(".") or any(sep in scenario_id for sep in ("/", "\\", "\0")):
        raise ValueError(f"a log is named after a scenario's id, not {scenario_id!r}")
    return f"{when:%Y-%m-%d-%H%M}-{scenario_id}.jsonl"


def unused_log_path(folder: Path, scenario_id: str, when: datetime.datetime) -> Path:
    """`folder / default_log_name(...)`, or, if that file exists, the first of `...-2.jsonl`, `...-3.jsonl`... that
    does not (two runs started in the same minute never share a log).

    Raises:
        ValueError: `scenario_id` is not a plain name.
    """
    name = default_log_name(scenario_id, when)
    path = folder / name
    stem = name.removesuffix(".jsonl")
    number = 1
    while os.path.lexists(path):  # a dangling link counts: writing through it would create a file elsewhere
        number += 1
        path = folder / f"{stem}-{number}.jsonl"
    return path


class _Encoder:
    """Turns the header, records and seal into lines, keeping the count and the hash the seal needs."""

    __slots__ = ("_sha256", "records")

    def __init__(self) -> None:
        self._sha256 = new_line_hash()
        self.records = 0

    def header(self, fields: Mapping[str, Any]) -> bytes:
        _refuse_reserved(fields, HEADER_KEYS, "header")
        header = {**fields, "type": "header", "format": FORMAT, "format_version": FORMAT_VERSION}
        line = _line(header, MAX_HEADER_BYTES, "the header")
        self._sha256.update(line)
        return line

    def record(self, record: Mapping[str, Any]) -> bytes:
        """The record's line, counted but not hashed: the caller hashes it, alone or with the lines after it."""
        if not isinstance(record, dict):  # the common case (a dict, or the engine's read-only one) skips the ABC check
            if not isinstance(record, Mapping):
                raise TypeError(f"a run-log record must be a dict, got {type(record).__name__}")
            record = dict(record)
        if (kind := record.get("type")) in LINE_TYPES:
            raise ValueError(f"a record cannot have type {kind!r}: the run-log format reserves it")
        line = canonical_line(record)
        if len(line) > MAX_LINE_BYTES:  # with its newline: only a longer line is looked at again
            _refuse_long(line, MAX_LINE_BYTES + 1, f"record {self.records}")
        self.records += 1
        return line

    def hashed(self, lines: _Lines) -> _Lines:
        """Add lines (one, or several joined) to the hash; returns them."""
        self._sha256.update(lines)
        return lines

    def seal(self, summary: Mapping[str, Any]) -> bytes:
        _refuse_reserved(summary, SEAL_KEYS, "seal")
        fields = {**summary, "type": "seal", "records": self.records}
        return _line({**fields, "sha256": seal_sha256(self._sha256, fields)}, MAX_LINE_BYTES, "the seal")


def _line(obj: Mapping[str, Any], limit: int, what: str) -> bytes:
    """`obj` as a line of canonical JSON (newline included), refused if longer than `limit` without it."""
    line = canonical_line(obj)
    _refuse_long(line, limit + 1, what)
    return line


def _refuse_long(line: bytes, limit: int, what: str) -> None:
    """Refuse a line (its newline counted in `limit`) no reader would read (see `MAX_LINE_BYTES`), before anything of
    it is written."""
    if len(line) > limit:
        raise RunLogError(
            f"{what} would be a line of {len(line) - 1:,} bytes, longer than the {limit - 1:,} a run log allows",
            "shorten the text that made it so long",
        )


def _refuse_reserved(fields: Mapping[str, Any], reserved: frozenset[str], where: str) -> None:
    if clash := sorted(reserved.intersection(fields)):
        raise ValueError(f"{where} field(s) {', '.join(map(repr, clash))} are reserved by the run-log format")


def encode_run_log(
    header: Mapping[str, Any], records: Iterable[Mapping[str, Any]], summary: Mapping[str, Any] | None
) -> bytes:
    """Return exactly the bytes a `RunLogWriter` would write, for in-memory runs and tests.

    Args:
        header: The caller's header fields (the format fields are added).
        records: The records, in order.
        summary: The caller's seal fields, or None for an unsealed log (as if closed without sealing).
    """
    encoder = _Encoder()
    lines = [encoder.header(header)]
    lines.extend(encoder.hashed(encoder.record(record)) for record in records)  # line by line: the writer's reference
    if summary is not None:
        lines.append(encoder.seal(summary))
    return b"".join(lines)


@contextlib.contextmanager
def lock_for_resume(path: Path) -> Iterator[None]:
    """Hold the lock of an existing log while it is resumed, so that no live writer is still at it.

    Raises:
        RunLogError: the file cannot be opened, or another process holds it.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RunLogError(f"{path}: cannot open the run log: {exc.strerror}") from exc
    try:
        lock_exclusively(fd, path)
        yield
    finally:
        os.close(fd)


class RunLogWriter:
    """Writes one run log, append-only, as the single writer of its file.

    With `flush_each`, every record reaches the operating system as it is written, so a killed process leaves
    every complete record behind. Without it, records are held and written in blocks of about `BLOCK_BYTES` (one
    write and one hash update a block: the same bytes), and whenever `flush` is called; a killed process then loses
    at most the records written since the last block or `flush`. Sealing and closing write everything first. As a
    context manager, the log is closed (not sealed) on leaving, so an exception leaves a valid "interrupted" log.

    Attributes:
        path: The file being written.
    """

    def __init__(
        self, path: Path, header: Mapping[str, Any], *, flush_each: bool = True, overwrite: bool = False
    ) -> None:
        """Create the file and write the header (at once, whatever `flush_each`).

        Args:
            path: Where to write the log.
            header: The caller's header fields (tool version, scenario, seed...); a field may be an
                `orjson.Fragment` of canonical JSON already checked (the scenario of a `Setup`).
            flush_each: Flush each record to the operating system, so it survives a crash of the process.
            overwrite: Replace an existing file instead of refusing to.

        Raises:
            RunLogError: the file exists (without `overwrite`), cannot be created, or is being written.
            ValueError: the header uses a reserved key or holds a NaN.
        """
        self.path = path
        self._flush_each = flush_each
        self._encoder = _Encoder()
        self._pending = bytearray()
        """Lines encoded and counted but not yet hashed nor written. One buffer, not a list of the lines: each line
        is freed at once, so the next record's encoding reuses its memory (holding thousands of small `bytes` made
        encoding three times dearer)."""
        self._failure: str | None = None
        """Why writing failed (the operating system's words), once it has: the writer then refuses to go on."""
        header_line = self._encoder.header(header)  # before creating the file: a bad header leaves none
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0) | (0 if overwrite else os.O_EXCL)
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError as exc:
            hint = "choose another file name for the run log, or move the old one away"
            raise RunLogError(f"{path}: a file already exists there; refusing to overwrite it", hint) from exc
        except OSError as exc:
            raise RunLogError(f"{path}: cannot create the run log: {exc.strerror}") from exc
        try:
            lock_exclusively(fd, path)
            os.ftruncate(fd, 0)  # only once locked: never cut a log that another process is writing
            self._file: IO[bytes] | None = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        self._write(header_line)

    @property
    def records_written(self) -> int:
        """How many records have been written so far (held ones included: they are in the log once it is closed)."""
        return self._encoder.records

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record as a line of canonical JSON; the writer adds no fields.

        The record is encoded and checked at once (a refused one leaves the log as it was); it reaches the file now
        with `flush_each`, else with its block or at the next `flush`.

        Raises:
            TypeError: the record is not a dict or holds something that is not plain JSON.
            ValueError: the record holds a NaN, has type "header" or "seal", or the log is closed.
            OSError: the file could not be written (the disk is full...); the writer then refuses to go on.
        """
        if self._file is None:
            self._require_open()  # raises, before encoding: a closed log counts no more records
        pending = self._pending
        pending += self._encoder.record(record)
        if self._flush_each or len(pending) >= BLOCK_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the records held so far and hand them to the operating system (a killed process keeps them).

        Does nothing when no record is held, even once the log is closed.

        Raises:
            ValueError: records are held but the log is closed.
            OSError: the file could not be written; the writer then refuses to go on.
        """
        pending = self._pending
        if not pending:
            return
        self._require_open()
        try:
            self._write(self._encoder.hashed(pending))  # written (or copied by the file's buffer) before it is cleared
        finally:
            pending.clear()

    def seal(self, summary: Mapping[str, Any]) -> None:
        """Write the records held, the sealing line (summary, record count, SHA-256 of all before it), fsync, close.

        Raises:
            ValueError: the summary uses a reserved key or holds a NaN, or the log is closed.
            OSError: the file could not be written or synced.
        """
        file = self._require_open()
        self.flush()
        self._write(self._encoder.seal(summary))
        try:
            os.fsync(file.fileno())
        finally:
            self.close()

    def close(self) -> None:
        """Write the records held and close without sealing, leaving a valid "interrupted" log; does nothing if
        already closed.

        Raises:
            OSError: the records held could not be written (the file is closed all the same).
        """
        file = self._file
        if file is None:
            return
        try:
            self.flush()
        finally:
            self._file = None
            file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _require_open(self) -> IO[bytes]:
        if self._file is None:
            if self._failure is not None:
                raise ValueError(f"{self.path}: the run log could not be written ({self._failure}); it takes no more")
            raise ValueError(f"{self.path}: the run log is already sealed or closed")
        return self._file

    def _write(self, lines: bytes | bytearray) -> None:
        file = self._require_open()
        try:
            file.write(lines)
            file.flush()
        except OSError as exc:
            # The file may now end in a torn line, which readers drop; writing on would corrupt it.
            self._file = None
            self._pending.clear()
            self._failure = exc.strerror or str(exc)
            with contextlib.suppress(OSError):
                file.close()
            raise
