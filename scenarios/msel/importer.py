"""Importing an MSEL: a sheet's rows as a scenario's injects, checked by the scenario loader before any is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import orjson
from pydantic import ValidationError

from scenarios._yaml import Document, parse_document, read_document
from scenarios.errors import Diagnostic, ScenarioError
from scenarios.exercise import Inject
from scenarios.library import resolve
from scenarios.loader import validate_document
from scenarios.msel._layout_in import Layout, Problems, bare_time_cells, data_rows, find_layout, shown_at
from scenarios.msel._rows_in import Row, read_rows
from scenarios.msel._splice import Block, inject_blocks, line_comments, splice
from scenarios.msel.read import Sheet
from scenarios.msel.times import TimeMode, bare_times_mode
from scenarios.scenario import Scenario

TITLE = "MSEL not imported"
_INJECT_PATH = re.compile(r"injects\[(\d+)\](?:\.(\w+))?")


@dataclass(frozen=True, slots=True)
class Imported:
    """A scenario with a sheet's injects, checked, not yet written."""

    text: str
    """The scenario file's new text (everything outside `injects:` as it was)."""
    scenario: Scenario
    """The scenario that text loads as."""
    warnings: list[Diagnostic]
    """What was read with a guess or kept aside (unknown columns, formulas...), at the sheet's cells."""
    added: list[str]
    """Ids of the injects the scenario did not have, in sheet order."""
    changed: list[str]
    """Ids of the injects that differ from the scenario's, in sheet order."""
    removed: list[str]
    """Ids of the scenario's injects the sheet does not have, in the scenario's order."""
    unchanged: list[str]
    """Ids of the injects equal to the scenario's, in sheet order."""
    sheet_name: str | None
    """The worksheet read (None for CSV)."""


def import_msel(
    sheet: Sheet, into: str | Path, *, times: TimeMode = "auto", output_name: str | None = None
) -> Imported:
    """Replace a scenario's injects with a sheet's rows.

    Args:
        sheet: the sheet (see `read_sheet`).
        into: the scenario file, or a bundled scenario's name.
        times: how a bare `HH:MM` is read: `elapsed` since T0, a `clock` time on the scenario's day, or `auto`
            (clock times when every one is at or after T0's time of day).
        output_name: the name of the file the result is for, in the loader's messages (default: the scenario's).

    Returns:
        The new scenario text, the scenario it loads as, the warnings, and what changed.

    Raises:
        ScenarioError: the scenario cannot be read, or the sheet has errors (all of them, each at its row and
            column), or the result is not a valid scenario.
    """
    path, display = resolve(into)
    document = read_document(path, display)
    text = path.read_bytes().decode("utf-8")
    original, found = validate_document(document)
    if original is None:
        errors = [d for d in found if d.severity == "error"]
        raise ScenarioError(errors, title="Scenario not valid: fix it before importing an MSEL into it")
    problems = Problems(sheet.display)
    layout = find_layout(sheet, problems)
    if layout is None or problems.errors:
        raise ScenarioError([*problems.warnings, *problems.errors], title=TITLE)
    start = datetime.fromisoformat(original.clock.start)
    mode = _mode(sheet, layout, times, start, float(original.clock.duration), problems)
    originals = _original_data(document)
    rows = read_rows(sheet, layout, original, originals, start=start, mode=mode, problems=problems)
    if not data_rows(sheet, layout):
        count = len(original.injects)
        problems.add(
            layout.row,
            1,
            "",
            "the sheet has no injects under its header",
            f"add a row per inject; an MSEL with no injects would remove all {count} of the scenario's injects",
        )
    if problems.errors:
        raise ScenarioError([*problems.warnings, *problems.errors], title=TITLE)
    old = {inject.id: inject for inject in original.injects}
    blocks = _blocks(rows, old, document, text)
    new_text = splice(document, text, blocks)
    had = {(d.path, d.message) for d in found if d.severity == "warning"}
    scenario, warnings = _validated(new_text, output_name or display, rows, layout, sheet)
    # The loader's warnings the scenario did not have before (a rule that no inject can fire any more).
    problems.found += [d for d in warnings if (d.path, d.message) not in had]
    ids = [row.id for row in rows]
    new = {inject.id: inject for inject in scenario.injects}
    return Imported(
        text=new_text,
        scenario=scenario,
        warnings=problems.warnings,
        added=[i for i in ids if i not in old],
        changed=[i for i in ids if i in old and new[i] != old[i]],
        removed=[inject.id for inject in original.injects if inject.id not in new],
        unchanged=[i for i in ids if i in old and new[i] == old[i]],
        sheet_name=sheet.name,
    )


def _mode(
    sheet: Sheet, layout: Layout, times: TimeMode, start: datetime, duration: float, problems: Problems
) -> Literal["elapsed", "clock"]:
    if times != "auto":
        return times
    bare = bare_time_cells(sheet, layout)
    mode = bare_times_mode(bare, start, duration)
    if bare:
        index, header = layout.known["at"]
        day, t0 = start.date().isoformat(), start.strftime("%H:%M")
        message = (
            f"bare times are read as clock times on {day} (T0 is {t0}; one before it is on the next day): they are "
            "at or after T0's time of day, or within the run in the sheet's order; --times elapsed reads them as "
            "time since T0"
            if mode == "clock"
            else f"bare times are read as time since T0 ({t0} on {day}): as clock times, some would be before T0's "
            "time of day and not within the run in the sheet's order; --times clock reads them as clock times"
        )
        problems.add(layout.row, index + 1, header, message, warn=True)
    return mode


def _original_data(document: Document) -> dict[str, dict[str, object]]:
    """The scenario's injects as its file holds them, by id."""
    data = document.data if isinstance(document.data, dict) else {}
    injects = data.get("injects")
    if not isinstance(injects, list):
        return {}
    return {str(item["id"]): dict(item) for item in injects if isinstance(item, dict) and "id" in item}


def _blocks(rows: list[Row], old: dict[str, Inject], document: Document, text: str) -> list[Block]:
    """Each row's block: the scenario's own text for an inject that is equal to the scenario's."""
    originals = inject_blocks(document, text)
    data = _original_data(document)
    position = {inject_id: i for i, inject_id in enumerate(old)}
    blocks = []
    for row in rows:
        kept = None
        comments: dict[str, str] = {}
        if originals is not None and row.id in old:
            try:
                same = Inject.model_validate_json(orjson.dumps(row.data), strict=True) == old[row.id]
            except ValidationError:
                same = False  # the loader says why, at the row
            original = originals[position[row.id]]
            kept = original if same else None
            # An edited inject keeps the comments on the lines of the fields the sheet left as they were.
            before = data.get(row.id, {})
            comments = {
                key: comment
                for key, comment in line_comments(original).items()
                if key in row.data and before.get(key) == row.data[key]
            }
        blocks.append(Block(kept, None if kept is not None else row.data, comments))
    return blocks


def _validated(
    text: str, name: str, rows: list[Row], layout: Layout, sheet: Sheet
) -> tuple[Scenario, list[Diagnostic]]:
    """The new text as the loader reads it, and its warnings; its errors and warnings about an inject are put at
    that inject's row."""
    try:
        scenario, found = validate_document(parse_document(text, name))
    except ScenarioError as exc:
        found, scenario = list(exc.diagnostics), None
    errors = [_at_row(d, rows, layout, sheet) for d in found if d.severity == "error"]
    if scenario is None or errors:
        raise ScenarioError(sorted(errors, key=lambda d: (d.file != sheet.display, d.line, d.column)), title=TITLE)
    return scenario, [_at_row(d, rows, layout, sheet) for d in found if d.severity == "warning"]


def _at_row(diagnostic: Diagnostic, rows: list[Row], layout: Layout, sheet: Sheet) -> Diagnostic:
    match = _INJECT_PATH.match(diagnostic.path)
    if match is None or int(match.group(1)) >= len(rows):
        return diagnostic
    row = rows[int(match.group(1))]
    # A whole inject's problem (neither a time nor a trigger) is shown at its time.
    where = layout.known.get(match.group(2) or "at")
    column, header = (where[0] + 1, where[1]) if where is not None else (1, "")
    rest = diagnostic.path[match.end() :].lstrip(".")
    message = f"{rest}: {diagnostic.message}" if rest and where is not None else diagnostic.message
    if where is None and match.group(2):
        message = f"{match.group(2)}{'.' + rest if rest else ''}: {diagnostic.message}"
    return Diagnostic(
        sheet.display, row.number, column, shown_at(header, column), message, diagnostic.hint, diagnostic.severity
    )
