"""`python -m benchmarks [NAME ...]`: run every `bench_*` module's `main()` (or those whose name contains a NAME)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def bench_modules() -> list[str]:
    """The names of the benchmark modules, sorted (`bench_engine`, `bench_loader_limits`...)."""
    folder = str(Path(__file__).parent)
    return sorted(info.name for info in pkgutil.iter_modules([folder]) if info.name.startswith("bench_"))


def run(names: Sequence[str] = ()) -> dict[str, object]:
    """Run the selected modules' `main()` in turn, print a summary table, and return what each returned."""
    selected = [name for name in bench_modules() if not names or any(part in name for part in names)]
    if not selected:
        raise SystemExit(f"no benchmark matches {', '.join(names)}; there are: {', '.join(bench_modules())}")
    results: dict[str, object] = {}
    timings: list[tuple[str, float]] = []
    for name in selected:
        print(f"## {name}\n", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        start = time.perf_counter()
        results[name] = module.main()
        timings.append((name, time.perf_counter() - start))
        print(flush=True)
    print("## summary\n")
    print("| benchmark | took (s) |")
    print("|---|---:|")
    for name, seconds in timings:
        print(f"| {name} | {seconds:.1f} |")
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
