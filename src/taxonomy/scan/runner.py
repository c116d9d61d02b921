"""Scanning the files a walk hands over: in this process for a small scan (or `jobs` 1), else in worker processes
started (forked) as soon as there is enough work and fed chunk by chunk while the walk goes on, so both cores are
busy from the start and finish together. Workers send back each outcome as JSON text (cheap to send and to keep),
nothing for the many files with nothing in them; only files with something to say are kept: flat memory on big trees.
"""

from __future__ import annotations

import os
import sys
import time
from array import array
from collections import deque
from typing import TYPE_CHECKING

from taxonomy.scan.cache import File
from taxonomy.scan.languages import SUFFIXES
from taxonomy.scan.payload import decode, encode
from taxonomy.scan.records import Value
from taxonomy.scan.scanner import FileOutcome, scan_file
from taxonomy.scan.settings import ScanSettings

if TYPE_CHECKING:
    from taxonomy.scan.cache import ScanCache
    from taxonomy.scan.pool import Pool, Task
    from taxonomy.scan.signatures import SignatureSet

PARALLEL_MIN_FILES = 400  # below this, starting workers costs more than it saves
# Files per task while the walk goes on (~0.1 s of work: each task also costs this process, whose core the workers
# share, a message each way); smaller ones at the end, so both cores finish together.
_CHUNK = 1024
_MIN_CHUNK = 8


class _Progress:
    """`scanning 1200/20000 files` on stderr, redrawn at most ten times a second; only on a terminal."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0
        self.last = 0.0
        self.enabled = sys.stderr.isatty()

    def tick(self, number: int) -> None:
        self.count += number
        now = time.monotonic()
        if self.enabled and now - self.last > 0.1:
            self.last = now
            sys.stderr.write(f"\rscanning {self.count}/{self.total} files")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.last:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


_worker: tuple[SignatureSet, int, bool] | None = None  # a worker's signatures, size limit, stamping; set once


def _init_worker(sigs: SignatureSet, max_size: int, stamping: bool) -> None:
    global _worker
    _worker = (sigs, max_size, stamping)


def _scan_chunk(chunk: list[File]) -> tuple[list[str | None], bytes | None]:
    """In a worker: plain data back (cheap to send), None for the many files with nothing in them; and when asked,
    the files' stamps (see `scan_file`) as one block of C integers."""
    assert _worker is not None
    sigs, max_size, stamping = _worker
    stamps = array("q") if stamping else None
    out: list[str | None] = []
    for absolute, rel, suffix in chunk:
        language, adapter = SUFFIXES[suffix]
        outcome = scan_file(absolute, rel, language, adapter, sigs, max_size, stamps)
        out.append(None if outcome is None else encode(outcome))
    return out, None if stamps is None else stamps.tobytes()


def _constants(spec: str, source: bytes) -> dict[str, Value]:
    from taxonomy.scan.languages import adapter_for

    constants: dict[str, Value] = adapter_for(spec).constants(source)
    return constants


class Runner:
    """`add` files as the walk finds them; `finish` returns the outcomes worth keeping (absolute path -> outcome,
    in the order the files were added). With `stamping`, `stamps` then gives every file's mtime and size as the
    scan read them (a cold scan's cache needs them: the walk need not stat the files for it)."""

    def __init__(self, settings: ScanSettings, jobs: int, cache: ScanCache | None, progress: bool,
                 stamping: bool = False) -> None:  # fmt: skip
        self.settings = settings
        self.stamped: dict[int, tuple[list[File], bytes]] | None = {} if stamping else None  # chunk number -> ...
        self.jobs = jobs
        self.cache = cache
        self.report = _Progress() if progress else None
        self.total = 0
        self.pending: deque[File] = deque()
        self.results: dict[str, FileOutcome] = {}
        self.sigs: SignatureSet | None = None
        self.pool: Pool | None = None
        self.workers = 1
        self.running: dict[Task, tuple[int, list[File]]] = {}  # -> chunk number, chunk
        self.chunks = 0
        self.found: dict[int, list[tuple[str, FileOutcome]]] = {}  # chunk number -> its outcomes worth keeping
        # (adapter spec, source) -> its constants, asked for while the scan goes on (see `_prefetch`)
        self.early: dict[tuple[str, bytes], Task] = {}
        self.early_paths: set[str] = set()

    def signatures(self) -> SignatureSet:
        if self.sigs is None:
            from taxonomy.scan.signatures import build

            self.sigs = build(self.settings.packs, self.settings.wrappers)
        return self.sigs

    def add(self, files: list[File]) -> None:
        self.total += len(files)
        self.pending.extend(files)
        if self.report is not None:
            self.report.total = self.total
        if self.pool is None and not self._start():
            if self.jobs == 1 and len(self.pending) >= _CHUNK:
                self._scan_here()
            return
        self._feed(final=False)

    def finish(self) -> dict[str, FileOutcome]:
        if self.pool is None:
            self._scan_here()
        else:
            while self.pending or self.running:
                self._feed(final=True)
                if self.running:
                    self.pool.wait(self.running)
            for number in sorted(self.found):  # in the order the files were added, whatever order chunks ended in
                self.results.update(self.found.pop(number))
        if self.report is not None:
            self.report.done()
        results, self.results = self.results, {}  # the caller's now: gone when it is done with them
        return results

    def constants(self, spec: str, source: bytes) -> dict[str, Value]:
        """The constants a file defines: in a worker when there are some (their parsers are loaded already; this
        process need not load them just for the few files the constants pass reads), else here."""
        if self.pool is None:
            return _constants(spec, source)
        early = self.early.pop((spec, source), None)
        constants: dict[str, Value] = (early or self.pool.submit(_constants, spec, source)).result()
        return constants

    def close(self) -> None:
        """Stop the workers (after the constants pass, or after an error: then dropping the work not started)."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def _start(self) -> bool:
        """Start the workers once the scan is big enough to be worth them (or `jobs` asks for them)."""
        if self.jobs == 1 or (not self.jobs and len(self.pending) < PARALLEL_MIN_FILES):
            return False
        from taxonomy.scan import pool

        workers = self.jobs or min(os.cpu_count() or 1, 8)
        if workers <= 1 or not pool.available():
            return False
        self.workers = workers
        sigs = self.signatures()  # (built before the fork: the workers inherit it)
        self.pool = pool.Pool(workers, lambda: _init_worker(sigs, self.settings.max_size, self.stamped is not None))
        return True

    def _feed(self, final: bool) -> None:
        """Collect the chunks done, then submit more while few are running (a few queued per worker: any that
        finishes makes room, so no worker waits on a slow chunk of the other). During the walk, chunks of `_CHUNK`;
        at the end, the rest in shrinking chunks (a file that passes the prefilter costs a thousand that do not, and
        they cluster: big chunks at the end would leave one core idle)."""
        assert self.pool is not None
        for task in [task for task in self.running if task.done()]:
            self._take(task, *self.running.pop(task))
        while self.pending and len(self.running) < 2 * self.workers:
            if final:
                size = max(_MIN_CHUNK, min(_CHUNK, len(self.pending) // (4 * self.workers)))
            elif len(self.pending) >= _CHUNK:
                size = _CHUNK
            else:
                return
            chunk = [self.pending.popleft() for _ in range(min(size, len(self.pending)))]
            self.running[self.pool.submit(_scan_chunk, chunk)] = (self.chunks, chunk)
            self.chunks += 1

    def _take(self, task: Task, number: int, chunk: list[File]) -> None:
        found = []
        payloads, stamps = task.result()
        if self.stamped is not None and stamps is not None:
            self.stamped[number] = (chunk, stamps)
        for (absolute, rel, _suffix), payload in zip(chunk, payloads, strict=True):
            if payload is not None:  # (a file scanned holds no cached outcome: nothing to forget when it is empty)
                outcome = decode(payload, rel)
                found.append((absolute, outcome))
                if outcome.imports:
                    self._prefetch(absolute, outcome)
                if self.cache is not None:
                    self.cache.put(absolute, payload)
        if found:
            self.found[number] = found
        if self.report is not None:
            self.report.tick(len(chunk))

    def _prefetch(self, absolute: str, outcome: FileOutcome) -> None:
        """Ask a worker now for the constants of the modules whose names this file uses: the constants pass that
        follows the scan would read them (after the last file, with the cores idle), and they are few."""
        from taxonomy.scan.constants import imported_definers

        assert self.pool is not None
        for path in imported_definers(absolute, outcome):
            entry = SUFFIXES.get(os.path.splitext(path)[1].lower())
            if path in self.early_paths or entry is None:
                continue
            self.early_paths.add(path)
            try:
                with open(path, "rb") as handle:
                    data = handle.read(self.settings.max_size + 1)
            except OSError:
                continue
            if len(data) <= self.settings.max_size:
                self.early[entry[1], data] = self.pool.submit(_constants, entry[1], data)

    def stamps(self) -> tuple[list[File], array[int]]:
        """The files scanned, in the order they were added, and their stamps (two integers each, see `scan_file`)."""
        files: list[File] = []
        stamps = array("q")
        stamped = self.stamped or {}
        for number in sorted(stamped):
            chunk, block = stamped[number]
            files += chunk
            stamps.frombytes(block)
        return files, stamps

    def _scan_here(self) -> None:
        if not self.pending:
            return
        sigs, max_size = self.signatures(), self.settings.max_size
        cache = self.cache
        files = list(self.pending)
        self.pending.clear()
        stamps = array("q") if self.stamped is not None else None
        for absolute, rel, suffix in files:
            language, adapter = SUFFIXES[suffix]
            outcome = scan_file(absolute, rel, language, adapter, sigs, max_size, stamps)
            if outcome is not None:  # only files with something to say are kept in memory: flat memory on big trees
                self.results[absolute] = outcome
                if cache is not None:
                    cache.put(absolute, encode(outcome))
        if self.stamped is not None and stamps is not None:
            self.stamped[self.chunks] = (files, stamps.tobytes())
            self.chunks += 1
        if self.report is not None:
            self.report.tick(len(files))
