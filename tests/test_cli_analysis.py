"""The analyst's commands on bad input: a clear message, exit 2, never a traceback; and on good input, exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import Exercise
from tabletop_cli.main import app
from tests.cli import RUNNER, invoke
from tests.simulator.analysis.conftest import phoned_alarm


@pytest.fixture(scope="module")
def run_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "run.jsonl"
    result = RUNNER.invoke(app, ["run", "synagogue-holiday-attack", "--seed", "2", "--log", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return path


def test_a_file_that_is_not_a_run_log_is_refused_by_every_command(tmp_path: Path, run_log: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    for arguments in (
        ("replay", str(other), "--verify"),
        ("fork", str(other), "--at", "10m", "--decide", "a=b", "--log", str(tmp_path / "f.jsonl")),
        ("compare", str(run_log), str(other)),
        ("export", str(other)),
    ):
        code, output = invoke(*arguments)
        assert code == 2, arguments
        assert "not a Tabletop run log" in output


def test_a_log_cut_inside_its_header_is_refused_with_a_hint(tmp_path: Path, run_log: Path) -> None:
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(run_log.read_bytes()[:200])
    code, output = invoke("replay", str(cut), "--verify")
    assert code == 2
    assert "stopped while writing its header" in output


def test_a_log_cut_after_some_records_verifies_what_it_holds(tmp_path: Path, run_log: Path) -> None:
    lines = run_log.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines[:40]) + lines[40][:25])
    code, output = invoke("replay", str(cut), "--verify")
    assert code == 0
    assert "not sealed" in output and "39 complete records" in output


def test_a_fork_point_that_does_not_exist_is_refused(tmp_path: Path, run_log: Path) -> None:
    new = tmp_path / "fork.jsonl"
    code, output = invoke("fork", str(run_log), "--at", "no-such-decision", "--decide", "a=b", "--log", str(new))
    assert code == 2
    assert "never opened" in output and "patrols-in-or-wait" in output
    code, output = invoke("fork", str(run_log), "--at", "99h", "--decide", "a=b", "--log", str(new))
    assert code == 2
    assert "outside the run" in output
    assert not new.exists()


def test_an_unknown_variant_is_refused_by_batch_and_run(tmp_path: Path) -> None:
    code, output = invoke(
        "batch",
        "synagogue-holiday-attack",
        "-n",
        "2",
        "--variants",
        "base,direct-radoi",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 2
    assert "did you mean 'direct-radio'?" in output
    code, output = invoke("run", "synagogue-holiday-attack", "--variant", "direct-radoi")
    assert code == 2
    assert "did you mean 'direct-radio'?" in output


def test_a_batch_refuses_to_write_into_a_folder_that_holds_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_text("old\n", encoding="utf-8")
    code, output = invoke("batch", "synagogue-holiday-attack", "-n", "2", "--out", str(out))
    assert code == 2
    assert "not empty" in output
    assert (out / "results.csv").read_text(encoding="utf-8") == "old\n"


def test_replay_verify_of_an_intact_log_says_identical(run_log: Path) -> None:
    code, output = invoke("replay", str(run_log), "--verify")
    assert code == 0
    assert "identical" in output


def test_a_forks_changes_are_shown_to_the_millisecond(tmp_path: Path) -> None:
    parent = tmp_path / "run.jsonl"
    Exercise(phoned_alarm(), 0, decisions={"call": "now"}, log=parent).run()

    code, output = invoke(
        "fork", str(parent), "--at", "call", "--decide", "call=later", "--log", str(tmp_path / "f.jsonl"), "--embedded"
    )

    # The police know at 4.1 s, then at 64.1 s in the fork: 64.1 - 4.1 is 59.99999999999999, once shown as +00:59.
    assert code == 0, output
    police = next(line for line in output.splitlines() if "Police-Know" in line)
    assert [cell.strip() for cell in police.split("│")[1:-1]] == ["Police-Know", "00:04", "01:04", "+01:00"]


def test_compare_refusals_are_headed_cannot_compare(run_log: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    Exercise(phoned_alarm(), 1, log=other).run()

    for arguments in (("compare", str(run_log)), ("compare", str(run_log), str(other))):
        code, output = invoke(*arguments)

        assert code == 2
        assert output.startswith("Cannot compare\n"), output
