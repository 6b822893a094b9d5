"""`tabletop validate`: verdicts, the JSON report, folders, bundled names and exit codes."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from scenarios import bundled_names, bundled_path
from tabletop_cli.main import app

BUNDLED = "synagogue-holiday-attack"
INVALID = Path(__file__).parent / "scenarios" / "invalid"
RUNNER = CliRunner()

REPORT_FIELDS = {"file", "valid", "scenario", "sha256", "diagnostics"}
"""The fields of each file's entry in the `--json` report."""
DIAGNOSTIC_FIELDS = {"file", "line", "column", "path", "message", "hint", "severity"}
"""The fields of each diagnostic in the `--json` report."""


def _validate(*args: str) -> Result:
    return RUNNER.invoke(app, ["validate", *args])


def _copy_bundled(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(bundled_path(BUNDLED), folder / name))


def test_a_bundled_scenario_named_alone_is_valid_with_exit_code_0() -> None:
    result = _validate(BUNDLED)

    assert result.exit_code == 0
    assert result.output == f"{BUNDLED} (bundled): valid\n"


def test_a_scenario_file_named_by_its_path_is_valid_with_exit_code_0() -> None:
    result = _validate(str(bundled_path(BUNDLED)))

    assert result.exit_code == 0
    assert result.output == f"{bundled_path(BUNDLED)}: valid\n"


def test_the_json_report_has_the_documented_fields_for_a_valid_file() -> None:
    result = _validate("--json", BUNDLED)

    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report == [
        {
            "file": f"{BUNDLED} (bundled)",
            "valid": True,
            "scenario": BUNDLED,
            "sha256": hashlib.sha256(bundled_path(BUNDLED).read_bytes()).hexdigest(),
            "diagnostics": [],
        }
    ]


def test_the_json_report_gives_every_diagnostic_with_its_place_and_hint() -> None:
    path = INVALID / "misspelt-stakeholder-key.yaml"

    result = _validate("--json", str(path))

    assert result.exit_code == 2
    [entry] = json.loads(result.stdout)
    assert set(entry) == REPORT_FIELDS
    assert (entry["valid"], entry["scenario"]) == (False, None)
    assert entry["diagnostics"] == [
        {
            "file": str(path),
            "line": 35,
            "column": 5,
            "path": "stakeholders[1].unit",
            "message": "unknown key 'unit'",
            "hint": "did you mean 'units'?",
            "severity": "error",
        }
    ]
    assert set(entry["diagnostics"][0]) == DIAGNOSTIC_FIELDS


def test_a_folder_is_validated_file_by_file_including_subfolders(tmp_path: Path) -> None:
    first = _copy_bundled(tmp_path, "a.yaml")
    nested = _copy_bundled(tmp_path / "more", "b.yml")
    invalid = Path(shutil.copy(INVALID / "notify-self.yaml", tmp_path / "c.yaml"))
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")

    result = _validate(str(tmp_path))

    assert result.exit_code == 2
    verdicts = [line for line in result.output.splitlines() if not line.startswith(" ")]
    assert verdicts == [f"{first}: valid", f"{invalid}: invalid (1 error)", f"{nested}: valid"]


def test_a_folder_of_valid_files_exits_0(tmp_path: Path) -> None:
    _copy_bundled(tmp_path, "a.yaml")
    _copy_bundled(tmp_path, "b.yaml")

    result = _validate("--json", str(tmp_path))

    assert result.exit_code == 0
    assert [entry["valid"] for entry in json.loads(result.stdout)] == [True, True]


def test_a_folder_without_scenario_files_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")

    result = _validate(str(tmp_path))

    assert result.exit_code == 2
    assert f"No scenario files (.yaml, .yml) in {tmp_path}." in result.stderr


def test_an_unknown_bundled_name_exits_2_with_a_did_you_mean() -> None:
    result = _validate("synagogue-holday-attack")

    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "synagogue-holday-attack: invalid (1 error)",
        "  synagogue-holday-attack:1:1: no such file or bundled scenario; did you mean 'synagogue-holiday-attack'?",
    ]


def test_a_missing_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = _validate(str(tmp_path / "missing.yaml"))

    assert result.exit_code == 2
    assert "cannot read the file" in result.output
    assert "Traceback" not in result.output


def test_list_prints_the_bundled_names_one_a_line() -> None:
    result = _validate("--list")

    assert result.exit_code == 0
    assert result.output.splitlines() == bundled_names()
    assert BUNDLED in result.output.splitlines()


def test_no_argument_exits_2_and_says_what_to_name() -> None:
    result = _validate()

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("Name at least one scenario file, folder or bundled name. Try: tabletop validate --list\n")


def test_a_valid_file_with_warnings_is_valid_and_lists_them(tmp_path: Path) -> None:
    text = bundled_path(BUNDLED).read_text(encoding="utf-8")
    path = tmp_path / "lonely.yaml"
    assert text.count("\nchannels:\n") == 1
    path.write_text(
        text.replace("\nchannels:\n", "\n  - {id: nobody, name: Nobody, kind: other}\nchannels:\n"), encoding="utf-8"
    )

    result = _validate(str(path))

    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"{path}: valid, 1 warning"
    assert "no message, inject or observation can ever reach 'nobody'" in result.output


def test_the_installed_command_validates_a_bundled_scenario() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "from tabletop_cli.main import app; app(prog_name='tabletop')", "validate", BUNDLED],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (run.returncode, run.stdout, run.stderr) == (0, f"{BUNDLED} (bundled): valid\n", "")


def test_schema_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tabletop_cli.main import app

    result = CliRunner().invoke(app, ["schema", "-o", str(tmp_path / "missing" / "schema.json")])
    assert result.exit_code == 2
    assert "No such file or directory" in result.output
    assert "Traceback" not in result.output
