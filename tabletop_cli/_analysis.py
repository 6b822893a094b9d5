"""The analyst's commands: replay --verify, fork, compare, batch, export."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from simulator.narrative import t_plus
from tabletop_cli import BadOption

_T_PLUS = re.compile(r"^T\+(\d+):([0-5]\d):([0-5]\d)$")


def parse_point(text: str, decisions: set[str]) -> tuple[str | None, float | None]:
    """`--at` is one of the run's decisions, or a time: a duration (`12m`, `1h5m`) or `T+HH:MM:SS`.

    A decision id wins over a time that reads the same (`30m` can be both). Something that looks like a time but
    is not one is a mistake, not an unknown decision.

    Raises:
        BadOption: not a decision of the run, and not a valid time.
    """
    from scenarios._base import parse_duration

    if text in decisions:
        return text, None
    match = _T_PLUS.match(text)
    if match:
        hours, minutes, seconds = (int(g) for g in match.groups())
        return None, float(hours * 3600 + minutes * 60 + seconds)
    try:
        return None, parse_duration(text)
    except ValueError:
        if re.match(r"^[-+T\d]", text):
            raise BadOption(
                f"--at {text!r} is not a time", "write a time such as 12m, 1h5m or T+00:12:00, or a decision id"
            ) from None
        return text, None


def minutes(t: float | None) -> str:
    """Seconds as `mm:ss` (or `h:mm:ss`), `—` for never."""
    return "—" if t is None else t_plus(t).removeprefix("T+").removeprefix("00:")


def signed(delta: float | None) -> str:
    """A signed difference in `mm:ss`."""
    if delta is None:
        return ""
    if delta == 0:
        return "±0"
    return ("+" if delta > 0 else "-") + minutes(abs(delta))


def run_replay(log: Path, *, verify: bool, embedded: bool, json_output: bool) -> int:
    """`tabletop replay`: re-simulate a log; with --verify, report the first divergence. Exit 0 when identical."""
    from simulator.analysis.replay import verify as verify_log

    result = verify_log(log, embedded=embedded)
    if json_output:
        divergence = result.divergence
        report = {
            "log": str(log),
            "identical": result.ok,
            "records_checked": result.records_checked,
            "notes": list(result.notes),
            "divergence": None
            if divergence is None
            else {
                "index": divergence.index,
                "logged": divergence.logged,
                "replayed": divergence.replayed,
                "cause": divergence.cause,
            },
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return 0 if result.ok or not verify else 1
    console = Console(highlight=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    if result.ok:
        console.print(f"[green]identical[/]: {result.records_checked} records re-simulated exactly")
        return 0
    divergence = result.divergence
    assert divergence is not None
    console.print(f"[red]diverges[/] at record {divergence.index}: likely cause: {divergence.cause}")
    console.print(f"  in the log:   {json.dumps(divergence.logged, sort_keys=True)}", markup=False)
    console.print(f"  re-simulated: {json.dumps(divergence.replayed, sort_keys=True)}", markup=False)
    return 1 if verify else 0


def run_fork(log: Path, at: str, decisions: dict[str, str], new_log: Path, embedded: bool, json_output: bool) -> None:
    """`tabletop fork`: re-simulate a run with other choices from a point, and print what changed."""
    from simulator.analysis.compare import digest
    from simulator.analysis.fork import fork
    from simulator.runlog import read_header

    scenario = read_header(log).get("scenario") or {}
    at_decision, at_t = parse_point(at, {str(d.get("id")) for d in scenario.get("decisions", [])})
    result = fork(log, at_decision=at_decision, at_t=at_t, decisions=decisions, new_log=new_log, embedded=embedded)
    before = digest(result.parent, "parent")
    summary = result.summary
    names = {m.id: m.name for m in result.exercise.scenario.milestones}
    if json_output:
        report = {
            "log": str(new_log),
            "fork_t": result.fork_t,
            "shared_records": result.shared_records,
            "milestones": {m: {"parent": before.milestones.get(m), "fork": summary.milestones.get(m)} for m in names},
            "ratings": {
                r.objective: {"parent": before.ratings.get(r.objective), "fork": r.rating} for r in summary.objectives
            },
            "harm": {"parent": before.harm, "fork": summary.harm},
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    console = Console(highlight=False)
    console.print(f"Forked at {t_plus(result.fork_t)}: the first {result.shared_records} records are the parent's.")
    table = Table(title="What changed")
    for column in ("", "parent", "fork", "change"):
        table.add_column(column)
    for milestone, name in names.items():
        old, new = before.milestones.get(milestone), summary.milestones.get(milestone)
        delta = None if old is None or new is None else new - old
        table.add_row(name, minutes(old), minutes(new), signed(delta))
    for rating in summary.objectives:
        old_rating = before.ratings.get(rating.objective)
        change = "" if old_rating == rating.rating else f"{old_rating} → {rating.rating}"
        table.add_row(f"objective: {rating.name}", str(old_rating), str(rating.rating), change)
    harm_change = None if before.harm is None else summary.harm - before.harm
    table.add_row(
        "harm",
        f"{before.harm:.1f}" if before.harm is not None else "—",
        f"{summary.harm:.1f}",
        "" if harm_change is None else f"{harm_change:+.1f}",
    )
    console.print(table)
    console.print(f"Run log: {new_log}")


def run_compare(logs: list[Path], plot_path: Path | None, json_output: bool) -> None:
    """`tabletop compare`: milestones of several runs in one table, with deltas against the first."""
    from simulator.analysis.compare import compare, plot

    comparison = compare(logs)
    if plot_path is not None:
        plot(comparison, plot_path)
    if json_output:
        report: dict[str, Any] = {
            "runs": [run.label for run in comparison.runs],
            "milestones": {m: [run.milestones.get(m) for run in comparison.runs] for m in comparison.milestone_ids},
            "ratings": {o: [run.ratings.get(o) for run in comparison.runs] for o in comparison.objective_ids},
            "harm": [run.harm for run in comparison.runs],
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    console = Console(highlight=False)
    table = Table(title="Milestones (T+ mm:ss; change against the first run)")
    table.add_column("milestone")
    for run in comparison.runs:
        table.add_column(run.label)
    for milestone in comparison.milestone_ids:
        cells = []
        for index, run in enumerate(comparison.runs):
            value = minutes(run.milestones.get(milestone))
            delta = comparison.delta(run, milestone) if index else None
            cells.append(value + (f" ({signed(delta)})" if delta is not None else ""))
        table.add_row(comparison.milestone_names.get(milestone, milestone), *cells)
    for objective in comparison.objective_ids:
        table.add_row(f"objective {objective}", *(str(run.ratings.get(objective, "—")) for run in comparison.runs))
    table.add_row("harm", *("—" if run.harm is None else f"{run.harm:.1f}" for run in comparison.runs))
    console.print(table)
    if plot_path is not None:
        console.print(f"Plot: {plot_path}")


def run_export(log: Path, fmt: str, output: Path | None) -> None:
    """`tabletop export`: the log's records as CSV or Parquet, into a new file."""
    from simulator.analysis.export import export

    target = output or log.with_suffix(f".{fmt}")
    if target.exists():
        raise BadOption(f"{target} already exists: refusing to overwrite it", "name a new file with --output")
    count = export(log, target, fmt)
    Console(stderr=True, highlight=False).print(f"{count} records written to {target}")
