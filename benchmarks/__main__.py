"""`python -m benchmarks [--json] [NAME ...]`: run every `bench_*` module's `main()` (or those whose name has a NAME).

Each module prints its own markdown; a summary of the time each took follows. With `--json`, all of that goes to
stderr and stdout gets one JSON document with every figure:
`{"format": "tabletop-benchmarks", "version": 1, "machine": {...}, "benchmarks": {name: what main() returned},
"took_s": {name: seconds}, "failed": {name: error}}`. A module whose `main()` raises does not stop the others; the
command then exits 1 and names it. A figure that is not JSON (NaN, a tuple, a path...) fails its benchmark with a
message naming the benchmark and the key.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import os
import pkgutil
import platform
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

FORMAT = "tabletop-benchmarks"
VERSION = 1


class NotJson(ValueError):
    """A benchmark returned a figure that JSON cannot hold faithfully."""


def bench_modules() -> list[str]:
    """The names of the benchmark modules, sorted (`bench_engine`, `bench_loader_limits`...)."""
    folder = str(Path(__file__).parent)
    return sorted(info.name for info in pkgutil.iter_modules([folder]) if info.name.startswith("bench_"))


def json_ready(value: object, where: str) -> Any:
    """`value` as JSON data: dicts with string keys, lists, str, int, finite float, bool, None.

    A tuple becomes a list (a sequence of figures); anything else is refused, so a figure is never silently turned
    into something else.

    Raises:
        NotJson: naming `where` (the benchmark and the key) and what was found.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJson(f"{where}: {value} is not a JSON number; return None for a figure that has no value")
        return value
    if isinstance(value, dict):
        ready: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJson(f"{where}: key {key!r} is a {type(key).__name__}, not a string")
            ready[key] = json_ready(item, f"{where}.{key}")
        return ready
    if isinstance(value, list | tuple):
        return [json_ready(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise NotJson(f"{where}: a {type(value).__name__} ({value!r}) is not JSON; return str, int, float, bool or None")


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def run(names: Sequence[str] = ()) -> dict[str, object]:
    """Run the selected modules' `main()` in turn, print a summary table, and return the JSON document.

    Raises:
        SystemExit: no module matches `names` (exit 2).
    """
    modules = bench_modules()
    selected = [name for name in modules if not names or any(part in name for part in names)]
    if not selected:
        print(f"error: no benchmark matches {', '.join(names)}; there are: {', '.join(modules)}", file=sys.stderr)
        raise SystemExit(2)
    results: dict[str, object] = {}
    took: dict[str, float] = {}
    failed: dict[str, str] = {}
    for name in selected:
        print(f"## {name}\n", flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            results[name] = json_ready(module.main(), name)
        except NotJson as error:
            failed[name] = str(error)
            print(f"FAILED: {error}", flush=True)
        except Exception as error:
            failed[name] = f"{type(error).__name__}: {error}"
            traceback.print_exc()
            print(f"FAILED: {failed[name]}", flush=True)
        took[name] = time.perf_counter() - start
        print(flush=True)
    print("## summary\n")
    print("| benchmark | took (s) | |")
    print("|---|---:|---|")
    for name, seconds in took.items():
        print(f"| {name} | {seconds:.1f} | {'FAILED' if name in failed else ''} |")
    return {
        "format": FORMAT,
        "version": VERSION,
        "machine": machine(),
        "benchmarks": results,
        "took_s": took,
        "failed": failed,
    }


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send what is printed to stderr: Python's `print` and, at the file descriptor, child processes' output too.

    Some benchmarks start processes that inherit file descriptor 1; their output must not land in the JSON.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: Sequence[str]) -> int:
    """The command: run, print (the JSON document on stdout with `--json`), exit 1 if a benchmark failed."""
    as_json = "--json" in argv
    names = [arg for arg in argv if arg != "--json"]
    unknown = [arg for arg in names if arg.startswith("-")]
    if unknown:
        print(f"error: unknown option {unknown[0]}; usage: python -m benchmarks [--json] [NAME ...]", file=sys.stderr)
        return 2
    with stdout_to_stderr() if as_json else contextlib.nullcontext():
        document = run(names)
    if as_json:
        sys.stdout.write(json.dumps(document, indent=2, allow_nan=False) + "\n")
    failed = document["failed"]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)  # type: ignore[arg-type]
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
