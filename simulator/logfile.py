"""Reading a run log back: every line checked, in linear time and bounded memory, with what the file is worth."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from simulator._locking import lock_exclusively
from simulator._logformat import (
    ALTERED,
    FORMAT,
    FORMAT_VERSION,
    LINE_TYPES,
    MAX_HEADER_BYTES,
    MAX_LINE_BYTES,
    RunLogError,
    new_line_hash,
    seal_sha256,
)

_CHUNK_BYTES = MAX_LINE_BYTES
"""Read this much at a time. No more than `MAX_LINE_BYTES`: a line inside one chunk is then never too long, so only
a line that spans chunks needs measuring."""
_TYPED = b'"type":"'  # only the header and the seal have a "type"; a line without it is neither


@dataclass(frozen=True, slots=True)
class RunLog:
    """A run log as read back from its file.

    Attributes:
        header: The header line, format fields included.
        records: Every complete record, in order (or those kept, see `read_run_log`).
        seal: The sealing line, or None if the run was interrupted before it was sealed.
        repaired: Whether a torn last line (left by a crash) was dropped.
        path: The file it was read from.
        record_count: How many complete records the file holds (all of them, even when only some were kept).
        last_record: The last complete record (kept or not), or None when there is none.
    """

    header: dict[str, Any]
    records: list[dict[str, Any]]
    seal: dict[str, Any] | None
    repaired: bool
    path: Path
    record_count: int = 0
    last_record: dict[str, Any] | None = None

    @property
    def sealed(self) -> bool:
        """Whether the log is sealed (and, having been read, intact)."""
        return self.seal is not None

    def verdict(self) -> str:
        """What the file is worth, in words: `sealed and intact: 355 records`, or `interrupted (unsealed): ...`."""
        if self.seal is not None:
            return f"sealed and intact: {self.record_count} records"
        torn = "; a torn last line was dropped" if self.repaired else ""
        return f"interrupted (unsealed): {self.record_count} complete records{torn}"

    def unsealed_note(self) -> str | None:
        """For an unsealed log, the note a command that shows its outcome prints; None for a sealed one."""
        if self.seal is not None:
            return None
        return (
            f"{self.path.name} is unsealed (interrupted): {self.record_count} complete records; its outcome is not "
            f"verified (tabletop replay {self.path.name} --verify re-simulates it)"
        )


class _Scanner:
    """Reads and checks a run log chunk by chunk, hashing as it goes; each line is looked at once."""

    def __init__(self, path: Path, only_containing: bytes | None = None) -> None:
        self.path = path
        self.only_containing = only_containing
        self.header: dict[str, Any] | None = None
        self.seal: dict[str, Any] | None = None
        self.last_record: dict[str, Any] | None = None
        self.repaired = False
        self.kept_bytes = 0  # the file's length without its torn last line
        self._lines = 0  # complete lines checked so far
        self._newlines = 0  # complete lines read so far (some perhaps not yet checked)
        self._records = 0
        self._sha256 = new_line_hash()

    @property
    def record_count(self) -> int:
        """Complete records seen so far."""
        return self._records

    def scan(self, file: IO[bytes]) -> Iterator[list[dict[str, Any]]]:
        """Yield the records of `file` a chunk at a time, then check the seal."""
        for block, final, tail in self._blocks(file):
            yield self._feed(block, final=final, tail=tail)
        if self.seal is not None and (
            self.seal.get("records") != self._records or self.seal.get("sha256") != seal_sha256(self._sha256, self.seal)
        ):
            where = f"{self.path}:{self._lines}"  # the seal's line
            if self.seal.get("records") == self._records and self.seal.get("sha256") == self._sha256.hexdigest():
                # The seal of Tabletop before 2026-12: its hash covered the records only, not the outcome beside it.
                raise RunLogError(
                    f"{where}: the seal is of an earlier Tabletop, which did not cover the run's outcome: it cannot be "
                    "trusted",
                    "run the scenario again to get a log sealed by this version (same scenario, seed and --decide)",
                )
            message = f"{where}: seal does not match the records: the log was altered after it was written"
            raise RunLogError(message, "restore the log from a copy, or run the scenario again")

    def _blocks(self, file: IO[bytes]) -> Iterator[tuple[bytes, bool, bytes]]:
        """Yield blocks of whole lines: each with whether the file ends after it, and then the torn line ending it.

        A line that spans chunks is kept as a list of its parts (joined once, when its newline comes), and refused
        as soon as it grows past its limit: the time is linear in the file's length, the memory bounded by a line.
        """
        parts: list[bytes] = []
        partial = 0  # the length of the line begun in `parts`
        chunk = file.read(_CHUNK_BYTES)
        if not chunk:
            yield b"", True, b""
        elif not chunk.startswith(b"{"):
            raise self._not_a_run_log(b"")  # at once: a huge file of something else is not read through
        while chunk:
            following = file.read(_CHUNK_BYTES)
            final = not following
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                partial += len(chunk)
                self._check_length(partial)
                parts.append(chunk)
                if final:
                    yield b"", True, b"".join(parts)
                chunk = following
                continue
            self._check_length(partial + chunk.index(b"\n"))
            parts.append(chunk[:cut])
            block = b"".join(parts) if len(parts) > 1 else parts[0]
            tail = chunk[cut:]
            parts, partial = [tail], len(tail)
            self._newlines += block.count(b"\n")
            yield block, final, tail if final else b""
            chunk = following

    def _check_length(self, length: int) -> None:
        """Refuse the line being read once it is longer than any the writer writes."""
        if not self._newlines:
            if length > MAX_HEADER_BYTES:
                raise RunLogError(
                    f"{self.path}: not a Tabletop run log (its first line is longer than {MAX_HEADER_BYTES:,} "
                    "bytes, which no run-log header is)"
                )
        elif length > MAX_LINE_BYTES:
            raise RunLogError(
                f"{self.path}:{self._newlines + 1}: a line longer than {MAX_LINE_BYTES:,} bytes, which no run log "
                "has (it was not written by Tabletop)",
                ALTERED,
            )

    def _feed(self, block: bytes, *, final: bool, tail: bytes) -> list[dict[str, Any]]:
        """Check whole lines; a `final` block ends the file, but for a `tail` torn by a crash."""
        lines = block.split(b"\n")
        lines.pop()  # the block ends with a newline (or is empty)
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
        read_last = -1  # the index of the last record line read
        for index in range(first, len(lines)):
            line = lines[index]
            # Lines left out are still hashed and counted; the last one is always read (it may be the seal, or the
            # log's last record), and so is any that may be a header or a seal.
            if wanted is not None and index != last and wanted not in line and _TYPED not in line:
                skipped += 1
                continue
            try:
                obj = loads(line)
            except orjson.JSONDecodeError as exc:
                if final and not tail and index == last and _unwritten(line):  # torn, though it ends with a newline
                    self.repaired = True
                    kept -= len(line) + 1
                    self._last_record_before(lines, index, first, read_last, records)
                    break
                raise self._error(index, f"corrupt record ({exc})") from exc
            if type(obj) is not dict or obj.get("type") in LINE_TYPES:
                if not isinstance(obj, dict):
                    raise self._error(index, "corrupt record (not a JSON object)")
                if obj["type"] == "header":
                    raise self._error(index, "a second header line (were two logs joined?)")
                if index != last or not final or tail:
                    raise self._error(index + 1, "data after the seal")
                seal = obj
                self._last_record_before(lines, index, first, read_last, records)
                break
            append(obj)
            read_last = index
            if index == last:
                self.last_record = obj
        self.repaired = self.repaired or bool(tail)
        self.kept_bytes += kept
        self._lines += len(lines)
        self._records += len(records) + skipped
        if seal is None:
            self._sha256.update(memoryview(block)[:kept])
            return records
        self._sha256.update(memoryview(block)[: kept - len(lines[-1]) - 1])
        self.seal = seal  # checked by `scan` once these last records have been yielded
        return records

    def _last_record_before(
        self, lines: list[bytes], index: int, first: int, read_last: int, records: list[dict[str, Any]]
    ) -> None:
        """Note the record before line `index` (the seal, or a torn line) as the log's last, reading it if need be."""
        if index - 1 < first:
            return  # it ended the previous block, which noted it
        if read_last == index - 1:
            self.last_record = records[-1]
            return
        try:
            obj = orjson.loads(lines[index - 1])
        except orjson.JSONDecodeError as exc:
            raise self._error(index - 1, f"corrupt record ({exc})") from exc
        if not isinstance(obj, dict):
            raise self._error(index - 1, "corrupt record (not a JSON object)")
        self.last_record = obj

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
        if version < FORMAT_VERSION:
            raise RunLogError(
                f"{self.path}: run-log format version {version} was written by an earlier Tabletop, before the threat "
                "and response model changed (scenario language 2): this Tabletop cannot replay it",
                f"replay, compare or export it with the Tabletop that wrote it ({_writer(header)}), or play the run "
                f"again with this one (its scenario reads the same, but plays by the new rules): {_run_again(header)}",
            )
        return header

    def _not_a_run_log(self, tail: bytes) -> RunLogError:
        hint = "if it is one, the run stopped while writing its header: run the scenario again" if tail else None
        return RunLogError(f"{self.path}: not a Tabletop run log (first line is not a run-log header)", hint)

    def _error(self, index: int, what: str) -> RunLogError:
        return RunLogError(f"{self.path}:{self._lines + index + 1}: {what}", ALTERED)


def _writer(header: Mapping[str, Any]) -> str:
    """The Tabletop that wrote a log, as its header names it."""
    version = header.get("tool_version")
    return f"version {version}" if isinstance(version, str) else "an earlier version"


def _run_again(header: Mapping[str, Any]) -> str:
    """The command that plays again the run of an old log's header (what it names of it)."""
    source = header.get("scenario_source") or header.get("scenario_id")
    words = ["tabletop run", source if isinstance(source, str) else "SCENARIO"]
    if isinstance(header.get("variant"), str):
        words.append(f"--variant {header['variant']}")
    words.append(f"--seed {header['seed']}" if type(header.get("seed")) is int else "--seed N")
    decisions = header.get("decisions")
    if isinstance(decisions, dict):
        words.extend(f"--decide {decision}={option}" for decision, option in sorted(decisions.items()))
    words.append("--log NEW.jsonl")
    return " ".join(words)


def _unwritten(line: bytes) -> bool:
    """Whether a line is what a machine's crash leaves where a line was being written: zeros, or bytes that are not
    text. A line of text that does not parse was written so by someone, and is refused as corrupt."""
    if b"\0" in line:
        return True
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _open(path: Path, mode: Literal["rb", "r+b"]) -> IO[bytes]:
    try:
        return path.open(mode)
    except OSError as exc:
        raise RunLogError(f"{path}: cannot open the run log: {exc.strerror}") from exc


def read_run_log(
    path: Path,
    keep: Callable[[dict[str, Any]], bool] | None = None,
    *,
    only_containing: bytes | None = None,
    check: Callable[[list[dict[str, Any]], int], None] | None = None,
) -> RunLog:
    """Read and check a whole run log, dropping a torn last line left by a crash.

    This checks the format (header, seal, line lengths); `simulator.logcheck.read_tabletop_log` also checks each
    record against the record vocabulary, as every command that reads a log does.

    Args:
        path: the file.
        keep: keep only the records for which this is true (every record is still checked); all when None.
        only_containing: read only the record lines that contain these bytes (the others are hashed and counted
            for the seal, not parsed): a fast way to pick a few records out of a huge log.
        check: called with each batch of records read and the index of its first record, before any is kept (it
            raises to refuse them); not with `only_containing`, which leaves records out.

    Raises:
        RunLogError: the file is not a run log, is from a newer Tabletop, has a line longer than any run log has,
            or was altered after it was written.
    """
    if check is not None and only_containing is not None:
        raise ValueError("check needs every record: it cannot be used with only_containing")
    scanner = _Scanner(path, only_containing)
    records: list[dict[str, Any]] = []
    with _open(path, "rb") as file:
        for batch in scanner.scan(file):
            if check is not None:
                check(batch, scanner.record_count - len(batch))
            records.extend(batch if keep is None else filter(keep, batch))
    assert scanner.header is not None  # the scan raises rather than end without one
    return RunLog(
        scanner.header, records, scanner.seal, scanner.repaired, path, scanner.record_count, scanner.last_record
    )


def read_header(path: Path) -> dict[str, Any]:
    """Only the header of a run log (its first line), checked as `read_run_log` checks it.

    Raises:
        RunLogError: the file is not a run log, or is from a newer Tabletop.
    """
    scanner = _Scanner(path)
    with _open(path, "rb") as file:
        for block, final, tail in scanner._blocks(file):  # bounded as the whole read is
            if block:
                return scanner._check_header(block[: block.index(b"\n")])
            if final:
                raise scanner._not_a_run_log(tail)
    raise AssertionError("the blocks end with a final one")  # pragma: no cover


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
        lock_exclusively(file.fileno(), path)
        scanner = _Scanner(path)
        for _ in scanner.scan(file):
            pass
        if not scanner.repaired:
            return False
        file.truncate(scanner.kept_bytes)
        file.flush()
        os.fsync(file.fileno())
    return True
