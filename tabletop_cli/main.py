"""The `tabletop` command line: one typer app; each command imports what it needs when it runs."""

# No `from __future__ import annotations` here: typer reads every command's parameters at each start, and with
# annotations kept as strings it evaluates them one by one (a fifth of the time of `tabletop --help`).
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from tabletop_cli._help import Command

app = typer.Typer(
    name="tabletop",
    help="Tabletop: crisis-management tabletop exercises as simulations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

USER_ERROR = 2
"""Exit code for a user mistake (bad scenario, unknown name, bad option)."""

FORCE = typer.Option("--force", help="Replace an existing file (never a symbolic link, nor the file it points to).")
"""The option of every command that writes a file the user names."""


def fail(title: str, lines: list[str] | tuple[str, ...]) -> NoReturn:
    """Print a user mistake to stderr, once, without a traceback, and exit 2 (its lines exactly as given)."""
    from tabletop_cli._console import console, literal

    err = console(stderr=True, soft_wrap=True)
    err.print(literal((title, "bold red")))
    for line in lines:
        err.print(line)
    raise typer.Exit(USER_ERROR)


def _print_version(wanted: bool) -> None:
    if wanted:
        from simulator.exercise import tool_version

        sys.stdout.write(f"tabletop {tool_version()}\n")
        raise typer.Exit()


@app.callback()
def _tabletop(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Tabletop: crisis-management tabletop exercises as simulations."""


@app.command(cls=Command, short_help="Check scenario files, with located errors.")
def validate(
    sources: Annotated[
        list[str] | None, typer.Argument(metavar="SCENARIO", help="Scenario files, folders or bundled names.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON report for machines.")] = False,
    list_bundled: Annotated[bool, typer.Option("--list", help="List the bundled scenarios and exit.")] = False,
) -> None:
    """Check scenario files: prints a verdict per file and every error with its line and column."""
    from tabletop_cli._validate import run_validate

    raise typer.Exit(run_validate(sources or [], json_output=json_output, list_bundled=list_bundled))


@app.command(cls=Command, short_help="Write the scenario language's JSON Schema.")
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this new file instead of stdout.")
    ] = None,
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Write the JSON Schema of the scenario language (for editor completion and checking)."""
    from scenarios.schema import schema_text
    from simulator.files import write_file

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    with _user_errors():
        write_file(output, text.encode("utf-8"), replace=force)


@app.command(cls=Command, short_help="Start a scenario from a bundled one.")
def new(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The new scenario file (refused if it exists, without --force).")
    ],
    source: Annotated[str, typer.Option("--from", metavar="SCENARIO", help="The bundled scenario to start from.")] = (
        "synagogue-holiday-attack"
    ),
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Start a scenario of your own: a copy of a bundled one with a new id, and the JSON Schema beside it."""
    from tabletop_cli._new import run_new

    with _user_errors():
        run_new(file, source, force=force)


@app.command(cls=Command, short_help="Update a scenario file to the current language version.")
def migrate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A scenario file of an older schema_version.")],
    out: Annotated[
        Path | None, typer.Option(metavar="NEW", help="Write the migrated scenario to this new file instead.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Update FILE itself, or replace an existing NEW (never a symbolic link).")
    ] = False,
) -> None:
    """List what moving a scenario to the current schema_version changes, one line each with its line in the file.

    Nothing is written without --force (FILE is updated) or --out NEW (a new file); only the changed values are
    rewritten, so comments and layout stay as they are.
    """
    from tabletop_cli._migrate import run_migrate

    with _user_errors():
        run_migrate(file, out, force=force)


@app.command(cls=Command, short_help="Show a scenario's MSEL, decisions, objectives and variants.")
def show(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name.")],
    variant: Annotated[
        str | None, typer.Option(metavar="VARIANT", help="Show the scenario with one of its variants applied.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print it as JSON for machines.")] = False,
) -> None:
    """What a facilitator needs in front of them before an exercise: the MSEL with its inject ids, the decisions
    with their option ids and what each option does, the objectives with their thresholds, and the variants."""
    from tabletop_cli._show import run_show

    with _user_errors(), _variant_option(variant):
        run_show(scenario, variant, json_output=json_output)


msel_app = typer.Typer(
    name="msel",
    help="MSEL spreadsheets: a scenario's injects out to CSV or XLSX, and a spreadsheet's injects into a scenario.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(msel_app, short_help="Export a scenario's MSEL as CSV or XLSX, or import one.")


@msel_app.command("export", cls=Command, short_help="Write a scenario's injects as an MSEL spreadsheet.")
def msel_export(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="FILE.csv|FILE.xlsx", help="The new spreadsheet (CSV or XLSX).")
    ],
    variant: Annotated[
        str | None, typer.Option(metavar="VARIANT", help="Export the injects with one of the variants applied.")
    ] = None,
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Write the MSEL: the doctrine's columns in order, one row per inject, times as T+HH:MM:SS, then the columns
    Tabletop needs to play an inject (trigger, fact, contingency); cells that a spreadsheet would run as a formula
    are escaped."""
    from tabletop_cli._msel_export import run_export

    with _user_errors(), _variant_option(variant):
        run_export(scenario, variant, out, force=force)


@msel_app.command("import", cls=Command, short_help="Put a spreadsheet's injects into a scenario.")
def msel_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An MSEL spreadsheet (.csv or .xlsx).")],
    into: Annotated[str, typer.Option("--into", metavar="SCENARIO", help="The scenario file whose MSEL it is.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="NEW", help="Write the scenario to this new file instead.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(metavar="NAME", help="The worksheet to read (default: MSEL, else the first).")
    ] = None,
    times: Annotated[
        str,
        typer.Option(
            metavar="auto|elapsed|clock", help="How a bare HH:MM is read: since T0, a clock time, or by its value."
        ),
    ] = "auto",
    force: Annotated[
        bool,
        typer.Option("--force", help="Update SCENARIO itself, or replace an existing NEW (never a symbolic link)."),
    ] = False,
) -> None:
    """Replace a scenario's injects with the rows of a spreadsheet, read with the headers and time forms seen in the
    field; every warning and error names its row and column. The result is checked as a scenario before anything is
    written, and nothing is written without --out NEW or --force."""
    from tabletop_cli._msel import run_import

    with _user_errors():
        run_import(file, into, out, sheet=sheet, times=times, force=force)


@app.command(cls=Command, short_help="Who an alert reaches how fast, and what it depends on.")
def network(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name.")],
    variant: Annotated[
        str | None, typer.Option(metavar="VARIANT", help="Analyse the network with one of the variants applied.")
    ] = None,
    without: Annotated[
        list[str] | None,
        typer.Option(
            metavar="STAKEHOLDER|CHANNEL|FROM->TO", help="What if this organisation or channel failed (repeatable)."
        ),
    ] = None,
    site: Annotated[
        list[str] | None, typer.Option(metavar="SITE", help="Only the alert at this site (repeatable).")
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option(
            "--from", metavar="STAKEHOLDER", help="Start the alert at these stakeholders instead (repeatable)."
        ),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(metavar="FILE.svg|FILE.png", help="Draw the network to this new file.")
    ] = None,
    simulate: Annotated[
        int,
        typer.Option(
            metavar="N", help="Also play the alert N times in the engine and show the mean time beside the expected."
        ),
    ] = 0,
    seed: Annotated[int, typer.Option(metavar="N", help="The first seed of the --simulate replications.")] = 0,
    warm_up: Annotated[
        str | None,
        typer.Option(
            "--warm-up",
            metavar="DURATION",
            help="Raise the simulated alert this long after T0 (e.g. 1h), when the desks are busy with other work.",
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON for machines.")] = False,
    force: Annotated[bool, FORCE] = False,
) -> None:
    """For an alert at each site: each organisation's expected time to awareness along the fastest expected paths
    (latency, failures and retries, intake and the wait for a call taker), who is never reached, and the single
    organisations and channels whose loss cuts others off. --without compares the network with them removed."""
    from tabletop_cli._network import run_network

    with _user_errors(), _variant_option(variant):
        run_network(
            scenario,
            variant,
            without or [],
            sites=site or [],
            origins=origin or [],
            plot=plot,
            simulate=simulate,
            seed=seed,
            json_output=json_output,
            force=force,
            warm_up=warm_up,
        )


@app.command(cls=Command, short_help="Play a scenario headless and print the outcome.")
def run(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name.")],
    seed: Annotated[int, typer.Option(metavar="N", help="The run's seed (same seed, same run).")] = 0,
    variant: Annotated[
        str | None, typer.Option(metavar="VARIANT", help="Apply one of the scenario's variants.")
    ] = None,
    decide: Annotated[
        list[str] | None,
        typer.Option(metavar="DECISION=OPTION", help="Take a decision as soon as it opens (repeatable)."),
    ] = None,
    log: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the run log (JSONL) to this new file.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print a machine summary instead.")] = False,
) -> None:
    """Play a scenario to the end without the console; print its timeline, milestones, ratings and harm."""
    from tabletop_cli._run import parse_decisions, run_scenario

    with _user_errors(), _variant_option(variant):
        run_scenario(scenario, seed, variant, parse_decisions(decide or []), log, json_output)


@app.command(cls=Command, short_help="Run an exercise live in the console.")
def play(
    scenario: Annotated[
        str | None, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name (none: the start screen).")
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="The run's seed (same seed, same run).")] = 0,
    variant: Annotated[
        str | None, typer.Option(metavar="VARIANT", help="Apply one of the scenario's variants.")
    ] = None,
    seat: Annotated[
        str,
        typer.Option(
            metavar="SEAT", help="Whose console: facilitator, evaluator, or a stakeholder's id (the role view)."
        ),
    ] = "facilitator",
    log: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Write the run log to this new file (default: date and scenario, here)."),
    ] = None,
    resume: Annotated[
        Path | None, typer.Option(metavar="LOG", help="Continue an interrupted exercise from its run log.")
    ] = None,
    run_on: Annotated[
        bool, typer.Option("--run-on-decisions", help="Keep the clock running while a decision is open.")
    ] = False,
) -> None:
    """Run an exercise live: the clock, the MSEL, decisions, seats and the debrief, in the terminal."""
    from tabletop_cli._play import run_play
    from tui.session import DEFAULT_SCENARIO, Launch

    if resume is not None and (scenario is not None or variant is not None or seed != 0 or log is not None):
        fail("Bad option", ["--resume LOG continues the log's own scenario, seed and variant: give nothing else"])
    launch = Launch(
        scenario=scenario or DEFAULT_SCENARIO,
        seed=seed,
        variant=variant,
        seat=seat,
        log=log,
        resume=resume,
        pause_on_decision=not run_on,
    )
    with _user_errors(), _variant_option(variant):
        code = run_play(launch, start_screen=scenario is None and resume is None)
    raise typer.Exit(code)


@app.command(cls=Command, short_help="Re-simulate a run log; --verify checks it.")
def replay(
    log: Annotated[Path, typer.Argument(metavar="LOG", help="A run log (JSONL).")],
    verify: Annotated[bool, typer.Option("--verify", help="Exit 1 when the re-simulation differs.")] = False,
    embedded: Annotated[
        bool, typer.Option("--embedded", help="Use the scenario copy in the log, not the scenario file.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
    tui: Annotated[
        bool, typer.Option("--tui", help="Scrub through the run in the console (role view, fork from a decision).")
    ] = False,
) -> None:
    """Re-simulate a logged run from its header and commands, and check it gives the same records."""
    from tabletop_cli._analysis import run_replay, run_replay_console

    if tui and (verify or json_output):
        fail(
            "Bad option", [f"--tui cannot be used with {'--verify' if verify else '--json'}: the console shows the run"]
        )
    with _user_errors():
        code = (
            run_replay_console(log, embedded=embedded)
            if tui
            else run_replay(log, verify=verify, embedded=embedded, json_output=json_output)
        )
    raise typer.Exit(code)


@app.command(cls=Command, short_help="Replay a run, then take other decisions.")
def fork(
    log: Annotated[Path, typer.Argument(metavar="LOG", help="The run log to fork.")],
    at: Annotated[
        str,
        typer.Option(
            metavar="DECISION|TIME", help="The fork point: a decision id, or a time such as 12m or T+00:12:00."
        ),
    ],
    decide: Annotated[list[str], typer.Option(metavar="DECISION=OPTION", help="The other choice (repeatable).")],
    new_log: Annotated[
        Path, typer.Option("--log", metavar="FILE", help="Write the forked run's log to this new file.")
    ],
    embedded: Annotated[bool, typer.Option("--embedded", help="Use the scenario copy in the log.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
) -> None:
    """Re-simulate a run identically up to a decision or a time, then with other choices; show what changed."""
    from tabletop_cli._analysis import run_fork
    from tabletop_cli._run import parse_decisions

    with _user_errors():
        run_fork(log, at, parse_decisions(decide), new_log, embedded, json_output)


@app.command(cls=Command, short_help="Compare the milestones of several runs.")
def compare(
    logs: Annotated[list[Path], typer.Argument(metavar="LOG...", help="Two or more run logs of the same scenario.")],
    plot: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Also draw the timelines to this new PNG or SVG file.")
    ] = None,
    force: Annotated[bool, FORCE] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
    tui: Annotated[
        bool, typer.Option("--tui", help="Open the compare screen in the console (table, timeline, chains).")
    ] = False,
) -> None:
    """Align the milestones of several runs in one table, with the change against the first."""
    from tabletop_cli._analysis import run_compare, run_compare_console

    if tui and (json_output or plot is not None):
        fail("Bad option", ["--tui opens the console: leave out --json and --plot (run them as another command)"])
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        fail("Bad option", [f"--plot {plot}: the file must end in .png or .svg"])
    with _user_errors():
        if tui:
            raise typer.Exit(run_compare_console(logs))
        run_compare(logs, plot, json_output, force=force)


@app.command(cls=Command, short_help="Run the console in a browser.")
def serve(
    scenario: Annotated[
        str | None, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name (none: the start screen).")
    ] = None,
    port: Annotated[
        int, typer.Option(metavar="N", help="The port to listen on (0: any free one).", min=0, max=65535)
    ] = 8000,
    host: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Listen on this address (default 127.0.0.1: this machine only). There is no authentication.",
        ),
    ] = None,
) -> None:
    """Serve the console to web browsers: each browser tab gets its own console playing SCENARIO.

    Run logs are written in the current folder, as `tabletop play` writes them. Stop the server with Ctrl+C.
    """
    from tabletop_cli._console import console, literal
    from tabletop_cli._serve import DEFAULT_HOST, run_serve

    out, err = console(soft_wrap=True), console(stderr=True, soft_wrap=True)
    with _user_errors():
        run_serve(
            scenario,
            host=DEFAULT_HOST if host is None else host,
            port=port,
            host_given=host is not None,
            announce=lambda line: out.print(literal(line)),
            warn=lambda line: err.print(literal((line, "bold yellow"))),
        )


MAX_REPLICATIONS = 1_000_000
"""Replications per variant a batch may ask for: an hour or more of work at a few hundred a second, where a typo of
a few more digits would fill the memory with its plan."""
MAX_WORKERS = 256
"""Worker processes a batch may start: more than any machine's cores, fewer than would exhaust its process table."""


@app.command(cls=Command, short_help="Run Monte Carlo replications of variants.")
def batch(
    scenario: Annotated[str | None, typer.Argument(metavar="SCENARIO", help="A scenario file or bundled name.")] = None,
    replications: Annotated[
        int | None,
        typer.Option(
            "-n", metavar="N", help="Replications per variant (at most 1,000,000).", min=1, max=MAX_REPLICATIONS
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(metavar="FOLDER", help="A new or empty folder for the results.")] = None,
    variants: Annotated[
        str | None,
        typer.Option(
            metavar="VARIANTS", help="'all', or a comma-separated list (base = no variant); default: base only."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the first replication.")] = 0,
    workers: Annotated[
        int | None,
        typer.Option(metavar="N", help="Worker processes (default: all cores; at most 256).", min=1, max=MAX_WORKERS),
    ] = None,
    executor: Annotated[str, typer.Option(metavar="local|dask", help="Where the replications run.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(metavar="ADDRESS", help="Address of a running Dask scheduler.")
    ] = None,
    keep_logs: Annotated[bool, typer.Option("--keep-logs", help="Also keep every replication's run log.")] = False,
    decide: Annotated[
        list[str] | None, typer.Option(metavar="DECISION=OPTION", help="Preset decisions (repeatable).")
    ] = None,
    independent: Annotated[
        bool, typer.Option("--independent-seeds", help="Give each variant its own seeds (no common random numbers).")
    ] = False,
    resume: Annotated[
        Path | None,
        typer.Option(metavar="FOLDER", help="Finish the interrupted batch in this --out folder, with its own plan."),
    ] = None,
) -> None:
    """Run N seeded replications of a scenario and its variants; write a results table and a summary.

    `--resume DIR` finishes a batch that was interrupted, into the files it would have written in one go.
    """
    from tabletop_cli._batch import resume_batch_command, run_batch_command
    from tabletop_cli._run import parse_decisions

    if executor not in ("local", "dask"):
        fail("Bad option", [f"--executor {executor!r}: use local or dask"])
    if resume is not None:
        plan_given = (scenario, replications, out, variants, decide)
        if any(given is not None for given in plan_given) or seed != 0 or keep_logs or independent:
            fail(
                "Bad option",
                [
                    "--resume DIR finishes the batch in DIR with the plan it began with: give no scenario, -n, "
                    "--out, --variants, --seed, --keep-logs, --decide or --independent-seeds (--workers, "
                    "--executor and --scheduler may change)"
                ],
            )
        with _user_errors():
            resume_batch_command(resume, workers, executor, scheduler)
        return
    missing = [name for name, value in (("SCENARIO", scenario), ("-n", replications), ("--out", out)) if value is None]
    if scenario is None or replications is None or out is None:
        fail(
            "Bad option", [f"missing {', '.join(missing)}: tabletop batch SCENARIO -n N --out FOLDER, or --resume DIR"]
        )
    with _user_errors():
        run_batch_command(
            scenario,
            replications,
            variants,
            seed,
            workers,
            executor,
            scheduler,
            out,
            keep_logs,
            parse_decisions(decide or []),
            independent,
        )


@app.command(cls=Command, short_help="Write the after-action report of a run or a batch.")
def report(
    source: Annotated[
        Path, typer.Argument(metavar="LOG|BATCH_DIR", help="A run log (JSONL), or the --out folder of a batch.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", metavar="html|md", help="One HTML file, or Markdown with its plots beside it.")
    ] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="A new file (default: beside the log as NAME.report.html, or report.html in the batch folder).",
        ),
    ] = None,
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Write the after-action report and improvement plan (HSEEP): overview, summary, analysis per objective,
    strengths and areas for improvement derived from the run, observations, improvement plan, organisations."""
    from tabletop_cli._report import run_report

    with _user_errors():
        run_report(source, fmt, out, force=force)


@app.command(cls=Command, short_help="Export a run log's records as CSV or Parquet.")
def export(
    log: Annotated[Path, typer.Argument(metavar="LOG", help="A run log (JSONL).")],
    fmt: Annotated[str, typer.Option("--format", metavar="csv|parquet", help="The table's format.")] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="A new file (default: the log's name, the format's suffix)."
        ),
    ] = None,
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Write a run log's records as a CSV or Parquet table."""
    from tabletop_cli._analysis import run_export

    if fmt not in ("csv", "parquet"):
        fail("Bad option", [f"--format {fmt!r}: use csv or parquet"])
    with _user_errors():
        run_export(log, fmt, output, force=force)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Render our errors (bad scenario, bad log, refused command) once, without a traceback, and exit 2."""
    from scenarios import ScenarioError
    from simulator import SimulationError
    from tabletop_cli import BadOption

    try:
        yield
    except ScenarioError as exc:
        fail(exc.title, [d.format() for d in exc.diagnostics])
    except SimulationError as exc:
        fail(exc.title, [str(exc)])
    except BadOption as exc:
        fail("Bad option", [str(exc)])
    except OSError as exc:
        problem = exc.strerror or str(exc)
        fail("File problem", [f"{exc.filename}: {problem}" if exc.filename else problem])


@contextmanager
def _variant_option(variant: str | None) -> Iterator[None]:
    """An unknown `--variant` is a mistake on the command line, not at a place in the scenario file."""
    from scenarios.errors import UnknownVariantError
    from tabletop_cli import BadOption

    try:
        yield
    except UnknownVariantError as exc:
        if variant is None or exc.variant != variant:
            raise
        raise BadOption(f"--variant: {exc.message}", exc.hint) from None


def main() -> None:
    """Entry point that also turns Ctrl-C into a quiet exit."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
