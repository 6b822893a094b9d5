"""An MSEL sheet's layout: its header row, which column holds which field, and the problems noted at its cells."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import time

from scenarios.errors import Diagnostic
from scenarios.msel import _cells_in as cells_in
from scenarios.msel.columns import BY_HEADER, COLUMNS, Column, normalise_header, shown_header
from scenarios.msel.read import Cell, Sheet

HEADER_ROWS = 20
"""How far down the header row is looked for (a title, a date and a blank row above it are common)."""
_BARE = re.compile(r"\s*\d+:[0-5]?\d(?::[0-5]?\d(?:\.\d+)?)?\s*")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the header row is and which column holds which field."""

    row: int
    """The header row (1-based)."""
    known: dict[str, tuple[int, str]]
    """Each field the sheet has: its column (0-based) and its header as written."""
    unknown: list[tuple[int, str]]
    """The columns no field has: (column, header as written)."""

    @property
    def headed(self) -> frozenset[int]:
        """The columns (0-based) that have a header, known or not: the table's extent."""
        return frozenset([index for index, _ in self.known.values()] + [index for index, _ in self.unknown])


@dataclass(slots=True)
class Problems:
    """What reading a sheet found, errors and warnings together."""

    display: str
    found: list[Diagnostic] = field(default_factory=list)

    def add(
        self, row: int, column: int, header: str, message: str, hint: str | None = None, *, warn: bool = False
    ) -> None:
        """Note one problem at a cell."""
        self.found.append(
            Diagnostic(
                self.display, row, column, shown_at(header, column), message, hint, "warning" if warn else "error"
            )
        )

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors, in sheet order."""
        return sorted(
            (d for d in self.found if d.severity == "error"), key=lambda d: (d.file != self.display, d.line, d.column)
        )

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings, in sheet order (the sheet's first, then the scenario's)."""
        return sorted(
            (d for d in self.found if d.severity == "warning"), key=lambda d: (d.file != self.display, d.line, d.column)
        )


def shown_at(header: str, column: int) -> str:
    """A cell's header as a message shows it, with the column's letter as the spreadsheet shows it:
    `Scenario Time (column G)` (a header's own trailing colon dropped, so that none is doubled)."""
    if not header:
        return ""
    return f"{header.rstrip().rstrip(':').rstrip() or header} (column {column_letters(column)})"


def column_letters(number: int) -> str:
    """A 1-based column's letters as a spreadsheet shows them (27 is AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def find_layout(sheet: Sheet, problems: Problems) -> Layout | None:
    """The header row: the one with the most known headers (two at least) among the first 20, the first of them on
    a tie (None, with an error, when there is none)."""
    best, most = None, 1
    for cells in sheet.rows[:HEADER_ROWS]:
        count = sum(1 for cell in cells if normalise_header(cells_in.cell_text(cell.value).strip()) in BY_HEADER)
        if count > most:  # a metadata row above the header (`Exercise:,Synagogue,Time:,11:50`) has fewer
            best, most = cells, count
    for cells in [best] if best is not None else []:
        headers = [(cell, cells_in.cell_text(cell.value).strip()) for cell in cells]
        row = cells[0].row
        known: dict[str, tuple[int, str]] = {}
        unknown: list[tuple[int, str]] = []
        for index, (cell, text) in enumerate(headers):
            if not text:
                continue
            column = BY_HEADER.get(normalise_header(text))
            if column is None:
                unknown.append((index, text))
            elif column.field in known:
                first = known[column.field][1]
                problems.add(
                    row,
                    cell.column,
                    text,
                    f"a second column for {column.header} (the first is {first!r})",
                    "delete or rename one of them",
                )
            else:
                known[column.field] = (index, text)
        return Layout(row, known, unknown)
    top = next((cells for cells in sheet.rows if any(cells_in.cell_text(c.value).strip() for c in cells)), None)
    where = f" of the worksheet {sheet.name!r}" if sheet.name is not None else ""
    hint = (
        "the MSEL needs a row of headers such as Inject #, Scenario Time, To, Inject (tabletop msel export writes one)"
    )
    if top is not None:
        texts = [text for c in top if (text := cells_in.cell_text(c.value).strip())]
        shown = " | ".join(text if len(text) <= 40 else text[:37] + "..." for text in texts[:12])
        hint += f"; found: {shown}" + (" | ..." if len(texts) > 12 else "")
    if sheet.others:
        hint += "; the workbook's other worksheets: " + ", ".join(
            f"{other!r} (--sheet {shlex.quote(other)})" for other in sheet.others
        )
    problems.add(top[0].row if top else 1, 1, "", f"no header row in the first {HEADER_ROWS} rows{where}", hint)
    return None


def _column(name: str) -> Column:
    return next(column for column in COLUMNS if column.field == name)


def accepted_headers(name: str) -> str:
    """The hint listing the headers read as a field's column."""
    column = _column(name)
    return "the headers read as it: " + ", ".join([column.header, *map(shown_header, column.aliases)])


def bare_time_cells(sheet: Sheet, layout: Layout) -> list[object]:
    """The time column's bare `HH:MM` cells (and spreadsheet times), for `--times auto`."""
    if "at" not in layout.known:
        return []
    index = layout.known["at"][0]
    values = [value_at(cells, index) for cells in data_rows(sheet, layout)]
    return [v for v in values if isinstance(v, time) or (isinstance(v, str) and _BARE.fullmatch(v))]


def data_rows(sheet: Sheet, layout: Layout) -> list[list[Cell]]:
    """The rows under the header row with a value under a header (a stray cell far off the table is no inject)."""
    headed = layout.headed
    return [
        cells
        for cells in sheet.rows
        if cells
        and cells[0].row > layout.row
        and any(index in headed and _filled(cell) for index, cell in enumerate(cells))
    ]


def stray_rows(sheet: Sheet, layout: Layout) -> list[tuple[int, int]]:
    """The rows under the header row whose only values are under no header (ignored, with a warning): each row,
    and the column of its first value."""
    headed = layout.headed
    return [
        (cells[0].row, next(cell.column for cell in cells if _filled(cell)))
        for cells in sheet.rows
        if cells
        and cells[0].row > layout.row
        and any(_filled(cell) for cell in cells)
        and not any(index in headed and _filled(cell) for index, cell in enumerate(cells))
    ]


def headerless_columns(rows: list[list[Cell]], layout: Layout) -> list[int]:
    """The columns (0-based) with no header that hold a value in an inject row: kept in the notes, never dropped."""
    headed = layout.headed
    return sorted(
        {index for cells in rows for index, cell in enumerate(cells) if index not in headed and _filled(cell)}
    )


def _filled(cell: Cell) -> bool:
    return bool(cells_in.cell_text(cell.value).strip())


def value_at(cells: list[Cell], index: int) -> object:
    """The value of a row's cell (None past its end), with the export's escaping undone."""
    if index >= len(cells):
        return None
    value = cells[index].value
    return cells_in.cell_text(value) if isinstance(value, str) else value
