"""The one place that runs work in other processes.

Every stage of an audit, and the ``score`` command's statistics, is a pure function of its
arguments; an :class:`Executor` maps such a function over tasks in this process or in a
pool of worker processes, and gives the results back in task order. The cluster engine
(:class:`DaskExecutor`, ``--engine dask``) is another ``Executor`` with the same ``map``: the
same per-chunk stages run on a Dask distributed cluster's workers.

Workers start from a fork server, not a plain fork: a process forked from one that already
runs threads (a native library's thread pool) can deadlock on a lock held at the fork.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor as _FuturesExecutor
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from tqaudit.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")


class Executor:
    """Runs ``func`` over tasks: in-process for ``jobs <= 1``, else in ``jobs`` processes.

    Use as a context manager so the pool (started on first use) is shut down once; the
    same pool serves every stage of a run instead of one pool per stage.
    """

    def __init__(self, jobs: int = 1, preload: Sequence[str] = ("tqaudit.engine",)) -> None:
        self.jobs = max(1, int(jobs))
        # modules the fork server imports once for every worker: the engine for an audit,
        # the statistics modules alone for ``score`` (a worker that starts in a third of the time)
        self.preload = list(preload)
        self._pool: _FuturesExecutor | None = None

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    @property
    def parallel(self) -> bool:
        return self.jobs > 1

    def _get_pool(self) -> _FuturesExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if "forkserver" in methods:
                ctx.set_forkserver_preload(self.preload)
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx)
        return self._pool

    def map(self, func: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """``func(task)`` for every task, in task order, lazily at both ends: tasks are drawn
        from ``tasks`` only as workers free up (a few per worker in flight), so a reader
        streaming its input in chunks is never read ahead of the audit."""
        if not self.parallel:
            return (func(t) for t in tasks)
        return in_order(lambda task: self._submit(func, task), tasks, self.window)

    def _submit(self, func: Callable[[T], R], task: T) -> Any:
        """A future of ``func(task)`` run by a worker."""
        return self._get_pool().submit(func, task)

    @property
    def window(self) -> int:
        """Tasks in flight at once: two per worker keeps every worker busy."""
        return 2 * self.jobs

    def map_list(self, func: Callable[[T], R], tasks: Iterable[T]) -> list[R]:
        """``map`` collected, with this process working too: every task but the first is
        sent to the pool at once and the first runs here meanwhile (this process would
        only wait otherwise, and one worker fewer starts). A single task runs here."""
        todo = list(tasks)
        if len(todo) <= 1 or not self.parallel:
            return [func(t) for t in todo]
        sent = [self._submit(func, t) for t in todo[1:]]
        return [func(todo[0]), *(f.result() for f in sent)]


def in_order(submit: Callable[[T], Any], tasks: Iterable[T], window: int) -> Iterator[Any]:
    """The results of the futures ``submit`` returns for ``tasks``, in task order, with at most
    ``window`` submitted and not yet yielded (a future of concurrent.futures or of Dask)."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def iterate_in(executor: Executor | None, func: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
    """``func`` over ``tasks`` in task order, each result as soon as it is ready (for progress);
    ``tasks`` are drawn lazily. A single task runs in this process, where a pool costs more."""
    items = iter(tasks)
    first = list(itertools.islice(items, 2))
    if executor is None or len(first) <= 1:
        return (func(t) for t in itertools.chain(first, items))
    return executor.map(func, itertools.chain(first, items))


def run_in(executor: Executor | None, func: Callable[[T], R], tasks: Iterable[T]) -> list[R]:
    """``func`` over ``tasks`` with ``executor``, or in this process when there is none."""
    if executor is None:
        return [func(t) for t in tasks]
    return executor.map_list(func, tasks)


ENGINES = ("local", "dask")


class DaskExecutor(Executor):
    """Runs the tasks on a Dask distributed cluster, results in task order.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without one, a
    ``LocalCluster`` of ``jobs`` single-threaded worker processes is started for the run and
    shut down after it. Workers import tqaudit themselves: a real cluster's workers need the
    same tqaudit version, packs and dependencies as the client (the findings would differ
    otherwise), but no access to the input, which the client sends chunk by chunk.
    """

    def __init__(self, jobs: int = 1, scheduler: str | None = None) -> None:
        super().__init__(jobs)
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None

    @property
    def parallel(self) -> bool:
        return True

    def __enter__(self) -> DaskExecutor:
        self._get_client()  # a wrong address fails the run even when no chunk would be sent
        return self

    def _get_client(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError:
                raise ConfigError(
                    "--engine dask needs dask.distributed (pip install 'tqaudit[dask]')"
                ) from None
            try:
                if self.scheduler:
                    self._client = Client(self.scheduler, timeout="5s")
                else:
                    self._cluster = LocalCluster(
                        n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None
                    )
                    self._client = Client(self._cluster)
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"cannot reach the Dask scheduler {self.scheduler!r}: {exc}") from None
            self.jobs = max(1, sum(self._client.nthreads().values()))
        return self._client

    def close(self) -> None:
        for part in (self._client, self._cluster):
            if part is not None:
                part.close()
        self._client = self._cluster = None

    def _submit(self, func: Callable[[T], R], task: T) -> Any:
        """A future of ``func(task)`` run on the cluster."""
        return self._get_client().submit(func, task, pure=False)


def make_executor(jobs: int = 1, engine: str = "local", scheduler: str | None = None) -> Executor:
    """The executor of ``engine`` (validated by the config): worker processes on this
    machine, or a Dask cluster."""
    return DaskExecutor(jobs, scheduler) if engine == "dask" else Executor(jobs)
