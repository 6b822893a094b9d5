"""Loading logs for analysis (per kind, or one frame) and exporting them as CSV or Parquet."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import polars as pl
import pytest

from simulator.analysis.export import export
from simulator.analysis.load import records_by_kind, records_frame
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
