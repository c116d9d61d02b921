"""Worker processes for a scan, forked from this one: they inherit its loaded modules and signatures, take tasks
over a pipe each and answer over another, in order.

Not `concurrent.futures`: on the two cores a scan is built for, its import, its two threads and its per-task
bookkeeping cost this process some 30 ms before the first file and a few ms of the workers' cores per task; a scan
needs only this much. A task is a module-level function and its arguments (pickled). This process never blocks on
a worker: what it sends waits in a buffer until the pipe takes it, so a worker busy writing a big answer is always
read from. Where there is no fork (Windows), `available()` says so and the scan stays in this process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from taxonomy.errors import TaxonomyError

_SIZE = struct.Struct("<Q")  # before each message: its length
_READ = 1 << 20


def available() -> bool:
    return hasattr(os, "fork")


class Task:
    """A task sent to a worker; `result` waits for its answer (and raises what the task raised)."""

    __slots__ = ("_answer", "_pool")

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self._answer: tuple[bool, Any] | None = None

    def done(self) -> bool:
        return self._answer is not None

    def result(self) -> Any:
        while self._answer is None:
            self._pool.wait((self,))
        ok, value = self._answer
        if not ok:
            raise value
        return value


class _Worker:
    __slots__ = ("inbox", "outbox", "pid", "receive", "send", "tasks")

    def __init__(self, pid: int, send: int, receive: int) -> None:
        self.pid, self.send, self.receive = pid, send, receive
        self.outbox = bytearray()  # sent as the pipe takes it
        self.inbox = bytearray()  # read, not yet a whole answer
        self.tasks: deque[Task] = deque()  # sent, not answered: answers come in this order


class Pool:
    """`workers` processes forked now, each running `init()` first; `submit` tasks, `wait` for any, `close`."""

    def __init__(self, workers: int, init: Callable[[], None]) -> None:
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):
                self._workers.append(self._fork(init))
        except OSError:
            self.close()
            raise

    def _fork(self, init: Callable[[], None]) -> _Worker:
        task_read, task_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns (nor runs this process's exit handlers, nor flushes its buffers)
            code = 0
            try:
                os.close(task_write)
                os.close(answer_read)
                for other in self._workers:
                    os.close(other.send)  # (else that worker would never see its end of input)
                    os.close(other.receive)
                init()
                _serve(task_read, answer_write)
            except BaseException:  # (interrupted, or this process went away: nothing to tell anyone)
                code = 1
            os._exit(code)
        os.close(task_read)
        os.close(answer_write)
        os.set_blocking(task_write, False)
        os.set_blocking(answer_read, False)
        return _Worker(pid, task_write, answer_read)

    def submit(self, function: Callable[..., Any], *args: Any) -> Task:
        """Send the task to the worker with the fewest waiting."""
        worker = min(self._workers, key=lambda w: len(w.tasks))
        message = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        task = Task(self)
        worker.tasks.append(task)
        worker.outbox += _SIZE.pack(len(message))
        worker.outbox += message
        self._send(worker)
        return task

    def wait(self, tasks: Iterable[Task]) -> None:
        """Until one of `tasks` is done (taking meanwhile every answer that comes)."""
        tasks = list(tasks)
        while not any(task.done() for task in tasks):
            readers = {w.receive: w for w in self._workers if w.tasks}
            writers = {w.send: w for w in self._workers if w.outbox}
            if not readers:
                raise RuntimeError("waiting for tasks that were never sent")
            readable, writable, _ = select.select(list(readers), list(writers), [])
            for fd in writable:
                self._send(writers[fd])
            for fd in readable:
                self._receive(readers[fd])

    def close(self) -> None:
        """Stop the workers and wait for them to exit: at once, dropping their tasks, when some are not done."""
        for worker in self._workers:
            for fd in (worker.send, worker.receive):
                with contextlib.suppress(OSError):
                    os.close(fd)  # (a worker reads the end of its input and exits)
            if worker.tasks:
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGTERM)
        for worker in self._workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
        self._workers = []

    def _send(self, worker: _Worker) -> None:
        while worker.outbox:
            try:
                written = os.write(worker.send, worker.outbox)
            except BlockingIOError:
                return  # the pipe is full: the rest goes when `wait` finds it writable
            except BrokenPipeError:
                self._died(worker)
            del worker.outbox[:written]

    def _receive(self, worker: _Worker) -> None:
        while True:
            try:
                data = os.read(worker.receive, _READ)
            except BlockingIOError:
                break
            if not data:
                self._died(worker)
            worker.inbox += data
            if len(data) < _READ:
                break
        inbox = worker.inbox
        while len(inbox) >= _SIZE.size:
            end = _SIZE.size + _SIZE.unpack_from(inbox)[0]
            if len(inbox) < end:
                break
            answer = pickle.loads(inbox[_SIZE.size : end])
            del inbox[:end]
            worker.tasks.popleft()._answer = answer

    def _died(self, worker: _Worker) -> NoReturn:
        try:
            _pid, status = os.waitpid(worker.pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            code = None
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
        raise TaxonomyError(
            f"a scan worker process {how} before it answered",
            hint="out of memory? Run again with --jobs 1 to scan in one process, and report the file if it crashes",
        )


def _serve(receive: int, send: int) -> None:
    """In a worker: answer each task in turn until this process's end of the pipe closes."""
    while True:
        head = _read(receive, _SIZE.size)
        if not head:
            return
        function, args = pickle.loads(_read(receive, _SIZE.unpack(head)[0]))
        try:
            answer: tuple[bool, Any] = (True, function(*args))
        except Exception as exc:  # (a bug: raised again where the task's result is asked for)
            answer = (False, exc)
        try:
            message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # (an answer that does not pickle: its description does)
            what = f"{type(answer[1]).__name__}: {answer[1]}" if not answer[0] else f"the answer does not pickle: {exc}"
            message = pickle.dumps((False, RuntimeError(what)))
        data = memoryview(_SIZE.pack(len(message)) + message)
        while data:
            data = data[os.write(send, data) :]


def _read(fd: int, size: int) -> bytes:
    """`size` bytes, or b"" at the end of input."""
    parts = []
    while size:
        part = os.read(fd, min(size, _READ))
        if not part:
            return b""
        parts.append(part)
        size -= len(part)
    return b"".join(parts)
