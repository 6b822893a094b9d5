"""The invalid-scenario corpus: each file has one defect, reported at its line and column with a helpful message."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scenarios import Diagnostic, check_scenario
from tabletop_cli.main import app

CORPUS = Path(__file__).parent / "invalid"
FILES = sorted(CORPUS.glob("*.yaml"))
RUNNER = CliRunner()


@dataclass(frozen=True, slots=True)
class Expected:
    """One diagnostic a corpus file must give."""

    at: str
    """`line:col: path: message`, exactly."""
    hint: str | None
    """A part of the hint; None when the diagnostic must have no hint."""


def _load_expectations() -> dict[str, list[Expected]]:
    table = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
    return {name: [Expected(item["at"], item.get("hint")) for item in entry["errors"]] for name, entry in table.items()}


EXPECTED = _load_expectations()


def _without_hint(diagnostic: Diagnostic) -> str:
    text = diagnostic.format()
    return text.removesuffix(f"; {diagnostic.hint}") if diagnostic.hint else text


def _hint_as_expected(actual: str | None, expected: str | None) -> str | None:
    """The expected hint when `actual` fits it (contains it, or both are None); otherwise `actual`, for the diff."""
    if expected is None or actual is None:
        return actual
    return expected if expected in actual else actual


def test_the_corpus_holds_at_least_thirty_files() -> None:
    assert len(FILES) >= 30


def test_every_corpus_file_has_an_expectation_and_every_expectation_a_file() -> None:
    assert sorted(EXPECTED) == [path.name for path in FILES]


def test_every_corpus_file_expects_at_least_one_error() -> None:
    assert [name for name, expected in EXPECTED.items() if not expected] == []


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_an_invalid_file_is_reported_at_its_defect_with_the_expected_message(path: Path) -> None:
    result = check_scenario(path)

    assert not result.ok
    assert result.scenario is None
    errors = [d for d in result.diagnostics if d.severity == "error"]
    expected = EXPECTED[path.name]
    assert [_without_hint(d) for d in errors] == [f"{path}:{e.at}" for e in expected]
    assert [_hint_as_expected(d.hint, e.hint) for d, e in zip(errors, expected, strict=True)] == [
        e.hint for e in expected
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_tabletop_validate_refuses_an_invalid_file_with_exit_code_2_and_no_traceback(path: Path) -> None:
    result = RUNNER.invoke(app, ["validate", str(path)])

    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.startswith(f"{path}: invalid")
    assert [f"{path}:{e.at}" in result.output for e in EXPECTED[path.name]] == [True] * len(EXPECTED[path.name])


def test_the_real_command_validates_the_whole_corpus_folder_without_a_traceback() -> None:
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", "from tabletop_cli.main import app; app()", "validate", str(CORPUS)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr
    verdicts = [line.split(": ", 1) for line in run.stdout.splitlines() if not line.startswith(" ")]
    assert [file for file, _ in verdicts] == [str(path) for path in FILES]
    assert [verdict.startswith("invalid (") for _, verdict in verdicts] == [True] * len(FILES)
