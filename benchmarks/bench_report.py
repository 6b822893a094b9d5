"""The after-action report in HTML of one run and of a 1,000-replication batch, next to baselines, and where it spends.

Measured in one run, each next to its baseline (the medians of `REPEAT` tries, in process after a first build that
loads the libraries, timed apart; and as a new process, start-up included, as a user waits for it):

- **One run** of `synagogue-holiday-attack` (seed 1, logged by `Exercise(..., log=path).run()`): `build_report` and
  `render(report, "html")`, next to `simulator.analysis.replay.verify` of the same log (re-simulating it and checking
  each record: the report does that and more, e.g. a fork for each other option of each decision taken). As a new
  process: `python -m tabletop_cli.main report LOG --out X --force` next to `... replay LOG --verify`. Target: 2 s.
- **A batch** of 1,000 replications of every variant of the scenario (made once by `run_batch` with 2 workers into a
  temporary folder; how long that took is printed, not part of any figure): the same, next to reading the batch's
  `summary.json` (orjson) and `results.parquet` (pyarrow, every column). As a new process: `tabletop report
  BATCH_DIR` next to a Python process that reads those two files. Target: 5 s.
- **Where the time goes**, in process: the run's facts (the re-simulation checked against the log, the forks, the
  rest of the analysis), the batch's facts, the document without its plots, the plots (SVG), the rendering of the
  HTML (the pass whose total is the median); and in a new process that does what `tabletop report` does, timing
  each step: the interpreter's start, the imports (the CLI, the report's modules, matplotlib), the facts, the
  document with its plots drawn for the first time in the process, the HTML rendered and written.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import simulator.analysis.report.run_facts as run_facts_module
from scenarios import load_scenario
from simulator import Exercise
from simulator.analysis.batch import BatchPlan, run_batch
from simulator.analysis.replay import verify
from simulator.analysis.report import build_report, plots, render
from simulator.analysis.report.batch_document import batch_report
from simulator.analysis.report.batch_facts import batch_facts
from simulator.analysis.report.run_document import run_report
from simulator.analysis.report.run_facts import run_facts

SCENARIO = "synagogue-holiday-attack"
REPLICATIONS = 1000
WORKERS = 2
REPEAT = 5
"""How many tries each in-process figure is the median of."""
PROCESS_REPEAT = 5
"""How many processes each new-process figure is the median of."""
PLOTS = ("timeline_svg", "awareness_svg", "distributions_svg", "differences_svg", "objectives_svg")
"""The functions of `simulator.analysis.report.plots` whose time is the plots' (each draws one SVG)."""
READ_BATCH = """
import sys, orjson, pyarrow.parquet
from pathlib import Path
folder = Path(sys.argv[1])
orjson.loads((folder / "summary.json").read_bytes())
pyarrow.parquet.read_table(folder / "results.parquet")
"""
"""The new-process baseline of a batch's report: a Python process that reads its summary and results."""
COLD = """
import json, sys, time
from pathlib import Path
began = time.monotonic()
import tabletop_cli.main
cli = time.monotonic()
from simulator.analysis.report import write_report
path, out = Path(sys.argv[1]), Path(sys.argv[2])
if path.is_dir():
    from simulator.analysis.report.batch_document import batch_report as document_of
    from simulator.analysis.report.batch_facts import batch_facts as facts_of
else:
    from simulator.analysis.report.run_document import run_report as document_of
    from simulator.analysis.report.run_facts import run_facts as facts_of
modules = time.monotonic()
import simulator.analysis.report._plot_style
plotting = time.monotonic()
facts = facts_of(path)
made = time.monotonic()
report = document_of(facts)
document = time.monotonic()
write_report(report, "html", out, replace=True)
written = time.monotonic()
print(json.dumps({
    "began": began, "written": written,
    "cli_imports_s": cli - began, "report_imports_s": modules - cli, "matplotlib_s": plotting - modules,
    "facts_s": made - plotting, "document_s": document - made, "render_s": written - document,
}))
"""
"""A new process that writes the report as `tabletop report` does, timing each step: the imports of the CLI, of the
report's modules (the simulator, Jinja2; pyarrow for a batch), of matplotlib (what they have not already loaded), the
facts, the document with its plots (their first drawing in the process), and the HTML rendered and written."""

T = TypeVar("T")


def timed(job: Callable[[], T]) -> tuple[float, T]:
    """Seconds `job` takes, and what it gave."""
    start = time.perf_counter()
    result = job()
    return time.perf_counter() - start, result


def median_s(job: Callable[[], object], repeat: int) -> float:
    """The median of the seconds `job` takes, over `repeat` tries (each after a garbage collection, so that none
    pays for the garbage of the one before)."""
    tries = []
    for _ in range(repeat):
        gc.collect()
        tries.append(timed(job)[0])
    return statistics.median(tries)


@contextmanager
def clocked(spent: dict[str, float], key: str, module: ModuleType, *names: str) -> Iterator[None]:
    """While inside, the seconds spent in the functions `module.<name>` are added to `spent[key]` (each function is
    wrapped in its module, then put back): the callers look them up there, so every call is counted."""
    originals = {name: getattr(module, name) for name in names}

    def wrapped(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - start

        return call

    for name, original in originals.items():
        setattr(module, name, wrapped(original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(module, name, original)


def process_s(args: list[str], repeat: int) -> float:
    """The median of the seconds a new Python process running `args` takes, start-up included."""

    def job() -> None:
        subprocess.run([sys.executable, *args], capture_output=True, check=True, env=os.environ)

    return median_s(job, repeat)


def process_breakdown(path: Path, out: Path, repeat: int) -> dict[str, float]:
    """Where a new process writing the report of `path` to `out` spends its time (seconds), from its start to its
    end (the interpreter's start, each step of `COLD`, the interpreter's exit)."""

    def one() -> dict[str, float]:
        # time.monotonic is one clock for every process of the machine (CLOCK_MONOTONIC on Linux), so the child's
        # instants tell its start and its exit apart from its steps.
        spawned = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", COLD, str(path), str(out)], capture_output=True, check=True, env=os.environ
        )
        ended = time.monotonic()
        parts: dict[str, float] = json.loads(done.stdout.decode().strip().splitlines()[-1])
        began, written = parts.pop("began"), parts.pop("written")
        return {**parts, "start_s": began - spawned, "exit_s": ended - written, "total_s": ended - spawned}

    return median_pass(one, repeat)


def cli(*args: str) -> list[str]:
    """The arguments of `tabletop ARGS...` as a Python module run."""
    return ["-m", "tabletop_cli.main", *args]


def write_run_log(folder: Path, seed: int = 1) -> Path:
    """One run of the scenario, logged in `folder`."""
    log = folder / "run.jsonl"
    Exercise(load_scenario(SCENARIO), seed, log=log, source=SCENARIO).run()
    return log


def make_batch(folder: Path, replications: int = REPLICATIONS, workers: int = WORKERS) -> tuple[Path, float]:
    """A batch of every variant of the scenario in `folder/batch`, and the seconds making it took."""
    scenario = load_scenario(SCENARIO)
    plan = BatchPlan(scenario, (None, *(v.id for v in scenario.variants)), replications, source=SCENARIO)
    out = folder / "batch"
    seconds, _outcome = timed(lambda: run_batch(plan, out, workers=workers))
    return out, seconds


def run_breakdown(log: Path) -> dict[str, float]:
    """Where one build and rendering of a run's report spends its time (seconds), and what it made."""
    spent: dict[str, float] = defaultdict(float)
    with ExitStack() as stack:
        stack.enter_context(clocked(spent, "resimulation_s", run_facts_module, "replay"))
        stack.enter_context(clocked(spent, "forks_s", run_facts_module, "with_alternatives"))
        stack.enter_context(clocked(spent, "plots_s", plots, *PLOTS))
        facts_s, facts = timed(lambda: run_facts(log))
        document_s, report = timed(lambda: run_report(facts))
        render_s, html = timed(lambda: render(report, "html"))
    return {
        "facts_s": facts_s,
        "resimulation_s": spent["resimulation_s"],
        "forks_s": spent["forks_s"],
        "other_facts_s": facts_s - spent["resimulation_s"] - spent["forks_s"],
        "document_s": document_s,
        "plots_s": spent["plots_s"],
        "document_without_plots_s": document_s - spent["plots_s"],
        "render_s": render_s,
        "total_s": facts_s + document_s + render_s,
        "forks": sum(len(decision.alternatives) for decision in facts.decisions),
        "plots": len(report.figures()),
        "html_bytes": len(html.encode()),
        "records": facts.debrief.records,
    }


def batch_breakdown(folder: Path) -> dict[str, float]:
    """Where one build and rendering of a batch's report spends its time (seconds), and what it made."""
    spent: dict[str, float] = defaultdict(float)
    with clocked(spent, "plots_s", plots, *PLOTS):
        facts_s, facts = timed(lambda: batch_facts(folder))
        document_s, report = timed(lambda: batch_report(facts))
        render_s, html = timed(lambda: render(report, "html"))
    return {
        "facts_s": facts_s,
        "document_s": document_s,
        "plots_s": spent["plots_s"],
        "document_without_plots_s": document_s - spent["plots_s"],
        "render_s": render_s,
        "total_s": facts_s + document_s + render_s,
        "variants": len(facts.variants),
        "replications": facts.replications,
        "plots": len(report.figures()),
        "html_bytes": len(html.encode()),
    }


def median_pass(passes: Callable[[], dict[str, float]], repeat: int) -> dict[str, float]:
    """Of `repeat` passes (each after a garbage collection), the one whose `total_s` is the median (so that its
    parts add up to its total, as medians of each part would not)."""
    made = []
    for _ in range(repeat):
        gc.collect()
        made.append(passes())
    return sorted(made, key=lambda one: one["total_s"])[(repeat - 1) // 2]


def html_report(path: Path) -> str:
    """The report of `path` (a log or a batch folder) built and rendered as HTML: the figure measured."""
    return render(build_report(path), "html")


def measure_run(log: Path, repeat: int = REPEAT) -> dict[str, Any]:
    """The in-process figures of one run's report (seconds unless named otherwise)."""
    first_s, _html = timed(lambda: html_report(log))  # loads the report's libraries (matplotlib, Jinja2)
    return {
        "first_s": first_s,
        "report_s": median_s(lambda: html_report(log), repeat),
        "baseline_s": median_s(lambda: verify(log), repeat),
        "breakdown": median_pass(lambda: run_breakdown(log), repeat),
    }


def measure_batch(batch: Path, repeat: int = REPEAT) -> dict[str, Any]:
    """The in-process figures of a batch's report (seconds unless named otherwise)."""
    import orjson
    import pyarrow.parquet

    def read_batch() -> None:
        orjson.loads((batch / "summary.json").read_bytes())
        pyarrow.parquet.read_table(batch / "results.parquet")

    return {
        "report_s": median_s(lambda: html_report(batch), repeat),
        "baseline_s": median_s(read_batch, repeat),
        "breakdown": median_pass(lambda: batch_breakdown(batch), repeat),
    }


def baseline_process(path: Path) -> list[str]:
    """The arguments of the new-process baseline of the report of `path`: `tabletop replay LOG --verify`, or a
    process that reads the batch's files."""
    return ["-c", READ_BATCH, str(path)] if path.is_dir() else cli("replay", str(path), "--verify")


def measure_processes(path: Path, out: Path, repeat: int = PROCESS_REPEAT) -> dict[str, Any]:
    """The new-process figures of the report of `path` (a log or a batch folder): `tabletop report` writing `out`,
    its baseline (`baseline_process`), and where the time goes (`process_breakdown`, writing `<out>-cold.html`)."""
    figures: dict[str, Any] = {
        "process_s": process_s(cli("report", str(path), "--out", str(out), "--force"), repeat),
        "baseline_process_s": process_s(baseline_process(path), repeat),
        "process_breakdown": process_breakdown(path, out.with_name(f"{out.stem}-cold.html"), repeat),
    }
    figures["written_bytes"] = out.stat().st_size
    return figures


def _row(label: str, seconds: float, baseline: float, baseline_name: str, target: str) -> str:
    return f"| {label} | {seconds:.2f} s | {baseline:.2f} s ({baseline_name}) | {seconds / baseline:.1f} | {target} |"


def print_tables(run: dict[str, Any], batch: dict[str, Any], made_s: float) -> None:
    """The markdown tables of the figures."""
    parts, batch_parts = run["breakdown"], batch["breakdown"]
    size = f"{batch_parts['replications']:,} replications x {batch_parts['variants']} variants"
    print(f"the batch ({size}, {WORKERS} workers) took {made_s:.1f} s to make (not in any figure)\n")
    print("| HTML report | time | baseline | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(_row("one run, in process", run["report_s"], run["baseline_s"], "`verify`", "< 2 s"))
    print(
        _row(
            "one run, `tabletop report` process",
            run["process_s"],
            run["baseline_process_s"],
            "`replay --verify`",
            "< 2 s",
        )
    )
    print(_row(f"batch of {size}, in process", batch["report_s"], batch["baseline_s"], "reading its files", "< 5 s"))
    print(
        _row(
            "the batch, `tabletop report` process",
            batch["process_s"],
            batch["baseline_process_s"],
            "a reading process",
            "< 5 s",
        )
    )
    print(f"\nthe first run report in a process, loading its libraries: {run['first_s']:.2f} s\n")
    print("| where the time goes (in process) | one run | batch |")
    print("|---|---:|---:|")
    rows = (
        ("facts", "facts_s"),
        ("- re-simulation checked against the log", "resimulation_s"),
        (f"- forks ({parts['forks']:.0f} other options)", "forks_s"),
        ("- the rest (debrief, hand-overs, awareness, findings)", "other_facts_s"),
        ("document without its plots", "document_without_plots_s"),
        (f"plots ({parts['plots']:.0f} / {batch_parts['plots']:.0f} SVG)", "plots_s"),
        ("rendering the HTML", "render_s"),
        ("total", "total_s"),
    )
    for label, key in rows:
        batch_cell = f"{batch_parts[key]:.3f} s" if key in batch_parts else ""
        print(f"| {label} | {parts[key]:.3f} s | {batch_cell} |")
    print(f"| HTML size | {parts['html_bytes'] / 1000:,.0f} kB | {batch_parts['html_bytes'] / 1000:,.0f} kB |")
    print()
    cold, batch_cold = run["process_breakdown"], batch["process_breakdown"]
    print("| where the time goes (a new process) | one run | batch |")
    print("|---|---:|---:|")
    for label, key in (
        ("the interpreter's start", "start_s"),
        ("importing the CLI", "cli_imports_s"),
        ("importing the report's modules (simulator, Jinja2; pyarrow for a batch)", "report_imports_s"),
        ("importing matplotlib", "matplotlib_s"),
        ("facts", "facts_s"),
        ("document and plots (drawn first in the process)", "document_s"),
        ("rendering and writing the HTML", "render_s"),
        ("the interpreter's exit (its modules torn down)", "exit_s"),
        ("total", "total_s"),
    ):
        print(f"| {label} | {cold[key]:.3f} s | {batch_cold[key]:.3f} s |")
    print()


def main() -> dict[str, Any]:
    """Write the run's log and make the batch, measure, print markdown tables."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = write_run_log(folder)
        run = {**measure_run(log), **measure_processes(log, folder / "run.html")}
        batch, made_s = make_batch(folder)
        figures = {**measure_batch(batch), **measure_processes(batch, folder / "batch.html")}
    print_tables(run, figures, made_s)
    ratios = {
        "run_in_process": run["report_s"] / run["baseline_s"],
        "run_process": run["process_s"] / run["baseline_process_s"],
        "batch_in_process": figures["report_s"] / figures["baseline_s"],
        "batch_process": figures["process_s"] / figures["baseline_process_s"],
    }
    return {"run": run, "batch": figures, "batch_made_s": made_s, "ratios": ratios}


if __name__ == "__main__":
    main()
