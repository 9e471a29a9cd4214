"""Executors: where the replications run (in this process, a local process pool, a Dask cluster).

Each executor maps one function over keyed argument tuples and yields `(key, result)` as each task
finishes, in whatever order they finish. Results depend on the arguments only (every replication
carries its own seed), so the numbers are the same whatever the executor and its workers. Keys are
any hashable value, so a sweep can submit the replications of many cells at once as
`(cell, replication)` keys. Inside `with executor:` the pool or the cluster is started once and
kept for every map (an optimiser's many evaluations); outside it each map starts and stops its own.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from typing import Any, Protocol, TypeVar

from sim.errors import Refused

EXECUTORS = ("process", "dask")
"""Values of `--executor`: a local process pool (default) or a Dask distributed cluster."""

CLUSTER_INSTALL = "pip install 'golive-sim[cluster]'"
"""How to install the optional Dask extra, as the refusal says it."""

SCHEDULER_TIMEOUT_SECONDS = 10
"""How long to try to reach a Dask scheduler before giving up with a message."""

PARENT_CHECK_SECONDS = 1.0
"""How often a pool worker looks whether the process that started it is still alive."""

PR_SET_PDEATHSIG = 1
"""Linux prctl option: send a signal to this process when its parent dies (linux/prctl.h)."""

Key = TypeVar("Key", bound=Hashable)


class Executor(Protocol):
    """Runs `function(*arguments)` for every task and yields `(key, result)` as each finishes."""

    name: str
    """As the manifest records it: `in-process`, `process-pool` or `dask`."""

    workers: int

    def map(self, function: Callable[..., Any], tasks: Mapping[Key, tuple[Any, ...]]
            ) -> Iterator[tuple[Key, Any]]:
        ...

    def __enter__(self) -> Executor:
        ...

    def __exit__(self, *exc: object) -> None:
        ...


class Kept:
    """What the executors share: their pool or client, kept open inside `with executor:`."""

    _kept: Any = None
    _stack: ExitStack | None = None

    def _open(self) -> AbstractContextManager[Any]:
        """A fresh pool or client, closed when the context ends."""
        return nullcontext()

    def __enter__(self) -> Any:
        self._stack = ExitStack()
        self._kept = self._stack.enter_context(self._open())
        return self

    def __exit__(self, *exc: object) -> None:
        self._kept = None
        if self._stack is not None:
            self._stack.close()

    @contextmanager
    def _using(self) -> Iterator[Any]:
        """The kept pool or client, or one for this map only."""
        if self._kept is not None:
            yield self._kept
        else:
            with self._open() as fresh:
                yield fresh


class InProcess(Kept):
    """Every task in this process, one after the other, in key order."""

    name = "in-process"
    workers = 1

    def map(self, function: Callable[..., Any], tasks: Mapping[Key, tuple[Any, ...]]
            ) -> Iterator[tuple[Key, Any]]:
        for key, arguments in tasks.items():
            yield key, function(*arguments)


class ProcessPool(Kept):
    """A pool of `workers` local processes that die with the process that started them."""

    name = "process-pool"

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map(self, function: Callable[..., Any], tasks: Mapping[Key, tuple[Any, ...]]
            ) -> Iterator[tuple[Key, Any]]:
        with self._using() as pool:
            futures = {pool.submit(function, *arguments): key for key, arguments in tasks.items()}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            finally:  # stopped early (an error, Ctrl-C): drop the tasks not yet started
                for future in futures:
                    future.cancel()

    def _open(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=die_with_parent,
                                   initargs=(os.getpid(),))


def die_with_parent(parent_pid: int) -> None:
    """Make this worker end when `parent_pid` ends, even by SIGKILL (no cleanup runs there).

    On Linux the kernel sends SIGTERM at the parent's death (prctl PR_SET_PDEATHSIG); everywhere a
    daemon thread also checks the parent every PARENT_CHECK_SECONDS and ends the worker.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


class DaskCluster(Kept):
    """Tasks on a Dask distributed cluster: the scheduler at `address`, or a LocalCluster of
    `workers` single-threaded worker processes on this machine when there is no address."""

    name = "dask"

    def __init__(self, workers: int, address: str | None = None) -> None:
        self.workers = workers
        self.address = address

    def map(self, function: Callable[..., Any], tasks: Mapping[Key, tuple[Any, ...]]
            ) -> Iterator[tuple[Key, Any]]:
        distributed = _import_distributed()
        with self._using() as client:
            futures = {client.submit(function, *arguments, pure=False): key
                       for key, arguments in tasks.items()}
            try:
                for future in distributed.as_completed(futures):
                    yield futures[future], future.result()
            finally:
                client.cancel(list(futures))

    def _open(self) -> Any:
        distributed = _import_distributed()
        if self.address is None:
            cluster = distributed.LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=logging.CRITICAL)
            return _ClientOwningCluster(distributed.Client(cluster), cluster)
        try:
            return distributed.Client(self.address, timeout=SCHEDULER_TIMEOUT_SECONDS)
        except (OSError, TimeoutError, ValueError) as e:
            raise Refused(f"--scheduler: cannot reach a Dask scheduler at {self.address!r} "
                          f"({e}); start one with `dask scheduler` (docs/cluster.md)") from None


class _ClientOwningCluster:
    """A Dask client that closes its LocalCluster when it closes."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise Refused(f"--executor dask needs Dask distributed, which is not installed: "
                      f"{CLUSTER_INSTALL}") from None
    return distributed


def make_executor(kind: str = "process", workers: int = 1, scheduler: str | None = None
                  ) -> Executor:
    """The executor the user asked for: `process` (in this process when one worker) or `dask`."""
    if kind not in EXECUTORS:
        raise Refused(f"--executor: found {kind!r}; accepted: {', '.join(EXECUTORS)}")
    if kind == "dask":
        _import_distributed()
        if scheduler is not None and not scheduler.strip():
            raise Refused("--scheduler: found an empty address; accepted: a Dask scheduler "
                          "address such as tcp://10.0.0.5:8786")
        return DaskCluster(workers, scheduler)
    if scheduler is not None:
        raise Refused("--scheduler: only with --executor dask")
    return InProcess() if workers == 1 else ProcessPool(workers)
