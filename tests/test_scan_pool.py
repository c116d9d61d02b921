"""The scan's worker processes (scan/pool.py): answers in order, big messages both ways without a deadlock, errors
raised where the result is asked for, a dead worker reported (never a hang), and a close that does not wait for
work nobody will collect."""

from __future__ import annotations

import os
import signal
import time

import pytest

from taxonomy.errors import TaxonomyError
from taxonomy.scan import pool

pytestmark = pytest.mark.skipif(not pool.available(), reason="no fork on this platform: scans stay in one process")

_STATE: list[str] = []


def _remember() -> None:
    _STATE.append(f"ready in {os.getpid()}")


def _echo(value: object) -> tuple[object, list[str], int]:
    return value, list(_STATE), os.getpid()


def _big(size: int, data: bytes) -> bytes:
    return bytes([len(data) % 251]) * size


def _fail(message: str) -> None:
    raise ValueError(message)


def _die(code: int) -> None:
    os._exit(code)


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_answers_come_back_for_each_task_from_workers_that_ran_init() -> None:
    workers = pool.Pool(2, _remember)
    try:
        tasks = [workers.submit(_echo, index) for index in range(50)]
        answers = [task.result() for task in tasks]
    finally:
        workers.close()
    assert [value for value, _state, _pid in answers] == list(range(50))
    pids = {pid for _value, _state, pid in answers}
    assert len(pids) == 2 and os.getpid() not in pids
    assert all(state == [f"ready in {pid}"] for _value, state, pid in answers)
    assert _STATE == []  # init ran in the workers only


def test_messages_bigger_than_a_pipe_both_ways() -> None:
    """Many big tasks sent before any answer is read: this process must keep reading while it sends."""
    workers = pool.Pool(2, lambda: None)
    try:
        tasks = [workers.submit(_big, 3_000_000 + index, b"x" * (1_000_000 + index)) for index in range(8)]
        workers.wait(tasks[-1:])
        answers = [task.result() for task in tasks]
    finally:
        workers.close()
    assert [len(answer) for answer in answers] == [3_000_000 + index for index in range(8)]
    assert [answer[:1] for answer in answers] == [bytes([(1_000_000 + index) % 251]) for index in range(8)]


def test_an_error_in_a_task_is_raised_by_its_result_and_the_worker_goes_on() -> None:
    workers = pool.Pool(1, lambda: None)
    try:
        failed = workers.submit(_fail, "bad input")
        after = workers.submit(_echo, "next")
        with pytest.raises(ValueError, match="bad input"):
            failed.result()
        assert after.result()[0] == "next"
    finally:
        workers.close()


@pytest.mark.parametrize(
    ("task", "args", "said"), [(_die, (3,), "exited with code 3"), (_kill_self, (), "was killed by signal 9")]
)
def test_a_worker_that_dies_is_reported(task: object, args: tuple[object, ...], said: str) -> None:
    workers = pool.Pool(1, lambda: None)
    started = time.monotonic()
    try:
        doomed = workers.submit(task, *args)  # type: ignore[arg-type]
        with pytest.raises(TaxonomyError, match=f"a scan worker process {said}"):
            doomed.result()
    finally:
        workers.close()
    assert time.monotonic() - started < 30


def test_close_does_not_wait_for_work_nobody_collects() -> None:
    workers = pool.Pool(2, lambda: None)
    for _ in range(4):
        workers.submit(time.sleep, 60)
    started = time.monotonic()
    workers.close()
    assert time.monotonic() - started < 10
