"""The examples of docs/analysing-runs.md run as written: the console commands in order, then the Python snippets."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from simulator.records import markdown_table
from tests.cli import run_as_written
from tests.regenerate_record_kinds import REGENERATE, table_in

DOC = Path(__file__).parents[1] / "docs" / "analysing-runs.md"


def blocks(kind: str) -> list[str]:
    """The fenced blocks whose info string is `kind`."""
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def commands() -> list[list[str]]:
    """Every `$ tabletop ...` line of the console blocks, in document order."""
    lines = [line for block in blocks("console") for line in block.splitlines()]
    return [shlex.split(line.removeprefix("$ "))[1:] for line in lines if line.startswith("$ tabletop ")]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where every documented command has run."""
    folder = tmp_path_factory.mktemp("analysis")
    for arguments in commands():
        run_as_written(folder, arguments)
    return folder


def test_the_document_has_commands_for_every_analysis_job() -> None:
    jobs = {arguments[0] for arguments in commands()}
    assert jobs >= {"run", "replay", "fork", "compare", "batch", "export"}


def test_the_documented_commands_leave_the_files_the_document_describes(workdir: Path) -> None:
    for name in ("run.jsonl", "fork.jsonl", "fork-12m.jsonl", "runs.png", "run.csv", "run.parquet"):
        assert (workdir / name).is_file(), name
    for name in ("results.parquet", "results.csv", "summary.json"):
        assert (workdir / "results" / name).is_file(), name


@pytest.mark.parametrize("index", range(len(blocks("python example"))))
def test_each_python_example_runs_against_those_files(
    index: int, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(workdir)
    exec(compile(blocks("python example")[index], f"{DOC.name} example {index + 1}", "exec"), {})
    assert capsys.readouterr().out.strip(), "each example prints what it computes"


def test_the_table_of_record_kinds_is_the_one_the_vocabulary_generates() -> None:
    table = table_in(DOC.read_text(encoding="utf-8"))

    assert table == markdown_table(), (
        f"the table of record kinds in {DOC.name} is out of date: regenerate it with `{REGENERATE}` "
        "(from the project root) and review the diff"
    )
