"""Loader limits: refusing a hostile file costs no more than loading a real scenario.

Three hostile files, each checked with `check_scenario` as `tabletop validate` does, next to loading the bundled
`synagogue-holiday-attack` scenario (the baseline) in the same run:

- a ~1 KB alias bomb ("billion laughs": nine levels of nine aliases, 9**9 strings once expanded), refused at its
  first anchor;
- a 50 MB file (sparse: written with one seek), refused for its size before a byte of it is read;
- 10,000 levels of nested flow lists (`[[[...]]]`), refused at the first level past the limit.

Times are the best of `repeat` repetitions (`time.perf_counter`), after one warm-up; the ratio is the time over the
baseline's, so below 1.0 means the refusal is cheaper than loading the real scenario.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scenarios import bundled_path, check_scenario, load_scenario

BASELINE = "synagogue-holiday-attack"
"""The bundled scenario whose loading is the yardstick."""
HUGE_BYTES = 50 * 1_048_576
"""Size of the oversized file."""
NESTING_LEVELS = 10_000
"""Depth of the deeply nested file."""


def alias_bomb(levels: int = 9) -> str:
    """The classic alias bomb: `levels` levels of nine aliases to the level below, about 1 KB of YAML."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def write_alias_bomb(path: Path) -> Path:
    """Write the alias bomb to `path`."""
    path.write_text(alias_bomb(), encoding="utf-8")
    return path


def write_huge_file(path: Path, size: int = HUGE_BYTES) -> Path:
    """Write a sparse file of `size` bytes (one seek and one newline, so it takes no time or disk)."""
    with path.open("wb") as file:
        file.seek(size - 1)
        file.write(b"\n")
    return path


def write_deep_nesting(path: Path, levels: int = NESTING_LEVELS) -> Path:
    """Write `levels` nested flow lists."""
    path.write_text("[" * levels + "]" * levels + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class Timing:
    """The best time of one case, next to the baseline's."""

    case: str
    """What was done."""
    outcome: str
    """`loaded`, or the first message of the refusal."""
    seconds: float
    """Best time of one check."""
    ratio: float
    """`seconds` over the baseline's."""

    def as_dict(self) -> dict[str, float | str]:
        """The numbers, for `main()`'s result."""
        return {"case": self.case, "outcome": self.outcome, "seconds": self.seconds, "ratio": self.ratio}


def _best(action: Callable[[], str], repeat: int) -> tuple[float, str]:
    """Best time of `action` over `repeat` runs after a warm-up, and what it returned."""
    outcome = action()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = action()
        best = min(best, time.perf_counter() - start)
    return best, outcome


def _load_baseline() -> str:
    load_scenario(bundled_path(BASELINE))
    return "loaded"


def _refusal(path: Path) -> Callable[[], str]:
    def check() -> str:
        result = check_scenario(path)
        if result.ok:
            raise AssertionError(f"{path.name} was accepted")
        return result.diagnostics[0].message

    return check


def measure(folder: Path, repeat: int = 5) -> dict[str, Timing]:
    """Write the hostile files into `folder` and time each case, the baseline first."""
    cases: dict[str, tuple[str, Callable[[], str]]] = {
        "baseline": (f"load {BASELINE} (baseline)", _load_baseline),
        "alias_bomb": ("refuse a 1 KB alias bomb", _refusal(write_alias_bomb(folder / "bomb.yaml"))),
        "huge_file": ("refuse a 50 MB file", _refusal(write_huge_file(folder / "huge.yaml"))),
        "deep_nesting": ("refuse 10,000 levels of nesting", _refusal(write_deep_nesting(folder / "deep.yaml"))),
    }
    measured = {key: (case, *_best(action, repeat)) for key, (case, action) in cases.items()}
    baseline = measured["baseline"][1]
    return {
        key: Timing(case, outcome, seconds, seconds / baseline) for key, (case, seconds, outcome) in measured.items()
    }


def table(timings: dict[str, Timing]) -> str:
    """A markdown table of the timings."""
    lines = ["| case | outcome | best (ms) | ratio to baseline |", "|---|---|---:|---:|"]
    lines += [f"| {t.case} | {t.outcome} | {t.seconds * 1000:.3f} | {t.ratio:.4f} |" for t in timings.values()]
    return "\n".join(lines)


def main(repeat: int = 5) -> dict[str, dict[str, float | str]]:
    """Time the three refusals and the baseline in one run, print a markdown table, and return the numbers."""
    with tempfile.TemporaryDirectory(prefix="tabletop-bench-") as folder:
        timings = measure(Path(folder), repeat)
    print(table(timings))
    return {key: timing.as_dict() for key, timing in timings.items()}


if __name__ == "__main__":
    main()
