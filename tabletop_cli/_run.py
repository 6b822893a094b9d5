"""`tabletop run`: play a scenario headless to the end and print its timeline, milestones, ratings and harm."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from simulator import Exercise, RunSummary
from simulator.narrative import TIMELINE_KINDS, describe, t_plus, wall_clock
from tabletop_cli import BadOption

RATING_STYLE = {"P": "green", "S": "yellow", "M": "dark_orange", "U": "red"}


def parse_decisions(pairs: list[str]) -> dict[str, str]:
    """`["a=b", ...]` to `{"a": "b"}`.

    Raises:
        BadOption: a pair without `=`.
    """
    out: dict[str, str] = {}
    for pair in pairs:
        decision, sep, option = pair.partition("=")
        if not sep or not decision or not option:
            raise BadOption(f"--decide {pair!r}: write DECISION=OPTION, e.g. --decide patrols-in-or-wait=send-in")
        out[decision.strip()] = option.strip()
    return out


def run_scenario(
    source: str, seed: int, variant: str | None, decisions: dict[str, str], log: Path | None, json_output: bool
) -> RunSummary:
    """Load, play and print one run."""
    from scenarios import load_scenario

    scenario = load_scenario(source)
    exercise = Exercise(scenario, seed, variant, decisions=decisions, log=log, source=source)
    try:
        summary = exercise.run()
    except BaseException:
        exercise.abandon()
        raise
    if json_output:
        sys.stdout.write(json.dumps(summary_json(exercise, summary, log), indent=2) + "\n")
    else:
        print_run(exercise, summary, log)
    return summary


def summary_json(exercise: Exercise, summary: RunSummary, log: Path | None) -> dict[str, Any]:
    """The machine summary of `--json`."""
    data = summary.to_dict()
    data["log"] = str(log) if log else None
    data["milestones"] = {
        key: {"t": t, "wall_clock": wall_clock(exercise.scenario.clock.start, t)}
        for key, t in sorted(summary.milestones.items(), key=lambda item: item[1])
    }
    return data


def print_run(exercise: Exercise, summary: RunSummary, log: Path | None) -> None:
    """Print the readable report of a finished run."""
    console = Console(highlight=False)
    scenario = exercise.scenario
    start = scenario.clock.start
    title = scenario.title + (f" — variant {exercise.variant}" if exercise.variant else "")
    console.print(f"[bold]{title}[/]  seed {exercise.seed}, T0 = {start} {scenario.clock.time_zone}")
    timeline = Table(title="Timeline", show_lines=False, expand=False)
    timeline.add_column("clock", style="cyan", no_wrap=True)
    timeline.add_column("T+", style="dim", no_wrap=True)
    timeline.add_column("what happened")
    for record in exercise.records:
        if record["kind"] in TIMELINE_KINDS:
            style = "bold" if record["kind"] == "MilestoneReached" else ""
            timeline.add_row(wall_clock(start, record["t"]), t_plus(record["t"]), describe(record), style=style)
    console.print(timeline)
    names = {m.id: m.name for m in scenario.milestones}
    published = any(m.reference is not None for m in scenario.milestones)
    milestones = Table(title="Milestones")
    for column in ("milestone", "clock", "T+", *(("published", "source") if published else ())):
        milestones.add_column(column)
    for milestone in scenario.milestones:
        t = summary.milestones.get(milestone.id)
        cells = [wall_clock(start, t), t_plus(t)] if t is not None else ["not reached", ""]
        if published:
            reference = milestone.reference
            cells += [reference.time, reference.source] if reference is not None else ["", ""]
        milestones.add_row(names[milestone.id], *cells)
    console.print(milestones)
    objectives = Table(title="Objectives")
    for column in ("rating", "objective", "measured"):
        objectives.add_column(column)
    for rating in summary.objectives:
        letter = rating.rating or "?"
        measured = t_plus(rating.measured_s).removeprefix("T+") if rating.measured_s is not None else "never"
        objectives.add_row(f"[{RATING_STYLE.get(letter, '')}]{letter}[/]", rating.name, measured)
    console.print(objectives)
    console.print(f"Harm: [bold]{summary.harm:.1f}[/] {harm_unit(exercise)}")
    if log is not None:
        console.print(f"Run log: {log}")


def harm_unit(exercise: Exercise) -> str:
    """The harm figure's unit, from the scenario."""
    threat = exercise.scenario.threat
    return "exposure-minutes" if threat is None else f"exposure-minutes ({threat.harm.description})"
