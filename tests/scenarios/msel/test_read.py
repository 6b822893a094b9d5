"""Reading spreadsheets: CSV in its encodings and delimiters, XLSX without evaluating anything, and refusals."""

from __future__ import annotations

import csv
import io
from datetime import time
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from scenarios.errors import ScenarioError
from scenarios.msel.read import Cell, read_sheet

DATA = Path(__file__).parent / "data"


def values(rows: list[list[Cell]]) -> list[list[object]]:
    return [[cell.value for cell in row] for row in rows]


def xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_openpyxl_reads_xml_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_csv_record_with_a_quoted_newline_is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b'Inject #,Inject\r\ninj-01,"two\nlines"\r\ninj-02,x\r\n')
    sheet = read_sheet(path, "m.csv")
    assert sheet.name is None
    assert values(sheet.rows) == [["Inject #", "Inject"], ["inj-01", "two\nlines"], ["inj-02", "x"]]
    assert [(cell.row, cell.column) for cell in sheet.rows[2]] == [(3, 1), (3, 2)]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_found_among_comma_semicolon_and_tab(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "m.csv"
    text = delimiter.join(["Inject #", "To", "Inject"]) + "\n" + delimiter.join(["1", "ems", '"a, b"']) + "\n"
    path.write_text(text)
    assert values(read_sheet(path, "m.csv").rows)[1] == ["1", "ems", "a, b"]


def test_a_csv_is_read_as_utf8_with_or_without_bom_else_as_windows_text(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    for raw in ("To,Inject\nems,Übung\n".encode("utf-8-sig"), "To,Inject\nems,Übung\n".encode("cp1252")):
        path.write_bytes(raw)
        assert values(read_sheet(path, "m.csv").rows) == [["To", "Inject"], ["ems", "Übung"]]


def test_only_a_csv_cell_a_spreadsheet_would_run_is_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Inject,Notes\n=SUM(A1:A3),'=escaped on export\n")
    row = read_sheet(path, "m.csv").rows[1]
    assert [cell.formula for cell in row] == [True, False]


def test_an_xlsx_formula_is_read_as_its_text_never_evaluated(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", {"MSEL": [["Inject", "Scenario Time"], ["=1+1", time(12, 5)]]})
    sheet = read_sheet(path, "m.xlsx")
    assert sheet.name == "MSEL"
    formula, clock = sheet.rows[1]
    assert (formula.value, formula.formula, formula.row, formula.column) == ("=1+1", True, 2, 1)
    assert (clock.value, clock.formula) == (time(12, 5), False)


def test_the_worksheet_is_the_one_named_else_msel_else_the_first(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", {"Notes": [["a"]], "msel": [["b"]], "Other": [["c"]]})
    assert read_sheet(path, "m.xlsx").name == "msel"
    assert values(read_sheet(path, "m.xlsx", sheet="Other").rows) == [["c"]]
    first = xlsx(tmp_path / "f.xlsx", {"Notes": [["a"]], "Other": [["c"]]})
    assert read_sheet(first, "f.xlsx").name == "Notes"


def test_an_unknown_sheet_is_refused_with_the_sheets_there_are(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", {"Notes": [["a"]], "Inject list": [["b"]]})
    with pytest.raises(ScenarioError) as raised:
        read_sheet(path, "m.xlsx", sheet="MSEL")
    assert [d.format() for d in raised.value.diagnostics] == [
        "m.xlsx:1:1: no worksheet 'MSEL'; its worksheets: 'Notes', 'Inject list'"
    ]


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("m.xlsm", "macros"),
        ("m.xls", "old Excel format"),
        ("m.ods", r"a \.ods file is not a spreadsheet Tabletop reads"),
        ("msel", r"a file without a suffix is not a spreadsheet Tabletop reads"),
    ],
)
def test_other_kinds_of_file_are_refused_with_a_hint_to_save_as_xlsx_or_csv(
    tmp_path: Path, name: str, wanted: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ScenarioError, match=wanted) as raised:
        read_sheet(path, name)
    assert ".xlsx" in (raised.value.diagnostics[0].hint or "")


@pytest.mark.parametrize("raw", [b"", b"not a zip at all", b"PK\x03\x04broken", bytes(range(256)) * 8])
def test_a_damaged_workbook_is_an_error_never_a_traceback(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(raw)
    with pytest.raises(ScenarioError, match="not a readable Excel workbook"):
        read_sheet(path, "m.xlsx")


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        read_sheet(tmp_path / "none.csv", "none.csv")


def test_the_field_style_fixture_reads_its_title_rows_and_quoted_cells() -> None:
    sheet = read_sheet(DATA / "field-msel.csv", "field-msel.csv")
    assert len(sheet.rows) == 8
    assert sheet.rows[2][0].value == "Seq No"
    assert sheet.rows[5][3].value == '=HYPERLINK("https://example.org/rumour")'
    assert sheet.rows[5][3].formula


def test_a_semicolon_sheet_whose_texts_hold_commas_is_read_by_its_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Nr;Zeit;An;Inject\n1;+5;ems;Hello, hello, hello, anyone there, anyone?\n2;+6;ems;a, b, c, d\n")
    rows = values(read_sheet(path, "m.csv").rows)
    assert rows[1] == ["1", "+5", "ems", "Hello, hello, hello, anyone there, anyone?"]


def test_a_csv_cell_escaped_on_export_is_read_unescaped_and_an_at_cell_is_a_formula_too(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Inject,Notes,From\n@SUM(A1),'=escaped on export,'+49 30\n")
    row = read_sheet(path, "m.csv").rows[1]
    assert [(cell.value, cell.formula) for cell in row] == [
        ("@SUM(A1)", True),
        ("=escaped on export", False),
        ("+49 30", False),
    ]


def test_an_xlsx_text_cell_is_taken_literally_apostrophe_included(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", {"MSEL": [["Inject", "To"], ["'=typed with an apostrophe", "ems"]]})
    assert read_sheet(path, "m.xlsx").rows[1][0].value == "'=typed with an apostrophe"


def test_a_csv_cell_too_long_to_read_is_named_at_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("To,Inject\nems," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_sheet(path, "m.csv")
    (found,) = raised.value.diagnostics
    assert (found.line, found.column) == (2, 2)
    assert found.message == "the cell is 200,000 characters long, more than the 131,072 a CSV cell may be"
    assert ".csv" not in (found.hint or "")
    assert csv.field_size_limit() == 131_072  # put back
