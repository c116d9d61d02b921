"""A whole scan: walk, reuse the cache, scan the rest (on both cores for large trees: see runner.py), resolve
constants (see constants.py). When nothing changed since the last scan of the same paths, its result is the answer.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from taxonomy.config import Config
from taxonomy.scan.discover import walk
from taxonomy.scan.languages import FAMILIES, SUFFIXES
from taxonomy.scan.results import CallSite, ScanResult, Skipped, Suppressed
from taxonomy.scan.settings import ScanSettings, load_settings

if TYPE_CHECKING:
    from taxonomy.scan.cache import File, Remembered, ScanCache
    from taxonomy.scan.discover import Folder
    from taxonomy.scan.runner import Runner
    from taxonomy.scan.scanner import FileOutcome


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
    scanned = tuple(str(p.absolute()) for p in given if p.is_dir())  # the cache forgets what vanished from these
    cache = None
    if settings.cache if use_cache is None else use_cache:
        from taxonomy.scan.cache import ScanCache, cache_key

        scan = repr((root.as_posix(), [str(p.absolute()) for p in given]))
        cache = ScanCache(project, cache_key(*_fingerprint(settings)), scan)
    found_skipped: list[tuple[str, str]] = []
    memo = cache.gitignore if cache is not None else None
    known = cache.known() if cache is not None else None  # a re-scan: its stats are on two cores (see discover.py)
    # A cold scan (nothing remembered) needs the files' stats only for the cache: the scan takes them as it reads
    # each file (on the workers' cores), not the walk.
    stamping = cache is not None and not known
    folders = walk(given, root, found_skipped, project=project, include=settings.include, exclude=settings.exclude,
                   suffixes=suffixes, memo=memo, stat=cache is not None and not stamping, known=known,
                   idle=cache.prefetch if cache is not None else None)  # fmt: skip
    seen: list[Folder] = []
    todo: list[File] = []  # until there are enough for the runner (most warm runs never need it)
    runner: Runner | None = None
    try:
        for folder in folders:
            seen.append(folder)
            if cache is None:
                todo.extend(folder.files)
            else:
                misses = cache.check(folder)
                if len(misses) == len(folder.names):  # (every file: a cold scan's folders, a new folder)
                    todo.extend(folder.files)
                elif misses:
                    todo.extend(folder.files[index] for index in misses)
            if len(todo) >= 64:
                runner = runner or _runner(settings, jobs, cache, progress, stamping)
                runner.add(todo)
                todo = []
        if cache is not None and runner is None and not todo:
            remembered = cache.recall()
            if remembered is not None:  # nothing changed since the last scan of these paths
                cache.save(scanned)
                return _result(root, found_skipped, remembered)
        files = [file for folder in seen for file in folder.files]
        del seen
        runner = runner or _runner(settings, jobs, cache, progress, stamping)
        remembered = _outcomes(files, todo, runner, cache, settings)
        if cache is not None and stamping:
            cache.stamp(*runner.stamps())
    finally:
        if runner is not None:
            runner.close()  # (after an error: workers must not go on with work nobody will collect)
    if cache is not None:  # (the outcomes are gone by now: the cache's peak memory does not add to theirs)
        cache.remember(remembered)
        cache.save(scanned)
    return _result(root, found_skipped, remembered)


def _outcomes(
    files: list[File], todo: list[File], runner: Runner, cache: ScanCache | None, settings: ScanSettings
) -> Remembered:
    """The cached outcomes and the scanned ones, their constants resolved: what the files hold."""
    from taxonomy.scan.cache import Remembered
    from taxonomy.scan.constants import constant_table, resolve, second_pass

    outcomes: dict[str, FileOutcome] = {}
    if cache is not None:
        outcomes, again = cache.outcomes()  # the cached ones first, then the scanned ones, each in walk order
        todo.extend(again)
    runner.add(todo)
    outcomes.update(runner.finish())
    table = constant_table(outcomes.values())
    if runner.total or cache is None:  # else nothing changed: the constants of the last run still hold
        second_pass(files, outcomes, table, settings, cache, runner.constants)
    sites: list[CallSite] = []
    skipped: list[Skipped] = []
    suppressions: list[Suppressed] = []
    for outcome in outcomes.values():
        family = FAMILIES.get(outcome.language, outcome.language)
        local = outcome.constants
        sites.extend(resolve(site, local, table.get(family, {})) for site in outcome.sites)
        if outcome.skipped:
            skipped.append(Skipped(outcome.file, outcome.skipped))
        suppressions.extend(outcome.suppressions)
    sites.sort(key=lambda s: (s.file, s.line, s.column, s.kind, s.name or ""))
    suppressions.sort(key=lambda s: (s.file, s.line))
    parsed = sum(1 for o in outcomes.values() if o.parsed)
    languages = sorted({SUFFIXES[suffix][0] for suffix in {suffix for _a, _r, suffix in files}})
    return Remembered(sites, skipped, suppressions, parsed, len(files), languages)


def _runner(settings: ScanSettings, jobs: int | None, cache: ScanCache | None, progress: bool, stamping: bool
            ) -> Runner:  # fmt: skip
    from taxonomy.scan.runner import Runner

    return Runner(settings, settings.jobs if jobs is None else jobs, cache, progress, stamping)


def _result(root: Path, found_skipped: list[tuple[str, str]], found: Remembered) -> ScanResult:
    skipped = [Skipped(rel, reason) for rel, reason in found_skipped] + found.skipped
    skipped.sort(key=lambda s: s.file)
    return ScanResult(
        root=root.as_posix(),
        call_sites=tuple(found.sites),
        skipped=tuple(skipped),
        files=found.files,
        parsed=found.parsed,
        suppressions=tuple(found.suppressions),
        languages=tuple(found.languages),
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
