"""Regenerate the golden run logs: `python -m tests.golden.regenerate [--check] [NAME ...]`, from the project root.

A golden log is the run log of a bundled scenario, base variant, seed 0, default decisions: exactly what
`tabletop run NAME --log FILE` writes, except that the header's `tool_version` reads `golden` (and the seal's SHA-256
is recomputed to match, with `simulator._logformat.seal_sha256`), so that a version bump does not change the goldens
while everything else does. Each golden is still a valid, sealed run log that `read_run_log` reads.

Regenerate only on purpose (the engine's behaviour or a bundled scenario changed), then review the diff. With no
names, every bundled scenario is regenerated and goldens of scenarios that are no longer bundled are removed. With
`--check`, nothing is written: the exit code is 1 if any golden is missing, stale or out of date.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from scenarios import bundled_names, load_scenario
from simulator import Exercise
from simulator._logformat import seal_sha256
from simulator.runlog import canonical_json

GOLDEN_DIR = Path(__file__).resolve().parent
"""Where the golden logs live."""
SEED = 0
"""The seed of every golden run."""
TOOL_VERSION = "golden"
"""What the header's `tool_version` reads in a golden log."""
SUFFIX = f".seed{SEED}.jsonl"
REGENERATE = "python -m tests.golden.regenerate"
"""The command that regenerates the goldens (from the project root)."""


def golden_path(name: str) -> Path:
    """The golden log of a bundled scenario."""
    return GOLDEN_DIR / f"{name}{SUFFIX}"


def golden_names() -> list[str]:
    """The scenarios that have a golden log, sorted."""
    return sorted(path.name.removesuffix(SUFFIX) for path in GOLDEN_DIR.glob(f"*{SUFFIX}"))


def golden_log(name: str) -> bytes:
    """Play a bundled scenario (base variant, seed 0) to the end and return its normalised run log."""
    exercise = Exercise(load_scenario(name), SEED, source=name)
    exercise.run()
    return normalise(exercise.log_bytes())


def normalise(log: bytes) -> bytes:
    """Set the header's `tool_version` to `golden` and recompute the seal's SHA-256 to match.

    Raises:
        ValueError: the log's seal did not match its lines before normalising (it was not a sound run log).
    """
    lines = log.split(b"\n")
    if lines[-1] != b"" or len(lines) < 3:
        raise ValueError("a run log is a header line and lines each ending with a newline")
    lines.pop()
    header: dict[str, Any] = orjson.loads(lines[0])
    header["tool_version"] = TOOL_VERSION
    lines[0] = canonical_json(header)
    last: dict[str, Any] = orjson.loads(lines[-1])
    if last.get("type") == "seal":
        body = b"".join(line + b"\n" for line in lines[1:-1])
        if last["sha256"] != seal_sha256(hashlib.sha256(log[: log.index(b"\n") + 1] + body), last):
            raise ValueError("the run log's seal does not match its lines")
        last["sha256"] = seal_sha256(hashlib.sha256(lines[0] + b"\n" + body), last)
        lines[-1] = canonical_json(last)
    return b"".join(line + b"\n" for line in lines)


def first_difference(expected: bytes, actual: bytes, limit: int = 600) -> str:
    """Describe where two run logs differ: the header's keys, then the first differing record in full."""
    old, new = expected.splitlines(), actual.splitlines()
    found: list[str] = []
    if old[:1] != new[:1]:
        before, after = orjson.loads(old[0]), orjson.loads(new[0])
        keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        found.append(f"the header differs in: {', '.join(keys)}")
        if "scenario" in keys:
            found.append("(the embedded scenario changed: its file was edited, or the scenario models changed)")
    for index, (a, b) in enumerate(zip(old[1:], new[1:], strict=False), start=1):
        if a != b:
            before, after = orjson.loads(a), orjson.loads(b)
            keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            if keys == ["sha256"] and after.get("type") == "seal":
                continue  # the seal hashes the header: a changed header alone changes it
            where = _where(after if after.get("type") != "seal" else before, index)
            found += [
                f"\nfirst difference at line {index + 1} ({where}), in: {', '.join(keys)}",
                f"\n  golden: {_clip(a, limit)}",
                f"\n  now:    {_clip(b, limit)}",
                f"\n  (the golden has {len(old)} lines, the run now {len(new)})",
            ]
            break
    else:
        if len(old) != len(new):
            shorter, longer, which = (old, new, "golden") if len(old) < len(new) else (new, old, "new")
            extra = _clip(longer[len(shorter)], limit)
            found.append(f"\nthe {which} log stops after line {len(shorter)}; the other goes on with: {extra}")
        elif found:
            found[-1] += "; the records are the same"
    return " ".join(found).replace(" \n", "\n").strip() if found else "the logs are identical"


def _where(line: dict[str, Any], index: int) -> str:
    if line.get("type") == "seal":
        return "the seal"
    return f"record seq {line.get('seq')}, t {line.get('t')}, {line.get('kind')}" if "seq" in line else f"line {index}"


def _clip(line: bytes, limit: int) -> str:
    text = line.decode()
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def regenerate(names: Sequence[str], *, check: bool) -> int:
    """Write (or with `check`, compare) the goldens of `names` (every bundled scenario when empty); exit code."""
    bundled = bundled_names()
    unknown = sorted(set(names) - set(bundled))
    if unknown:
        print(f"not bundled: {', '.join(unknown)}; bundled scenarios: {', '.join(bundled)}", file=sys.stderr)
        return 2
    out_of_date = 0
    for name in names or bundled:
        path = golden_path(name)
        log = golden_log(name)
        old = path.read_bytes() if path.exists() else None
        if old == log:
            print(f"{name}: unchanged")
            continue
        out_of_date += 1
        status = "missing" if old is None else "changed, " + first_difference(old, log).replace("\n", "\n    ")
        print(f"{name}: {status}")
        if not check:
            path.write_bytes(log)
    if not names:
        for stale in sorted(set(golden_names()) - set(bundled)):
            out_of_date += 1
            print(f"{stale}: no longer bundled" + ("" if check else "; removed its golden"))
            if not check:
                golden_path(stale).unlink()
    if check and out_of_date:
        print(f"{out_of_date} golden log(s) out of date: run `{REGENERATE}` and review the diff", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str]) -> int:
    """Parse `[--check] [NAME ...]` and regenerate."""
    check = "--check" in argv
    return regenerate([arg for arg in argv if arg != "--check"], check=check)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
