"""A scenario's injects as an MSEL spreadsheet: the rows of cells, and those rows as CSV or XLSX bytes."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML writes the flow mappings; the importer reads them as YAML 1.2

from scenarios._base import format_duration
from scenarios.exercise import Inject
from scenarios.msel.cells import escape, unescape
from scenarios.msel.columns import COLUMNS, DELIVERY_METHODS, INJECT_TYPES
from scenarios.msel.times import format_time
from scenarios.scenario import Scenario

SHEET_TITLE = "MSEL"
"""The worksheet's name, which the importer looks for first."""

MAX_WIDTH = 60
"""No column of the XLSX is wider than this many characters; longer cells wrap."""

MIN_WIDTH = 8
"""Nor narrower than this."""

FIXED_TIME = datetime(2000, 1, 1)
"""The workbook's created and modified times: a constant, so that the same scenario gives the same bytes."""

_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
"""The time stamp of every member of the XLSX archive, for the same reason."""

XLSX_MAX_CHARACTERS = 32_767
"""The most characters a cell of an XLSX workbook holds (Excel refuses to open a workbook with a longer one)."""

_NOT_XML = re.compile("[\ufffe\uffff]")
"""Characters a scenario may hold but XML cannot (the loader refuses control characters already)."""


class CellError(ValueError):
    """A cell cannot be written to an XLSX workbook; names it by its 1-based row and its column's header."""

    def __init__(self, row: int, header: str, message: str) -> None:
        super().__init__(f"row {row}, {header}: {message}")
        self.row = row
        self.header = header
        self.message = message


def _flow(value: dict[str, Any]) -> str:
    """A mapping as one line of YAML flow style, keys in the order given, plain values where YAML allows them."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=1_000_000)
    return str(text).strip()


def _trigger(inject: Inject) -> str:
    if inject.trigger is None:
        return ""
    return _flow(inject.trigger.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _after(inject: Inject) -> str:
    after = inject.after
    if isinstance(after, float | int):
        return "" if after == 0 else format_duration(after)
    return _flow(after.model_dump(mode="json", by_alias=True))


def _text(value: str | None) -> str:
    return "" if value is None else value


_CELLS: dict[str, Callable[[Inject], str]] = {
    "id": lambda inject: inject.id,
    "move": lambda inject: _text(inject.move),
    "at": lambda inject: "" if inject.at is None else format_time(inject.at),
    "inject_type": lambda inject: inject.inject_type,
    "delivery_method": lambda inject: inject.delivery_method,
    "from": lambda inject: _text(inject.from_),
    "to": lambda inject: inject.to,
    "text": lambda inject: inject.text,
    "expected_action": lambda inject: _text(inject.expected_action),
    "objective": lambda inject: _text(inject.objective),
    "core_capability": lambda inject: _text(inject.core_capability),
    "critical_task": lambda inject: _text(inject.critical_task),
    "controller": lambda inject: _text(inject.controller),
    "notes": lambda inject: _text(inject.notes),
    "status": lambda _inject: "",
    "trigger": _trigger,
    "after": _after,
    "fact": lambda inject: _text(inject.fact),
    "contingency": lambda inject: "yes" if inject.contingency else "",
    "source": lambda inject: _text(inject.source),
}
"""How each column's cell is written from an inject, by the column's field."""


def msel_rows(scenario: Scenario) -> list[list[str]]:
    """The MSEL of a scenario as rows of cells, every cell escaped against formula injection.

    Args:
        scenario: The scenario, with its variant applied already when one is wanted.

    Returns:
        The header row (every column of `COLUMNS`, in order), then one row per inject in the scenario's order.
    """
    header = [escape(column.header) for column in COLUMNS]
    cells = [_CELLS[column.field] for column in COLUMNS]
    return [header, *([escape(cell(inject)) for cell in cells] for inject in scenario.injects)]


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    """Rows as a CSV file: UTF-8 with a byte order mark (so that Excel reads accents), `\\r\\n` line ends, quotes only
    where a cell needs them.

    Args:
        rows: The cells, as `msel_rows` gives them.
    """
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: Sequence[Sequence[str]], *, title: str) -> bytes:
    """Rows as an XLSX workbook: one worksheet named MSEL, the header row bold, frozen, filtered and printed atop
    each page, columns fitted to their text up to `MAX_WIDTH`, text wrapped, drop-down lists for Inject Type,
    Delivery Method and Contingency; every cell a string cell, never a formula; the same rows give the same bytes.

    The rows' escaping is for CSV: a workbook holds each cell's text unescaped, with Excel's quote prefix on the
    cells that were escaped.

    Args:
        rows: The cells, as `msel_rows` gives them.
        title: The workbook's title in its properties (the scenario's title).

    Raises:
        CellError: a cell is longer than `XLSX_MAX_CHARACTERS`, or holds a character XML cannot (U+FFFE, U+FFFF).
    """
    _check_cells(rows)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    wrapped = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            width = max((len(line) for line in unescape(value).splitlines()), default=0)
            widths[column_number] = max(widths.get(column_number, 0), width)
            if not value:
                continue  # an absent cell reads back as empty; openpyxl writes "" as an odd empty inline string
            # A string cell is text already: the workbook holds the text itself, and a cell the CSV escapes gets
            # the quote prefix instead of the apostrophe, so that Excel shows it as it is and keeps it text when
            # it is edited.
            text = unescape(value)
            cell = sheet.cell(row=row_number, column=column_number, value=text)
            # openpyxl takes a string that starts with "=" for a formula: this makes sure no cell of ours is one.
            cell.data_type = "s"
            cell.alignment = wrapped
            if text != value:
                cell.quotePrefix = True
            if row_number == 1:
                cell.font = bold
    for column_number, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_number)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    _table_aids(sheet, rows)
    properties = workbook.properties
    properties.title = title
    properties.creator = "Tabletop"
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    return _repacked(_saved(workbook))


DROP_DOWN_ROWS = 5_000
"""How far down the drop-down lists reach (past the last inject, for the rows a controller adds)."""

_CHOICES = {
    "inject_type": INJECT_TYPES,
    "delivery_method": DELIVERY_METHODS,
    "contingency": ("yes", "no"),
}
"""The columns that get a drop-down list, and its choices (a suggestion: other spellings may still be typed)."""


def _table_aids(sheet: Any, rows: Sequence[Sequence[str]]) -> None:
    """A filter on the header row, the header row repeated atop each printed page, and drop-down lists for the
    columns with a fixed set of values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows), 2)}"
    sheet.print_title_rows = "1:1"
    bottom = max(len(rows), DROP_DOWN_ROWS)
    for number, column in enumerate(COLUMNS, start=1):
        choices = _CHOICES.get(column.field)
        if choices is None:
            continue
        # Not strict: the importer reads aliases (`info`, `phone call`), so a drop-down suggests, never refuses.
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showErrorMessage=False
        )
        letter = get_column_letter(number)
        validation.add(f"{letter}2:{letter}{bottom}")
        sheet.add_data_validation(validation)


def _check_cells(rows: Sequence[Sequence[str]]) -> None:
    header = rows[0] if rows else []
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row):
            name = header[column_number] if column_number < len(header) else f"column {column_number + 1}"
            if len(value) > XLSX_MAX_CHARACTERS:
                raise CellError(
                    row_number, name, f"{len(value):,} characters; an XLSX cell holds at most {XLSX_MAX_CHARACTERS:,}"
                )
            if (found := _NOT_XML.search(value)) is not None:
                raise CellError(row_number, name, f"the character U+{ord(found.group()):04X} cannot be kept in XLSX")


def _saved(workbook: Any) -> bytes:
    """The workbook's archive, written without `save_workbook`, which stamps the modified time with the clock."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def _repacked(data: bytes) -> bytes:
    """The archive with every member stamped `_ZIP_TIME` (zipfile stamps them with the clock), and each carriage
    return in its XML written `&#13;`: an XML reader turns a raw one into a line feed, and the cell would change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename.endswith((".xml", ".rels")):
                content = content.replace(b"\r", b"&#13;")
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return buffer.getvalue()
