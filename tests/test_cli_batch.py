"""`tabletop batch`: two batches racing for one folder, `--resume`, and the options each way of running takes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.cli import invoke


def batch_process(out: Path, seed: int) -> subprocess.Popen[str]:
    arguments = ["synagogue-holiday-attack", "-n", "20", "--workers", "1", "--seed", str(seed), "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "tabletop_cli.main", "batch", *arguments],
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_of_two_batches_started_into_one_new_folder_one_succeeds_whole_and_the_other_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "race"
    racers = {seed: batch_process(out, seed) for seed in (0, 5000)}
    results = {seed: (p.wait(), *p.communicate()) for seed, p in racers.items()}

    codes = sorted(code for code, _, _ in results.values())
    assert codes == [0, 2], results
    (winner,) = (seed for seed, (code, _, _) in results.items() if code == 0)
    (_, _, refusal) = next(r for r in results.values() if r[0] == 2)
    assert "Cannot run the batch" in refusal and "Traceback" not in refusal
    assert "choose a new --out folder" in refusal
    seeds = [int(line.split(",")[2]) for line in (out / "results.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert seeds == list(range(winner, winner + 20))
    assert pq.read_table(out / "results.parquet").column("seed").to_pylist() == seeds


def interrupted_batch(tmp_path: Path) -> Path:
    """A batch folder as a kill after three rows leaves it."""
    out = tmp_path / "out"
    code, output = invoke("batch", "synagogue-holiday-attack", "-n", "4", "--workers", "1", "--out", str(out))
    assert code == 0, output
    (out / "results.parquet").unlink()
    (out / "summary.json").unlink()
    lines = (out / "results.csv").read_bytes().splitlines(keepends=True)
    (out / "results.csv").write_bytes(b"".join(lines[:4]) + lines[4][:7])
    return out


def test_a_new_batch_into_an_interrupted_one_is_refused_with_the_way_to_resume_it(tmp_path: Path) -> None:
    out = interrupted_batch(tmp_path)
    code, output = invoke("batch", "synagogue-holiday-attack", "-n", "4", "--out", str(out))
    assert code == 2
    assert f"{out} holds an interrupted batch" in output
    assert f"tabletop batch --resume {out}" in output


def test_resume_finishes_an_interrupted_batch_and_says_what_it_kept(tmp_path: Path) -> None:
    out = interrupted_batch(tmp_path)
    code, output = invoke("batch", "--resume", str(out), "--workers", "1")
    assert code == 0, output
    assert "resumed: 3 rows were kept; 1 torn line(s) of results.csv cut off and run again" in output
    assert "4 rows:" in output
    assert pq.read_table(out / "results.parquet").num_rows == 4

    code, output = invoke("batch", "--resume", str(out))
    assert code == 2
    assert "holds a finished batch: nothing to resume" in output


def test_resume_takes_no_plan_options_and_a_new_batch_needs_its_plan(tmp_path: Path) -> None:
    out = interrupted_batch(tmp_path)
    code, output = invoke("batch", "synagogue-holiday-attack", "--resume", str(out))
    assert code == 2
    assert "--resume DIR finishes the batch in DIR with the plan it began with" in output
    code, output = invoke("batch", "--resume", str(out), "-n", "8")
    assert code == 2
    code, output = invoke("batch", "synagogue-holiday-attack", "--out", str(tmp_path / "new"))
    assert code == 2
    assert "missing -n" in output
    assert not (tmp_path / "new").exists()


def test_resume_of_a_folder_without_a_batch_is_refused(tmp_path: Path) -> None:
    code, output = invoke("batch", "--resume", str(tmp_path))
    assert code == 2
    assert "no batch to resume (no batch.json)" in output


def test_a_batch_stopped_with_ctrl_c_says_how_to_resume_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.analysis.results import ResultsWriter

    def interrupted(self: ResultsWriter, rows: list[dict[str, object]]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ResultsWriter, "write", interrupted)
    out = tmp_path / "out"
    code, output = invoke("batch", "synagogue-holiday-attack", "-n", "2", "--workers", "1", "--out", str(out))

    assert code == 130
    assert f"Interrupted: finish the batch with `tabletop batch --resume {out}`" in output
    monkeypatch.undo()
    code, output = invoke("batch", "--resume", str(out), "--workers", "1")
    assert code == 0, output


@pytest.mark.parametrize(
    ("option", "value", "limit"), [("-n", "99999999999999", "1000000"), ("--workers", "100000", "256")]
)
def test_a_batch_refuses_more_replications_or_workers_than_any_machine_could_hold(
    tmp_path: Path, option: str, value: str, limit: str
) -> None:
    out = tmp_path / "out"
    arguments = ["batch", "synagogue-holiday-attack", "--out", str(out), "-n", "2", option, value]

    code, output = invoke(*arguments)

    assert code == 2
    assert f"Invalid value for '{option}'" in output and limit in output
    assert not out.exists()
