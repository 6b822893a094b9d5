"""Where a batch's tasks run: in this process, a pool of local processes that die with it, or a Dask cluster."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Any

from simulator.analysis.batch import BatchError, Job, Row, Setups, run_in_worker, start_worker

PARENT_POLL_S = 0.2
"""How often a local worker checks that the batch's process is still alive."""


class InlineExecutor(Executor):
    """Runs each task at once in this process (one worker: no pool to start, nothing to pickle)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def ordered_results(
    executor: Executor, tasks: Iterator[tuple[Any, ...]], function: Callable[..., Any], window: int
) -> Iterator[Any]:
    """Submit tasks keeping at most `window` in flight; yield results in submission order.

    Raises:
        BatchError: a local worker process died (killed, or out of memory); the rows yielded so far are whole.
    """
    pending: deque[Future[Any]] = deque()
    try:
        for task in tasks:
            pending.append(executor.submit(function, *task))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise BatchError(
            "a worker process of the batch died (killed, or out of memory)",
            "finish the batch with `tabletop batch --resume` and its --out folder",
        ) from exc


MIN_TASK = 8
"""Fewest replications in a task (unless fewer are left): ~40 ms of the synagogue's runs, against a pool's ~1 ms or
a Dask cluster's few ms a task (pickling, futures, the scheduler's and the parent's bookkeeping)."""
MAX_TASK = 100
"""Most replications in a task: the progress bar moves, and a killed batch has little to do again."""


def chunk_size(left: int, workers: int) -> int:
    """Replications for the next task when `left` rows of the batch are left to hand out (guided self-scheduling).

    A task takes a share of what is left (half of a worker's share): big tasks while much is left, ever smaller ones
    towards the end, so that the workers finish together rather than one waiting on the last big task.
    """
    return min(left, MAX_TASK, max(MIN_TASK, -(-left // (2 * max(1, workers)))))


def exit_with_parent(parent_pid: int) -> None:
    """Make this worker process exit soon after process `parent_pid`, its parent, dies (even by SIGKILL).

    A pool's workers would otherwise outlive a killed batch: re-parented, they block for ever on a task queue whose
    pipe their siblings keep open. A daemon thread watches `os.getppid()`, which changes when the parent dies; this
    works on every POSIX system, and also for a parent that dies before the thread starts. (Linux's
    `PR_SET_PDEATHSIG` would be quicker, but it fires when the *thread* that forked the worker ends, which need not
    be the end of the batch.)
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_S)
        os._exit(1)  # nobody is left to take this worker's rows: stop at once, flushing nothing

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def start_local_worker(caller_pid: int, job: Job) -> None:
    """The start of a local pool's worker process: exit with the batch's process, and keep the batch's job."""
    exit_with_parent(caller_pid)
    start_worker(caller_pid, job)


@dataclass(frozen=True, slots=True)
class Runner:
    """How a batch hands out its tasks: `work(job, variant, first replication, seeds)` on `executor`."""

    executor: Executor
    job: Any
    """What stands for the batch's `Job` in each task: the job itself, its digest (a local worker got the job when
    it started) or a Dask future (scattered to every worker once)."""
    work: Callable[..., list[Row]]
    workers: int
    """How many tasks run at once."""

    @property
    def window(self) -> int:
        """How many tasks to keep in flight: enough that no worker waits while the oldest task is still running."""
        return 2 * self.workers + 2


class BatchExecutor:
    """A context manager giving the `Runner` of a batch's tasks, and shutting its executor down afterwards.

    Local worker processes exit when this process dies (`exit_with_parent`), and so do the worker processes of a
    Dask cluster started here (each also watches a pipe to its nanny, which lives in this process). Both kinds are
    forked from this process where the system can fork: they start in milliseconds, with the modules already
    imported, and leave no helper process behind (spawned ones need multiprocessing's resource tracker, which
    outlives the batch by a moment). Workers of a running scheduler (`scheduler`) are not ours, and stay.
    """

    def __init__(self, kind: str, workers: int, scheduler: str | None, job: Job) -> None:
        self.kind = kind
        self.workers = workers
        self.scheduler = scheduler
        self.job = job
        self._closers: list[Callable[[], object]] = []

    def __enter__(self) -> Runner:
        try:
            return self._start()
        except BaseException:
            self.__exit__()
            raise

    def _start(self) -> Runner:
        caller = os.getpid()
        if self.kind == "dask":
            return self._start_dask(caller)
        if self.kind != "local":
            raise ValueError(f"unknown executor {self.kind!r}")  # run_batch refuses it first
        if self.workers <= 1:
            return Runner(InlineExecutor(), self.job, Setups().run, 1)
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(_start_method()),
            initializer=start_local_worker,
            initargs=(caller, self.job),
        )
        self._closers.append(pool.shutdown)
        return Runner(pool, self.job.digest, partial(run_in_worker, caller), self.workers)

    def _start_dask(self, caller: int) -> Runner:
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler is not None:
            client = Client(self.scheduler)
            self._closers.append(client.close)
        else:
            with dask.config.set({"distributed.worker.multiprocessing-method": _start_method()}):
                cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            self._closers.append(cluster.close)
            client = Client(cluster)
            self._closers.insert(0, client.close)
            # A forked worker may also hold its siblings' pipes to their nannies open: watch this process as well.
            client.run(exit_with_parent, caller)
        workers = max(1, sum(client.nthreads().values()))
        job = client.scatter(self.job, broadcast=True, hash=False)  # once to each worker, not with every task
        return Runner(client.get_executor(pure=False), job, partial(run_in_worker, caller), workers)

    def __exit__(self, *exc: object) -> None:
        closers, self._closers = self._closers, []
        for close in closers:
            close()


def _start_method() -> str:
    """`fork` where the system has it (not on Windows, nor by default on macOS), else `spawn`."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
