"""`tabletop play` refuses a bad command line with a located message and exit 2, before any log is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import invoke


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["nope"], "no such file or bundled scenario"),
        (["synagogue-holiday-attack", "--seat", "nobody"], "no seat 'nobody'"),
        (["synagogue-holiday-attack", "--variant", "nope"], "nope"),
        (["synagogue-holiday-attack", "--resume", "x.jsonl"], "--resume LOG continues the log's own scenario"),
        (["--resume", "missing.jsonl"], "missing.jsonl"),
    ],
)
def test_a_bad_play_command_line_exits_2_with_a_message_and_writes_no_log(
    arguments: list[str], said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    code, output = invoke("play", *arguments)

    assert code == 2
    assert said in output
    assert not list(tmp_path.glob("*.jsonl"))


def test_play_refuses_to_overwrite_an_existing_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.jsonl").write_text("my notes\n", encoding="utf-8")

    code, output = invoke("play", "synagogue-holiday-attack", "--log", "mine.jsonl")

    assert code == 2 and "the file exists" in output
    assert (tmp_path / "mine.jsonl").read_text(encoding="utf-8") == "my notes\n"
