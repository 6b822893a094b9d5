"""The one reader of run logs: whatever a log file holds, it is read with a verdict or refused as a RunLogError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import Exercise
from simulator.analysis.load import load_log
from simulator.logcheck import read_tabletop_log
from simulator.runlog import RunLogError
from tests.simulator.analysis.conftest import phoned_alarm


def sound_log() -> bytes:
    exercise = Exercise(phoned_alarm(), 3)
    exercise.advance_to(2.0)
    exercise.mark_pause("talk")
    return exercise.log_bytes()


SOUND = sound_log()
LINES = SOUND.splitlines(keepends=True)

BYTE_EDITS = st.tuples(st.integers(0, len(SOUND) - 1), st.integers(0, 255))
LINE_EDITS = st.tuples(st.sampled_from(["drop", "double", "swap"]), st.integers(0, len(LINES) - 1))


def edited(byte_edits: list[tuple[int, int]], line_edits: list[tuple[str, int]], cut: int | None) -> bytes:
    lines = list(LINES)
    for what, at in line_edits:
        if not lines:
            break
        index = at % len(lines)
        if what == "drop":
            del lines[index]
        elif what == "double":
            lines.insert(index, lines[index])
        else:
            lines[index - 1], lines[index] = lines[index], lines[index - 1]
    data = bytearray(b"".join(lines))
    for position, value in byte_edits:
        if data:
            data[position % len(data)] = value
    return bytes(data if cut is None else data[:cut])


@settings(max_examples=150, deadline=None)
@given(
    byte_edits=st.lists(BYTE_EDITS, max_size=3),
    line_edits=st.lists(LINE_EDITS, max_size=2),
    cut=st.none() | st.integers(0, len(SOUND)),
)
def test_any_edit_of_a_log_is_read_with_a_verdict_or_refused_as_a_run_log_error(
    tmp_path_factory: pytest.TempPathFactory,
    byte_edits: list[tuple[int, int]],
    line_edits: list[tuple[str, int]],
    cut: int | None,
) -> None:
    path = tmp_path_factory.mktemp("edited") / "run.jsonl"
    path.write_bytes(edited(byte_edits, line_edits, cut))

    for read in (read_tabletop_log, lambda path: load_log(path).log):  # every command, export's frames too
        try:
            log = read(path)
        except RunLogError as exc:
            assert exc.message.startswith(str(path))
        else:
            assert log.verdict().startswith(("sealed and intact", "interrupted (unsealed)"))


def test_a_sound_log_is_sealed_and_intact(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(SOUND)

    assert read_tabletop_log(path).verdict() == f"sealed and intact: {len(LINES) - 2} records"
