"""Start-up: `tabletop --help`, `validate` and `run` as fresh processes, against importing pydantic and simpy.

Each command runs as its own process, as a user's shell starts it (the `tabletop` entry point's `main()`), with
`python -c "import pydantic, simpy"` (the baseline: the two libraries any engine-using command needs) in the same
run. After one warm-up round (which also writes the bytecode caches), `rounds` rounds run the four commands in
turn, the order rotated every round so that none is always first after another's load. The CPU time of a process is
its user plus system time as the operating system accounts it when it ends (so waiting for a core on a busy
machine does not count); wall is `time.perf_counter` around it. The ratios are each command's median over the
baseline's median, for CPU and for wall; the target is at most 2x for `validate` and `run`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCENARIO = "synagogue-holiday-attack"
"""The bundled scenario validated and run."""
TARGET_RATIO = 2.0
"""`validate` and `run` may take at most this many times the baseline's time."""
ENTRY = "import sys; from tabletop_cli.main import main; sys.argv[0] = 'tabletop'; main()"
"""What the installed `tabletop` script does (the project's own code, wherever it is checked out)."""
COMMANDS: dict[str, list[str]] = {
    "baseline": ["-c", "import pydantic, simpy"],
    "help": ["-c", ENTRY, "--help"],
    "validate": ["-c", ENTRY, "validate", SCENARIO],
    "run": ["-c", ENTRY, "run", SCENARIO],
}
"""The interpreter's arguments of each case."""
TARGETED = ("validate", "run")
"""The commands held to `TARGET_RATIO`."""
ROOT = Path(__file__).resolve().parent.parent
"""The checkout whose code is measured."""


def timed(arguments: list[str]) -> tuple[float, float]:
    """Run `python ARGUMENTS` in a fresh process, its output discarded; its CPU and wall seconds.

    Raises:
        RuntimeError: the process failed (its standard error is in the message).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    # An installed command starts from its cached bytecode: compiling every module again would be measured instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *arguments], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"python {' '.join(arguments)} exited {process.returncode}: {errors.decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def measure(rounds: int = 7) -> dict[str, list[tuple[float, float]]]:
    """(CPU, wall) of every case in each of `rounds` rounds, after a warm-up round."""
    names = list(COMMANDS)
    for name in names:
        timed(COMMANDS[name])
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for index in range(rounds):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            samples[name].append(timed(COMMANDS[name]))
    return samples


def _spread(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def summarise(samples: dict[str, list[tuple[float, float]]]) -> dict[str, dict[str, object]]:
    """Per case: min/median/max of CPU and wall seconds, and the medians over the baseline's."""
    base_cpu = statistics.median(cpu for cpu, _ in samples["baseline"])
    base_wall = statistics.median(wall for _, wall in samples["baseline"])
    figures: dict[str, dict[str, object]] = {}
    for name, pairs in samples.items():
        cpu = _spread([c for c, _ in pairs])
        wall = _spread([w for _, w in pairs])
        figures[name] = {
            "command": _shown(name),
            "cpu_s": cpu,
            "wall_s": wall,
            "cpu_ratio": cpu["median"] / base_cpu,
            "wall_ratio": wall["median"] / base_wall,
        }
    return figures


def _shown(name: str) -> str:
    arguments = COMMANDS[name]
    return f"python {' '.join(arguments)}" if name == "baseline" else "tabletop " + " ".join(arguments[2:])


def table(figures: dict[str, dict[str, object]]) -> str:
    """A markdown table of the figures."""
    lines = [
        "| command | CPU s (min / median / max) | wall s (min / median / max) | CPU ratio | wall ratio |",
        "|---|---|---|---:|---:|",
    ]
    for row in figures.values():
        cpu, wall = row["cpu_s"], row["wall_s"]
        assert isinstance(cpu, dict) and isinstance(wall, dict)
        lines.append(
            f"| `{row['command']}` | {cpu['min']:.3f} / {cpu['median']:.3f} / {cpu['max']:.3f} "
            f"| {wall['min']:.3f} / {wall['median']:.3f} / {wall['max']:.3f} "
            f"| {row['cpu_ratio']:.2f} | {row['wall_ratio']:.2f} |"
        )
    return "\n".join(lines)


def _ratio(row: dict[str, object]) -> float:
    ratio = row["cpu_ratio"]
    assert isinstance(ratio, float)
    return ratio


def main(rounds: int = 7) -> dict[str, object]:
    """Time the three commands and the baseline, print a markdown table, and return every figure."""
    figures = summarise(measure(rounds))
    print(table(figures))
    within = {name: _ratio(figures[name]) <= TARGET_RATIO for name in TARGETED}
    print(
        f"\ntarget: validate and run at most {TARGET_RATIO:g}x the baseline's CPU time: "
        + ", ".join(f"{name} {'met' if ok else 'missed'}" for name, ok in within.items())
    )
    return {
        "rounds": rounds,
        "scenario": SCENARIO,
        "target_ratio": TARGET_RATIO,
        "cases": figures,
        "within_target": within,
    }


if __name__ == "__main__":
    main()
