"""`tabletop replay LOG --tui`: the replay screen on a log, refused with --verify or --json, a bad log a message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.screen import Screen

from tests.cli import invoke
from tests.tui.replays import BOMB_THREAT, played
from tui.screens.replay import ReplayScreen


def capture_console(monkeypatch: pytest.MonkeyPatch) -> list[Screen[None]]:
    """Make the analysis console record the screen it would open instead of opening it (it needs a terminal)."""
    opened: list[Screen[None]] = []

    def fake_console(opening: Callable[[], Screen[None]]) -> int:
        opened.append(opening())
        return 0

    monkeypatch.setattr("tabletop_cli._play.run_analysis_console", fake_console)
    return opened


@pytest.mark.parametrize("embedded", [False, True])
def test_replay_tui_opens_the_replay_screen_on_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedded: bool
) -> None:
    log = played(tmp_path, BOMB_THREAT)
    opened = capture_console(monkeypatch)

    code, output = invoke("replay", str(log), "--tui", *(["--embedded"] if embedded else []))

    assert code == 0, output
    (screen,) = opened
    assert isinstance(screen, ReplayScreen)
    assert screen.replay.path == log
    assert screen.embedded is embedded
    assert screen.frame.t == 0.0


@pytest.mark.parametrize("other", ["--verify", "--json"])
def test_replay_tui_is_refused_with_verify_or_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str) -> None:
    opened = capture_console(monkeypatch)

    code, output = invoke("replay", str(tmp_path / "run.jsonl"), "--tui", other)

    assert code == 2
    assert "Bad option" in output
    assert f"--tui cannot be used with {other}" in output
    assert not opened


def test_replay_tui_on_a_file_that_is_no_run_log_says_so_before_any_console_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = capture_console(monkeypatch)
    bad = tmp_path / "notes.jsonl"
    bad.write_text("hello\n", encoding="utf-8")

    code, output = invoke("replay", str(bad), "--tui")

    assert code == 2
    assert "notes.jsonl" in output
    assert not opened
