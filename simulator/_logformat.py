"""The run-log format shared by its writer and its reader: the format's marks, canonical JSON, the seal's hash."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from simulator.errors import SimulationError

FORMAT = "tabletop-run-log"
"""The header's `format` field, which marks a file as a Tabletop run log."""
FORMAT_VERSION = 2
"""The run-log format version written, and the only one read.

Version 2 came with scenario language 2 (December 2026): the threat's records changed (`EngagementStarted` replaced
`InterdictionStarted`, `ThreatEnded` says how the threat ended), so a version 1 log cannot be replayed or verified by
this engine; it is refused with what to do instead."""
MAX_LINE_BYTES = 1 << 20
"""The longest line (without its newline) a record or the seal may be: 1 MiB. Longer lines are neither written nor
read, so a reader never holds more than this of a line it cannot use."""
MAX_HEADER_BYTES = 64 << 20
"""The longest header line: 64 MiB (the header carries a copy of the scenario, whose file may be 5 MB)."""

HEADER_KEYS = frozenset({"type", "format", "format_version"})
"""Header fields the format sets itself."""
SEAL_KEYS = frozenset({"type", "records", "sha256"})
"""Seal fields the format sets itself."""
LINE_TYPES = ("header", "seal")  # a tuple: `in` compares with ==, so an unhashable "type" cannot raise
# Canonical JSON is plain JSON: dataclasses and datetimes are refused rather than given orjson's own spelling.
_DUMP_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_LINE_OPTIONS = _DUMP_OPTIONS | orjson.OPT_APPEND_NEWLINE
ALTERED = "the log was altered after it was written: restore it from a copy, or run the scenario again"
"""The hint for a log that is not as its writer left it."""


class RunLogError(SimulationError):
    """A run log cannot be written or read.

    Attributes:
        message: What is wrong, starting with the file (and line).
        hint: How to fix it, if there is something to suggest.
    """

    title = "Run log problem"


def canonical_json(obj: object) -> bytes:
    """Encode a value as canonical JSON: UTF-8, sorted keys, no whitespace, no trailing newline.

    An `orjson.Fragment` (JSON already encoded and checked, such as a `Setup`'s scenario) is embedded as it is.

    Raises:
        ValueError: the value holds a NaN or an infinity (JSON has neither); the message gives its key path.
        TypeError: the value holds something that is not plain JSON (a non-string key, a datetime, a set...).
    """
    return _checked(obj, orjson.dumps(obj, option=_DUMP_OPTIONS))


def canonical_line(obj: object) -> bytes:
    """`canonical_json(obj)` and a newline, encoded at once (no copy to add the newline).

    Raises:
        ValueError: the value holds a NaN or an infinity.
        TypeError: the value holds something that is not plain JSON.
    """
    data = orjson.dumps(obj, option=_LINE_OPTIONS)
    return _checked(obj, data) if b"null" in data else data  # the common case without a call: once per record


def _checked(obj: object, data: bytes) -> bytes:
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


def seal_sha256(lines: hashlib._Hash, seal: Mapping[str, Any]) -> str:
    """The seal's SHA-256: of every line before the seal (`lines`, left unchanged), then of the seal itself.

    The seal is hashed as canonical JSON without its `sha256` field, so its outcome (harm, milestones, ratings,
    decisions, end time, record count) is covered as much as the records are: editing any of it breaks the seal.
    """
    digest = lines.copy()
    digest.update(canonical_json({key: value for key, value in seal.items() if key != "sha256"}))
    return digest.hexdigest()


def new_line_hash() -> hashlib._Hash:
    """A fresh hash for the lines before the seal."""
    return hashlib.sha256()
