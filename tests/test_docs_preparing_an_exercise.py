"""The examples of docs/preparing-an-exercise.md run as written, and show and write what the document says."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from scenarios.msel.columns import COLUMNS
from tabletop_cli.main import app
from tests.cli import invoke, run_as_written

DOC = Path(__file__).parents[1] / "docs" / "preparing-an-exercise.md"


def commands() -> list[list[str]]:
    """Every `$ tabletop ...` line of the console blocks, in document order."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line.removeprefix("$ "))[1:] for line in lines if line.startswith("$ tabletop ")]


def text() -> str:
    """The document on one line, its line breaks as spaces."""
    return " ".join(DOC.read_text(encoding="utf-8").split())


def run_in(folder: Path, arguments: list[str]) -> str:
    """Run `tabletop ARGUMENTS` in this process in `folder` on a terminal 200 columns wide (so that no quoted text is
    wrapped across a table's lines); its standard output. It must succeed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(app, arguments, env={"COLUMNS": "200"})
    assert result.exception is None, repr(result.exception)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A folder where every documented command has run, and what each printed. The first export runs as a separate
    process, as a user's shell runs it; the others in this process (a process costs a second to start)."""
    folder = tmp_path_factory.mktemp("preparing")
    exports = [index for index, arguments in enumerate(commands()) if arguments[:2] == ["msel", "export"]]
    printed = [
        run_as_written(folder, arguments) if index == exports[0] else run_in(folder, arguments)
        for index, arguments in enumerate(commands())
    ]
    return folder, printed


def test_the_document_shows_exports_and_runs_with_a_decision_as_it_says() -> None:
    kinds = [arguments[:2] for arguments in commands()]
    assert kinds == [
        ["show", "synagogue-holiday-attack"],
        ["run", "synagogue-holiday-attack"],
        ["show", "synagogue-holiday-attack"],
        ["show", "synagogue-holiday-attack"],
        ["msel", "export"],
        ["msel", "export"],
        ["msel", "export"],
        ["msel", "export"],
    ]


def test_the_ids_and_texts_the_document_quotes_are_in_the_show_output(outputs: tuple[Path, list[str]]) -> None:
    shown = " ".join(outputs[1][0].split())
    for quoted in (
        "lockdown-or-evacuate",
        "evacuate",
        "(default)",
        "inj-02",
        "media / phone",
        "T+00:40:00",
        "12:30:00",
        "lock down Synagogue, Humboldtstrasse",
        "P ≤ 03:00, S ≤ 05:00, M ≤ 10:00",
        "the scenario as written",
        "contingency",
    ):
        assert quoted in shown, quoted
        assert quoted in text(), quoted
    assert "(shown)" in outputs[1][2]


def test_the_json_form_holds_the_same_decision_ids(outputs: tuple[Path, list[str]]) -> None:
    data = json.loads(outputs[1][3])
    assert data["decisions"][0]["id"] == "lockdown-or-evacuate"
    assert "evacuate" in [o["id"] for o in data["decisions"][0]["options"]]


def test_the_documented_exports_write_the_files_the_document_names(outputs: tuple[Path, list[str]]) -> None:
    folder = outputs[0]
    assert sorted(path.name for path in folder.iterdir()) == ["msel-armed-post.csv", "msel.csv", "msel.xlsx"]
    sheet = openpyxl.load_workbook(folder / "msel.xlsx")["MSEL"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in COLUMNS]
    doctrine, tabletop = headers[:15], headers[15:]  # the document lists both, in the order written
    assert ", ".join(doctrine[:-1]) + " and " + doctrine[-1] in text()
    assert ", ".join(tabletop[:-1]) + " and " + tabletop[-1] in text()
    csv_rows = list(csv.reader(io.StringIO((folder / "msel.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert csv_rows[0] == headers
    armed = [row[0] for row in csv.reader(io.StringIO((folder / "msel-armed-post.csv").read_text("utf-8-sig")))]
    assert "inj-guard-post" in armed and "inj-guard-sees-attack" in armed  # the two injects the document speaks of


def test_an_export_over_an_existing_file_needs_force_as_the_document_says(outputs: tuple[Path, list[str]]) -> None:
    target = outputs[0] / "msel.csv"
    before = target.read_bytes()
    code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(target))
    assert code == 2 and "--force" in output
    assert target.read_bytes() == before
    code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(outputs[0] / "msel.ods"))
    assert code == 2 and "Any other name is refused." in text()
