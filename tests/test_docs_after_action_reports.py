"""The examples of docs/after-action-reports.md run as written, and leave the files and sections it describes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.cli import invoke, run_as_written

DOC = Path(__file__).parents[1] / "docs" / "after-action-reports.md"


def commands() -> list[list[str]]:
    """Every `$ tabletop ...` line of the console blocks, in document order."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line.removeprefix("$ "))[1:] for line in lines if line.startswith("$ tabletop ")]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where every documented command has run."""
    folder = tmp_path_factory.mktemp("aar")
    for arguments in commands():
        run_as_written(folder, arguments)
    return folder


def test_the_document_makes_the_report_of_a_run_and_of_a_batch_in_both_formats() -> None:
    reports = [arguments for arguments in commands() if arguments[0] == "report"]
    assert [arguments[1] for arguments in reports] == ["run.jsonl", "run.jsonl", "results"]
    assert "--format" in reports[1]


def test_the_documented_commands_write_the_files_the_document_names(workdir: Path) -> None:
    assert (workdir / "run.report.html").is_file()
    assert (workdir / "results" / "report.html").is_file()
    written = sorted(path.name for path in workdir.glob("aar*"))
    assert written == ["aar-awareness.svg", "aar-timeline.svg", "aar.md"]
    assert "This writes `aar.md`, `aar-timeline.svg` and `aar-awareness.svg`." in DOC.read_text(encoding="utf-8")


def test_every_section_the_document_describes_is_in_the_report(workdir: Path) -> None:
    html = (workdir / "run.report.html").read_text(encoding="utf-8")
    described = re.findall(r"^\d+\. \*\*(.+?)\.\*\*", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(described) == 8
    for title in described:
        escaped = title.replace("'", "&#39;")
        assert f"<h2>{escaped}</h2>" in html, title
    assert html.count("EXERCISE — FOR TRAINING USE ONLY") >= 8  # the marking at the top of every section
    batch = (workdir / "results" / "report.html").read_text(encoding="utf-8")
    for title in ("Milestones and harm", "Variants compared"):
        assert f"<h2>{title}</h2>" in batch


def test_a_report_is_never_replaced_without_force_as_the_document_says(workdir: Path) -> None:
    before = (workdir / "aar.md").read_bytes()
    code, output = invoke("report", str(workdir / "run.jsonl"), "--format", "md", "--out", str(workdir / "aar.md"))
    assert code == 2 and "--force" in output
    assert (workdir / "aar.md").read_bytes() == before


def test_the_document_s_picture_is_one_the_browser_test_takes_of_a_real_report() -> None:
    from tests.test_report_browser import DOCS_PICTURES, SCREENSHOT_FOR_DOCS

    linked = re.findall(r"\]\(images/(report-[a-z-]+\.png)\)", DOC.read_text(encoding="utf-8"))
    assert linked == [f"report-{name}-{section}.png" for name, section in sorted(DOCS_PICTURES)]
    for picture in linked:
        data = (DOC.parent / "images" / picture).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), (
            f"retake it: {SCREENSHOT_FOR_DOCS}=1 pytest tests/test_report_browser.py"
        )
