"""The `tabletop` command line: one typer app; each command imports what it needs when it runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    name="tabletop",
    help="Tabletop: crisis-management tabletop exercises as simulations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

USER_ERROR = 2
"""Exit code for a user mistake (bad scenario, unknown name, bad option)."""


def fail(title: str, lines: list[str] | tuple[str, ...]) -> NoReturn:
    """Print a user mistake to stderr, once, without a traceback, and exit 2."""
    from rich.console import Console

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold red]{title}[/]")
    for line in lines:
        console.print(line, markup=False)
    raise typer.Exit(USER_ERROR)


@app.command()
def validate(
    sources: Annotated[list[str] | None, typer.Argument(help="Scenario files, folders or bundled names.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON report for machines.")] = False,
    list_bundled: Annotated[bool, typer.Option("--list", help="List the bundled scenarios and exit.")] = False,
) -> None:
    """Check scenario files: prints a verdict per file and every error with its line and column."""
    from tabletop_cli._validate import run_validate

    raise typer.Exit(run_validate(sources or [], json_output=json_output, list_bundled=list_bundled))


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Write the JSON Schema of the scenario language (for editor completion and checking)."""
    from scenarios.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="A scenario file or bundled name.")],
    seed: Annotated[int, typer.Option(help="The run's seed (same seed, same run).")] = 0,
    variant: Annotated[str | None, typer.Option(help="Apply one of the scenario's variants.")] = None,
    decide: Annotated[
        list[str] | None, typer.Option(help="Take a decision as soon as it opens: DECISION=OPTION (repeatable).")
    ] = None,
    log: Annotated[Path | None, typer.Option(help="Write the run log (JSONL) to this new file.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print a machine summary instead.")] = False,
) -> None:
    """Play a scenario to the end without the console; print its timeline, milestones, ratings and harm."""
    from scenarios import ScenarioError
    from simulator import SimulationError
    from tabletop_cli._run import parse_decisions, run_scenario

    try:
        run_scenario(scenario, seed, variant, parse_decisions(decide or []), log, json_output)
    except ScenarioError as exc:
        fail(exc.title, [d.format() for d in exc.diagnostics])
    except SimulationError as exc:
        fail(exc.title, [str(exc)])
    except ValueError as exc:
        fail("Bad option", [str(exc)])


def main() -> None:
    """Entry point that also turns Ctrl-C into a quiet exit."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
