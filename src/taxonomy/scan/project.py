"""A whole scan: discover, reuse the cache, scan the rest (on both cores for large trees), resolve constants.

Constants: names that a call site's file does not define are looked up among the constants of every parsed file of
the same language family; when none defines them, a second pass reads only the files whose bytes mention the
missing names and collects their constants. A name still unknown (or defined twice with different values) stays
dynamic, with its expression.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxonomy.config import Config
from taxonomy.scan.discover import walk
from taxonomy.scan.languages import FAMILIES, SUFFIXES
from taxonomy.scan.records import CallSite, ScanResult, Skipped, Suppressed, Value
from taxonomy.scan.scanner import FileOutcome
from taxonomy.scan.settings import ScanSettings, load_settings

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from taxonomy.scan.cache import Payload, ScanCache
    from taxonomy.scan.signatures import SignatureSet

PARALLEL_MIN_FILES = 400  # below this, starting workers costs more than it saves
_CHUNK = 128  # files per task while the walk goes on; smaller ones at the end, so both cores finish together
_MIN_CHUNK = 8
_AMBIGUOUS = Value("dynamic", expr="(defined more than once)")

File = tuple[str, str, str]  # absolute path, relative path, suffix


def scan_paths(
    paths: Sequence[str | os.PathLike[str]],
    config: Config,
    *,
    root: Path | None = None,
    use_cache: bool | None = None,
    jobs: int | None = None,
    progress: bool = False,
) -> ScanResult:
    """Scan files and folders for SDK call sites; the library entry point (`taxonomy scan` prints this).

    `root` is the folder call-site paths are relative to (default: the single folder given, else the working
    folder). Settings come from `config.section("scan")`; the cache lives under `config.root`.
    """
    import gc

    # Tens of thousands of small records: the cyclic GC would rescan them again and again (superlinear time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan(paths, config, root, use_cache, jobs, progress)
    finally:
        if enabled:
            gc.enable()


def _scan(
    paths: Sequence[str | os.PathLike[str]],
    config: Config,
    root: Path | None,
    use_cache: bool | None,
    jobs: int | None,
    progress: bool,
) -> ScanResult:
    settings = load_settings(config)
    given = [Path(p) for p in paths] or [Path(".")]
    if root is None:
        root = given[0].absolute() if len(given) == 1 and given[0].is_dir() else Path.cwd()
    root = root.absolute()
    project = config.root.absolute()
    suffixes = [s for s, (lang, _) in SUFFIXES.items() if not settings.languages or lang in settings.languages]
    cache = None
    if settings.cache if use_cache is None else use_cache:
        from taxonomy.scan.cache import ScanCache, cache_key

        cache = ScanCache(project, cache_key(*_fingerprint(settings)))
    found_skipped: list[tuple[str, str]] = []
    memo = cache.gitignore if cache is not None else None
    folders = walk(given, root, found_skipped, project=project, include=settings.include, exclude=settings.exclude,
                   suffixes=suffixes, memo=memo, stat=cache is not None)  # fmt: skip
    files: list[File] = []
    cached: dict[str, FileOutcome] = {}
    runner = _Runner(settings, settings.jobs if jobs is None else jobs, cache, progress)
    for folder in folders:
        files.extend(folder.files)
        if cache is None:
            runner.add(folder.files)
            continue
        misses, hits = cache.check(folder)
        for index, outcome in hits:
            cached[folder.files[index][0]] = outcome
        if misses:
            runner.add([folder.files[index] for index in misses])
    outcomes = cached  # cached ones first, then the scanned ones, each in walk order
    outcomes.update(runner.finish())
    all_cached = not runner.total and cache is not None  # nothing changed: the constants of the last run still hold

    table = _constant_table(outcomes.values())
    if not all_cached:
        _second_pass(files, outcomes, table, settings, cache)
    sites: list[CallSite] = []
    skipped = [Skipped(rel, reason) for rel, reason in found_skipped]
    suppressions: list[Suppressed] = []
    for outcome in outcomes.values():
        family = FAMILIES.get(outcome.language, outcome.language)
        local = outcome.constants
        sites.extend(_resolve(site, local, table.get(family, {})) for site in outcome.sites)
        if outcome.skipped:
            skipped.append(Skipped(outcome.file, outcome.skipped))
        suppressions.extend(outcome.suppressions)
    if cache is not None:
        cache.save(tuple(str(p.absolute()) for p in given if p.is_dir()))
    sites.sort(key=lambda s: (s.file, s.line, s.column, s.kind, s.name or ""))
    skipped.sort(key=lambda s: s.file)
    return ScanResult(
        root=root.as_posix(),
        call_sites=tuple(sites),
        skipped=tuple(skipped),
        files=len(files),
        parsed=sum(1 for o in outcomes.values() if o.parsed),
        suppressions=tuple(sorted(suppressions, key=lambda s: (s.file, s.line))),
        languages=tuple(sorted({SUFFIXES[suffix][0] for _a, _r, suffix in files})),
    )


def _fingerprint(settings: ScanSettings) -> tuple[object, ...]:
    """What the cache depends on besides the files: the tool, its signatures, the settings, pathspec."""
    from taxonomy import __version__

    return (__version__, _code_fingerprint(), _rules_fingerprint(), _settings_key(settings), _pathspec_fingerprint())


def _tree_fingerprint(folder: Path, suffixes: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    out = []
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and entry.name != "__pycache__":
                stack.append(entry.path)
            elif entry.name.endswith(suffixes):
                info = entry.stat()
                out.append((os.path.relpath(entry.path, folder), info.st_mtime_ns, info.st_size))
    return tuple(sorted(out))


def _code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """The scanner's own files (an edited checkout keeps its version number, yet scans differently)."""
    return _tree_fingerprint(Path(__file__).parent, (".py", ".scm"))


def _rules_fingerprint() -> tuple[tuple[str, int, int], ...]:
    from taxonomy.resources import rules_dir

    return _tree_fingerprint(rules_dir() / "sdk", (".yaml",))


def _pathspec_fingerprint() -> tuple[str, int]:
    """The cache keeps pathspec's regexes for .gitignore lines (see `discover.Rules`): a new pathspec, new ones."""
    import importlib.util

    spec = importlib.util.find_spec("pathspec")
    origin = spec.origin if spec is not None and spec.origin else ""
    try:
        return origin, os.stat(origin).st_mtime_ns
    except OSError:
        return origin, 0


def _settings_key(settings: ScanSettings) -> tuple[object, ...]:
    return (settings.include, settings.exclude, settings.packs, settings.max_size, settings.languages,
            tuple(w.describe() for w in settings.wrappers))  # fmt: skip


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


_worker: tuple[SignatureSet, int] | None = None  # a worker process's signatures and size limit, set once


def _init_worker(sigs: SignatureSet, max_size: int) -> None:
    global _worker
    _worker = (sigs, max_size)


def _scan_chunk(chunk: list[File]) -> list[Payload | None]:
    """In a worker: plain data back (cheap to send), None for the many files with nothing in them."""
    from taxonomy.scan.cache import outcome_to
    from taxonomy.scan.scanner import is_empty, scan_file

    assert _worker is not None
    sigs, max_size = _worker
    out: list[Payload | None] = []
    for absolute, rel, suffix in chunk:
        language, adapter = SUFFIXES[suffix]
        outcome = scan_file(absolute, rel, language, adapter, sigs, max_size)
        out.append(None if is_empty(outcome) else outcome_to(outcome))
    return out


class _Runner:
    """Scans the files handed to it while the walk goes on: in this process for a small scan (or `jobs` 1), else
    in worker processes started (forked) as soon as there is enough work, fed chunk by chunk so both cores are
    busy from the start and finish together. Only files with something to say are kept: flat memory."""

    def __init__(self, settings: ScanSettings, jobs: int, cache: ScanCache | None, progress: bool) -> None:
        self.settings = settings
        self.jobs = jobs
        self.cache = cache
        self.report = _Progress() if progress else None
        self.total = 0
        self.pending: deque[File] = deque()
        self.results: dict[str, FileOutcome] = {}
        self.sigs: SignatureSet | None = None
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 1
        self.futures: deque[tuple[Future[list[Payload | None]], list[File]]] = deque()

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
            while self.pending or self.futures:
                self._feed(final=True)
                if self.futures:
                    self._take(*self.futures.popleft())
            self.pool.shutdown()
        if self.report is not None:
            self.report.done()
        return self.results

    def _start(self) -> bool:
        """Start the workers once the scan is big enough to be worth them (or `jobs` asks for them)."""
        if self.jobs == 1 or (not self.jobs and len(self.pending) < PARALLEL_MIN_FILES):
            return False
        workers = self.jobs or min(os.cpu_count() or 1, 8)
        if workers <= 1:
            return False
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.workers = workers
        context = multiprocessing.get_context(method)
        initargs = (self.signatures(), self.settings.max_size)  # built before the fork: workers inherit it
        self.pool = ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=initargs)
        return True

    def _feed(self, final: bool) -> None:
        """Collect finished chunks (in order), then submit more while few are in flight. During the walk, chunks of
        `_CHUNK`; at the end, the rest in shrinking chunks (a file that passes the prefilter costs a thousand that
        do not, and they cluster: big chunks at the end would leave one core idle)."""
        assert self.pool is not None
        while self.futures and self.futures[0][0].done():
            self._take(*self.futures.popleft())
        limit = 2 * self.workers if final else 3 * self.workers
        while self.pending and len(self.futures) < limit:
            if final:
                size = max(_MIN_CHUNK, min(_CHUNK, len(self.pending) // (4 * self.workers)))
            elif len(self.pending) >= _CHUNK:
                size = _CHUNK
            else:
                return
            chunk = [self.pending.popleft() for _ in range(min(size, len(self.pending)))]
            self.futures.append((self.pool.submit(_scan_chunk, chunk), chunk))

    def _take(self, future: Future[list[Payload | None]], chunk: list[File]) -> None:
        from taxonomy.scan.cache import outcome_from

        for (absolute, rel, _suffix), payload in zip(chunk, future.result(), strict=True):
            if payload is not None:
                self.results[absolute] = outcome_from(payload, rel)
            if self.cache is not None:
                self.cache.put(absolute, payload)
        if self.report is not None:
            self.report.tick(len(chunk))

    def _scan_here(self) -> None:
        if not self.pending:
            return
        from taxonomy.scan.scanner import is_empty, scan_file

        sigs, max_size = self.signatures(), self.settings.max_size
        cache = self.cache
        if cache is not None:
            from taxonomy.scan.cache import outcome_to
        count = len(self.pending)
        while self.pending:
            absolute, rel, suffix = self.pending.popleft()
            language, adapter = SUFFIXES[suffix]
            outcome = scan_file(absolute, rel, language, adapter, sigs, max_size)
            empty = is_empty(outcome)
            if not empty:  # only files with something to say are kept in memory: flat memory on big trees
                self.results[absolute] = outcome
            if cache is not None:
                cache.put(absolute, None if empty else outcome_to(outcome))
        if self.report is not None:
            self.report.tick(count)


def _constant_table(outcomes: Any) -> dict[str, dict[str, Value]]:
    """family -> dotted name -> value, from every file that was parsed (ambiguous names marked dynamic)."""
    table: dict[str, dict[str, Value]] = {}
    for outcome in outcomes:
        family = table.setdefault(FAMILIES.get(outcome.language, outcome.language), {})
        for name, value in outcome.constants.items():
            known = family.get(name)
            if known is None:
                family[name] = value
            elif known.literal != value.literal or known.type != value.type:
                family[name] = _AMBIGUOUS
    return table


def _missing(outcomes: Any, table: dict[str, dict[str, Value]]) -> dict[str, dict[str, set[str]]]:
    """family -> root name of a constant reference nobody defined yet -> absolute paths of the files using it."""
    missing: dict[str, dict[str, set[str]]] = {}
    for absolute, outcome in outcomes:
        family = FAMILIES.get(outcome.language, outcome.language)
        for site in outcome.sites:
            for part in site.pending:
                if part.startswith("r:"):
                    ref = part[2:]
                    if ref not in outcome.constants and ref not in table.get(family, {}):
                        missing.setdefault(family, {}).setdefault(ref.split(".", 1)[0], set()).add(absolute)
    return missing


_JS_SUFFIXES = ("", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.tsx", "/index.js")


def _module_files(family: str, module: str, importer: str) -> list[str]:
    """Files an import of `module` from `importer` may point at (JS relative paths, Python dotted modules)."""
    folder = os.path.dirname(importer)
    found: list[str] = []
    if family == "js" and module.startswith("."):
        base = os.path.normpath(os.path.join(folder, module))
        found = [base + suffix for suffix in _JS_SUFFIXES if os.path.isfile(base + suffix)]
    elif family == "python" and module:
        level = len(module) - len(module.lstrip("."))
        parts = module.lstrip(".").split(".") if module.lstrip(".") else []
        if level:
            bases = [os.path.normpath(os.path.join(folder, *[".."] * (level - 1)))]
        else:  # absolute import: try every ancestor folder as the import root
            bases, current = [], folder
            while True:
                bases.append(current)
                parent = os.path.dirname(current)
                if parent == current:
                    break
                current = parent
        for base in bases:
            stem = os.path.join(base, *parts)
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                if parts and os.path.isfile(candidate):
                    found.append(candidate)
            if found:
                break
    return found


def _second_pass(
    files: list[File],
    outcomes: dict[str, FileOutcome],
    table: dict[str, dict[str, Value]],
    settings: ScanSettings,
    cache: ScanCache | None,
) -> None:
    from taxonomy.scan.languages import adapter_for

    missing = _missing(outcomes.items(), table)
    if not missing:
        return
    by_suffix = {suffix: spec for suffix, (_lang, spec) in SUFFIXES.items()}
    relative = {absolute: rel for absolute, rel, _suffix in files}
    done: set[str] = set()

    def collect(absolute: str, family: str, data: bytes | None = None) -> None:
        done.add(absolute)
        outcome = outcomes.get(absolute)
        if outcome is not None and (outcome.parsed or outcome.skipped):
            return
        suffix = os.path.splitext(absolute)[1].lower()
        spec = by_suffix.get(suffix)
        if spec is None:
            return
        try:
            if data is None:
                with open(absolute, "rb") as handle:
                    data = handle.read(settings.max_size + 1)
            if len(data) > settings.max_size:
                return
            constants = adapter_for(spec).constants(data)
        except (OSError, ValueError, RecursionError):
            return
        target = table.setdefault(family, {})
        for name, value in constants.items():
            known = target.get(name)
            target[name] = value if known is None or known == value else _AMBIGUOUS
        if constants and absolute in relative:
            if outcome is None:
                outcome = outcomes[absolute] = FileOutcome(relative[absolute], SUFFIXES[suffix][0])
            outcome.constants = constants
            if cache is not None:
                from taxonomy.scan.cache import outcome_to

                cache.put(absolute, outcome_to(outcome))

    # 1. Follow the imports: `import { Events } from "./events"`, `from shop.events import SIGNED_UP`.
    for family, names in missing.items():
        for name, importers in names.items():
            for importer in importers:
                module = outcomes[importer].imports.get(name)
                for path in _module_files(family, module, importer) if module else ():
                    if path not in done:
                        collect(path, family)
    missing = _missing(outcomes.items(), table)
    if not missing:
        return
    # 2. Otherwise (languages without file imports: Kotlin, Swift, ...), files whose bytes define a missing name.
    patterns = {family: _definition_pattern(set(names)) for family, names in missing.items()}
    for absolute, _rel, suffix in files:
        language, _spec = SUFFIXES[suffix]
        family = FAMILIES.get(language, language)
        if family not in patterns or absolute in done:
            continue
        outcome = outcomes.get(absolute)
        if outcome is not None and (outcome.parsed or outcome.skipped):
            continue
        try:
            with open(absolute, "rb") as handle:
                data = handle.read(settings.max_size + 1)
        except OSError:
            continue
        if patterns[family].search(data):
            collect(absolute, family, data)


def _definition_pattern(names: set[str]) -> re.Pattern[bytes]:
    """Bytes that look like a definition of one of `names` (`NAME =`, `NAME: "x"`, `object NAME {`, `enum NAME {`,
    `#define NAME`), not a mere use: files that only import a name are not parsed for it."""
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names))
    return re.compile(rb"\b(?:" + alternatives + rb")\b\s*(?:[:=]|\{|<)|define\s+(?:" + alternatives + rb")\b")


def _resolve(site: CallSite, local: dict[str, Value], project: dict[str, Value]) -> CallSite:
    if not site.pending:
        return site
    from dataclasses import replace

    parts: list[str] = []
    for part in site.pending:
        if part.startswith("s:"):
            parts.append(part[2:])
            continue
        ref = part[2:]
        value = local.get(ref) or project.get(ref)
        if value is None or value.type != "string":
            return replace(site, pending=())
        parts.append(str(value.literal))
    return replace(site, name="".join(parts), pending=())
