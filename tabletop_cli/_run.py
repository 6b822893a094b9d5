"""`tabletop run`: play a scenario headless to the end and print its timeline, milestones, ratings and harm."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.table import Table

from simulator import Exercise, RunSummary
from simulator.debrief import Debrief, debrief
from simulator.narrative import t_plus
from simulator.views import wall_time
from tabletop_cli import BadOption
from tabletop_cli._console import console as cli_console
from tabletop_cli._console import literal

RATING_STYLE = {"P": "green", "S": "yellow", "M": "dark_orange", "U": "red", "N/A": "blue"}
RATING_LEGEND = (
    "P performed without challenges, S with some challenges, M with major challenges, U unable to be performed, "
    "N/A not applicable"
)
"""The legend under the objectives (HSEEP ratings)."""
TIMELINE_ENDS = 500
"""A longer timeline prints its first and last this many lines (a run stopped by its ceiling has a million)."""


def parse_decisions(pairs: list[str]) -> dict[str, str]:
    """`["a=b", ...]` to `{"a": "b"}` (whether the scenario has them is checked when the run is made).

    Raises:
        BadOption: a pair that is not one `DECISION=OPTION`, or one decision given two different options.
    """
    out: dict[str, str] = {}
    for pair in pairs:
        decision, sep, option = (part.strip() for part in pair.partition("="))
        if not sep or not decision or not option or "=" in option:
            raise BadOption(f"--decide {pair!r}: write DECISION=OPTION, e.g. --decide patrols-in-or-wait=send-in")
        if out.get(decision, option) != option:
            raise BadOption(
                f"--decide {pair!r}: decision {decision!r} is already given option {out[decision]!r}; "
                "give each decision once"
            )
        out[decision] = option
    return out


def run_scenario(
    source: str, seed: int, variant: str | None, decisions: dict[str, str], log: Path | None, json_output: bool
) -> RunSummary:
    """Load, play and print one run."""
    from scenarios import load_scenario

    scenario = load_scenario(source)
    exercise = Exercise(scenario, seed, variant, decisions=decisions, log=log, source=source, log_flush="block")
    try:
        summary = exercise.run()
    except BaseException:
        exercise.abandon()
        raise
    report = debrief(exercise, summary, log)
    if json_output:
        sys.stdout.write(json.dumps(summary_json(report), indent=2) + "\n")
    else:
        print_run(report)
    return summary


def summary_json(report: Debrief) -> dict[str, Any]:
    """The machine summary of `--json`: the run's summary, its milestones by time with their wall clocks."""
    rows = {row.milestone: row for row in report.milestones}
    return {
        "scenario": report.scenario,
        "variant": report.variant,
        "seed": report.seed,
        "end_t": report.end_t,
        "milestones": {m: {"t": rows[m].t, "wall_clock": rows[m].clock} for m in report.reached},
        "objectives": [
            {
                "objective": row.objective,
                "name": row.name,
                "rating": row.rating,
                "measured_s": row.measured_s,
                "thresholds": row.thresholds,
                "note": row.note,
            }
            for row in report.objectives
        ],
        "harm": report.harm,
        "record_count": report.records,
        "decisions": dict(report.decisions),
        "references": [row.to_dict() for row in report.reference_intervals],
        "stopped": report.stopped,
        "log": report.log,
    }


def signed_seconds(delta: float | None) -> str:
    """A difference in whole seconds with its sign (`+42 s`, `-75 s`, `±0 s`), empty when there is none."""
    if delta is None:
        return ""
    whole = round(delta)
    return "±0 s" if whole == 0 else f"{whole:+d} s"


def references_table(report: Debrief) -> Table:
    """Each reference interval: this run's value beside every real incident's, and the signed difference."""
    table = Table(title="Reference observations: this run against real incidents")
    for column in ("reference", "this run", "incident", "observed", "difference", "source"):
        table.add_column(column)
    for reference in report.reference_intervals:
        simulated = "not reached" if reference.simulated_s is None else _signed_span(reference.simulated_s)
        for index, seen in enumerate(reference.observed):
            source = seen.source + (f" ({seen.confidence} confidence)" if seen.confidence else "")
            table.add_row(
                literal(reference.name if index == 0 else ""),
                literal(simulated if index == 0 else ""),
                literal(seen.incident),
                literal(seen.observed + (f" — {seen.note}" if seen.note else "")),
                literal(signed_seconds(seen.difference_s)),
                literal(source),
            )
    return table


def _signed_span(seconds: float) -> str:
    """An interval as `HH:MM:SS` (with a minus when `until` came before `since`)."""
    return ("-" if seconds < 0 else "") + t_plus(abs(seconds)).removeprefix("T+")


def print_run(report: Debrief) -> None:
    """Print the readable report of a finished run (every name exactly as the scenario writes it)."""
    console = cli_console()
    # T0 as the clocks show it: a start the clocks skip (02:30 on the night of summer time) is shown as 03:30.
    t0 = wall_time(report.start, report.time_zone, 0.0).strftime("%Y-%m-%dT%H:%M:%S")
    console.print(literal((report.title, "bold"), f"  seed {report.seed}, T0 = {t0} {report.time_zone}"))
    timeline = Table(title="Timeline", show_lines=False, expand=False)
    timeline.add_column("clock", style="cyan", no_wrap=True)
    timeline.add_column("T+", style="dim", no_wrap=True)
    timeline.add_column("what happened")
    lines = report.timeline
    left_out = len(lines) - 2 * TIMELINE_ENDS
    for index, line in enumerate(lines):
        if left_out > 0 and index == TIMELINE_ENDS:
            timeline.add_row("…", "…", f"{left_out:,} more lines (the run log has every record)", style="dim")
        if left_out <= 0 or not TIMELINE_ENDS <= index < TIMELINE_ENDS + left_out:
            timeline.add_row(line.clock, line.t_plus, literal(line.text), style="bold" if line.milestone else "")
    console.print(timeline)
    milestones = Table(title="Milestones")
    published = ("published", "difference", "source") if report.references else ()
    for column in ("milestone", "clock", "T+", *published):
        milestones.add_column(column)
    for milestone in report.milestones:
        cells = [literal(milestone.clock), literal(milestone.t_plus)]
        if report.references:
            cells += [
                literal(milestone.published or ""),
                literal(signed_seconds(milestone.difference_s)),
                literal(milestone.source or ""),
            ]
        milestones.add_row(literal(milestone.name), *cells)
    console.print(milestones)
    if report.reference_intervals:
        console.print(references_table(report))
    objectives = Table(title="Objectives", caption=RATING_LEGEND)
    for column in ("rating", "objective", "measured", "thresholds"):
        objectives.add_column(column)
    for objective in report.objectives:
        letter = objective.rating or "?"
        measured = objective.measured if objective.note is None else f"{objective.measured} ({objective.note})"
        objectives.add_row(
            literal((letter, RATING_STYLE.get(letter, ""))),
            literal(objective.name),
            literal(measured),
            literal(objective.thresholds),
        )
    console.print(objectives)
    console.print(literal("Harm: ", (f"{report.harm:.1f}", "bold"), f" {report.harm_unit}"))
    if report.stopped is not None:
        console.print(literal((f"The run was stopped: {report.stopped} at {t_plus(report.end_t)}", "bold")))
    if report.log is not None:
        console.print(literal(f"Run log: {report.log}"))
