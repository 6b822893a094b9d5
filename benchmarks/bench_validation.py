"""Validation time grows linearly with the file: generated scenarios of 0.1 to 2 MB, checked as `validate` does.

Two families of valid scenarios, each checked with `check_scenario` (read, parse, models, cross-references,
reachability, variants):

- **stakeholders**: a guard, the police and a ring of stakeholders, each with a rule that passes the alert on to
  the next over its own channel (one stakeholder, one rule and one channel per ~190 bytes);
- **variants**: a 20-stakeholder ring and many variants, each changing one stakeholder's units and adding a
  channel (the variants make the size).

Times are the best of `repeat` checks after one warm-up, wall-clock (`time.perf_counter`) and processor time of
this process (`time.process_time`, which other work on a shared machine disturbs less). For each family, `per MB`
is the processor time per megabyte over the smallest file's: about 1.0 at every size means the time grows linearly.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scenarios import check_scenario

MEGABYTE = 1_048_576
SIZES_MB = (0.1, 0.5, 1.0, 2.0)
"""File sizes of the stakeholders family."""
VARIANT_SIZES_MB = (0.1, 0.25, 0.5)
"""File sizes of the variants family (each variant is checked as a whole scenario, so they cost more per MB)."""
VARIANT_BASE = 20
"""Stakeholders in the variants family's scenario."""

_HEAD = """\
schema_version: 2
id: ring
title: Ring
summary: A guard sees an attack; the alert goes round a ring of stakeholders.
learning_objectives: [Pass the alert on.]
clock: {start: "2026-01-01T10:00:00", time_zone: Europe/Berlin, duration: 1h}
facts:
  - {id: attack, description: An attack.}
sites:
  - {id: hall, name: Hall, kind: other, occupancy: 10}
stakeholders:
  - id: guard
    name: Guard
    kind: site_staff
    site: hall
    playbook:
      - id: call
        on: {fact: attack}
        do: [{action: notify, to: police, fact: attack}, {action: notify, to: x0, fact: attack}]
  - {id: police, name: Police, kind: police_control}
"""
_THREAT = """\
threat:
  description: Abstract.
  phases:
    - {id: attack, kind: attack, site: hall, duration: 10m, observed_by: [{stakeholder: guard, fact: attack}]}
"""


def ring_scenario(stakeholders: int, variants: int = 0) -> str:
    """A valid scenario: a ring of `stakeholders` (at least 2) passing an alert on, and `variants` variants."""
    n = stakeholders
    lines = [_HEAD]
    lines += [
        f"  - {{id: x{i}, name: X{i}, kind: other, units: 2, playbook: [{{id: r{i}, on: {{fact: attack}}, "
        f"do: [{{action: notify, to: x{(i + 1) % n}, fact: attack}}]}}]}}\n"
        for i in range(n)
    ]
    lines.append("channels:\n  - {id: phone, from: guard, to: police, latency: 10s}\n")
    lines.append("  - {id: alarm, from: guard, to: x0, latency: 5s}\n")
    lines += [f"  - {{id: c{i}, from: x{i}, to: x{(i + 1) % n}, latency: 1s}}\n" for i in range(n)]
    lines.append(_THREAT)
    if variants:
        lines.append("variants:\n")
        lines += [
            f"  - {{id: v{k}, description: Variant {k}., "
            f"change: {{stakeholders: {{x{k % n}: {{units: {k % 5 + 1}}}}}}}, "
            f"add: {{channels: [{{id: v{k}-radio, from: police, to: x{k % n}, latency: 2s}}]}}}}\n"
            for k in range(variants)
        ]
    return "".join(lines)


def stakeholders_for(megabytes: float) -> int:
    """How many ring stakeholders make a file of about `megabytes`."""
    per_item = (len(ring_scenario(1000)) - len(ring_scenario(2))) / 998
    return max(2, round((megabytes * MEGABYTE - len(ring_scenario(2))) / per_item))


def variants_for(megabytes: float) -> int:
    """How many variants make a variants-family file of about `megabytes`."""
    base = len(ring_scenario(VARIANT_BASE))
    per_variant = (len(ring_scenario(VARIANT_BASE, 1000)) - base) / 1000
    return max(1, round((megabytes * MEGABYTE - base) / per_variant))


@dataclass(frozen=True, slots=True)
class Timing:
    """The best time of checking one generated file."""

    family: str
    """`stakeholders` or `variants`."""
    items: int
    """Stakeholders, or variants, in the file."""
    megabytes: float
    """The file's size."""
    seconds: float
    """Best wall-clock time of one check."""
    cpu_seconds: float
    """Best processor time of one check."""
    per_mb_ratio: float
    """Processor seconds per MB over the family's smallest file's (1.0: linear)."""

    def as_dict(self) -> dict[str, float | str | int]:
        """The numbers, for `main()`'s result."""
        return {
            "family": self.family,
            "items": self.items,
            "megabytes": self.megabytes,
            "seconds": self.seconds,
            "cpu_seconds": self.cpu_seconds,
            "per_mb_ratio": self.per_mb_ratio,
        }


def _best(path: Path, repeat: int) -> tuple[float, float]:
    """Best wall-clock and processor times of checking `path` over `repeat` runs after a warm-up (it must be valid)."""
    result = check_scenario(path)
    if not result.ok:
        raise AssertionError(f"{path.name} is not valid: {result.diagnostics[0]}")
    best = best_cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        check_scenario(path)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu


def measure(folder: Path, repeat: int = 3, sizes: tuple[float, ...] = SIZES_MB) -> list[Timing]:
    """Write each generated file into `folder` and time checking it, the smallest of each family first."""
    cases = [("stakeholders", stakeholders_for(mb), ring_scenario(stakeholders_for(mb))) for mb in sizes]
    variant_sizes = [mb for mb in VARIANT_SIZES_MB if mb <= max(sizes)] or [min(sizes)]
    cases += [("variants", variants_for(mb), ring_scenario(VARIANT_BASE, variants_for(mb))) for mb in variant_sizes]
    timings: list[Timing] = []
    smallest: dict[str, float] = {}
    for family, items, text in cases:
        path = folder / f"{family}-{items}.yaml"
        path.write_text(text, encoding="utf-8")
        megabytes = len(text.encode()) / MEGABYTE
        seconds, cpu_seconds = _best(path, repeat)
        per_mb = smallest.setdefault(family, cpu_seconds / megabytes)
        timings.append(Timing(family, items, megabytes, seconds, cpu_seconds, cpu_seconds / megabytes / per_mb))
    return timings


def table(timings: list[Timing]) -> str:
    """A markdown table of the timings."""
    lines = [
        "| family | items | size (MB) | best wall (s) | best cpu (s) | cpu s per MB | per MB over the smallest's |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t.family} | {t.items} | {t.megabytes:.2f} | {t.seconds:.3f} | {t.cpu_seconds:.3f} | "
        f"{t.cpu_seconds / t.megabytes:.3f} | {t.per_mb_ratio:.2f} |"
        for t in timings
    ]
    return "\n".join(lines)


def main(repeat: int = 3) -> list[dict[str, float | str | int]]:
    """Time checking each generated file, print a markdown table, and return the numbers."""
    with tempfile.TemporaryDirectory(prefix="tabletop-bench-") as folder:
        timings = measure(Path(folder), repeat)
    print(table(timings))
    return [timing.as_dict() for timing in timings]


if __name__ == "__main__":
    main()
