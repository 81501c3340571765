"""The executor: results in task order, this process working beside the pool."""

from __future__ import annotations

import os

from tqaudit.executor import Executor


def _where(task: int) -> tuple[int, int]:
    return task * task, os.getpid()


def test_map_list_runs_the_first_task_here_and_the_rest_in_workers_in_order() -> None:
    with Executor(2) as executor:
        results = executor.map_list(_where, range(5))
    assert [value for value, _ in results] == [0, 1, 4, 9, 16]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()  # the first task ran here while the pool ran the others
    assert os.getpid() not in pids[1:]


def test_map_list_of_one_task_or_in_process_starts_no_pool() -> None:
    for jobs, tasks in ((2, [3]), (1, [1, 2, 3])):
        with Executor(jobs) as executor:
            results = executor.map_list(_where, tasks)
            assert executor._pool is None
        assert results == [(t * t, os.getpid()) for t in tasks]
