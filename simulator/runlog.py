"""The run log: one append-only JSONL file per run: a header line, one line per record, a sealing line."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self

import orjson

from simulator.errors import SimulationError

FORMAT = "tabletop-run-log"
"""The header's `format` field, which marks a file as a Tabletop run log."""
FORMAT_VERSION = 1
"""The run-log format version written, and the newest one read."""

_HEADER_KEYS = frozenset({"type", "format", "format_version"})
_SEAL_KEYS = frozenset({"type", "records", "sha256"})
_LINE_TYPES = ("header", "seal")  # a tuple: `in` compares with ==, so an unhashable "type" cannot raise
# Canonical JSON is plain JSON: dataclasses and datetimes are refused rather than given orjson's own spelling.
_DUMP_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_CHUNK_BYTES = 1 << 20
_ALTERED = "the log was altered after it was written: restore it from a copy, or run the scenario again"


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


class RunLogError(SimulationError):
    """A run log cannot be written or read.

    Attributes:
        message: What is wrong, starting with the file (and line).
        hint: How to fix it, if there is something to suggest.
    """

    title = "Run log problem"


def canonical_json(obj: object) -> bytes:
    """Encode a value as canonical JSON: UTF-8, sorted keys, no whitespace, no trailing newline.

    Raises:
        ValueError: the value holds a NaN or an infinity (JSON has neither); the message gives its key path.
        TypeError: the value holds something that is not plain JSON (a non-string key, a datetime, a set...).
    """
    data = orjson.dumps(obj, option=_DUMP_OPTIONS)
    # orjson silently writes NaN and infinities as null, so only output holding "null" needs walking.
    if b"null" in data and (path := _non_finite_path(obj)) is not None:
        where = f"at {'.'.join(path)!r}".replace(".[", "[") if path else "as the whole value"
        raise ValueError(f"a NaN or infinite number {where} cannot be written: JSON has no such numbers")
    return data


def _non_finite_path(value: object) -> list[str] | None:
    """Return the key path to the first NaN or infinity in `value`, or None if there is none."""
    if isinstance(value, float):
        return None if math.isfinite(value) else []
    if isinstance(value, dict):
        items: Iterable[tuple[str, object]] = ((str(key), item) for key, item in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    for key, item in items:
        if (path := _non_finite_path(item)) is not None:
            return [key, *path]
    return None


class _Encoder:
    """Turns the header, records and seal into lines, keeping the count and the hash the seal needs."""

    __slots__ = ("_sha256", "records")

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self.records = 0

    def header(self, fields: Mapping[str, Any]) -> bytes:
        _refuse_reserved(fields, _HEADER_KEYS, "header")
        return self._hashed({**fields, "type": "header", "format": FORMAT, "format_version": FORMAT_VERSION})

    def record(self, record: Mapping[str, Any]) -> bytes:
        if not isinstance(record, dict):  # the common case (a dict, or the engine's read-only one) skips the ABC check
            if not isinstance(record, Mapping):
                raise TypeError(f"a run-log record must be a dict, got {type(record).__name__}")
            record = dict(record)
        if (kind := record.get("type")) in _LINE_TYPES:
            raise ValueError(f"a record cannot have type {kind!r}: the run-log format reserves it")
        line = self._hashed(record)
        self.records += 1
        return line

    def seal(self, summary: Mapping[str, Any]) -> bytes:
        _refuse_reserved(summary, _SEAL_KEYS, "seal")
        fields = {**summary, "type": "seal", "records": self.records, "sha256": self._sha256.hexdigest()}
        return canonical_json(fields) + b"\n"

    def _hashed(self, obj: Mapping[str, Any]) -> bytes:
        line = canonical_json(obj) + b"\n"
        self._sha256.update(line)
        return line


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
    lines.extend(encoder.record(record) for record in records)
    if summary is not None:
        lines.append(encoder.seal(summary))
    return b"".join(lines)


def _lock_exclusively(fd: int, path: Path) -> None:
    """Take an advisory lock so that one process at a time writes (or repairs) a log, where locks exist."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: a single writer is then a convention
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        hint = "wait for that run to finish, or use another file"
        raise RunLogError(f"{path}: another process is writing this log", hint) from exc
    except OSError:  # the file system has no locks: carry on unlocked
        return


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
        _lock_exclusively(fd, path)
        yield
    finally:
        os.close(fd)


class RunLogWriter:
    """Writes one run log, append-only, as the single writer of its file.

    With `flush_each`, every record reaches the operating system as it is written, so a killed process leaves
    every complete record behind. As a context manager, the log is closed (not sealed) on leaving, so an
    exception leaves a valid "interrupted" log.

    Attributes:
        path: The file being written.
    """

    def __init__(
        self, path: Path, header: Mapping[str, Any], *, flush_each: bool = True, overwrite: bool = False
    ) -> None:
        """Create the file and write the header.

        Args:
            path: Where to write the log.
            header: The caller's header fields (tool version, scenario, seed...).
            flush_each: Flush each record to the operating system, so it survives a crash of the process.
            overwrite: Replace an existing file instead of refusing to.

        Raises:
            RunLogError: the file exists (without `overwrite`), cannot be created, or is being written.
            ValueError: the header uses a reserved key or holds a NaN.
        """
        self.path = path
        self._flush_each = flush_each
        self._encoder = _Encoder()
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
            _lock_exclusively(fd, path)
            os.ftruncate(fd, 0)  # only once locked: never cut a log that another process is writing
            self._file: IO[bytes] | None = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        self._write(header_line, flush=True)

    @property
    def records_written(self) -> int:
        """How many records have been written so far."""
        return self._encoder.records

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record as a line of canonical JSON; the writer adds no fields.

        Raises:
            TypeError: the record is not a dict or holds something that is not plain JSON.
            ValueError: the record holds a NaN, has type "header" or "seal", or the log is closed.
        """
        self._require_open()  # before encoding, so that a closed log counts no more records
        self._write(self._encoder.record(record), flush=self._flush_each)

    def seal(self, summary: Mapping[str, Any]) -> None:
        """Write the sealing line (summary, record count, SHA-256 of all before it), fsync and close.

        Raises:
            ValueError: the summary uses a reserved key or holds a NaN, or the log is closed.
        """
        file = self._require_open()
        self._write(self._encoder.seal(summary), flush=True)
        try:
            os.fsync(file.fileno())
        finally:
            self.close()

    def close(self) -> None:
        """Close without sealing, leaving a valid "interrupted" log; does nothing if already closed."""
        file, self._file = self._file, None
        if file is not None:
            file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _require_open(self) -> IO[bytes]:
        if self._file is None:
            raise ValueError(f"{self.path}: the run log is already sealed or closed")
        return self._file

    def _write(self, line: bytes, *, flush: bool) -> None:
        file = self._require_open()
        try:
            file.write(line)
            if flush:
                file.flush()
        except OSError:
            # The file may now end in a torn line, which readers drop; writing on would corrupt it.
            self._file = None
            with contextlib.suppress(OSError):
                file.close()
            raise


@dataclass(frozen=True, slots=True)
class RunLog:
    """A run log as read back from its file.

    Attributes:
        header: The header line, format fields included.
        records: Every complete record, in order.
        seal: The sealing line, or None if the run was interrupted before it was sealed.
        repaired: Whether a torn last line (left by a crash) was dropped.
        path: The file it was read from.
        record_count: How many complete records the file holds (all of them, even when only some were kept).
    """

    header: dict[str, Any]
    records: list[dict[str, Any]]
    seal: dict[str, Any] | None
    repaired: bool
    path: Path
    record_count: int = 0


class _Scanner:
    """Reads and checks a run log chunk by chunk, hashing as it goes."""

    def __init__(self, path: Path, only_containing: bytes | None = None) -> None:
        self.path = path
        self.only_containing = only_containing
        self.header: dict[str, Any] | None = None
        self.seal: dict[str, Any] | None = None
        self.repaired = False
        self.kept_bytes = 0  # the file's length without its torn last line
        self._lines = 0
        self._records = 0
        self._sha256 = hashlib.sha256()

    @property
    def record_count(self) -> int:
        """Complete records seen so far."""
        return self._records

    def scan(self, file: IO[bytes]) -> Iterator[list[dict[str, Any]]]:
        """Yield the records of `file` a chunk at a time, then check the seal."""
        pending, chunk = b"", file.read(_CHUNK_BYTES)
        while True:
            following = file.read(_CHUNK_BYTES) if chunk else b""
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            pending = data[cut:]
            yield self._feed(data[:cut], final=not following, tail=b"" if following else pending)
            if not following:
                break
            chunk = following
        if self.seal is not None and (
            self.seal.get("records") != self._records or self.seal.get("sha256") != self._sha256.hexdigest()
        ):
            message = f"{self.path}: seal does not match the records: the log was altered after it was written"
            raise RunLogError(message, "restore the log from a copy, or run the scenario again")

    def _feed(self, block: bytes, *, final: bool, tail: bytes) -> list[dict[str, Any]]:
        """Check whole lines; a `final` block ends the file, but for a `tail` torn by a crash."""
        lines = block.split(b"\n")
        lines.pop()  # the block ends with a newline
        first = 0
        if self.header is None:
            if not lines:
                if final:
                    raise self._not_a_run_log(tail)
                return []
            self.header, first = self._check_header(lines[0]), 1
        records: list[dict[str, Any]] = []
        append, loads, last = records.append, orjson.loads, len(lines) - 1
        kept, seal, skipped, wanted = len(block), None, 0, self.only_containing
        for index in range(first, len(lines)):
            # Lines left out are still hashed and counted; only the last one, which may be the seal, must be read.
            if wanted is not None and index != last and wanted not in lines[index]:
                skipped += 1
                continue
            try:
                obj = loads(lines[index])
            except orjson.JSONDecodeError as exc:
                if final and not tail and index == last:  # torn, though it ends with a newline
                    self.repaired = True
                    kept -= len(lines[index]) + 1
                    break
                raise self._error(index, f"corrupt record ({exc})") from exc
            if type(obj) is not dict or obj.get("type") in _LINE_TYPES:
                if not isinstance(obj, dict):
                    raise self._error(index, "corrupt record (not a JSON object)")
                if obj["type"] == "header":
                    raise self._error(index, "a second header line (were two logs joined?)")
                if index != last or not final or tail:
                    raise self._error(index + 1, "data after the seal")
                seal = obj
                break
            append(obj)
        self.repaired = self.repaired or bool(tail)
        self.kept_bytes += kept
        self._lines += len(lines)
        self._records += len(records) + skipped
        if seal is None:
            self._sha256.update(block)
            return records
        self._sha256.update(memoryview(block)[: kept - len(lines[-1]) - 1])
        self.seal = seal  # checked by `scan` once these last records have been yielded
        return records

    def _check_header(self, line: bytes) -> dict[str, Any]:
        try:
            header = orjson.loads(line)
        except orjson.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("type") != "header":
            raise self._not_a_run_log(b"")
        version = header.get("format_version")
        if type(version) is not int or version < 1:
            raise RunLogError(f"{self.path}: the run-log header has an invalid format_version {version!r}")
        if version > FORMAT_VERSION:
            message = f"{self.path}: run-log format version {version} is newer than this Tabletop reads"
            raise RunLogError(message, f"upgrade Tabletop to read this log (it reads up to {FORMAT_VERSION})")
        return header

    def _not_a_run_log(self, tail: bytes) -> RunLogError:
        hint = "if it is one, the run stopped while writing its header: run the scenario again" if tail else None
        return RunLogError(f"{self.path}: not a Tabletop run log (first line is not a run-log header)", hint)

    def _error(self, index: int, what: str) -> RunLogError:
        return RunLogError(f"{self.path}:{self._lines + index + 1}: {what}", _ALTERED)


def _open(path: Path, mode: Literal["rb", "r+b"]) -> IO[bytes]:
    try:
        return path.open(mode)
    except OSError as exc:
        raise RunLogError(f"{path}: cannot open the run log: {exc.strerror}") from exc


def read_run_log(
    path: Path, keep: Callable[[dict[str, Any]], bool] | None = None, *, only_containing: bytes | None = None
) -> RunLog:
    """Read and check a whole run log, dropping a torn last line left by a crash.

    Args:
        path: the file.
        keep: keep only the records for which this is true (every record is still checked); all when None.
        only_containing: read only the record lines that contain these bytes (the others are hashed and counted
            for the seal, not parsed): a fast way to pick a few records out of a huge log.

    Raises:
        RunLogError: the file is not a run log, is from a newer Tabletop, or was altered after it was written.
    """
    scanner = _Scanner(path, only_containing)
    records: list[dict[str, Any]] = []
    with _open(path, "rb") as file:
        for batch in scanner.scan(file):
            records.extend(batch if keep is None else filter(keep, batch))
    assert scanner.header is not None  # the scan raises rather than end without one
    return RunLog(scanner.header, records, scanner.seal, scanner.repaired, path, scanner.record_count)


def read_header(path: Path) -> dict[str, Any]:
    """Only the header of a run log (its first line), checked as `read_run_log` checks it.

    Raises:
        RunLogError: the file is not a run log, or is from a newer Tabletop.
    """
    with _open(path, "rb") as file:
        line = file.readline()
    scanner = _Scanner(path)
    if not line.endswith(b"\n"):
        raise scanner._not_a_run_log(line)
    return scanner._check_header(line.rstrip(b"\n"))


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a run log without holding them all, checking them as `read_run_log` does.

    Raises:
        RunLogError: as `read_run_log`; a seal mismatch is found at the end, after every record was yielded.
    """
    with _open(path, "rb") as file:
        for batch in _Scanner(path).scan(file):
            yield from batch


def repair_run_log(path: Path) -> bool:
    """Cut a torn last line off a run log in place, so appending can resume; never cuts a complete record.

    Returns:
        Whether a torn line was cut.

    Raises:
        RunLogError: the file is not a run log, was altered, or another process is writing it.
    """
    with _open(path, "r+b") as file:
        _lock_exclusively(file.fileno(), path)
        scanner = _Scanner(path)
        for _ in scanner.scan(file):
            pass
        if not scanner.repaired:
            return False
        file.truncate(scanner.kept_bytes)
        file.flush()
        os.fsync(file.fileno())
    return True
