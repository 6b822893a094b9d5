"""Monte Carlo batches: N seeded replications per variant, with common random numbers, on any executor.

A replication depends only on (scenario, variant, seed, preset decisions), so the results are identical whatever
ran them: in this process, a pool of local processes, or a Dask cluster. Rows stream to CSV as chunks finish, in a
fixed order; the Parquet table and the summary are made from it at the end, so memory stays bounded, and a batch
killed on the way can be finished (`resume_batch`) into the very files an uninterrupted one writes.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from scenarios import Scenario, apply_variant
from simulator.commands import check_choice
from simulator.errors import SimulationError
from simulator.exercise import MAX_SEED, Exercise
from simulator.setup import Setup

if TYPE_CHECKING:
    from simulator.analysis.batch_folder import BatchFolder

BASE = "base"
"""The label of the scenario without a variant in batch results."""
MET = frozenset({"P", "S"})
"""Ratings that count as an objective met (performed, with at most some challenges)."""

Row = dict[str, Any]


class BatchError(SimulationError):
    """A batch request that cannot be run (unknown variant, bad count, output folder in use)."""

    title = "Cannot run the batch"


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """What to run: the scenario, its variants, how many replications and from which seed."""

    scenario: Scenario
    variants: tuple[str | None, ...]
    replications: int
    seed: int = 0
    common_random_numbers: bool = True
    """Variants share seeds replication by replication, so their differences are measured on the same draws."""
    decisions: dict[str, str] = field(default_factory=dict)
    source: str | None = None

    def seeds(self, variant_index: int) -> list[int]:
        """The seeds of one variant's replications."""
        return list(self.seed_range(variant_index))

    def seed_range(self, variant_index: int) -> range:
        """The seeds of one variant's replications, as a range (a task's slice of it pickles in a few bytes)."""
        first = self.seed + (0 if self.common_random_numbers else variant_index * self.replications)
        return range(first, first + self.replications)

    def key(self, row: int) -> tuple[str, int, int]:
        """The variant's label, the replication and the seed of the plan's row `row` (counted from 0)."""
        index, replication = divmod(row, self.replications)
        return label(self.variants[index]), replication, self.seed_range(index)[replication]

    @property
    def rows(self) -> int:
        """How many rows the batch gives: one per replication and variant."""
        return self.replications * len(self.variants)

    def played(self) -> dict[str, Scenario]:
        """The scenario each variant plays, by label (a variant may add or remove milestones and objectives).

        Raises:
            scenarios.ScenarioError: a variant does not exist.
        """
        return {label(variant): apply_variant(self.scenario, variant) for variant in self.variants}


def label(variant: str | None) -> str:
    """A variant's name in results (`base` for none)."""
    return BASE if variant is None else variant


def column_name(prefix: str, item_id: str) -> str:
    """`ms_first_call_police`: SQL-friendly (ids are slugs, so replacing hyphens cannot collide)."""
    return f"{prefix}_{item_id.replace('-', '_')}"


def columns_of(*played: Scenario) -> list[str]:
    """The results columns: who, then the harm, each milestone time and each objective rating of any variant."""
    milestones = dict.fromkeys(m.id for scenario in played for m in scenario.milestones)
    objectives = dict.fromkeys(o.id for scenario in played for o in scenario.objectives)
    return [
        "variant",
        "replication",
        "seed",
        "harm",
        *(column_name("ms", m) for m in milestones),
        *(column_name("obj", o) for o in objectives),
    ]


# --- the work of one task -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """What every task of a batch shares, sent to each worker once (not with every task): the scenario, and how to
    play and log its replications."""

    scenario_json: bytes
    decisions: dict[str, str]
    logs: str | None
    """The folder of the kept run logs (None: no logs)."""
    source: str | None = None
    overwrite_logs: bool = False
    """Replace kept logs already there (those of replications a killed batch left unfinished)."""
    digest: str = ""
    """SHA-256 of `scenario_json` (filled in by `Job.of`): how a worker finds the Setups it built for this job."""

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        decisions: dict[str, str],
        logs: Path | None = None,
        source: str | None = None,
        *,
        overwrite_logs: bool = False,
    ) -> Job:
        """The job of a scenario played with preset `decisions`, keeping logs in `logs` if given."""
        scenario_json = orjson.dumps(scenario.model_dump(mode="json", by_alias=True))
        return cls(
            scenario_json,
            dict(decisions),
            None if logs is None else str(logs),
            source,
            overwrite_logs,
            hashlib.sha256(scenario_json).hexdigest(),
        )


class Setups:
    """The `Setup` of each scenario and variant that tasks play, built on first use and kept as long as this object.

    Args:
        freeze: after building one, move every object alive into the garbage collector's permanent generation (for a
            worker process, whose Setups live as long as it does; never in a process that goes on doing other work).
            That happens once per scenario and variant a worker plays, not once per task.
    """

    def __init__(self, *, freeze: bool = False) -> None:
        self._setups: dict[tuple[str, str | None], Setup] = {}
        self._freeze = freeze

    def of(self, job: Job, variant: str | None) -> Setup:
        """The Setup of the job's scenario with `variant`."""
        key = (job.digest or hashlib.sha256(job.scenario_json).hexdigest(), variant)
        setup = self._setups.get(key)
        if setup is None:
            scenario = Scenario.model_validate_json(job.scenario_json, strict=True)
            setup = self._setups[key] = Setup.of(scenario, variant, job.source)
            if self._freeze:
                # The scenario's objects live as long as the worker: keep the garbage collector from scanning them
                # again and again while thousands of runs allocate records.
                gc.freeze()
        return setup

    def run(self, job: Job, variant: str | None, first_replication: int, seeds: Sequence[int]) -> list[Row]:
        """Run one task (see `run_replications`) with these Setups."""
        setup = self.of(job, variant)
        return replicate(setup, first_replication, seeds, job.decisions, job.logs, overwrite_logs=job.overwrite_logs)


class _Worker:
    """This process's part in batches once it is a worker process (`become_worker`): its Setups, and the jobs it
    was given when it started (`start_worker`), by digest."""

    def __init__(self) -> None:
        self.setups: Setups | None = None
        self.jobs: dict[str, Job] = {}


_WORKER = _Worker()


def become_worker(caller_pid: int) -> None:
    """Let this process keep its Setups for its life, and freeze them, unless it is `caller_pid`.

    `caller_pid` is the process that runs the batch: a console or a test that runs one inline, or hands it to a Dask
    cluster whose workers are threads of its own, must not have its garbage collector frozen nor keep every Setup.
    (A remote worker whose process id happens to be the same only loses the cache.)
    """
    if _WORKER.setups is None and os.getpid() != caller_pid:
        _WORKER.setups = Setups(freeze=True)


def start_worker(caller_pid: int, job: Job) -> None:
    """Make this new process a worker of the batch run by process `caller_pid`, with the job its tasks name."""
    become_worker(caller_pid)
    _WORKER.jobs[job.digest] = job


def run_replications(job: Job, variant: str | None, first_replication: int, seeds: Sequence[int]) -> list[Row]:
    """Run consecutive replications of one variant and return their rows (the unit of work of a batch).

    In a worker process the scenario's Setup is kept for the worker's life; in any other process it is built for this
    call and dropped after it (run many tasks in one process with `Setups().run`, as `run_batch` does).
    """
    setups = _WORKER.setups if _WORKER.setups is not None else Setups()
    return setups.run(job, variant, first_replication, seeds)


def run_in_worker(
    caller_pid: int, job: Job | str, variant: str | None, first_replication: int, seeds: Sequence[int]
) -> list[Row]:
    """`run_replications` in a worker process of a batch run by process `caller_pid` (`become_worker`).

    `job` is the job itself (a Dask worker gets it once, scattered), or the digest of one this worker was given when
    it started (`start_worker`: a local worker), so that the scenario does not travel with every task.
    """
    become_worker(caller_pid)
    if isinstance(job, str):
        job = _WORKER.jobs[job]
    return run_replications(job, variant, first_replication, seeds)


def replicate(
    setup: Setup,
    first_replication: int,
    seeds: Sequence[int],
    decisions: dict[str, str],
    logs: str | None,
    *,
    overwrite_logs: bool = False,
) -> list[Row]:
    """Run a replication of `setup` per seed, numbered from `first_replication`; their rows."""
    variant = label(setup.variant)
    # One string per column for all the rows: the rows are pickled back to the batch's process, and pickle writes a
    # string it has already written (the very same object) as a short reference.
    milestones = [(m.id, column_name("ms", m.id)) for m in setup.scenario.milestones]
    objectives = {o.id: column_name("obj", o.id) for o in setup.scenario.objectives}
    rows = []
    for offset, seed in enumerate(seeds):
        log = None
        if logs is not None:
            folder = Path(logs) / variant
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / f"seed-{seed}.jsonl"
        exercise = Exercise(
            setup,
            seed,
            decisions=decisions,
            log=log,
            keep_records=False,
            overwrite_log=overwrite_logs,
            log_flush="block",
        )
        summary = exercise.run()
        row: Row = {"variant": variant, "replication": first_replication + offset, "seed": seed, "harm": summary.harm}
        for milestone, column in milestones:
            row[column] = summary.milestones.get(milestone)
        for rating in summary.objectives:
            row[objectives[rating.objective]] = rating.rating
        rows.append(row)
    return rows


# --- executors ----------------------------------------------------------------------------------------------


def tasks_of(plan: BatchPlan, size: Callable[[int], int], done: int = 0) -> Iterator[tuple[str | None, int, range]]:
    """The tasks of a plan from its row `done` on, variant by variant, in replication order: (variant, first
    replication, seeds), each at most `size(rows left in the batch)` replications (and never across two variants)."""
    for index, variant in enumerate(plan.variants):
        seeds = plan.seed_range(index)
        start = min(len(seeds), max(0, done - index * plan.replications))
        while start < len(seeds):
            stop = min(len(seeds), start + max(1, size(plan.rows - index * plan.replications - start)))
            yield variant, start, seeds[start:stop]
            start = stop


def default_workers() -> int:
    """All local cores."""
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """Where a batch wrote its results, and their summary."""

    plan: BatchPlan
    folder: Path
    rows: int
    summary: dict[str, Any]
    kept: int = 0
    """Rows an interrupted batch had left, kept by `resume_batch` (0 for a batch run in one go)."""
    dropped: int = 0
    """Torn or damaged lines of results.csv that `resume_batch` cut off and computed again."""


def run_batch(
    plan: BatchPlan,
    out: Path,
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    keep_logs: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BatchOutcome:
    """Run every replication of `plan`, stream the rows to `out`, then summarise them.

    The folder is claimed first (`BatchFolder.claim`): a second batch into the same folder is refused, never mixed
    in. What the folder holds on the way, and after a kill, is told in `simulator.analysis.batch_folder`.

    Args:
        plan: what to run.
        out: a new or empty folder (results.csv, results.parquet, summary.json, batch.json, logs/ with keep_logs).
        workers: local worker processes (1 runs in this process); for Dask without a scheduler, the local
            cluster's worker count.
        executor: `local` or `dask`.
        scheduler: the address of a running Dask scheduler.
        keep_logs: also write every replication's run log.
        progress: called with the rows written so far and the batch's rows, each time rows reach the operating
            system (so a kill of any process loses none of those counted).

    Raises:
        BatchError: a bad plan or option, or a folder that is not new or empty (nothing is written then).
    """
    from simulator.analysis.batch_folder import BatchFolder, BatchManifest

    played = _checked(plan, workers, executor)
    with BatchFolder.claim(out, BatchManifest.of(plan, keep_logs=keep_logs)) as folder:
        return _run(plan, played, folder, workers, executor, scheduler, progress, resuming=False)


def resume_batch(
    out: Path,
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchOutcome:
    """Finish an interrupted batch: keep its rows, run the replications it lacks, then write what it would have.

    The plan comes from the folder's batch.json; the workers and executor may differ from the first time. The files
    at the end are byte for byte those of the same batch run in one go.

    Raises:
        BatchError: the folder holds no batch, a running or finished one, or its scenario changed.
        scenarios.ScenarioError: the scenario no longer loads.
    """
    from simulator.analysis.batch_folder import BatchFolder

    with BatchFolder.reopen(out) as folder:
        plan = folder.manifest.plan(out)
        played = _checked(plan, workers, executor)
        return _run(plan, played, folder, workers, executor, scheduler, progress, resuming=True)


def _checked(plan: BatchPlan, workers: int, executor: str) -> dict[str, Scenario]:
    """The scenario each variant plays, once the plan and options are known to be good (before any file exists)."""
    if plan.replications < 1:
        raise BatchError("-n must be at least 1")
    if not plan.variants:
        raise BatchError("no variant to run", "name base, a variant, or all")
    if workers < 1:
        raise BatchError(f"--workers {workers}: at least 1 worker is needed")
    if executor not in ("local", "dask"):
        raise BatchError(f"unknown executor {executor!r}", "use local or dask")
    last = max(plan.seed_range(index)[-1] for index in range(len(plan.variants)))
    if plan.seed < 0 or last > MAX_SEED:
        raise BatchError(f"seeds {plan.seed} to {last} are out of range", f"seeds go from 0 to {MAX_SEED}")
    played = plan.played()
    for scenario in played.values():  # refuse a preset decision a variant lacks before any file is written
        for decision, option in plan.decisions.items():
            check_choice(scenario, decision, option)
    return played


def _run(
    plan: BatchPlan,
    played: dict[str, Scenario],
    folder: BatchFolder,
    workers: int,
    executor: str,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
    *,
    resuming: bool,
) -> BatchOutcome:
    """Run the replications the folder's results.csv lacks, then write the Parquet table and the summary."""
    from simulator.analysis.executors import BatchExecutor, chunk_size, ordered_results
    from simulator.analysis.results import ResultsWriter, arrow_schema

    schema = arrow_schema(*played.values())
    kept = folder.keep_rows(plan, tuple(played.values()), schema)
    logs = folder.path / "logs" if folder.manifest.keep_logs else None
    # When resuming, the logs of the replications run again are replaced: a killed batch may have left them torn.
    job = Job.of(plan.scenario, plan.decisions, logs, plan.source, overwrite_logs=resuming)
    done = kept.rows
    if progress is not None:
        progress(done, plan.rows)
    with (
        BatchExecutor(executor, workers, scheduler, job) as runner,
        ResultsWriter(folder.csv, *played.values(), append=not kept.fresh) as writer,
    ):
        size = partial(chunk_size, workers=runner.workers)
        tasks = ((runner.job, *task) for task in tasks_of(plan, size, done))
        for rows in ordered_results(runner.executor, tasks, runner.work, runner.window):
            writer.write(rows)
            done += len(rows)
            if progress is not None:
                progress(done, plan.rows)
    summary = folder.finish(
        schema,
        played,
        {
            "scenario": plan.scenario.id,
            "variants": [label(v) for v in plan.variants],
            "replications": plan.replications,
            "seed": plan.seed,
            "common_random_numbers": plan.common_random_numbers,
            "decisions": plan.decisions,
        },
    )
    return BatchOutcome(plan, folder.path, done, summary, kept.rows, kept.dropped)
