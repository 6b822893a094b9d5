"""`tabletop batch`: Monte Carlo replications of a scenario and its variants, with a progress bar and a summary."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tabletop_cli._analysis import minutes


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
    from simulator.analysis.batch import BatchError, BatchPlan, default_workers, run_batch

    scenario = load_scenario(source)
    if out.exists() and any(out.iterdir()):
        raise BatchError(f"{out} is not empty", "choose a new --out folder, so that no results are overwritten")
    plan = BatchPlan(
        scenario,
        choose_variants([v.id for v in scenario.variants], variants),
        replications,
        seed,
        not independent,
        decisions,
        source,
    )
    total = replications * len(plan.variants)
    with Progress(
        TextColumn("[bold]replications"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("batch", total=total)
        outcome = run_batch(
            plan,
            out,
            workers=default_workers() if workers is None else workers,
            executor=executor,
            scheduler=scheduler,
            keep_logs=keep_logs,
            progress=lambda done: progress.update(task, completed=done),
        )
    print_summary(outcome.summary, scenario_names(scenario))
    Console(highlight=False).print(
        f"{outcome.rows} rows: {out / 'results.parquet'}, {out / 'results.csv'}; summary: {out / 'summary.json'}"
    )


def scenario_names(scenario: Any) -> dict[str, str]:
    """Milestone and objective names by id."""
    return {**{m.id: m.name for m in scenario.milestones}, **{o.id: o.name for o in scenario.objectives}}


def number(value: float | None, spec: str) -> str:
    """A number in `spec`, or `n/a` when there is none (one replication has no interval)."""
    return "n/a" if value is None or math.isnan(value) else format(value, spec)


def interval(values: dict[str, float], spec: str, unit: str = "") -> str:
    """`[low, high]` of an interval, or `n/a`."""
    low, high = number(values["low"], spec), number(values["high"], spec)
    return "n/a" if "n/a" in (low, high) else f"[{low}, {high}]{unit}"


def print_summary(summary: dict[str, Any], names: dict[str, str]) -> None:
    """Tables: milestone quantiles and objective probabilities per variant, and differences against the reference.

    A variant without some milestone or objective shows `—` there.
    """
    console = Console(highlight=False)
    variants = list(summary["variants"])
    per_variant = summary["variants"]

    def milestone_cell(m: dict[str, Any]) -> str:
        spread = " / ".join(minutes(m[q]) for q in ("p10", "p50", "p90"))
        return f"{spread}  ({m['reached']:.0%})"

    def objective_cell(o: dict[str, Any]) -> str:
        return f"{o['met']['estimate']:.0%} {interval(o['met'], '.0%')}"

    console.print(
        _per_variant(
            "Milestones: P10 / P50 / P90 (mm:ss), share of runs that reached it",
            "milestone",
            per_variant,
            "milestones",
            names,
            milestone_cell,
        )
    )
    objectives = _per_variant(
        "Objectives: probability of P or S, with 95% interval",
        "objective",
        per_variant,
        "objectives",
        names,
        objective_cell,
    )
    harm = [per_variant[v]["harm"] for v in variants]
    objectives.add_row(
        "harm (mean, P50, P90)",
        *(
            f"{number(h['mean']['estimate'], '.1f')}, {number(h['p50'], '.1f')}, {number(h['p90'], '.1f')}"
            for h in harm
        ),
    )
    console.print(objectives)
    for variant, difference in summary["differences"].items():
        table = Table(title=f"{variant} against {summary['reference']} (paired by replication, 95% interval)")
        for column in ("", "mean difference", "95% interval"):
            table.add_column(column)
        h = difference["harm"]
        table.add_row("harm", number(h["estimate"], "+.2f"), interval(h, "+.2f"))
        for milestone, m in difference["milestones"].items():
            mean = m["mean"]
            if m["pairs"] and (mean["low"] != 0 or mean["high"] != 0):
                table.add_row(
                    names.get(milestone, milestone),
                    number(mean["estimate"], "+.0f") + " s",
                    interval(mean, "+.0f", " s"),
                )
        for objective, o in difference["objectives"].items():
            met = o["met_difference"]
            if met["low"] != 0 or met["high"] != 0:
                table.add_row(
                    f"P(met) {names.get(objective, objective)}", number(met["estimate"], "+.1%"), interval(met, "+.1%")
                )
        console.print(table)


def _per_variant(
    title: str,
    first: str,
    per_variant: dict[str, Any],
    section: str,
    names: dict[str, str],
    cell: Callable[[dict[str, Any]], str],
) -> Table:
    """One row per item of `section` (in any variant), one column per variant; `—` where a variant lacks it."""
    table = Table(title=title)
    table.add_column(first)
    for variant in per_variant:
        table.add_column(variant)
    for item in dict.fromkeys(key for summary in per_variant.values() for key in summary[section]):
        row = [per_variant[v][section].get(item) for v in per_variant]
        table.add_row(names.get(item, item), *("—" if value is None else cell(value) for value in row))
    return table
