"""Where a batch's tasks run: in this process, a pool of local processes that die with it, or a Dask cluster."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from simulator.analysis.batch import BatchError

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


def chunk_size(replications: int, workers: int) -> int:
    """Replications per task: enough for ~0.1 s of work each, small enough to keep every worker busy."""
    return max(1, min(200, replications // max(1, workers * 4)))


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


class BatchExecutor:
    """A context manager giving the executor that runs a batch's tasks, and shutting it down afterwards.

    Local worker processes exit when this process dies (`exit_with_parent`). So do the worker processes of a Dask
    cluster started here: distributed's nannies live in this process and hold a pipe that each worker watches, and
    a worker exits when that pipe closes (`distributed.process.AsyncProcess`). Workers of a running scheduler
    (`scheduler`) are not ours, and stay.
    """

    def __init__(self, kind: str, workers: int, scheduler: str | None) -> None:
        self.kind = kind
        self.workers = workers
        self.scheduler = scheduler
        self._closers: list[Callable[[], object]] = []

    def __enter__(self) -> Executor:
        if self.kind == "dask":
            from distributed import Client, LocalCluster

            if self.scheduler is not None:
                client = Client(self.scheduler)
            else:
                cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._closers.append(cluster.close)
                client = Client(cluster)
            self._closers.insert(0, client.close)
            executor: Executor = client.get_executor(pure=False)
            return executor
        if self.kind != "local":
            raise ValueError(f"unknown executor {self.kind!r}")  # run_batch refuses it first
        if self.workers <= 1:
            return InlineExecutor()
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=exit_with_parent, initargs=(os.getpid(),)
        )
        self._closers.append(pool.shutdown)
        return pool

    def __exit__(self, *exc: object) -> None:
        for close in self._closers:
            close()
