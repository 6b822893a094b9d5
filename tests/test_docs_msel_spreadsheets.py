"""The examples of docs/msel-spreadsheets.md run as written (with the edit it describes made in between), and print
what the document shows."""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

import openpyxl
import pytest

from scenarios import load_scenario
from scenarios.msel.columns import COLUMNS
from tests.cli import invoke, run_as_written

DOC = Path(__file__).parents[1] / "docs" / "msel-spreadsheets.md"
TEXT = DOC.read_text(encoding="utf-8")


def blocks() -> list[tuple[list[list[str]], list[str]]]:
    """Each console block's commands, and the lines of the text block right after it (if any)."""
    found = re.findall(r"```console\n(.*?)```\n(?:\n```text\n(.*?)```)?", TEXT, flags=re.DOTALL)
    return [
        (
            [shlex.split(line.removeprefix("$ "))[1:] for line in commands.splitlines() if line.startswith("$ ")],
            shown.splitlines(),
        )
        for commands, shown in found
    ]


def edit_as_described(workbook_path: Path) -> None:
    """Step 1 and 2 of the worked example: inj-03 moved to T+00:30:00, and a row added for inj-05."""
    workbook = openpyxl.load_workbook(workbook_path)
    sheet = workbook["MSEL"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "inj-03":
            row[headers.index("Scenario Time")].value = "T+00:30:00"
    new = dict.fromkeys(headers, None)
    new |= {
        "Inject #": "inj-05",
        "Scenario Time": "12:30",
        "Inject Type": "info",
        "Delivery Method": "phone call",
        "To": "City crisis cell",
        "Inject": "The umbrella organisation asks whether the other sites should close.",
    }
    sheet.append([new[header] for header in headers])
    workbook.save(workbook_path)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, list[str]]]]:
    """A folder where every documented command has run, and what each console block printed and the document shows."""
    folder = tmp_path_factory.mktemp("msel")
    (sheet_text,) = re.findall(r"```csv\n(.*?)```", TEXT, flags=re.DOTALL)
    (folder / "field-msel.csv").write_text(sheet_text, encoding="utf-8")
    printed: list[tuple[str, list[str]]] = []
    for commands, shown in blocks():
        output = ""
        for arguments in commands:
            output += run_as_written(folder, arguments)
            if arguments[:2] == ["msel", "export"]:
                edit_as_described(folder / arguments[arguments.index("--out") + 1])
        printed.append((output, shown))
    return folder, printed


def test_each_console_block_prints_what_the_document_shows(outputs: tuple[Path, list[tuple[str, list[str]]]]) -> None:
    _, printed = outputs
    assert sum(1 for _, shown in printed if shown) == 3  # the worked example, the field sheet, and it again
    for output, shown in printed:
        assert [line for line in shown if line not in output.splitlines()] == []


def test_the_worked_example_writes_the_edited_scenario(outputs: tuple[Path, list[tuple[str, list[str]]]]) -> None:
    folder, _ = outputs
    edited = {inject.id: inject for inject in load_scenario(folder / "my-exercise-v2.yaml").injects}
    assert edited["inj-03"].at == 30 * 60
    assert (edited["inj-05"].at, edited["inj-05"].to, edited["inj-05"].delivery_method) == (
        40 * 60,
        "crisis-cell",
        "phone",
    )
    assert list(edited) == ["inj-01", "inj-02", "inj-03", "inj-04", "inj-05"]
    field = {inject.id: inject for inject in load_scenario(folder / "my-exercise-v3.yaml").injects}
    assert field["inj-01"].notes == "Owner: Anna"
    assert field["inj-06"].text == '=HYPERLINK("https://example.org/rumour")'


def test_the_documented_errors_are_what_import_says_at_those_cells(
    outputs: tuple[Path, list[tuple[str, list[str]]]], tmp_path: Path
) -> None:
    folder, _ = outputs
    assert invoke("msel", "export", str(folder / "my-exercise.yaml"), "--out", str(tmp_path / "msel.csv"))[0] == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "msel.csv").read_text(encoding="utf-8-sig"), newline="")))
    rows[2][2] = "25:99"
    rows[3][6] = "Comunity security team"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    (tmp_path / "msel.csv").write_text(buffer.getvalue(), encoding="utf-8")

    code, output = invoke("msel", "import", str(tmp_path / "msel.csv"), "--into", str(folder / "my-exercise.yaml"))
    assert code == 2
    (shown,) = re.findall(r"```text\n(msel\.csv:.*?)```", TEXT, flags=re.DOTALL)
    for line in shown.splitlines():
        assert line.replace("msel.csv", str(tmp_path / "msel.csv"), 1) in output


def test_the_column_table_lists_every_column_and_every_alias() -> None:
    table = [line for line in TEXT.splitlines() if line.startswith("| ") and " | " in line]
    for column in COLUMNS:
        (row,) = [line for line in table if line.startswith(f"| {column.header} |")]
        aliases = row.split(" | ")[1].lower()
        assert [alias for alias in column.aliases if alias not in aliases] == [], column.header
