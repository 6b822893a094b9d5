"""Consoles started in the same folder in the same instant (two browser tabs on `tabletop serve`) each get a run log
of their own: a default name another console took first is passed over, a name the user gave is never replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

import simulator.runlog
from simulator.runlog import RunLogError, default_log_name
from tests.tui.console import NOW
from tui.session import DEFAULT_SCENARIO, Launch, open_session

OTHER_CONSOLES_LOG = b"another console's run log\n"


def test_a_default_log_name_taken_in_the_same_instant_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = simulator.runlog.unused_log_path
    first = tmp_path / default_log_name(DEFAULT_SCENARIO, NOW)

    def taken_after_the_check(folder: Path, scenario_id: str, when: object) -> Path:
        path = real(folder, scenario_id, NOW)
        if path == first:  # free when checked; another console creates it before this one can
            path.write_bytes(OTHER_CONSOLES_LOG)
        return path

    monkeypatch.setattr(simulator.runlog, "unused_log_path", taken_after_the_check)

    session = open_session(Launch(), tmp_path, NOW)
    session.host.abandon()

    assert session.log == tmp_path / default_log_name(DEFAULT_SCENARIO, NOW).replace(".jsonl", "-2.jsonl")
    assert first.read_bytes() == OTHER_CONSOLES_LOG
    assert session.log.read_text(encoding="utf-8").startswith("{")


def test_a_log_name_the_user_gave_and_another_process_took_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine.jsonl"
    real_open = simulator.runlog.RunLogWriter.__init__

    def taken_after_the_check(self: simulator.runlog.RunLogWriter, path: Path, *args: object, **kw: object) -> None:
        path.write_bytes(OTHER_CONSOLES_LOG)
        real_open(self, path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(simulator.runlog.RunLogWriter, "__init__", taken_after_the_check)

    with pytest.raises(RunLogError, match="refusing to overwrite"):
        open_session(Launch(log=mine), tmp_path, NOW)

    assert mine.read_bytes() == OTHER_CONSOLES_LOG
