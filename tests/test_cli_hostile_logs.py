"""Altered, crafted and unsealed run logs through replay --verify, fork, compare and export: each gets the same
verdict or the same located refusal (exit 2, `FILE:LINE: what`), never a traceback (reliability report D3-D5, D14,
D15)."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from simulator import Exercise
from simulator._logformat import seal_sha256
from simulator.runlog import canonical_json
from tests.cli import invoke
from tests.simulator.analysis.conftest import phoned_alarm

Lines = list[bytes]
"""A log's lines, each with its newline."""


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sealed log of the phoned alarm with a facilitator's pause, its guard's decision left to the default."""
    path = tmp_path_factory.mktemp("hostile") / "run.jsonl"
    exercise = Exercise(phoned_alarm(), 3, log=path)
    exercise.advance_to(2.0)
    exercise.mark_pause("talk")
    exercise.run()
    return path


def commands(log: Path, other: Path) -> dict[str, tuple[str, ...]]:
    """The four readers of a log, `log` being the one under test and `other` a sound log of the same scenario."""
    fork_log = log.with_name(f"{log.stem}-fork.jsonl")
    fork_log.unlink(missing_ok=True)
    return {
        "replay": ("replay", str(log), "--verify"),
        "fork": ("fork", str(log), "--at", "call", "--decide", "call=later", "--log", str(fork_log)),
        "compare": ("compare", str(other), str(log)),
        "export": ("export", str(log), "--output", str(log.with_suffix(".csv"))),
    }


def record_of(line: bytes) -> dict[str, Any]:
    record: dict[str, Any] = orjson.loads(line)
    return record


def line_of(record: dict[str, Any]) -> bytes:
    return canonical_json(record) + b"\n"


def kind_index(lines: Lines, kind: str) -> int:
    return next(index for index, line in enumerate(lines) if f'"kind":"{kind}"'.encode() in line)


def edited(lines: Lines, kind: str, change: Callable[[dict[str, Any]], None]) -> Lines:
    """The lines with the first record of `kind` changed by `change`."""
    index = kind_index(lines, kind)
    record = record_of(lines[index])
    change(record)
    return [*lines[:index], line_of(record), *lines[index + 1 :]]


def sealed_again(lines: Lines) -> Lines:
    """The lines with their seal's count and SHA-256 made to match again, as anyone can compute them."""
    seal = record_of(lines[-1])
    seal["records"] = len(lines) - 2
    seal["sha256"] = seal_sha256(hashlib.sha256(b"".join(lines[:-1])), seal)
    return [*lines[:-1], line_of(seal)]


def harm(value: float) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        record["harm"] = value

    return change


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / f"{name}.jsonl"
    path.write_bytes(data)
    return path


# --- refused by every command, with the file and the line ----------------------------------------------------


def _refusals(sound: Lines) -> dict[str, tuple[bytes, str]]:
    """Hostile logs every reader must refuse: name -> (bytes, what the message says)."""
    unsealed = sound[:-1]
    head = sound[:4]  # header, RunStarted, CommandApplied, PauseMarked
    pause = record_of(sound[3])

    def crafted(**fields: Any) -> bytes:
        record = {**pause, **fields}
        return b"".join(head) + line_of({k: v for k, v in record.items() if v is not None})

    without_milestone = edited(unsealed, "MilestoneReached", lambda r: r.pop("milestone"))
    rng = random.Random(4)
    return {
        # D3: a record of a sealed log edited
        "edited-record": (b"".join(edited(sound, "RunEnded", harm(9.5))), ":16: seal does not match the records"),
        # D4: the seal's outcome edited, with or without hashing it again
        "edited-seal": (b"".join([*sound[:-1], sound[-1].replace(b'"harm":0.0', b'"harm":9.5')]), "seal does not"),
        "edited-seal-sealed-again": (
            b"".join(sealed_again([*sound[:-1], sound[-1].replace(b'"harm":0.0', b'"harm":9.5')])),
            ":16: the seal's harm 9.5 is not the run's 0.0",
        ),
        # D5: what follows a seal
        "blank-line-after-the-seal": (b"".join(sound) + b"\n", ":17: data after the seal"),
        "record-after-the-seal": (b"".join(sound) + sound[3], ":17: data after the seal"),
        # D14: crafted records
        "no-milestone": (b"".join(without_milestone), ":9: a MilestoneReached record without its 'milestone' field"),
        "ratings-a-list": (
            b"".join(edited(unsealed, "RunEnded", lambda r: r.update(ratings=[1, 2]))),
            ":15: a RunEnded record whose 'ratings' is [1, 2]",
        ),
        "command-without-step": (crafted(kind="CommandApplied", seq=3, step=None), ":5: a CommandApplied record"),
        "t-not-a-number": (crafted(seq=3, t="soon"), ":5: a PauseMarked record whose 't' is 'soon'"),
        "no-kind": (crafted(seq=3, kind=None), ":5: a record without its 'kind'"),
        "random-bytes": (sound[0] + rng.randbytes(4096) + b"\n", ":2: corrupt record"),
        "a-json-array": (b"".join([*head, b"[1,2,3]\n", *unsealed[4:]]), ":5: corrupt record (not a JSON object)"),
        "nan-last-line": (b"".join([*head, b'{"kind":"X","seq":4,"t":NaN}\n']), ":5: corrupt record"),
        "unknown-kind": (crafted(seq=3, kind="X"), ":5: an unknown record kind 'X'"),
        "a-field-too-many": (crafted(seq=3, extra="x"), ":5: a PauseMarked record with a field 'extra'"),
        "seq-out-of-order": (crafted(seq=7), ":5: record number (seq) 7 where 3 was due"),
        "header-duration-as-text": (
            b"".join(sealed_again([line_of({**record_of(sound[0]), "duration_s": "2h"}), *sound[1:]])),
            ":1: the run-log header's 'duration_s' is '2h'",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "edited-record",
        "edited-seal",
        "edited-seal-sealed-again",
        "blank-line-after-the-seal",
        "record-after-the-seal",
        "no-milestone",
        "ratings-a-list",
        "command-without-step",
        "t-not-a-number",
        "no-kind",
        "random-bytes",
        "a-json-array",
        "nan-last-line",
        "unknown-kind",
        "a-field-too-many",
        "seq-out-of-order",
        "header-duration-as-text",
    ],
)
@pytest.mark.parametrize("command", ["replay", "fork", "compare", "export"])
def test_an_altered_or_crafted_log_is_refused_by_every_command_with_its_file_and_line(
    tmp_path: Path, sealed: Path, case: str, command: str
) -> None:
    data, expected = _refusals(sealed.read_bytes().splitlines(keepends=True))[case]
    path = write(tmp_path, case, data)

    code, output = invoke(*commands(path, sealed)[command])

    assert code == 2, output
    assert f"{path}{expected}" in " ".join(output.split()) if expected.startswith(":") else expected in output
    assert not path.with_suffix(".csv").exists(), "nothing is exported from a refused log"


# --- verdicts: interrupted logs are read, and said to be unverified ------------------------------------------


@pytest.mark.parametrize(
    "cut", [pytest.param(-1, id="seal-deleted"), pytest.param(-40, id="seal-torn")], indirect=False
)
def test_a_log_whose_seal_is_missing_verifies_as_interrupted_with_its_end_compared(
    tmp_path: Path, sealed: Path, cut: int
) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)
    data = b"".join(lines[:-1]) if cut == -1 else b"".join(lines)[:cut]
    path = write(tmp_path, "unsealed", data)

    code, output = invoke("replay", str(path), "--verify")

    assert code == 0, output
    assert "identical: 14 records re-simulated exactly" in output
    assert "interrupted (unsealed): 14 complete records" in output
    assert "it holds the run's end (RunEnded), so its outcome was compared too" in " ".join(output.split())


@pytest.mark.parametrize("command", ["fork", "compare", "export"])
def test_a_command_that_shows_an_outcome_says_when_the_log_is_unsealed(
    tmp_path: Path, sealed: Path, command: str
) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)
    path = write(tmp_path, "e", b"".join(edited(lines, "RunEnded", harm(9.5))[:-1]))  # edited, seal deleted

    code, output = invoke(*commands(path, sealed)[command])

    assert code == 0, output
    assert (
        "note: e.jsonl is unsealed (interrupted): 14 complete records; its outcome is not verified "
        "(tabletop replay e.jsonl --verify re-simulates it)"
    ) in " ".join(output.split())


def test_an_outcome_edited_in_a_record_and_the_seal_then_sealed_again_diverges_on_verify(
    tmp_path: Path, sealed: Path
) -> None:
    lines = edited(sealed.read_bytes().splitlines(keepends=True), "RunEnded", harm(9.5))
    lines[-1] = lines[-1].replace(b'"harm":0.0', b'"harm":9.5')
    path = write(tmp_path, "resealed", b"".join(sealed_again(lines)))

    code, output = invoke("replay", str(path), "--verify")

    assert code == 1, output
    assert "diverges at record 13: likely cause:" in output
    assert "sealed again" in output


def test_a_seal_whose_outcome_alone_was_edited_and_sealed_again_diverges_on_verify(
    tmp_path: Path, sealed: Path
) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)
    lines[-1] = lines[-1].replace(b'"measured_s":124.1', b'"measured_s":4.1')
    path = write(tmp_path, "resealed", b"".join(sealed_again(lines)))

    code, output = invoke("replay", str(path), "--verify", "--json")

    assert code == 1, output
    report = orjson.loads(output)
    assert report["divergence"]["index"] == 14  # the seal's place, after the 14 records
    assert report["divergence"]["cause"] == "the seal's outcome is not the run's: the log was altered and sealed again"
    assert report["divergence"]["logged"]["objectives"][0]["measured_s"] == 4.1
    assert report["divergence"]["replayed"]["objectives"][0]["measured_s"] == 124.1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("duration_s", 1e308),
        ("time_zone", "UTC"),
        ("limits", {"events": 5, "records": 5}),
        ("decisions", {"call": "later"}),
    ],
)
def test_a_header_edited_and_sealed_again_diverges_on_verify_in_the_header(
    tmp_path: Path, sealed: Path, key: str, value: object
) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)
    header = record_of(lines[0])
    header[key] = value
    path = write(tmp_path, "resealed", b"".join(sealed_again([line_of(header), *lines[1:]])))

    code, output = invoke("replay", str(path), "--verify", "--embedded")

    assert code == 1, output
    assert output.startswith("note: used the scenario embedded in the log\ndiverges ")
    assert "likely cause:" in output


def test_a_scenario_copy_edited_in_the_header_and_sealed_again_is_refused(tmp_path: Path, sealed: Path) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)
    header = record_of(lines[0])
    header["scenario"]["title"] = "Another drill"
    path = write(tmp_path, "resealed", b"".join(sealed_again([line_of(header), *lines[1:]])))

    for embedded in ((), ("--embedded",)):
        code, output = invoke("replay", str(path), "--verify", *embedded)

        assert code == 2, output
        assert f"{path}:1: the scenario copied in the header is not the one the run played" in output


def test_a_divergence_shows_a_huge_record_cut_short(tmp_path: Path, sealed: Path) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)[:-1]
    lines = edited(lines, "PauseMarked", lambda record: record.update(note="x" * 500_000))
    path = write(tmp_path, "long", b"".join(lines))

    code, output = invoke("replay", str(path), "--verify")

    assert code == 1
    shown = json.dumps(record_of(lines[3]), sort_keys=True, ensure_ascii=False)
    assert f"  in the log:   {shown[:2_000]}... ({len(shown):,} characters in all)\n" in output
    assert len(output) < 10_000


@pytest.mark.parametrize("command", ["replay", "fork"])
def test_a_logged_command_that_cannot_be_applied_again_is_refused_with_its_line(
    tmp_path: Path, sealed: Path, command: str
) -> None:
    lines = sealed.read_bytes().splitlines(keepends=True)[:-1]
    unknown = edited(lines, "CommandApplied", lambda record: record.update(command={"command": "fire"}))
    path = write(tmp_path, "unknown-command", b"".join(unknown))

    code, output = invoke(*commands(path, sealed)[command])

    assert code == 2, output
    assert f"{path}:3: the logged command cannot be applied again: unknown command 'fire'" in output
