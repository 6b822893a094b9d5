"""Reading a spreadsheet (CSV or XLSX) into rows of cells, each with its row and column as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from scenarios.errors import Diagnostic, ScenarioError
from scenarios.msel.cells import looks_like_formula, unescape

MAX_BYTES = 20 * 1024 * 1024
"""Largest spreadsheet read (an MSEL of a thousand rows is well under 1 MB, even as XLSX)."""
MAX_ROWS = 100_000
"""Most rows read from one sheet."""
MAX_COLUMNS = 1_000
"""Most columns read from one sheet."""

_TITLE = "MSEL not imported"
_SAVE_AS = "save it from your spreadsheet program as .xlsx (Excel workbook) or .csv"
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a sheet."""

    value: object
    """What the cell holds: text (a CSV's cells always, with the export's escaping undone: `'=x` is `=x`), or a
    number, date, time or duration (XLSX, whose text cells are taken literally)."""
    row: int
    """1-based row, as a spreadsheet program shows it (a CSV record with a quoted newline is one row)."""
    column: int
    """1-based column."""
    formula: bool = False
    """Whether the cell is a formula (its text is read, never evaluated)."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """The cells of one worksheet or CSV file, row by row."""

    display: str
    """The file as the user named it."""
    name: str | None
    """The worksheet's name (None for a CSV file)."""
    rows: list[list[Cell]]
    """Every row, in order, each with its cells from column 1."""
    others: tuple[str, ...] = ()
    """The workbook's other worksheets, not read (for the hint when this one holds no MSEL)."""


def read_sheet(path: Path, display: str, *, sheet: str | None = None) -> Sheet:
    """Read a CSV or XLSX file; nothing in it is evaluated.

    Args:
        path: the file.
        display: the file as the user named it, for messages.
        sheet: the worksheet of an XLSX file (default: one named MSEL, else the first).

    Returns:
        The sheet's cells.

    Raises:
        ScenarioError: the file is missing, too large, of another kind (`.xlsm`, `.xls`...), damaged, or has no such
            worksheet.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        hint = _SAVE_AS
        if suffix == ".xlsm":
            message = "a workbook with macros (.xlsm) is not read: its macros could run when it is opened"
            hint = "save a copy without macros as .xlsx (Excel workbook), or as .csv"
        elif suffix == ".xls":
            message = "the old Excel format (.xls) is not read"
        else:
            kind = f"a {suffix} file" if suffix else "a file without a suffix"
            message = f"{kind} is not a spreadsheet Tabletop reads: it reads .csv and .xlsx"
        raise ScenarioError.simple(display, message, hint, title=_TITLE)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ScenarioError.simple(display, "not a file", title=_TITLE)
        if size > MAX_BYTES:
            raise ScenarioError.simple(
                display,
                f"the file is {size / 1_048_576:.1f} MB, more than the {MAX_BYTES // 1_048_576} MB an MSEL may be",
                "check that you named the right file",
                title=_TITLE,
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError.simple(display, f"cannot read the file: {exc.strerror}", title=_TITLE) from None
    if suffix == ".csv":
        if sheet is not None:
            raise ScenarioError.simple(display, "a CSV file has no worksheets", "leave out --sheet", title=_TITLE)
        return Sheet(display, None, _csv_rows(raw, display))
    from scenarios.msel._xlsx_in import xlsx_rows

    name, rows, names = xlsx_rows(raw, display, sheet)
    return Sheet(display, name, rows, tuple(other for other in names if other != name))


def _csv_rows(raw: bytes, display: str) -> list[list[Cell]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ScenarioError.simple(
                display, "the file is neither UTF-8 nor Windows (cp1252) text", "save it as CSV UTF-8", title=_TITLE
            ) from None
    if "\x00" in text:
        raise ScenarioError.simple(display, "not a CSV text file (it holds NUL bytes)", _SAVE_AS, title=_TITLE)
    delimiter = _delimiter(text)
    rows: list[list[Cell]] = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            if number > MAX_ROWS or len(record) > MAX_COLUMNS:
                raise ScenarioError.simple(display, f"more than {MAX_ROWS} rows or {MAX_COLUMNS} columns", title=_TITLE)
            rows.append([_csv_cell(value, number, column) for column, value in enumerate(record, 1)])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            _too_long(text, delimiter, display)
        raise ScenarioError.simple(
            display,
            f"not a readable CSV file: {exc}",
            "check that it is the MSEL, saved from your spreadsheet program as CSV",
            title=_TITLE,
        ) from None
    _closed_quotes(text, delimiter, rows, display)
    return rows


def _closed_quotes(text: str, delimiter: str, rows: list[list[Cell]], display: str) -> None:
    """Raise the error for a quote that is never closed, at the cell it opens (the lenient reader makes the rest of
    the file that one cell; a strict reading finds the file ending inside it)."""
    if '"' not in text or not rows:
        return
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
        last = rows[-1]
        raise ScenarioError(
            [
                Diagnostic(
                    display,
                    last[-1].row if last else len(rows),
                    len(last),
                    "",
                    "an opening quote is never closed; everything after it was read as one cell",
                    'close the quote (a quote inside a cell is written twice: "")',
                )
            ],
            title=_TITLE,
        ) from None


def _too_long(text: str, delimiter: str, display: str) -> None:
    """Raise the error for a cell longer than the CSV reader takes, at that cell (found by reading again with no
    limit, which is put back at once)."""
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_BYTES)
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            for column, value in enumerate(record, 1):
                if len(value) > limit:
                    raise ScenarioError(
                        [
                            Diagnostic(
                                display,
                                number,
                                column,
                                "",
                                f"the cell is {len(value):,} characters long, more than the {limit:,} a CSV cell "
                                "may be",
                                "shorten it: an inject's text is a few lines (a quote missing at its start makes the "
                                "rest of the file one cell)",
                            )
                        ],
                        title=_TITLE,
                    )
    except csv.Error:
        return
    finally:
        csv.field_size_limit(limit)


def _csv_cell(value: str, row: int, column: int) -> Cell:
    # A cell escaped on export (`'=x`) is text, and is read as the text it escapes; only one a spreadsheet would
    # run (`=x`, `@x`) is a formula.
    text = unescape(value)
    return Cell(text, row, column, formula=text == value and looks_like_formula(value))


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of cells most often: `,`, `;` (European
    Excel) or tab. Counting characters would not do: a `;`-separated sheet's texts hold commas too."""
    sample = "\n".join(text.splitlines()[:30])

    def score(delimiter: str) -> int:
        try:
            widths = [len(record) for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)]
        except csv.Error:
            return 0
        wide = [width for width in widths if width > 1]
        return max((wide.count(width) * width for width in set(wide)), default=0)

    scores = {delimiter: score(delimiter) for delimiter in _DELIMITERS}
    return max(_DELIMITERS, key=lambda delimiter: scores[delimiter])
