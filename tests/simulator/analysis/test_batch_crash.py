"""Batches killed with SIGKILL: counted rows survive, Parquet is whole or absent, workers die, `--resume` finishes.

The batches run as `tabletop` processes in their own process group, so that the whole group, or the main process
alone, can be killed; the moments of the kills are seeded.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scenarios import Scenario
from simulator.analysis.batch import BatchPlan, run_batch
from tests.cli import invoke

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="finds a batch's processes in /proc")

OUTPUTS = ("results.csv", "results.parquet", "summary.json")
N = 80
VARIANTS = "base,direct-radio"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, synagogue: Scenario) -> Path:
    """The folder of the batch the killed ones plan, run in one go (with its kept logs)."""
    out = tmp_path_factory.mktemp("reference") / "out"
    plan = BatchPlan(synagogue, (None, "direct-radio"), N, seed=7, source="synagogue-holiday-attack")
    run_batch(plan, out, keep_logs=True)
    return out


def start_batch(out: Path, *extra: str) -> subprocess.Popen[bytes]:
    """`tabletop batch` of the reference plan with two workers, as the leader of a new process group."""
    arguments = ["synagogue-holiday-attack", "-n", str(N), "--variants", VARIANTS, "--seed", "7", "--keep-logs"]
    return subprocess.Popen(
        [sys.executable, "-m", "tabletop_cli.main", "batch", *arguments, "--workers", "2", *extra, "--out", str(out)],
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def rows_in(csv: Path) -> int:
    """Whole rows in a results CSV (lines ending in a newline, less the header)."""
    try:
        return max(0, csv.read_bytes().count(b"\n") - 1)
    except FileNotFoundError:
        return 0


def has_rows(out: Path, rows: int) -> Callable[[], bool]:
    """Whether the batch in `out` has begun (its results.csv exists) and written `rows` whole rows."""
    return lambda: (out / "results.csv").exists() and rows_in(out / "results.csv") >= rows


def wait_for(condition: str, holds: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    """Poll until `holds()`, while the batch still runs."""
    deadline = time.monotonic() + 120
    while not holds():
        assert process.poll() is None or holds(), f"the batch ended before {condition}"
        assert time.monotonic() < deadline, f"no {condition} after two minutes"
        time.sleep(0.005)


def alive_in_group(group: int) -> list[int]:
    """The processes of a process group that are alive (zombies count as gone)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def assert_no_worker_outlives(group: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while alive_in_group(group):
        assert time.monotonic() < deadline, f"processes {alive_in_group(group)} outlived the batch by {seconds} s"
        time.sleep(0.1)


def assert_parquet_whole_or_absent(out: Path) -> None:
    parquet = out / "results.parquet"
    if parquet.exists():
        assert pq.read_table(parquet).num_rows == 2 * N


def assert_resumes_into(out: Path, reference: Path) -> None:
    """`tabletop batch --resume` finishes the folder into the reference's files, kept logs included."""
    if not (out / "summary.json").exists():
        code, output = invoke("batch", "--resume", str(out), "--workers", "1")
        assert code == 0, output
        assert "resumed: " in output
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    for log in sorted((reference / "logs").rglob("*.jsonl")):
        assert (out / log.relative_to(reference)).read_bytes() == log.read_bytes(), log.name


def test_batches_killed_at_seeded_moments_resume_into_the_files_of_an_uninterrupted_one(
    tmp_path: Path, reference: Path
) -> None:
    moments = random.Random(20261201)
    interrupted = 0
    for kill in range(3):
        out = tmp_path / f"out{kill}"
        after = moments.randrange(0, 2 * N * 3 // 4)  # rows written before the kill
        process = start_batch(out)
        wait_for(f"{after} rows", has_rows(out, after), process)
        time.sleep(moments.uniform(0, 0.05))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert_no_worker_outlives(process.pid, 5)

        interrupted += not (out / "summary.json").exists()
        assert_parquet_whole_or_absent(out)
        assert_resumes_into(out, reference)
    assert interrupted, "every batch finished before its kill: the test tried nothing"


def test_killing_only_the_main_process_leaves_no_worker_alive_and_the_batch_resumes(
    tmp_path: Path, reference: Path
) -> None:
    out = tmp_path / "out"
    process = start_batch(out)
    wait_for("a row", has_rows(out, 1), process)

    process.kill()
    process.wait()

    assert_no_worker_outlives(process.pid, 5)
    assert not (out / "summary.json").exists()
    assert_parquet_whole_or_absent(out)
    assert_resumes_into(out, reference)


def test_the_workers_of_a_local_dask_cluster_die_with_the_batch(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = start_batch(out, "--executor", "dask")
    wait_for("a row", has_rows(out, 1), process)

    process.kill()
    process.wait()

    assert_no_worker_outlives(process.pid, 5)


COUNTED_THEN_KILLED = """
import os, signal, sys
from pathlib import Path
from scenarios import load_scenario
from simulator.analysis.batch import BatchPlan, run_batch

def progress(done, total):
    print(done, flush=True)
    if done >= int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)

plan = BatchPlan(load_scenario("synagogue-holiday-attack"), (None,), 200, source="synagogue-holiday-attack")
run_batch(plan, Path(sys.argv[1]), workers=int(sys.argv[3]), progress=progress)
"""


def test_rows_the_progress_counted_are_in_the_csv_after_a_kill(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", COUNTED_THEN_KILLED, str(out), "60", "2"],
        env=os.environ,
        capture_output=True,
        check=False,
        start_new_session=True,
        timeout=120,  # workers that outlived the kill would hold its output open for ever
    )

    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    counted = int(result.stdout.split()[-1])
    assert counted >= 60
    assert rows_in(out / "results.csv") >= counted
    assert_parquet_whole_or_absent(out)


DASK_BATCH_THEN_CHILDREN = """
import os, sys
from pathlib import Path
from scenarios import load_scenario
from simulator.analysis.batch import BatchPlan, run_batch

def children():
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.append(Path(stat.parent, "cmdline").read_bytes().replace(b"\\0", b" ").decode()[:80])
    return found

if __name__ == "__main__":  # a spawned worker imports this module again
    plan = BatchPlan(load_scenario("synagogue-holiday-attack"), (None,), 6)
    run_batch(plan, Path(sys.argv[1]), workers=2, executor="dask")
    print(children())
"""


def test_a_batch_on_a_local_dask_cluster_leaves_no_process_behind_when_it_returns_nor_when_its_process_exits(
    tmp_path: Path,
) -> None:
    script = tmp_path / "dask_batch.py"
    script.write_text(DASK_BATCH_THEN_CHILDREN, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "out")],
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    output, _ = process.communicate(timeout=120)

    assert process.returncode == 0
    assert output.decode().split("\n")[-2] == "[]"  # no worker, nanny or helper process (multiprocessing's own)
    assert alive_in_group(process.pid) == []
    assert (tmp_path / "out" / "summary.json").is_file()
