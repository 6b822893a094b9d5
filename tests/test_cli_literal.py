"""What a scenario's author wrote is printed as written by every command: never Rich markup, emoji or escapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tabletop_cli.main import app
from tests.markup_scenario import MILESTONE, OBJECTIVE, TITLE, scenario_text


def tabletop(*args: str) -> tuple[int, str, str]:
    """Run the CLI in this process on a wide terminal; (exit code, stdout, stderr). An exception is raised."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def first_cells(output: str) -> list[str]:
    """The first cell of each table row of `output`."""
    return [line.split("│")[1].strip() for line in output.splitlines() if line.count("│") > 2]


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    path = tmp_path / "literal.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    return path


def test_run_prints_the_title_milestone_objective_and_names_as_written(tricky: Path) -> None:
    code, out, err = tabletop("run", str(tricky))

    assert code == 0, err
    assert out.splitlines()[0].startswith(f"{TITLE}  seed 0")
    assert any(line.split("│")[1].strip() == MILESTONE for line in out.splitlines() if line.count("│") > 2)
    assert any(line.split("│")[2].strip() == OBJECTIVE for line in out.splitlines() if line.count("│") > 2)
    assert "💯" not in out


def test_a_diagnostic_at_line_100_keeps_its_colons(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = "# padding\n" * 96 + scenario_text().replace("summary:", "sumary:", 1)  # `sumary` on line 100
    path.write_text(text, encoding="utf-8")

    for command in ("run", "validate"):
        code, out, err = tabletop(command, str(path))

        assert code == 2
        assert f"{path}:100:1: sumary: unknown key 'sumary'" in out + err, command
        assert "💯" not in out + err


def test_control_characters_in_scenario_text_are_refused_and_never_sent_to_the_terminal(tmp_path: Path) -> None:
    hyperlink = "\x1b]8;;http://127.0.0.1:9/\x1b\\click\x1b]8;;\x1b\\"
    path = tmp_path / "escape.yaml"
    path.write_text(scenario_text("Drill " + hyperlink), encoding="utf-8")

    code, out, err = tabletop("run", str(path))

    assert code == 2
    assert "\x1b" not in out + err
    assert "title: the text holds the control character U+001B, which a terminal would obey rather than show" in err


def test_control_characters_in_a_file_name_are_shown_not_sent_to_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "drill\x1b]0;pwned\x07.yaml"

    code, out, err = tabletop("validate", str(path))

    assert code == 2
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert r"drill\x1b]0;pwned\x07.yaml" in out + err


def test_compare_and_fork_print_milestone_and_objective_names_as_written(tricky: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for seed, log in ((1, first), (2, second)):
        assert tabletop("run", str(tricky), "--seed", str(seed), "--log", str(log), "--json")[0] == 0

    code, out, err = tabletop("compare", str(first), str(second))

    assert code == 0, err
    assert MILESTONE in first_cells(out)

    code, out, err = tabletop(
        "fork", str(first), "--at", "go", "--decide", "go=now", "--log", str(tmp_path / "f.jsonl")
    )

    assert code == 0, err
    assert {MILESTONE, f"objective: {OBJECTIVE}"} <= set(first_cells(out))


def test_a_file_name_that_looks_like_markup_is_printed_as_written(tmp_path: Path) -> None:
    path = tmp_path / "[bold]x :100:.yaml"
    path.write_text(scenario_text(), encoding="utf-8")

    code, out, _ = tabletop("validate", str(path))

    assert (code, out) == (0, f"{path}: valid\n")


def test_a_batch_summary_prints_milestone_and_objective_names_as_written(tricky: Path, tmp_path: Path) -> None:
    code, out, err = tabletop("batch", str(tricky), "-n", "2", "--workers", "1", "--out", str(tmp_path / "out"))

    assert code == 0, err
    assert {MILESTONE, OBJECTIVE} <= set(first_cells(out))
