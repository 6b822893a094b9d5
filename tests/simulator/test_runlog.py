"""Tests of the run log: canonical lines, sealing, torn-line repair, tampering, and a writer killed mid-run."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator import logfile, runlog
from simulator.runlog import (
    RunLogError,
    RunLogWriter,
    canonical_json,
    encode_run_log,
    iter_records,
    read_header,
    read_run_log,
    repair_run_log,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HEADER: dict[str, Any] = {"scenario": "demo", "seed": 7}
NOT_A_RUN_LOG = "not a Tabletop run log (first line is not a run-log header)"
SEAL_MISMATCH = "seal does not match the records: the log was altered after it was written"


def ticks(count: int) -> list[dict[str, Any]]:
    """Records numbered 0..count-1 in `seq`, of varying lengths."""
    return [{"type": "Tick", "seq": seq, "t_s": seq * 1.5, "note": "x" * (seq % 5)} for seq in range(count)]


def write_log(path: Path, records: list[dict[str, Any]], *, sealed: bool = True) -> bytes:
    """Write a log with the writer and return its bytes."""
    with RunLogWriter(path, HEADER) as writer:
        for record in records:
            writer.write(record)
        if sealed:
            writer.seal({"outcome": "contained"})
    return path.read_bytes()


# --- canonical form and round trips ------------------------------------------------------------------------


def test_canonical_json_sorts_keys_writes_no_spaces_and_keeps_utf8() -> None:
    value = {"b": 1, "a": [1.5, None, "é"], "c": {"z": True, "y": "x y"}}

    assert canonical_json(value) == b'{"a":[1.5,null,"\xc3\xa9"],"b":1,"c":{"y":"x y","z":true}}'


def test_a_small_log_has_exactly_the_expected_bytes() -> None:
    records = [{"t_s": 0, "type": "InjectDelivered"}, {"type": "DecisionTaken", "t_s": 60.5, "by": "gold"}]
    body = (
        b'{"format":"tabletop-run-log","format_version":2,"scenario":"demo","seed":7,"type":"header"}\n'
        b'{"t_s":0,"type":"InjectDelivered"}\n'
        b'{"by":"gold","t_s":60.5,"type":"DecisionTaken"}\n'
    )
    # The seal's hash covers the lines before it, then the seal itself as canonical JSON without its hash.
    digest = hashlib.sha256(body + b'{"outcome":"contained","records":2,"type":"seal"}').hexdigest().encode()
    seal = b'{"outcome":"contained","records":2,"sha256":"' + digest + b'","type":"seal"}\n'

    assert encode_run_log(HEADER, records, {"outcome": "contained"}) == body + seal


def test_a_log_round_trips_its_header_records_and_seal(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_log(path, ticks(5))

    log = read_run_log(path)

    assert log.header == {**HEADER, "type": "header", "format": "tabletop-run-log", "format_version": 2}
    assert log.records == ticks(5)
    assert log.seal is not None
    assert log.seal["outcome"] == "contained"
    assert log.seal["records"] == 5
    assert not log.repaired
    assert log.path == path


def test_the_writer_writes_exactly_the_bytes_of_encode_run_log(tmp_path: Path) -> None:
    sealed = write_log(tmp_path / "sealed.jsonl", ticks(4))
    unsealed = write_log(tmp_path / "unsealed.jsonl", ticks(4), sealed=False)

    assert sealed == encode_run_log(HEADER, ticks(4), {"outcome": "contained"})
    assert unsealed == encode_run_log(HEADER, ticks(4), None)


def test_each_record_reaches_the_file_before_the_log_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, HEADER) as writer:
        for record in ticks(3):
            writer.write(record)

        assert read_run_log(path).records == ticks(3)
        assert writer.records_written == 3


def test_an_exception_inside_the_writer_leaves_an_unsealed_readable_log(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with pytest.raises(KeyError), RunLogWriter(path, HEADER) as writer:
        writer.write({"seq": 0})
        raise KeyError("the engine failed")

    log = read_run_log(path)
    assert (log.records, log.seal, log.repaired) == ([{"seq": 0}], None, False)


# --- what the writer refuses -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_with_their_key_path(number: float) -> None:
    with pytest.raises(ValueError, match=r"at 'effects\[1\]\.value'"):
        canonical_json({"effects": [{"value": 1.0}, {"value": number}], "other": None})


def test_a_refused_record_leaves_the_log_untouched(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, HEADER) as writer:
        writer.write({"seq": 0})
        with pytest.raises(ValueError, match="NaN"):
            writer.write({"delay_s": float("nan")})
        writer.seal({})

    assert read_run_log(path).records == [{"seq": 0}]


def test_nulls_and_the_word_null_in_strings_are_not_taken_for_nan() -> None:
    assert canonical_json({"note": "annulled: null", "x": None}) == b'{"note":"annulled: null","x":null}'


def test_values_that_are_not_plain_json_are_refused() -> None:
    with pytest.raises(TypeError):
        canonical_json({1: "a non-string key"})


@pytest.mark.parametrize("key", ["type", "format", "format_version"])
def test_reserved_header_keys_are_refused_before_any_file_is_created(tmp_path: Path, key: str) -> None:
    path = tmp_path / "run.jsonl"
    with pytest.raises(ValueError, match=f"'{key}' are reserved"):
        RunLogWriter(path, {key: "mine"})

    assert not path.exists()


@pytest.mark.parametrize("key", ["type", "records", "sha256"])
def test_reserved_seal_keys_are_refused_and_the_log_stays_open(tmp_path: Path, key: str) -> None:
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, HEADER) as writer:
        with pytest.raises(ValueError, match=f"'{key}' are reserved"):
            writer.seal({key: 1})
        writer.seal({"outcome": "contained"})

    assert read_run_log(path).seal is not None


@pytest.mark.parametrize("kind", ["header", "seal"])
def test_records_cannot_pose_as_a_header_or_a_seal(tmp_path: Path, kind: str) -> None:
    with RunLogWriter(tmp_path / "run.jsonl", HEADER) as writer, pytest.raises(ValueError, match="reserves"):
        writer.write({"type": kind})


def test_a_record_must_be_a_dict(tmp_path: Path) -> None:
    with RunLogWriter(tmp_path / "run.jsonl", HEADER) as writer, pytest.raises(TypeError, match="list"):
        writer.write([1, 2])  # type: ignore[arg-type]


def test_an_existing_file_is_never_overwritten_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(b"precious")

    with pytest.raises(RunLogError) as caught:
        RunLogWriter(path, HEADER)

    assert caught.value.message == f"{path}: a file already exists there; refusing to overwrite it"
    assert caught.value.hint is not None
    assert "another file name" in caught.value.hint
    assert path.read_bytes() == b"precious"


def test_overwrite_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(b"old contents that are longer than the new log will be" * 10)

    with RunLogWriter(path, HEADER, overwrite=True) as writer:
        writer.seal({})

    assert path.read_bytes() == encode_run_log(HEADER, [], {})


def test_a_log_cannot_be_created_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RunLogError, match="cannot create the run log"):
        RunLogWriter(tmp_path / "missing" / "run.jsonl", HEADER)


def test_nothing_can_be_written_after_the_seal(tmp_path: Path) -> None:
    with RunLogWriter(tmp_path / "run.jsonl", HEADER) as writer:
        writer.seal({})
        with pytest.raises(ValueError, match="already sealed or closed"):
            writer.write({"seq": 0})
        assert writer.records_written == 0


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks are POSIX-only")
def test_a_second_writer_cannot_take_over_a_log_being_written(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, HEADER) as first:
        first.write({"seq": 0})

        with pytest.raises(RunLogError, match="another process is writing this log"):
            RunLogWriter(path, HEADER, overwrite=True)
        with pytest.raises(RunLogError, match="another process is writing this log"):
            repair_run_log(path)

        first.write({"seq": 1})
    assert read_run_log(path).records == [{"seq": 0}, {"seq": 1}]


# --- torn lines and repair ---------------------------------------------------------------------------------


def test_a_torn_last_line_is_dropped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(5), sealed=False)
    path.write_bytes(data[:-7])  # cut the last record mid-line

    log = read_run_log(path)

    assert log.repaired
    assert log.records == ticks(4)
    assert log.seal is None


def test_a_torn_seal_leaves_an_unsealed_log_with_every_record(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3))
    path.write_bytes(data[:-1])  # the seal line lost only its newline

    log = read_run_log(path)

    assert (log.records, log.seal, log.repaired) == (ticks(3), None, True)


def test_a_complete_last_line_that_does_not_parse_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3), sealed=False)
    path.write_bytes(data + b"\x00\x00\x00\n")

    log = read_run_log(path)

    assert (log.records, log.repaired) == (ticks(3), True)


def test_a_cut_anywhere_after_the_header_keeps_every_complete_record(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(4))
    header_end = data.index(b"\n") + 1

    for cut in range(header_end, len(data) + 1):
        path.write_bytes(data[:cut])
        log = read_run_log(path)
        complete_lines = data[:cut].count(b"\n")
        assert log.records == ticks(4)[: complete_lines - 1], cut
        assert log.repaired == (data[cut - 1 : cut] != b"\n"), cut
        assert (log.seal is not None) == (cut == len(data)), cut


def test_repair_run_log_truncates_exactly_at_the_last_newline(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(5), sealed=False)
    torn = data[:-7]
    path.write_bytes(torn)

    assert repair_run_log(path)

    assert path.read_bytes() == torn[: torn.rindex(b"\n") + 1]
    log = read_run_log(path)
    assert (log.records, log.repaired) == (ticks(4), False)
    assert not repair_run_log(path)


def test_repairing_an_intact_sealed_log_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3))

    assert not repair_run_log(path)
    assert path.read_bytes() == data


def test_repair_drops_a_complete_last_line_that_does_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3), sealed=False)
    path.write_bytes(data + b'{"seq": 3, "no\x00\x00\x00\n')  # a line the crash left half unwritten

    assert repair_run_log(path)
    assert path.read_bytes() == data


@pytest.mark.parametrize("last", [b'{"kind":"X","seq":3,"t":NaN}\n', b'{"seq": 3, "no\n'], ids=["nan", "cut-text"])
def test_a_complete_last_line_of_text_that_does_not_parse_is_refused_with_its_line(tmp_path: Path, last: bytes) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(write_log(path, ticks(3), sealed=False) + last)

    with pytest.raises(RunLogError, match=f"{path}:5: corrupt record"):
        read_run_log(path)


# --- tampering and files that are not run logs -------------------------------------------------------------


def test_an_altered_record_in_a_sealed_log_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3))
    path.write_bytes(data.replace(b'"seq":1,', b'"seq":9,'))

    with pytest.raises(RunLogError) as caught:
        read_run_log(path)

    assert caught.value.message == f"{path}:5: {SEAL_MISMATCH}"  # the seal's line


def test_a_removed_record_in_a_sealed_log_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    lines = write_log(path, ticks(3)).splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2] + lines[3:]))

    with pytest.raises(RunLogError, match=SEAL_MISMATCH):
        read_run_log(path)


def test_a_seal_with_an_edited_record_count_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(write_log(path, ticks(3)).replace(b'"records":3,', b'"records":2,'))

    with pytest.raises(RunLogError, match=SEAL_MISMATCH):
        read_run_log(path)


def test_a_log_sealed_by_an_earlier_tabletop_is_refused_as_such_since_its_seal_left_the_outcome_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    *lines, seal_line = write_log(path, ticks(3)).splitlines(keepends=True)
    seal = orjson.loads(seal_line)
    seal["sha256"] = hashlib.sha256(b"".join(lines)).hexdigest()  # the old seal: the lines before it, and no more
    path.write_bytes(b"".join(lines) + canonical_json(seal) + b"\n")

    with pytest.raises(RunLogError) as caught:
        read_run_log(path)

    assert caught.value.message == (
        f"{path}:5: the seal is of an earlier Tabletop, which did not cover the run's outcome: it cannot be trusted"
    )
    assert caught.value.hint is not None and "run the scenario again" in caught.value.hint


def test_streaming_finds_the_seal_mismatch_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(write_log(path, ticks(3)).replace(b'"seq":2,', b'"seq":7,'))
    seen: list[dict[str, Any]] = []

    with pytest.raises(RunLogError, match=SEAL_MISMATCH):
        for record in iter_records(path):
            seen.append(record)  # not extend(): it would keep nothing once the iterator raises

    assert [record["seq"] for record in seen] == [0, 1, 7]


def test_a_bad_line_before_a_torn_last_line_is_corruption_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(write_log(path, ticks(2), sealed=False) + b'{"seq": 2, \n{"seq": 3')

    with pytest.raises(RunLogError, match=f"{path}:4: corrupt record"):
        read_run_log(path)


def test_a_corrupt_middle_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    lines = write_log(path, ticks(4), sealed=False).splitlines(keepends=True)
    lines[2] = b"{this is not json\n"
    path.write_bytes(b"".join(lines))

    with pytest.raises(RunLogError) as caught:
        read_run_log(path)

    assert caught.value.message.startswith(f"{path}:3: corrupt record")
    assert caught.value.hint is not None


@pytest.mark.parametrize(
    "contents",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"time,event\n0,start\n", id="csv"),
        pytest.param(b"[1, 2, 3]\n", id="json-array"),
        pytest.param(b'{"type": "header", "format": "something-else"}\n', id="other-format"),
        pytest.param(b'{"type":"header","format":"tabletop-run-log"', id="torn-header"),
    ],
)
def test_files_that_are_not_run_logs_are_refused(tmp_path: Path, contents: bytes) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(contents)

    with pytest.raises(RunLogError) as caught:
        read_run_log(path)

    assert caught.value.message == f"{path}: {NOT_A_RUN_LOG}"


def test_a_missing_file_is_reported_by_name(tmp_path: Path) -> None:
    path = tmp_path / "absent.jsonl"
    with pytest.raises(RunLogError, match=f"{path}: cannot open the run log"):
        read_run_log(path)


def test_a_log_from_a_newer_format_asks_for_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(b'{"format":"tabletop-run-log","format_version":3,"type":"header"}\n')

    with pytest.raises(RunLogError) as caught:
        read_run_log(path)

    assert "newer" in caught.value.message
    assert caught.value.hint is not None
    assert "upgrade" in caught.value.hint


def test_a_log_of_the_first_format_says_it_cannot_be_replayed_and_how_to_run_it_again(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    header = (
        b'{"decisions":{"patrols-in-or-wait":"wait-for-armed"},"format":"tabletop-run-log","format_version":1,'
        b'"scenario_id":"synagogue-holiday-attack","scenario_source":"synagogue-holiday-attack","seed":7,'
        b'"tool_version":"0.4.0","type":"header","variant":"direct-radio"}\n'
    )
    path.write_bytes(header + b'{"kind":"InterdictionStarted","seq":0,"t":1.0}\n')

    with pytest.raises(RunLogError) as caught:
        read_run_log(path)

    assert caught.value.message == (
        f"{path}: run-log format version 1 was written by an earlier Tabletop, before the threat and response model "
        "changed (scenario language 2): this Tabletop cannot replay it"
    )
    assert caught.value.hint == (
        "replay, compare or export it with the Tabletop that wrote it (version 0.4.0), or play the run again with "
        "this one (its scenario reads the same, but plays by the new rules): tabletop run synagogue-holiday-attack "
        "--variant direct-radio --seed 7 --decide patrols-in-or-wait=wait-for-armed --log NEW.jsonl"
    )


@pytest.mark.parametrize("version", [b'"1"', b"0", b"true", b"1.0", b"null"])
def test_a_header_with_an_invalid_format_version_is_refused(tmp_path: Path, version: bytes) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(b'{"format":"tabletop-run-log","format_version":' + version + b',"type":"header"}\n')

    with pytest.raises(RunLogError, match="invalid format_version"):
        read_run_log(path)


@pytest.mark.parametrize("extra", [b'{"seq":3}\n', b'{"se'], ids=["a-line", "a-fragment"])
@pytest.mark.parametrize("chunk_bytes", [1, 1 << 20])
def test_data_after_the_seal_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: bytes, chunk_bytes: int
) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(write_log(path, ticks(3)) + extra)
    monkeypatch.setattr(logfile, "_CHUNK_BYTES", chunk_bytes)

    with pytest.raises(RunLogError, match=f"{path}:6: data after the seal"):
        read_run_log(path)


def test_a_second_header_in_the_middle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    unsealed = write_log(path, ticks(2), sealed=False)
    path.write_bytes(unsealed + unsealed)

    with pytest.raises(RunLogError, match=f"{path}:4: a second header line"):
        read_run_log(path)


# --- streaming ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk_bytes", [1, 2, 7, 64, 4096])
def test_reading_in_small_chunks_gives_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes: int
) -> None:
    sealed, torn, corrupt = tmp_path / "sealed.jsonl", tmp_path / "torn.jsonl", tmp_path / "corrupt.jsonl"
    data = write_log(sealed, ticks(20))
    torn.write_bytes(data[:-20])
    lines = data.splitlines(keepends=True)
    corrupt.write_bytes(b"".join([*lines[:12], b"garbage\n", *lines[13:]]))
    monkeypatch.setattr(logfile, "_CHUNK_BYTES", chunk_bytes)

    assert read_run_log(sealed).seal is not None
    assert list(iter_records(sealed)) == ticks(20)
    assert list(iter_records(torn)) == ticks(20)
    assert read_run_log(torn).repaired
    with pytest.raises(RunLogError, match=f"{corrupt}:13: corrupt record"):
        read_run_log(corrupt)


# --- a writer killed mid-run -------------------------------------------------------------------------------

KILLED_WRITER = """
import sys
from pathlib import Path
from simulator.runlog import RunLogWriter

writer = RunLogWriter(Path(sys.argv[1]), {"scenario": "kill-test"}, flush_each=True)
seq = 0
while True:
    writer.write({"seq": seq, "padding": "x" * (seq % 97)})
    seq += 1
"""


def count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_a_writer_killed_mid_run_leaves_every_complete_record(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    command = [sys.executable, "-c", KILLED_WRITER, str(path)]
    with subprocess.Popen(command, cwd=PROJECT_ROOT, stderr=subprocess.PIPE) as child:
        try:
            deadline = time.monotonic() + 10.0
            while count_lines(path) < 200:
                if child.poll() is not None:
                    pytest.fail(f"the writer exited early: {child.communicate()[1].decode()}")
                if time.monotonic() > deadline:
                    pytest.fail("the writer did not write 200 lines within 10 s")
                time.sleep(0.005)
        finally:
            child.kill()
            child.wait(timeout=10.0)
    assert child.returncode == -signal.SIGKILL

    log = read_run_log(path)

    assert log.header["scenario"] == "kill-test"
    assert len(log.records) >= 199
    assert [record["seq"] for record in log.records] == list(range(len(log.records)))
    assert log.seal is None


# --- property ----------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=8
)
RECORDS = st.lists(
    st.dictionaries(TEXT, JSON_VALUES, max_size=5).filter(lambda record: record.get("type") not in ("header", "seal")),
    max_size=15,
)


@given(records=RECORDS)
def test_any_json_records_come_back_unchanged(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]
) -> None:
    path = tmp_path_factory.mktemp("property") / "run.jsonl"
    path.write_bytes(encode_run_log(HEADER, records, {"outcome": "contained"}))

    log = read_run_log(path)

    assert log.records == records
    assert log.seal is not None
    assert log.seal["records"] == len(records)


# --- the seal covers the outcome -----------------------------------------------------------------------------


@pytest.mark.parametrize("edit", [(b'"outcome":"contained"', b'"outcome":"won"'), (b'"records":3', b'"records":3.0')])
def test_editing_any_field_of_the_seal_breaks_it(tmp_path: Path, edit: tuple[bytes, bytes]) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3))
    path.write_bytes(data.replace(*edit))

    with pytest.raises(RunLogError, match=f"{path}:5: {SEAL_MISMATCH}"):
        read_run_log(path)


# --- bounded, linear reading ---------------------------------------------------------------------------------


class CountingFile:
    """A file opened for reading that counts the bytes handed out."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.file.read(size)
        self.read_bytes += len(data)
        return data

    def __enter__(self) -> CountingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[CountingFile]:
    """The files the reader opens, counting what it reads of each."""
    files: list[CountingFile] = []
    real_open = logfile._open

    def counting_open(path: Path, mode: Any) -> Any:
        files.append(CountingFile(real_open(path, mode)))
        return files[-1]

    monkeypatch.setattr(logfile, "_open", counting_open)
    return files


def test_a_gigabyte_without_a_newline_is_refused_after_reading_its_first_chunk(
    tmp_path: Path, opened: list[CountingFile]
) -> None:
    path = tmp_path / "junk.jsonl"
    path.touch()
    os.truncate(path, 1 << 30)  # sparse: a gigabyte of zeros that takes no room

    with pytest.raises(RunLogError, match=re.escape(NOT_A_RUN_LOG)):
        read_run_log(path)

    assert opened[0].read_bytes <= 2 * runlog.MAX_LINE_BYTES


def test_a_gigabyte_first_line_that_starts_like_json_is_refused_once_longer_than_any_header(
    tmp_path: Path, opened: list[CountingFile]
) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_bytes(b'{"format":"tabletop-run-log","x":"')
    os.truncate(path, 1 << 30)

    with pytest.raises(RunLogError, match="its first line is longer than 67,108,864 bytes"):
        read_run_log(path)

    assert opened[0].read_bytes <= runlog.MAX_HEADER_BYTES + 2 * runlog.MAX_LINE_BYTES


def test_a_gigabyte_line_after_a_header_is_refused_with_its_line_number_without_being_read_whole(
    tmp_path: Path, opened: list[CountingFile]
) -> None:
    path = tmp_path / "junk.jsonl"
    header = write_log(path, [], sealed=False)
    with path.open("ab") as file:
        file.write(b'{"note":"')
    os.truncate(path, 1 << 30)

    with pytest.raises(RunLogError, match=f"{path}:2: a line longer than 1,048,576 bytes"):
        read_run_log(path)

    assert opened[0].read_bytes <= len(header) + 3 * runlog.MAX_LINE_BYTES


def test_a_header_may_be_longer_than_a_record_line(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, {"scenario": "x" * (2 * runlog.MAX_LINE_BYTES)}) as writer:
        writer.write({"seq": 0})

    assert read_run_log(path).records == [{"seq": 0}]


@pytest.mark.parametrize("size", [runlog.MAX_LINE_BYTES - 20, runlog.MAX_LINE_BYTES + 1])
def test_a_record_line_of_at_most_the_limit_is_written_and_read_and_a_longer_one_never_written(
    tmp_path: Path, size: int
) -> None:
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, HEADER) as writer:
        record = {"note": "x" * (size - len('{"note":""}'))}
        if size > runlog.MAX_LINE_BYTES:
            with pytest.raises(RunLogError, match="longer than the 1,048,576 a run log allows"):
                writer.write(record)
        else:
            writer.write(record)
        writer.seal({})

    assert read_run_log(path).records == ([record] if size <= runlog.MAX_LINE_BYTES else [])


def test_a_line_just_over_the_limit_in_a_file_is_refused_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(2), sealed=False)
    path.write_bytes(data + b'{"note":"' + b"x" * runlog.MAX_LINE_BYTES + b'"}\n')

    with pytest.raises(RunLogError, match=f"{path}:4: a line longer than"):
        read_run_log(path)


def test_reading_only_the_header_of_a_gigabyte_is_as_bounded(tmp_path: Path, opened: list[CountingFile]) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_bytes(b"{")
    os.truncate(path, 1 << 30)

    with pytest.raises(RunLogError, match="its first line is longer than"):
        read_header(path)

    assert opened[0].read_bytes <= runlog.MAX_HEADER_BYTES + 2 * runlog.MAX_LINE_BYTES


def test_reading_only_some_records_still_finds_a_seal_that_is_not_last(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    data = write_log(path, ticks(3))
    path.write_bytes(data + data.splitlines(keepends=True)[2])

    with pytest.raises(RunLogError, match=f"{path}:6: data after the seal"):
        read_run_log(path, only_containing=b'"note":"xxxx"')


# --- records held and written in blocks (flush_each=False) -------------------------------------------------


def test_a_writer_without_flush_each_holds_records_until_flushed_and_then_has_written_each(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    header_line = encode_run_log(HEADER, [], None)
    with RunLogWriter(path, HEADER, flush_each=False) as writer:
        for record in ticks(3):
            writer.write(record)
        held = path.read_bytes()
        counted = writer.records_written
        writer.flush()
        flushed = path.read_bytes()
        writer.flush()  # nothing held: nothing written

        assert path.read_bytes() == flushed
    assert (held, counted) == (header_line, 3)
    assert flushed == encode_run_log(HEADER, ticks(3), None)


def test_a_block_of_records_is_written_once_it_holds_block_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runlog, "BLOCK_BYTES", 100)
    lines = [canonical_json(record) + b"\n" for record in ticks(10)]
    # The first record whose line takes the held bytes to 100 or more writes the block it ends.
    first_block = next(count for count in range(1, 11) if sum(map(len, lines[:count])) >= 100)
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, HEADER, flush_each=False) as writer:
        sizes = []
        for record in ticks(first_block):
            writer.write(record)
            sizes.append(len(path.read_bytes()))

    header_bytes = len(encode_run_log(HEADER, [], None))
    assert sizes == [header_bytes] * (first_block - 1) + [header_bytes + sum(map(len, lines[:first_block]))]


@pytest.mark.parametrize("block_bytes", [1, 60, 1 << 20])
def test_held_records_give_exactly_the_bytes_of_encode_run_log_when_sealed_or_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_bytes: int
) -> None:
    monkeypatch.setattr(runlog, "BLOCK_BYTES", block_bytes)
    for sealed in (True, False):
        path = tmp_path / f"run-{sealed}.jsonl"
        with RunLogWriter(path, HEADER, flush_each=False) as writer:
            for record in ticks(9):
                writer.write(record)
                if record["seq"] == 4:
                    writer.flush()
            if sealed:
                writer.seal({"outcome": "contained"})

        assert path.read_bytes() == encode_run_log(HEADER, ticks(9), {"outcome": "contained"} if sealed else None)


def test_a_header_field_given_as_an_encoded_fragment_gives_the_bytes_of_the_same_data(tmp_path: Path) -> None:
    scenario = {"b": [1.5, None, "é"], "a": {"z": None, "y": 2}}
    path = tmp_path / "run.jsonl"
    with RunLogWriter(path, {**HEADER, "scenario": orjson.Fragment(canonical_json(scenario))}) as writer:
        writer.write({"seq": 0})
        writer.seal({})

    assert path.read_bytes() == encode_run_log({**HEADER, "scenario": scenario}, [{"seq": 0}], {})
    assert read_run_log(path).header["scenario"] == scenario


def test_the_rest_of_a_header_holding_a_fragment_is_still_checked_for_nan(tmp_path: Path) -> None:
    header = {"scenario": orjson.Fragment(b'{"a":null}'), "seed": float("nan")}
    with pytest.raises(ValueError, match="at 'seed'"):
        RunLogWriter(tmp_path / "run.jsonl", header)

    assert not (tmp_path / "run.jsonl").exists()


class FullDisk:
    """A log file on a disk with `room` bytes left: the write that does not fit writes what fits, then fails."""

    def __init__(self, file: Any, room: int) -> None:
        self.file, self.room = file, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.file.write(data[: self.room])
            self.file.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.file.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


def full_disk_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Make the next log files opened live on a disk with `room` bytes left."""
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *args, **kwargs: FullDisk(real_fdopen(fd, *args, **kwargs), room))


@pytest.mark.parametrize("flush_each", [True, False])
def test_a_full_disk_leaves_a_readable_log_of_the_records_that_fitted_and_a_writer_that_refuses_to_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flush_each: bool
) -> None:
    monkeypatch.setattr(runlog, "BLOCK_BYTES", 200)
    whole = encode_run_log(HEADER, ticks(40), None)
    room = len(whole) // 2
    full_disk_after(monkeypatch, room)
    path = tmp_path / "run.jsonl"
    writer = RunLogWriter(path, HEADER, flush_each=flush_each)
    with pytest.raises(OSError, match="No space left on device"):
        for record in ticks(40):
            writer.write(record)
    with pytest.raises(ValueError, match="could not be written \\(No space left on device\\); it takes no more"):
        writer.write({"seq": 40})
    writer.close()  # nothing more to do, and no error

    log = read_run_log(path)
    assert path.read_bytes() == whole[:room]
    assert log.repaired == (whole[room - 1 : room] != b"\n")
    assert log.seal is None
    assert log.records == ticks(40)[: len(log.records)]
    assert len(log.records) == whole[:room].count(b"\n") - 1
