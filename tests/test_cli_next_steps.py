"""The commands a message suggests can be pasted as they are: a path with spaces is quoted."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tabletop_cli._play import _tell
from tests.cli import invoke
from tests.tui.console import session_in


def suggested(line: str) -> list[str]:
    """The words of the command after the `:` of a hint line, as a shell splits them."""
    return shlex.split(line.partition(": ")[2])


def test_a_misnamed_new_file_is_told_the_name_to_use_quoted(tmp_path: Path) -> None:
    code, output = invoke("new", str(tmp_path / "Lyon School.txt"))

    assert code == 2
    assert "e.g. tabletop new 'Lyon School.yaml'" in output


@pytest.mark.parametrize("finished", [False, True])
def test_the_console_s_last_words_quote_the_run_log(
    finished: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Lyon School"
    folder.mkdir()
    session = session_in(folder)
    try:
        _tell(session, finished)
    finally:
        session.host.abandon()

    hint = capsys.readouterr().err.splitlines()[1]
    expected = ["tabletop", "replay", str(session.log), "--verify"] if finished else ["tabletop", "play", "--resume"]
    assert suggested(hint)[: len(expected)] == expected
    assert str(session.log) in suggested(hint)
