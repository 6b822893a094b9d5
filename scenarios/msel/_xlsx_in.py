"""Reading one worksheet of an XLSX workbook: read only, formulas kept as their text, external links not loaded."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from scenarios.errors import ScenarioError

if TYPE_CHECKING:
    from scenarios.msel.read import Cell

_TITLE = "MSEL not imported"


def xlsx_rows(raw: bytes, display: str, sheet: str | None) -> tuple[str, list[list[Cell]], list[str]]:
    """The name and the cells of the worksheet `sheet` (default: one named MSEL whatever its case, else the first),
    and the names of all the workbook's worksheets.

    Raises:
        ScenarioError: the workbook is damaged or not a workbook, or has no worksheet named `sheet`.
    """
    import openpyxl

    from scenarios.msel.read import MAX_COLUMNS, MAX_ROWS, Cell

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # a damaged file raises anything: zipfile, XML, openpyxl
        raise ScenarioError.simple(
            display,
            f"not a readable Excel workbook ({type(exc).__name__}: {exc})",
            "open it in your spreadsheet program and save it again as .xlsx, or as .csv",
            title=_TITLE,
        ) from None
    try:
        names = list(workbook.sheetnames)
        name = _chosen(names, sheet, display)
        rows: list[list[Cell]] = []
        try:
            for number, cells in enumerate(workbook[name].iter_rows(min_row=1, min_col=1), 1):
                if number > MAX_ROWS or len(cells) > MAX_COLUMNS:
                    raise ScenarioError.simple(
                        display, f"more than {MAX_ROWS} rows or {MAX_COLUMNS} columns", title=_TITLE
                    )
                rows.append(
                    [
                        Cell(cell.value, number, column, formula=cell.data_type == "f")
                        for column, cell in enumerate(cells, 1)
                    ]
                )
        except ScenarioError:
            raise
        except Exception as exc:  # as above: the sheet XML is parsed only now
            raise ScenarioError.simple(
                display,
                f"the worksheet {name!r} cannot be read ({type(exc).__name__}: {exc})",
                "open it in your spreadsheet program and save it again as .xlsx, or as .csv",
                title=_TITLE,
            ) from None
        return name, rows, names
    finally:
        workbook.close()


def _chosen(names: list[str], sheet: str | None, display: str) -> str:
    if sheet is not None:
        if sheet in names:
            return sheet
        raise ScenarioError.simple(
            display,
            f"no worksheet {sheet!r}",
            "its worksheets: " + ", ".join(repr(name) for name in names),
            title=_TITLE,
        )
    if not names:
        raise ScenarioError.simple(display, "the workbook has no worksheet", title=_TITLE)
    for name in names:
        if name.strip().lower() == "msel":
            return name
    return names[0]
