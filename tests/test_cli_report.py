"""`tabletop report`: the after-action report of a run log or a batch folder, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios import load_scenario
from tests.cli import invoke


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    code, output = invoke("run", "synagogue-holiday-attack", "--seed", "3", "--log", str(folder / "run.jsonl"))
    assert code == 0, output
    return folder / "run.jsonl"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "out"
    arguments = ("batch", "synagogue-holiday-attack", "-n", "12", "--variants", "all", "--workers", "1")
    code, output = invoke(*arguments, "--out", str(folder))
    assert code == 0, output
    return folder


def test_the_html_report_is_written_beside_the_log_by_default(logged: Path) -> None:
    target = logged.with_name("run.report.html")
    target.unlink(missing_ok=True)
    code, output = invoke("report", str(logged))
    assert code == 0, output
    assert f"Report written to {target}" in " ".join(output.split())
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for title in (
        "Handling instructions",
        "Exercise overview",
        "Executive summary",
        "Analysis of core capabilities",
        "Evaluators&#39; observations",
        "Appendix A: Improvement plan",
        "Appendix B: Participating organisations",
    ):
        assert f"<h2>{title}</h2>" in html
    assert html.count("<svg") == 2  # the timeline and the awareness plot, inline


def test_the_markdown_report_writes_its_plots_beside_it(logged: Path, tmp_path: Path) -> None:
    out = tmp_path / "aar.md"
    code, output = invoke("report", str(logged), "--format", "md", "--out", str(out))
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert "](aar-timeline.svg)" in text and "](aar-awareness.svg)" in text
    assert (tmp_path / "aar-timeline.svg").read_text().startswith("<?xml")
    assert (tmp_path / "aar-awareness.svg").is_file()


def test_an_existing_report_is_never_overwritten_without_force(logged: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.html"
    out.write_text("my notes")
    code, output = invoke("report", str(logged), "--out", str(out))
    assert code == 2
    assert "refusing to overwrite it" in output and "--force" in output
    assert out.read_text() == "my notes"
    code, output = invoke("report", str(logged), "--out", str(out), "--force")
    assert code == 0, output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("--format", "pdf"), "--format 'pdf': use html or md"),
        (("--out", "report.txt"), "an HTML report is a file ending in .html; name it report.html"),
        (("--format", "md", "--out", "report.html"), "a Markdown report is a file ending in .md"),
        (("--out", "no/such/folder/aar.html"), "there is no folder no/such/folder; create the folder first"),
        (("--out", ""), "--out names no file; name the report's file, such as report.html"),
    ],
)
def test_a_bad_option_is_a_clear_message(logged: Path, arguments: tuple[str, ...], said: str) -> None:
    code, output = invoke("report", str(logged), *arguments)
    assert code == 2
    assert said in " ".join(output.split())


def test_the_format_may_be_written_in_capitals(logged: Path, tmp_path: Path) -> None:
    code, output = invoke("report", str(logged), "--format", "MD", "--out", str(tmp_path / "aar.md"))
    assert code == 0, output
    assert (tmp_path / "aar.md").read_text(encoding="utf-8").startswith("**EXERCISE")


def test_the_log_itself_is_never_the_report(logged: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run.html"
    copy.write_bytes(logged.read_bytes())
    code, output = invoke("report", str(copy), "--out", str(copy), "--force")
    assert code == 2
    assert "is the run log itself" in output
    assert copy.read_bytes() == logged.read_bytes()


def test_a_missing_file_a_non_log_and_a_non_batch_folder_are_clear_messages(tmp_path: Path) -> None:
    code, output = invoke("report", str(tmp_path / "nothing.jsonl"))
    assert code == 2 and "no such file or folder" in output
    notes = tmp_path / "notes.jsonl"
    notes.write_text("hello\n")
    code, output = invoke("report", str(notes))
    assert code == 2 and f"{notes}: not a Tabletop run log" in " ".join(output.split())
    code, output = invoke("report", str(tmp_path))
    assert code == 2 and "not a batch folder" in output
    assert not any(tmp_path.glob("*.html"))


def test_an_interrupted_log_gives_a_report_that_says_so(logged: Path, tmp_path: Path) -> None:
    lines = logged.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "crashed.jsonl"
    cut.write_bytes(b"".join(lines[: len(lines) // 2]) + lines[len(lines) // 2][:10])  # and a torn last line
    code, output = invoke("report", str(cut), "--format", "md")
    assert code == 0, output
    text = cut.with_name("crashed.report.md").read_text(encoding="utf-8")
    assert "The run was interrupted at T+" in text
    assert "Rating: pending. Measured: not by the end of the log" in text  # undecided by then
    # A milestone the run reached after the crash is not in the log, and not in its report.
    kept = [json.loads(line) for line in lines[1 : len(lines) // 2]]
    later = [
        json.loads(line)["milestone"]
        for line in lines[len(lines) // 2 : -1]
        if json.loads(line)["kind"] == "MilestoneReached"
    ]
    assert later and not any(r["kind"] == "MilestoneReached" and r["milestone"] == later[0] for r in kept)
    name = next(m.name for m in load_scenario("synagogue-holiday-attack").milestones if m.id == later[0])
    assert f"| {name} | not reached | not reached |" in text


def test_a_batch_of_every_variant_reports_the_paired_differences(batch: Path) -> None:
    code, output = invoke("report", str(batch), "--format", "md")
    assert code == 0, output
    text = (batch / "report.md").read_text(encoding="utf-8")
    assert "## Variants compared" in text
    for variant in ("direct-radio", "no-lockdown-drill"):
        assert f"**{variant} minus base (12 pairs)**" in text
    assert "P10" in text and "P50" in text and "P90" in text
    assert "95% interval" in text


def test_an_unfinished_batch_is_a_clear_message(batch: Path, tmp_path: Path) -> None:
    unfinished = tmp_path / "unfinished"
    unfinished.mkdir()
    (unfinished / "batch.json").write_bytes((batch / "batch.json").read_bytes())
    code, output = invoke("report", str(unfinished))
    assert code == 2
    assert "not finished" in output and "--resume" in output


def test_a_variant_s_report_says_what_the_variant_changes(tmp_path: Path) -> None:
    log = tmp_path / "radio.jsonl"
    code, output = invoke("run", "synagogue-holiday-attack", "--variant", "direct-radio", "--log", str(log))
    assert code == 0, output
    code, output = invoke("report", str(log), "--format", "md")
    assert code == 0, output
    text = (tmp_path / "radio.report.md").read_text(encoding="utf-8")
    variant = next(v for v in load_scenario("synagogue-holiday-attack").variants if v.id == "direct-radio")
    assert f"| Variant | direct-radio: {variant.description} |" in text
    assert "# After-action report: Armed attack on a synagogue during a holiday service — variant direct-radio" in text
