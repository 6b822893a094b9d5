"""`tabletop batch`: Monte Carlo replications of a scenario and its variants, with a progress bar and a summary."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from simulator.analysis.summary_view import SummaryTable, item_names, summary_tables
from tabletop_cli._console import console, literal

if TYPE_CHECKING:
    from simulator.analysis.batch import BatchOutcome


def choose_variants(available: list[str], wanted: str | None) -> tuple[str | None, ...]:
    """`all` (the base and every variant), a comma-separated list (`base` for the scenario itself), or the base."""
    from simulator.analysis.batch import BASE, BatchError

    if wanted is None:
        return (None,)
    if wanted == "all":
        return (None, *available)
    chosen: list[str | None] = []
    for name in (part.strip() for part in wanted.split(",") if part.strip()):
        if name == BASE:
            chosen.append(None)
        elif name in available:
            chosen.append(name)
        else:
            from difflib import get_close_matches

            close = get_close_matches(name, available, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"variants: {', '.join(available) or 'none'}"
            raise BatchError(f"no variant {name!r}", hint)
    return tuple(dict.fromkeys(chosen))


def run_batch_command(
    source: str,
    replications: int,
    variants: str | None,
    seed: int,
    workers: int | None,
    executor: str,
    scheduler: str | None,
    out: Path,
    keep_logs: bool,
    decisions: dict[str, str],
    independent: bool,
) -> None:
    """Run the batch and print its summary."""
    from scenarios import load_scenario
    from simulator.analysis.batch import BatchPlan, default_workers, run_batch

    scenario = load_scenario(source)
    plan = BatchPlan(
        scenario,
        choose_variants([v.id for v in scenario.variants], variants),
        replications,
        seed,
        not independent,
        decisions,
        source,
    )
    with _progress_bar() as progress, _hint_on_interrupt(out):
        outcome = run_batch(
            plan,
            out,
            workers=default_workers() if workers is None else workers,
            executor=executor,
            scheduler=scheduler,
            keep_logs=keep_logs,
            progress=progress,
        )
    _report(outcome)


def resume_batch_command(out: Path, workers: int | None, executor: str, scheduler: str | None) -> None:
    """Finish the interrupted batch in `out` and print its summary."""
    from simulator.analysis.batch import default_workers, resume_batch

    with _progress_bar() as progress, _hint_on_interrupt(out):
        outcome = resume_batch(
            out,
            workers=default_workers() if workers is None else workers,
            executor=executor,
            scheduler=scheduler,
            progress=progress,
        )
    cut = f"; {outcome.dropped} torn line(s) of results.csv cut off and run again" if outcome.dropped else ""
    console(soft_wrap=True).print(f"resumed: {outcome.kept} rows were kept{cut}")
    _report(outcome)


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, and the callback that moves it (rows written so far, of how many)."""
    with Progress(
        TextColumn("[bold]replications"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("batch", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


@contextmanager
def _hint_on_interrupt(out: Path) -> Iterator[None]:
    """On Ctrl-C, say how to finish the batch (its rows so far are in results.csv), then let the interrupt go on."""
    try:
        yield
    except KeyboardInterrupt:
        if (out / "batch.json").is_file() and not (out / "summary.json").exists():
            console(stderr=True, soft_wrap=True).print(
                f"Interrupted: finish the batch with `tabletop batch --resume {shlex.quote(str(out))}`"
            )
        raise


def _report(outcome: BatchOutcome) -> None:
    """Print the summary's tables and where the files are."""
    print_summary(summary_tables(outcome.summary, item_names(outcome.plan.scenario)))
    out = outcome.folder
    console().print(
        f"{outcome.rows} rows: {out / 'results.parquet'}, {out / 'results.csv'}; summary: {out / 'summary.json'}"
    )


def print_summary(tables: tuple[SummaryTable, ...]) -> None:
    """Print the summary's tables (milestones, objectives and harm, then the differences against the reference)."""
    out = console()
    for summary_table in tables:
        table = Table(title=summary_table.title)
        for column in summary_table.columns:
            table.add_column(literal(column))
        for row in summary_table.rows:
            table.add_row(literal(row.label), *map(literal, row.cells))
        out.print(table)
