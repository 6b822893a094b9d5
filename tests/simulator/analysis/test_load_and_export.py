"""Loading logs for analysis (per kind, or one frame) and exporting them as CSV or Parquet."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import orjson
import polars as pl
import pytest

from simulator import Exercise
from simulator.analysis.export import export
from simulator.analysis.load import records_by_kind, records_frame
from simulator.analysis.spreadsheet import escape_formula, escape_text_columns
from simulator.runlog import RunLogError, read_run_log


def test_records_by_kind_holds_every_record_once_with_only_its_kinds_fields(logged_run: Path) -> None:
    log = read_run_log(logged_run)
    frames = records_by_kind(logged_run)
    assert {kind: frame.height for kind, frame in frames.items()} == dict(Counter(r["kind"] for r in log.records))
    for kind, frame in frames.items():
        fields = {key for r in log.records if r["kind"] == kind for key, value in r.items() if value is not None}
        assert fields <= set(frame.columns) <= {key for r in log.records if r["kind"] == kind for key in r}
    sent = frames["MessageSent"].sort("seq").to_dicts()
    assert sent == [r for r in log.records if r["kind"] == "MessageSent"]


def test_records_frame_is_in_log_order_and_writes_nested_values_as_json(logged_run: Path) -> None:
    log = read_run_log(logged_run)
    frame = records_frame(logged_run)
    assert frame.columns[:3] == ["seq", "t", "kind"]
    assert frame["seq"].to_list() == list(range(len(log.records)))
    assert frame["kind"].to_list() == [r["kind"] for r in log.records]
    commands = frame.filter(pl.col("kind") == "CommandApplied")["command"].to_list()
    logged = [r["command"] for r in log.records if r["kind"] == "CommandApplied"]
    assert [orjson.loads(text) for text in commands] == logged


def test_a_torn_last_line_is_left_out_when_loading(logged_run: Path) -> None:
    data = logged_run.read_bytes()
    lines = data.splitlines(keepends=True)
    torn = b"".join(lines[:-1]) + lines[-2][:10]  # drop the seal, tear the next line
    logged_run.write_bytes(torn)
    assert records_frame(logged_run).height == len(lines) - 2  # every record; not the header, the torn line


def test_a_file_that_is_not_a_run_log_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RunLogError, match="not a Tabletop run log"):
        records_by_kind(path)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_export_has_one_row_per_record(logged_run: Path, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"records.{fmt}"
    count = export(logged_run, output, fmt).rows
    frame = pl.read_csv(output) if fmt == "csv" else pl.read_parquet(output)
    records = read_run_log(logged_run).records
    assert count == frame.height == len(records)
    assert frame["kind"].to_list() == [r["kind"] for r in records]
    assert frame["t"].to_list() == [r["t"] for r in records]


FORMULAS = ['=HYPERLINK("http://127.0.0.1/x","click")', '@SUM(1+1)*cmd|" /C calc"!A0', "+1+1", "-2+3+cmd", "\tx", "\rx"]


def test_text_a_spreadsheet_would_take_for_a_formula_is_exported_to_csv_as_text(tmp_path: Path) -> None:
    from tests.simulator.analysis.conftest import phoned_alarm

    log = tmp_path / "api.jsonl"
    exercise = Exercise(phoned_alarm(), 1, log=log)
    exercise.advance_to(60.0)
    for text in FORMULAS:
        exercise.add_inject("guard", text, None)
    exercise.mark_pause("=1+1")
    exercise.run()

    export(log, tmp_path / "api.csv", "csv")

    with (tmp_path / "api.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    added = [row["text"] for row in rows if row["kind"] == "InjectAdded"]
    assert added == [f"'{text}" for text in FORMULAS]
    assert [row["note"] for row in rows if row["kind"] == "PauseMarked"] == ["'=1+1"]
    assert rows[0]["t"] == "0.0"
    parquet = tmp_path / "api.parquet"
    export(log, parquet, "parquet")
    assert pl.read_parquet(parquet).filter(pl.col("kind") == "InjectAdded")["text"].to_list() == FORMULAS


def test_only_text_is_escaped_so_a_negative_number_stays_a_number() -> None:
    frame = pl.DataFrame({"harm": [-1.5, 2.0], "units": [-3, 4], "text": ["-1.5", "a = b"]})

    escaped = escape_text_columns(frame)

    assert escaped["harm"].to_list() == [-1.5, 2.0]
    assert escaped["units"].to_list() == [-3, 4]
    assert escaped["text"].to_list() == ["'-1.5", "a = b"]
    assert [escape_formula(text) for text in ("=x", "+x", "-x", "@x", "\tx", "\rx", "\0x", "x=", "'=x")] == [
        "'=x",
        "'+x",
        "'-x",
        "'@x",
        "'\tx",
        "'\rx",
        "'\0x",
        "x=",
        "'=x",
    ]
