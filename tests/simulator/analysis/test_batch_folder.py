"""A batch's folder: claimed by one batch only, refused with what it holds, and finished by `resume_batch`."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scenarios import Scenario
from simulator.analysis.batch import BatchError, BatchPlan, resume_batch, run_batch
from simulator.analysis.batch_folder import BatchFolder
from tests.simulator.analysis.conftest import phoned_alarm

OUTPUTS = ("results.csv", "results.parquet", "summary.json")


def tiny_plan(n: int = 8, seed: int = 0) -> BatchPlan:
    """Two variants of the tiny phoned-alarm scenario (it runs in a millisecond)."""
    return BatchPlan(phoned_alarm(), (None, "slow-phone"), n, seed=seed)


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def race(barrier: Barrier, out: Path, seed: int, results: Queue[tuple[int, str]]) -> None:
    """One of several processes that start a batch into `out` at the same instant; puts `won` or the refusal."""
    barrier.wait()
    try:
        run_batch(tiny_plan(n=40, seed=seed), out)
    except BatchError as exc:
        results.put((seed, str(exc)))
    else:
        results.put((seed, "won"))


def test_of_four_batches_started_into_one_new_folder_at_once_one_wins_and_its_results_are_whole(
    tmp_path: Path,
) -> None:
    out = tmp_path / "race"
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(4), context.Queue()
    racers = [context.Process(target=race, args=(barrier, out, 1000 * i, queue)) for i in range(4)]
    for racer in racers:
        racer.start()
    results = dict(queue.get(timeout=60) for _ in racers)
    for racer in racers:
        racer.join()

    assert list(results.values()).count("won") == 1, results
    assert all("choose a new --out folder" in r for r in results.values() if r != "won"), results
    (winner,) = (seed for seed, result in results.items() if result == "won")
    lines = (out / "results.csv").read_text(encoding="utf-8").splitlines()
    assert [int(line.split(",")[2]) for line in lines[1:]] == [winner + i for i in range(40)] * 2
    assert pq.read_table(out / "results.parquet").column("seed").to_pylist() == [winner + i for i in range(40)] * 2


def test_a_folder_that_is_not_empty_is_refused_saying_what_it_holds(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(BatchError, match="is not empty"):
        run_batch(tiny_plan(), foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]

    finished = tmp_path / "finished"
    run_batch(tiny_plan(), finished)
    before = outputs(finished)
    with pytest.raises(BatchError, match="holds a finished batch"):
        run_batch(tiny_plan(), finished)
    assert outputs(finished) == before

    interrupt(finished, rows=3)
    with pytest.raises(BatchError, match=r"holds an interrupted batch.*tabletop batch --resume"):
        run_batch(tiny_plan(), finished)


def test_a_folder_whose_batch_is_running_is_neither_claimed_nor_resumed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(tiny_plan(), out)
    interrupt(out, rows=3)
    with BatchFolder.reopen(out):  # as a running batch holds it
        with pytest.raises(BatchError, match="in use by a batch that is still running"):
            resume_batch(out)
        with pytest.raises(BatchError, match="in use by a batch that is still running"):
            run_batch(tiny_plan(), out)


def interrupt(folder: Path, rows: int, torn: bytes = b"") -> None:
    """Leave `folder` as a batch killed after `rows` rows leaves it: no Parquet, no summary, maybe a torn line."""
    (folder / "results.parquet").unlink()
    (folder / "summary.json").unlink()
    lines = (folder / "results.csv").read_bytes().splitlines(keepends=True)
    (folder / "results.csv").write_bytes(b"".join(lines[: 1 + rows]) + torn)


@pytest.mark.parametrize(
    ("rows", "torn"),
    [(0, b""), (5, b""), (5, b"slow-phone,5,5,0.0,4."), (11, b"slow"), (16, b"")],
    ids=["no row", "five rows", "a torn line", "a torn variant", "every row"],
)
def test_a_resumed_batch_ends_with_the_files_of_an_uninterrupted_one(tmp_path: Path, rows: int, torn: bytes) -> None:
    reference = tmp_path / "reference"
    run_batch(tiny_plan(), reference)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    interrupt(out, rows, torn)

    outcome = resume_batch(out, workers=2)

    assert outputs(out) == outputs(reference)
    assert (outcome.kept, outcome.dropped, outcome.rows) == (rows, 1 if torn else 0, 16)


def test_a_resumed_batch_starts_over_when_it_was_killed_while_writing_the_header(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    run_batch(tiny_plan(), reference)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    interrupt(out, rows=0)
    (out / "results.csv").write_bytes((out / "results.csv").read_bytes()[:9])

    resume_batch(out)

    assert outputs(out) == outputs(reference)


def test_rows_that_are_not_the_plans_are_cut_off_and_run_again(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    run_batch(tiny_plan(), reference)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    interrupt(out, rows=6)
    csv = out / "results.csv"
    lines = csv.read_bytes().splitlines(keepends=True)
    csv.write_bytes(b"".join([*lines[:4], lines[5], lines[4], lines[6]]))  # rows 3 and 4 swapped

    outcome = resume_batch(out)

    assert (outcome.kept, outcome.dropped) == (3, 3)
    assert outputs(out) == outputs(reference)


@pytest.mark.parametrize("harm", [b"inf", b"nan", b"-1.0"])
def test_a_row_with_a_harm_no_run_gives_is_cut_off_and_run_again(tmp_path: Path, harm: bytes) -> None:
    reference = tmp_path / "reference"
    run_batch(tiny_plan(), reference)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    interrupt(out, rows=6)
    csv = out / "results.csv"
    lines = csv.read_bytes().splitlines(keepends=True)
    variant, replication, seed, _harm, rest = lines[3].split(b",", 4)
    lines[3] = b",".join([variant, replication, seed, harm, rest])  # the third row's harm
    csv.write_bytes(b"".join(lines))

    outcome = resume_batch(out)

    assert (outcome.kept, outcome.dropped) == (2, 4)
    assert outputs(out) == outputs(reference)


def test_rows_beyond_the_plans_last_are_cut_off(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    run_batch(tiny_plan(), reference)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    rows = (out / "results.csv").read_bytes().splitlines(keepends=True)[1:]
    interrupt(out, rows=16, torn=rows[-1])

    outcome = resume_batch(out)

    assert (outcome.kept, outcome.dropped) == (16, 1)
    assert outputs(out) == outputs(reference)


def test_resume_refuses_a_folder_without_a_batch_a_finished_one_and_a_damaged_manifest(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="no such folder"):
        resume_batch(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match=r"no batch to resume \(no batch.json\)"):
        resume_batch(tmp_path / "empty")
    run_batch(tiny_plan(), tmp_path / "done")
    with pytest.raises(BatchError, match="holds a finished batch: nothing to resume"):
        resume_batch(tmp_path / "done")
    interrupt(tmp_path / "done", rows=2)
    (tmp_path / "done" / "batch.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BatchError, match="not a batch manifest"):
        resume_batch(tmp_path / "done")


def test_resume_refuses_when_the_scenario_file_changed(tmp_path: Path, synagogue: Scenario) -> None:
    from scenarios import bundled_path

    source = tmp_path / "mine.yaml"
    text = bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run_batch(BatchPlan(synagogue, (None,), 3, source=str(source)), out)
    interrupt(out, rows=1)

    source.write_text(text + "# a comment changes nothing\n", encoding="utf-8")
    assert resume_batch(out).kept == 1

    interrupt(out, rows=1)
    source.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
    with pytest.raises(BatchError, match="changed since the batch began"):
        resume_batch(out)


@pytest.mark.parametrize("rows", [0, 2])
def test_kept_logs_that_a_kill_left_torn_are_replaced_on_resume(tmp_path: Path, synagogue: Scenario, rows: int) -> None:
    from simulator.analysis.replay import verify

    plan = BatchPlan(synagogue, (None,), 4, seed=20, source="synagogue-holiday-attack")
    reference = tmp_path / "reference"
    run_batch(plan, reference, keep_logs=True)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    interrupt(out, rows)
    logs = out / "logs" / "base"
    for later in range(rows + 2, 4):
        (logs / f"seed-{20 + later}.jsonl").unlink()  # not begun at the kill
    (logs / f"seed-{20 + rows}.jsonl").write_bytes((logs / f"seed-{20 + rows}.jsonl").read_bytes()[:1000])
    (logs / f"seed-{21 + rows}.jsonl").write_bytes(b"")  # killed between creating the file and writing its header

    resume_batch(out)

    assert outputs(out) == outputs(reference)
    for log in sorted((reference / "logs" / "base").iterdir()):
        assert (logs / log.name).read_bytes() == log.read_bytes(), log.name
    assert verify(logs / f"seed-{21 + rows}.jsonl").ok


@pytest.mark.skipif(sys.platform != "linux", reason="finds the workers in /proc")
def test_a_batch_whose_worker_is_killed_stops_with_a_batch_error_and_resumes(
    tmp_path: Path, synagogue: Scenario
) -> None:
    others = _children()  # of earlier tests

    def kill_a_worker(done: int, total: int) -> None:
        if done:
            os.kill(min(_children() - others), signal.SIGKILL)

    plan = BatchPlan(synagogue, (None,), 40)
    with pytest.raises(BatchError, match="a worker process of the batch died"):
        run_batch(plan, tmp_path / "out", workers=2, progress=kill_a_worker)
    run_batch(plan, tmp_path / "reference")

    assert resume_batch(tmp_path / "out").kept >= 5
    assert outputs(tmp_path / "out") == outputs(tmp_path / "reference")


def _children() -> set[int]:
    """The processes whose parent is this one."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
        if parent == os.getpid():
            children.add(int(stat.parent.name))
    return children
