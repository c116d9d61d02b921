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
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from taxonomy.config import Config
from taxonomy.scan.discover import discover
from taxonomy.scan.languages import FAMILIES, SUFFIXES
from taxonomy.scan.records import CallSite, ScanResult, Skipped, Suppressed, Value
from taxonomy.scan.scanner import FileOutcome, is_empty, scan_file
from taxonomy.scan.settings import ScanSettings, load_settings
from taxonomy.scan.signatures import SignatureSet, build

PARALLEL_MIN_FILES = 400  # below this, starting workers costs more than it saves
_CHUNK = 256
_AMBIGUOUS = Value("dynamic", expr="(defined more than once)")


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
    sigs = build(settings.packs, settings.wrappers)
    given = [Path(p) for p in paths] or [Path(".")]
    if root is None:
        root = given[0].absolute() if len(given) == 1 and given[0].is_dir() else Path.cwd()
    root = root.absolute()
    suffixes = [s for s, (lang, _) in SUFFIXES.items() if not settings.languages or lang in settings.languages]
    found = discover(
        given,
        root,
        project=config.root.absolute(),
        include=settings.include,
        exclude=settings.exclude,
        suffixes=suffixes,
    )
    cache = None
    if settings.cache if use_cache is None else use_cache:
        from taxonomy.scan.cache import ScanCache, cache_key

        cache = ScanCache(
            config.root.absolute(), cache_key(_rules_fingerprint(), _settings_key(settings), sorted(sigs.needles))
        )
    outcomes: dict[str, FileOutcome] = {}
    todo: list[tuple[str, str, str, str]] = []  # absolute, relative, language, adapter
    stats: dict[str, tuple[int, int]] = {}
    for absolute, rel, suffix in found.files:
        language, adapter = SUFFIXES[suffix]
        if cache is not None:
            try:
                info = os.stat(absolute)
            except OSError:
                info = None
            if info is not None:
                stats[absolute] = (info.st_mtime_ns, info.st_size)
                hit = cache.get(absolute, info.st_mtime_ns, info.st_size, rel)
                if hit is True:
                    continue  # unchanged, and nothing in it
                if hit is not False:
                    outcomes[absolute] = hit
                    continue
        todo.append((absolute, rel, language, adapter))
    all_cached = not todo and cache is not None  # nothing changed: the constants of the last run still hold
    worker_count = _workers(len(todo), settings.jobs if jobs is None else jobs)
    report = _Progress(len(todo)) if progress and todo else None
    for absolute, outcome in _run(todo, sigs, settings, worker_count, report):
        if outcome is not None:  # only files with something to say are kept in memory: flat memory on big trees
            outcomes[absolute] = outcome
        if cache is not None and absolute in stats:
            cache.put(absolute, *stats[absolute], outcome)
    if report is not None:
        report.done()

    table = _constant_table(outcomes.values())
    if not all_cached:
        _second_pass(found.files, outcomes, table, sigs, settings, cache, stats)
    sites: list[CallSite] = []
    skipped = [Skipped(rel, reason) for rel, reason in found.skipped]
    suppressions: list[Suppressed] = []
    for outcome in outcomes.values():
        family = FAMILIES.get(outcome.language, outcome.language)
        local = outcome.constants
        sites.extend(_resolve(site, local, table.get(family, {})) for site in outcome.sites)
        if outcome.skipped:
            skipped.append(Skipped(outcome.file, outcome.skipped))
        suppressions.extend(outcome.suppressions)
    if cache is not None:
        # forget files that vanished from the folders scanned now; other folders' entries stay for their next scan
        cache.prune(set(stats), tuple(str(p.absolute()) for p in given if p.is_dir()))
        cache.save()
    sites.sort(key=lambda s: (s.file, s.line, s.column, s.kind, s.name or ""))
    skipped.sort(key=lambda s: s.file)
    return ScanResult(
        root=root.as_posix(),
        call_sites=tuple(sites),
        skipped=tuple(skipped),
        files=len(found.files),
        parsed=sum(1 for o in outcomes.values() if o.parsed),
        suppressions=tuple(sorted(suppressions, key=lambda s: (s.file, s.line))),
        languages=tuple(sorted({SUFFIXES[suffix][0] for _a, _r, suffix in found.files})),
    )


def _rules_fingerprint() -> tuple[tuple[str, int, int], ...]:
    from taxonomy.resources import rules_dir

    folder = rules_dir() / "sdk"
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        info = path.stat()
        out.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(out)


def _settings_key(settings: ScanSettings) -> tuple[object, ...]:
    return (settings.include, settings.exclude, settings.packs, settings.max_size, settings.languages,
            tuple(w.describe() for w in settings.wrappers))  # fmt: skip


def _workers(count: int, jobs: int) -> int:
    if jobs:
        return max(1, jobs)
    if count < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class _Progress:
    """`scanning 1200/20000 files` on stderr, redrawn at most ten times a second; only on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
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


def _scan_chunk(
    chunk: list[tuple[str, str, str, str]], sigs: SignatureSet, max_size: int
) -> list[tuple[str, FileOutcome | None]]:
    out: list[tuple[str, FileOutcome | None]] = []
    for absolute, rel, language, adapter in chunk:
        outcome = scan_file(absolute, rel, language, adapter, sigs, max_size)
        out.append((absolute, None if is_empty(outcome) else outcome))  # None: cheap to send back from a worker
    return out


def _run(
    todo: list[tuple[str, str, str, str]],
    sigs: SignatureSet,
    settings: ScanSettings,
    workers: int,
    report: _Progress | None,
) -> list[tuple[str, FileOutcome | None]]:
    if workers <= 1:
        out = []
        for start in range(0, len(todo), _CHUNK):
            chunk = todo[start : start + _CHUNK]
            out.extend(_scan_chunk(chunk, sigs, settings.max_size))
            if report is not None:
                report.tick(len(chunk))
        return out
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    results: list[tuple[str, FileOutcome | None]] = []
    chunks = [todo[i : i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_scan_chunk, chunk, sigs, settings.max_size) for chunk in chunks]
        for future, chunk in zip(futures, chunks, strict=True):
            results.extend(future.result())
            if report is not None:
                report.tick(len(chunk))
    return results


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
    files: list[tuple[str, str, str]],
    outcomes: dict[str, FileOutcome],
    table: dict[str, dict[str, Value]],
    sigs: SignatureSet,
    settings: ScanSettings,
    cache: Any,
    stats: dict[str, tuple[int, int]],
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
            if cache is not None and absolute in stats:
                cache.put(absolute, *stats[absolute], outcome)

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
