"""The analyst's commands: replay --verify, fork, compare, batch, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.table import Table

from tabletop_cli import BadOption
from tabletop_cli._console import console as cli_console
from tabletop_cli._console import literal

SHOWN_CHARACTERS = 2_000
"""A record in a divergence is shown up to this many characters (a log line may be a megabyte)."""


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
            "verdict": result.log.verdict(),
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
    console = cli_console(soft_wrap=True)  # a long record is cut, not wrapped over many lines
    for note in result.notes:
        console.print(f"note: {note}")
    if result.ok:
        console.print(literal(("identical", "green"), f": {result.records_checked} records re-simulated exactly"))
        return 0
    divergence = result.divergence
    assert divergence is not None
    where = "in the header" if divergence.index < 0 else f"at record {divergence.index}"
    console.print(literal(("diverges", "red"), f" {where}: likely cause: {divergence.cause}"))
    console.print(f"  in the log:   {_shown(divergence.logged)}")
    console.print(f"  re-simulated: {_shown(divergence.replayed)}")
    return 1 if verify else 0


def run_replay_console(log: Path, *, embedded: bool) -> int:
    """`tabletop replay --tui`: the replay screen on the log (read, and its scenario found, before the console opens,
    so that a bad log is a message, not a console)."""
    from tabletop_cli._play import run_analysis_console
    from tui.screens.replay import ReplayScreen

    screen = ReplayScreen.open(log, embedded=embedded)
    return run_analysis_console(lambda: screen)


def _shown(record: dict[str, Any] | None) -> str:
    """A record as one line of JSON, cut to `SHOWN_CHARACTERS`."""
    if record is None:
        return "(nothing: the run ends here)"
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[:SHOWN_CHARACTERS]}... ({len(text):,} characters in all)"


def _print_notes(notes: list[str]) -> None:
    """Notes (an unsealed log...) to stderr, before the result, so that they are read first."""
    console = cli_console(stderr=True, soft_wrap=True)
    for note in notes:
        console.print(f"note: {note}")


def run_fork(log: Path, at: str, decisions: dict[str, str], new_log: Path, embedded: bool, json_output: bool) -> None:
    """`tabletop fork`: re-simulate a run with other choices from a point, and print what changed."""
    from simulator.analysis.fork import fork, fork_diff, fork_point_of
    from simulator.analysis.replay import ReplayError
    from simulator.logcheck import read_tabletop_log

    parent = read_tabletop_log(log)
    try:
        point = fork_point_of(at, parent.header)
    except ReplayError as exc:
        raise BadOption(f"--at {exc.message}", exc.hint) from None
    result = fork(
        parent, at_decision=point.decision, at_t=point.t, decisions=decisions, new_log=new_log, embedded=embedded
    )
    diff = fork_diff(result)
    note = parent.unsealed_note()
    _print_notes([] if note is None else [note])
    if json_output:
        report = {
            "log": str(new_log),
            "fork_t": diff.fork_t,
            "shared_records": diff.shared_records,
            "milestones": {m.milestone: {"parent": m.parent, "fork": m.fork} for m in diff.milestones},
            "ratings": {o.objective: {"parent": o.parent, "fork": o.fork} for o in diff.objectives},
            "harm": {"parent": diff.harm.parent, "fork": diff.harm.fork},
            "parent_verdict": parent.verdict(),
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    console = cli_console()
    console.print(f"Forked at {diff.at}: the first {diff.shared_records} records are the parent's.")
    table = Table(title="What changed")
    for column in ("", "parent", "fork", "change"):
        table.add_column(column)
    for row in diff.rows():
        table.add_row(literal(row.label), literal(row.parent), literal(row.fork), literal(row.change))
    console.print(table)
    console.print(f"Run log: {new_log}")


def run_compare(logs: list[Path], plot_path: Path | None, json_output: bool, *, force: bool = False) -> None:
    """`tabletop compare`: milestones of several runs in one table, with deltas against the first."""
    from simulator.analysis.compare import compare, milestone_cell, plot
    from simulator.files import refuse_existing

    if plot_path is not None:
        refuse_existing(plot_path, replace=force)  # before reading the logs
    comparison = compare(logs)
    _print_notes(comparison.notes)
    if plot_path is not None:
        plot(comparison, plot_path, replace=force)
    if json_output:
        report: dict[str, Any] = {
            "runs": [run.label for run in comparison.runs],
            "milestones": {m: [run.milestones.get(m) for run in comparison.runs] for m in comparison.milestone_ids},
            "ratings": {o: [run.ratings.get(o) for run in comparison.runs] for o in comparison.objective_ids},
            "harm": [run.harm for run in comparison.runs],
            "decisions": {d: comparison.options(d) for d in comparison.decision_ids},
            "differing_decisions": comparison.differing_decisions(),
            "notes": comparison.notes,
            "ends": [run.end_record() for run in comparison.runs],
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    console = cli_console()
    table = Table(title="Milestones (T+ mm:ss; change against the first run)")
    table.add_column("milestone")
    for run in comparison.runs:
        table.add_column(literal(run.label))
    for milestone in comparison.milestone_ids:
        cells = [literal(milestone_cell(comparison, index, milestone)) for index in range(len(comparison.runs))]
        table.add_row(literal(comparison.milestone_names.get(milestone, milestone)), *cells)
    for objective in comparison.objective_ids:
        ratings = (literal(str(run.ratings.get(objective, "—"))) for run in comparison.runs)
        table.add_row(literal(f"objective {objective}"), *ratings)
    table.add_row("harm", *("—" if run.harm is None else f"{run.harm:.1f}" for run in comparison.runs))
    table.add_row("run", *(literal(run.end_text()) for run in comparison.runs))
    for decision in comparison.differing_decisions():
        options = (literal(comparison.option_label(decision, option)) for option in comparison.options(decision))
        table.add_row(literal(f"decision {decision}"), *options)
    console.print(table)
    if plot_path is not None:
        console.print(f"Plot: {plot_path}")


def run_compare_console(logs: list[Path]) -> int:
    """`tabletop compare --tui`: the compare screen in the console; the logs are read (and refused) before it opens."""
    from tabletop_cli._play import run_analysis_console
    from tui.screens.compare import CompareScreen

    screen = CompareScreen.open(logs)  # a bad log fails here, with the CLI's message, not inside the console
    _print_notes(screen.comparison.notes)
    return run_analysis_console(lambda: screen)


def run_export(log: Path, fmt: str, output: Path | None, *, force: bool = False) -> None:
    """`tabletop export`: the log's records as CSV or Parquet, into a new file (or over one, with `force`)."""
    from simulator.analysis.export import export
    from simulator.files import refuse_existing

    target = output or log.with_suffix(f".{fmt}")
    if target.is_file() and log.is_file() and target.samefile(log):
        raise BadOption(f"{target} is the run log itself: refusing to replace it", "name another file with --output")
    refuse_existing(target, replace=force)  # before reading the log
    exported = export(log, target, fmt, replace=force)
    console = cli_console(stderr=True, soft_wrap=True)
    console.print(f"{exported.rows} records written to {target}")
    note = exported.log.unsealed_note()
    if note is not None:
        console.print(f"note: {note}")
