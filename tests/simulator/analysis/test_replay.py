"""Replay --verify: exact re-simulation, and the first divergence with its likely cause."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from scenarios import Scenario
from simulator.analysis.replay import verify
from simulator.runlog import RunLogError, read_run_log
from tests.simulator.analysis.conftest import write_run


def test_a_logged_run_with_commands_replays_identically(logged_run: Path) -> None:
    result = verify(logged_run)
    log = read_run_log(logged_run)
    assert result.ok
    assert result.records_checked == len(log.records)
    assert sum(r["kind"] == "CommandApplied" for r in log.records) == 2


def test_a_sealed_log_with_an_edited_record_is_refused_as_altered(logged_run: Path) -> None:
    lines = logged_run.read_bytes().splitlines(keepends=True)
    lines[20] = lines[20].replace(b'"t":', b'"t":1', 1)
    logged_run.write_bytes(b"".join(lines))
    with pytest.raises(RunLogError, match="altered"):
        verify(logged_run)


def test_an_unsealed_log_with_an_edited_record_diverges_at_that_record(logged_run: Path) -> None:
    lines = logged_run.read_bytes().splitlines(keepends=True)[:-1]  # drop the seal: an interrupted run
    record = orjson.loads(lines[31])
    record["t"] = record["t"] + 1
    lines[31] = orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n"
    logged_run.write_bytes(b"".join(lines))
    result = verify(logged_run)
    assert result.divergence is not None
    assert result.divergence.index == 30  # line 31 is the 31st record (line 0 is the header)
    assert "altered" in result.divergence.cause
    assert any("not sealed" in note for note in result.notes)


def test_a_changed_scenario_file_is_named_as_the_likely_cause(tmp_path: Path, synagogue: Scenario) -> None:
    from scenarios import bundled_path

    copy = tmp_path / "synagogue.yaml"
    copy.write_text(bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8"), encoding="utf-8")
    from scenarios import load_scenario

    log = tmp_path / "run.jsonl"
    write_run(load_scenario(copy), log, source=str(copy))
    assert verify(log).ok
    text = copy.read_text(encoding="utf-8").replace("latency: 10s, capacity: 1}", "latency: 50s, capacity: 1}", 1)
    copy.write_text(text, encoding="utf-8")
    result = verify(log)
    assert result.divergence is not None
    assert result.divergence.cause == "the scenario changed since the run"
    assert verify(log, embedded=True).ok, "the copy embedded in the log still replays exactly"


def test_verify_finds_a_scenario_file_beside_the_log_wherever_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scenarios import bundled_path, load_scenario

    played, elsewhere = tmp_path / "played", tmp_path / "elsewhere"
    played.mkdir()
    elsewhere.mkdir()
    copy = played / "synagogue.yaml"
    copy.write_text(bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(played)
    write_run(load_scenario(copy), played / "run.jsonl", source="synagogue.yaml")  # as `tabletop run synagogue.yaml`
    text = copy.read_text(encoding="utf-8").replace("latency: 10s, capacity: 1}", "latency: 50s, capacity: 1}", 1)
    copy.write_text(text, encoding="utf-8")

    monkeypatch.chdir(elsewhere)
    result = verify(played / "run.jsonl")

    assert result.divergence is not None
    assert result.divergence.cause == "the scenario changed since the run"
    assert any(f"{copy}" in note and "has changed since the run" in note for note in result.notes)


def test_a_scenario_that_changed_only_in_an_objective_name_diverges_at_the_seal_for_that_reason(
    tmp_path: Path,
) -> None:
    from scenarios import bundled_path, load_scenario

    copy = tmp_path / "synagogue.yaml"
    copy.write_text(bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8"), encoding="utf-8")
    log = tmp_path / "run.jsonl"
    write_run(load_scenario(copy), log, source=str(copy))
    old_name = "The police control room learns of the attack within 3 minutes"
    copy.write_text(copy.read_text(encoding="utf-8").replace(old_name, "Police alerted fast"), encoding="utf-8")

    result = verify(log)

    assert result.divergence is not None
    assert result.divergence.index == read_run_log(log).record_count  # every record is the same: the seal is not
    assert result.divergence.cause == "the scenario changed since the run"
