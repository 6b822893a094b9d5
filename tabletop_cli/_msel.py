"""`tabletop msel import`: a spreadsheet's injects put into a scenario, checked, and written only when asked."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import get_args

from tabletop_cli._console import console, literal

_TITLE = "MSEL not imported"


def run_import(file: Path, into: str, out: Path | None, *, sheet: str | None, times: str, force: bool) -> None:
    """Read the MSEL `file`, put its rows into the scenario `into` as its injects, and print what changed.

    Nothing is written unless asked: `out` writes a new file (an existing one only with `force`); `force` alone
    updates `into` itself (never a bundled scenario).

    Raises:
        BadOption: `times` is not auto, elapsed or clock.
        ScenarioError: the spreadsheet or the scenario cannot be read, the sheet has errors (all of them, at their
            rows and columns), or the result is not a valid scenario; or `--force` asks to change a bundled scenario.
        FileRefusedError: the file to write exists (without `force`) or is a symbolic link.
    """
    from scenarios import ScenarioError, bundled_names
    from scenarios.msel.importer import import_msel
    from scenarios.msel.read import read_sheet
    from scenarios.msel.times import TimeMode
    from simulator.files import refuse_existing, write_file
    from tabletop_cli import BadOption

    modes: tuple[TimeMode, ...] = get_args(TimeMode)
    mode = next((m for m in modes if m == times), None)
    if mode is None:
        raise BadOption(f"--times: {times!r} is not one of {', '.join(modes)}", "auto reads bare HH:MM by their value")
    bundled = not Path(into).exists() and into in bundled_names()
    if bundled and force and out is None:
        raise ScenarioError.simple(
            into, "a bundled scenario cannot be changed", "use --out NEW.yaml", title="Nothing written"
        )
    if out is not None and out.suffix.lower() not in (".yaml", ".yml"):
        raise BadOption(f"--out: {str(out)!r} is not a scenario file name", "end it in .yaml, like my-exercise.yaml")
    if out is not None and not out.parent.is_dir():
        raise BadOption(
            f"--out: the folder {str(out.parent)!r} does not exist",
            "create it first, or name a file in a folder that exists",
        )
    target = out if out is not None else (Path(into) if force else None)
    if target is not None:
        refuse_existing(target, replace=force)
    spreadsheet = read_sheet(file, str(file), sheet=sheet)
    imported = import_msel(spreadsheet, into, times=mode, output_name=str(target) if target is not None else None)
    out_console = console(soft_wrap=True)  # whole lines: each names a cell, and the last a command
    for warning in imported.warnings:
        out_console.print(literal(warning.format()))
    total = len(imported.added) + len(imported.changed) + len(imported.unchanged)
    where = f" (sheet {imported.sheet_name})" if imported.sheet_name is not None else ""
    summary = (
        f"Read {total} inject{'s' * (total != 1)} from {file}{where}: {_listed(imported.added, 'added')}, "
        f"{_listed(imported.changed, 'changed')}, {_listed(imported.removed, 'removed')}, "
        f"{len(imported.unchanged)} unchanged."
    )
    out_console.print(literal(summary))
    before = len(imported.removed) + len(imported.changed) + len(imported.unchanged)
    if 2 * len(imported.removed) > before:
        out_console.print(
            literal(
                f"warning: {len(imported.removed)} of the scenario's {before} injects would be removed: the sheet is "
                "the whole MSEL, and an inject it does not have is not kept"
            )
        )
    if target is None:
        advice = "Nothing written: add --out NEW.yaml to write a new scenario"
        advice += "." if bundled else f", or --force to update {into}."
        out_console.print(literal(advice))
        return
    write_file(target, imported.text.encode("utf-8"), replace=force)
    done = f"Updated {into}." if out is None else f"Wrote {target}."
    out_console.print(literal(done))
    out_console.print(literal(f"Check it with: tabletop validate {shlex.quote(str(target))}"))


def _listed(ids: list[str], what: str) -> str:
    return f"{len(ids)} {what} ({', '.join(ids)})" if ids else f"0 {what}"
