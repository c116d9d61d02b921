"""Which files a scan reads: source suffixes under the given paths, minus .gitignore'd and excluded ones.

.gitignore files are honoured from the repository root down to each folder (via pathspec's git-style matching);
config `include` / `exclude` patterns (gitignore syntax, relative to the project root) narrow further. Symlinked
folders are followed once: a loop is reported, not walked forever. Unreadable folders are reported too.

The walk yields one folder at a time (so a scan can start on the first files while the walk goes on), and can stat
each file on the way (the cache needs its size and modification time): with a folder open, `fstatat` on a bare name
costs about half of a `stat` on the full path. A re-scan (nothing to scan until a file is found changed) lists the
whole tree while a helper process stats the files of the last scan's folders (see `StatHelper`).
"""

from __future__ import annotations

import contextlib
import operator
import os
import re
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from taxonomy.scan.languages import SUFFIXES

ALWAYS_SKIPPED = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".taxonomy-cache",
    "__pycache__",
    ".venv",
    ".tox",
    ".mypy_cache",
}
# Open each folder once and list / stat / read its .gitignore relative to it (POSIX); elsewhere, full paths.
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd and os.open in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)

Stat = tuple[int, int]  # st_mtime_ns, st_size
SEPARATOR = "/"  # between file names joined in one string: no file name holds it (and JSON need not escape it)


class Discovered:
    def __init__(self) -> None:
        self.files: list[tuple[str, str, str]] = []  # absolute path, relative path, suffix
        self.skipped: list[tuple[str, str]] = []  # relative path, reason


class Folder:
    """The wanted files of one folder, in name order (or, with `path` None, files named on the command line).

    `stats`: when asked for, st_mtime_ns and st_size of each file in turn (0, 0 where the stat failed: `failed`
    holds those files' indexes). `files` (absolute path, relative path, suffix) is only made when asked for: an
    unchanged folder of a warm scan never needs it."""

    __slots__ = ("_files", "failed", "names", "path", "prefix", "rel_prefix", "stats", "suffixes")

    def __init__(self, path: str | None, prefix: str, rel_prefix: str, names: list[str], suffixes: list[str]) -> None:
        self.path, self.prefix, self.rel_prefix, self.names, self.suffixes = path, prefix, rel_prefix, names, suffixes
        self.stats = array("q")  # C integers: no object per value
        self.failed: set[int] = set()
        self._files: list[tuple[str, str, str]] | None = None

    @property
    def files(self) -> list[tuple[str, str, str]]:
        if self._files is None:
            prefix, rel_prefix = self.prefix, self.rel_prefix
            self._files = [(prefix + n, rel_prefix + n, s) for n, s in zip(self.names, self.suffixes, strict=True)]
        return self._files

    def stat(self, index: int) -> Stat | None:
        return None if index in self.failed else (self.stats[2 * index], self.stats[2 * index + 1])


class Rules:
    """Lines of gitignore syntax, matched exactly like pathspec's `GitIgnoreSpec.match_file`, but cheaper.

    One regex joining the patterns that can ignore a path answers first: when none of them matches, the answer is no
    (a `!` pattern only re-includes), so pathspec itself is consulted only for the rare paths one of them matches.
    Before the regexes, plain substrings every ignored path holds (`dist` for `dist/`): most folders never need the
    regexes, which are pathspec's own and made on first need (importing pathspec costs ~25 ms); `memo` keeps them
    between runs (it lives in the scan cache).
    """

    def __init__(self, lines: Sequence[str], memo: dict[str, Any] | None = None) -> None:
        self.lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
        self.memo = memo
        self._spec: Any = None
        self._compiled = False
        self.search: Callable[[str], object] | None = None  # the quick test: None when nothing can be ignored
        self.search_lines: Callable[[str], object] | None = None  # the same on many names, one per line
        self.literals = _literals(self.lines)  # cheaper still: plain substrings, before any regex
        self.may_ignore = any(not line.lstrip().startswith("!") for line in self.lines)  # (`!` only re-includes)

    def _compile(self) -> None:
        if self._compiled:
            return
        self._compiled = True
        known: Any = []
        if self.lines:
            key = "\n".join(self.lines)
            known = self.memo.get(key) if self.memo is not None else None
            if not _valid_translation(known):
                known = self._translate()
            if self.memo is not None:
                self.memo[key] = known  # also marks it used in this run
        positive = [(pattern, flags) for pattern, flags, include in known if include]
        quick = _join(positive, 0)
        if isinstance(quick, tuple):
            self.search = lambda rel, regexes=quick: any(regex.search(rel) for regex in regexes)
        elif quick is not None:
            self.search = quick.search
        # The same on many names at once, one per line (a hit, or None: test each name). `^` and `$` match at each
        # line's ends, and nothing else in pathspec's regexes looks beyond the name tested, so no name is missed.
        batch = _join(positive, re.MULTILINE) if not any(_BEYOND.search(p) for p, _ in positive) else None
        self.search_lines = batch.search if isinstance(batch, re.Pattern) else None

    def __bool__(self) -> bool:
        return bool(self.lines)

    def _translate(self) -> list[list[Any]]:
        return [[p.regex.pattern, p.regex.flags, bool(p.include)] for p in self.spec().patterns
                if p.include is not None and p.regex is not None]  # fmt: skip

    def spec(self) -> Any:
        if self._spec is None:
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self.lines)
        return self._spec

    def flags(self, here: str, names: list[str]) -> bool:
        """Whether the quick test flags any of `names` (in folder `here`, relative to these rules' own folder)."""
        text = here + ("\n" + here).join(names)
        if self.literals is not None and not any(literal in text for literal in self.literals):
            return False
        self._compile()
        if self.search_lines is not None:
            return self.search_lines(text) is not None
        return self.search is not None and any(self.search(here + name) for name in names)

    def matches(self, rel: str) -> bool:
        """`rel`: relative to the folder the lines apply to, POSIX, with a trailing slash for a folder."""
        self._compile()
        if self.search is None or not self.search(rel):
            return False
        return bool(self.spec().match_file(rel))


_WILD = re.compile(r"[*?/]+")


def _literals(lines: list[str]) -> tuple[str, ...] | None:
    """For each line that can ignore a path, a run of plain characters in every path it matches (`dist/`: "dist",
    `*.gen.ts`: ".gen.ts"). None when a line has none, or uses escapes or brackets (then the regexes decide)."""
    found = set()
    for line in lines:
        if line.startswith("!"):
            continue  # re-includes: never ignores
        if "\\" in line or "[" in line:
            return None
        run = max(_WILD.split(line.strip()), key=len)
        if not run:
            return None
        found.add(run)
    return tuple(sorted(found))


def _valid_translation(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list) and len(item) == 3 and isinstance(item[0], str) and isinstance(item[1], int)
        for item in value
    )


_GROUP = re.compile(r"\(\?P<\w+>")
# \A \Z, lookarounds and inline flags could tell a line from a whole string: patterns with them are tested one by one
_BEYOND = re.compile(r"\\[AZ]|\(\?<?[=!]|\(\?[a-zA-Z]*[ms]")


def _join(patterns: list[tuple[str, int]], extra: int) -> re.Pattern[str] | tuple[re.Pattern[str], ...] | None:
    """One regex for all (their named groups made plain, or they could not share one); else each on its own."""
    if not patterns:
        return None
    try:
        if len({flags for _, flags in patterns}) == 1 and not any("(?P=" in p for p, _ in patterns):
            return re.compile("|".join(f"(?:{_GROUP.sub('(?:', p)})" for p, _ in patterns), patterns[0][1] | extra)
    except re.error:
        pass
    return tuple(re.compile(pattern, flags | extra) for pattern, flags in patterns)


def _rules(lines: Sequence[str], memo: dict[str, Any] | None) -> Rules | None:
    rules = Rules(lines, memo)
    return rules if rules else None


def _read_gitignore(folder: str, fd: int | None) -> list[str] | None:
    try:
        if fd is None:
            with open(os.path.join(folder, ".gitignore"), "rb") as handle:
                data = handle.read()
        else:
            handle_fd = os.open(".gitignore", os.O_RDONLY, dir_fd=fd)
            with open(handle_fd, "rb") as handle:
                data = handle.read()
    except OSError:
        return None
    return data.decode("utf-8", "replace").splitlines()


def _repo_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(
    paths: Sequence[Path],
    root: Path,
    *,
    project: Path,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    suffixes: Sequence[str] | None = None,
) -> Discovered:
    """Files under `paths`, relative to `root` for display; include/exclude are relative to `project`."""
    out = Discovered()
    folders = walk(paths, root, out.skipped, project=project, include=include, exclude=exclude, suffixes=suffixes)
    for folder in folders:
        out.files.extend(folder.files)
    return out


def walk(
    paths: Sequence[Path],
    root: Path,
    skipped: list[tuple[str, str]],
    *,
    project: Path,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    suffixes: Sequence[str] | None = None,
    memo: dict[str, Any] | None = None,
    stat: bool = False,
    known: Mapping[str, str] | None = None,
    idle: Callable[[], object] | None = None,
) -> Iterator[Folder]:
    """`discover`, one folder at a time; skipped paths go to `skipped`. `stat`: also the size and mtime of each file.

    `memo`: pathspec's regexes for the .gitignore and include/exclude lines seen before (see `Rules`). `known`: the
    folders of the last scan (path -> their files' names, joined by `SEPARATOR`): while this process lists the tree,
    a helper process stats most of those files (see `StatHelper`), then the folders are yielded; for a re-scan, where
    the stats are most of the work and nothing waits for the first folders. `idle` is called while the helper is
    still at work (if it was started), once this process has done its share: something to do meanwhile."""
    wanted = {suffix: suffix for suffix in (suffixes if suffixes is not None else SUFFIXES)}
    include_rules = _rules(include, memo)
    exclude_rules = _rules(exclude, memo)
    project_prefix = str(project).rstrip(os.sep) + os.sep

    def narrowed(path: str, is_dir: bool) -> bool:
        """Config include/exclude (relative to the project root)."""
        if not path.startswith(project_prefix):
            return False
        rel = path[len(project_prefix) :].replace(os.sep, "/")
        if exclude_rules is not None and exclude_rules.matches(rel + ("/" if is_dir else "")):
            return True
        return bool(not is_dir and include_rules is not None and not include_rules.matches(rel))

    helper = StatHelper.start(known, [str(given.absolute()) for given in paths]) if stat and known else None
    try:
        for given in paths:
            given = given.absolute()
            if not given.exists() and not given.is_symlink():
                skipped.append((relative(given, root), "no such file or folder"))
                continue
            if given.is_file():
                suffix = given.suffix.lower()
                if suffix in wanted:  # (stat'ed even for a cold scan's cache: `ScanCache.stamp` is for folders)
                    yield _named_file(given, root, suffix)
                continue
            narrowing = narrowed if include_rules or exclude_rules else None
            if helper is None:
                yield from _walk(given, root, wanted, skipped, narrowing, memo, stat)
            else:
                folders = list(_walk(given, root, wanted, skipped, narrowing, memo, False))
                helper.stat(folders, idle)
                yield from folders
    finally:
        if helper is not None:
            helper.close()


def _named_file(given: Path, root: Path, suffix: str) -> Folder:
    absolute = str(given)
    rel = relative(given, root)
    folder = Folder(None, absolute[: -len(given.name)], rel[: -len(given.name)], [given.name], [suffix])
    try:
        info = os.stat(absolute)
        folder.stats.extend((info.st_mtime_ns, info.st_size))
    except OSError:
        folder.stats.extend((0, 0))
        folder.failed.add(0)
    return folder


def _ancestor_specs(folder: Path, memo: dict[str, Any] | None) -> list[tuple[str, Rules]]:
    repo = _repo_root(folder)
    if repo is None:
        return []
    specs = []
    for ancestor in reversed([folder, *folder.parents]):
        if ancestor == folder:
            break
        if repo == ancestor or repo in ancestor.parents:
            lines = _read_gitignore(str(ancestor), None)
            rules = _rules(lines, memo) if lines is not None else None
            if rules is not None:
                specs.append((str(ancestor).rstrip(os.sep) + os.sep, rules))
    return specs


def _walk(
    top: Path,
    root: Path,
    wanted: dict[str, str],
    skipped: list[tuple[str, str]],
    narrowing: Callable[[str, bool], bool] | None,
    memo: dict[str, Any] | None,
    stat: bool,
) -> Iterator[Folder]:
    # Plain strings, not Path objects: this loop runs once per file of the tree.
    seen: set[tuple[int, int]] = set()
    root_prefix = str(root).rstrip(os.sep) + os.sep
    # (folder, the gitignore rules that apply in it: (base folder + separator, rules))
    stack: list[tuple[str, list[tuple[str, Rules]]]] = [(str(top), _ancestor_specs(top, memo))]

    def rel(path: str) -> str:
        text = path[len(root_prefix) :] if path.startswith(root_prefix) else path
        return text.replace(os.sep, "/")

    while stack:
        folder, specs = stack.pop()
        fd: int | None = None
        try:
            if _BY_FD and stat:  # (to stat the files relative to it; else a listing by path takes fewer system calls)
                fd = os.open(folder, _DIR_FLAGS)
                info = os.fstat(fd)
            else:
                info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                skipped.append((rel(folder), "symlink loop (folder already scanned)"))
                continue
            seen.add(key)
            with os.scandir(folder if fd is None else fd) as listing:
                entries = list(listing)
            entries.sort(key=_NAME)
            found = _folder(folder, fd, entries, specs, stack, wanted, narrowing, rel(folder.rstrip(os.sep) + os.sep),
                            memo, stat)  # fmt: skip
        except OSError as exc:
            skipped.append((rel(folder), f"unreadable folder: {exc.strerror or exc}"))
            continue
        finally:
            if fd is not None:
                os.close(fd)
        if found.names:
            yield found


def _folder(
    folder: str,
    fd: int | None,
    entries: list[os.DirEntry[str]],
    specs: list[tuple[str, Rules]],
    stack: list[tuple[str, list[tuple[str, Rules]]]],
    wanted: dict[str, str],
    narrowing: Callable[[str, bool], bool] | None,
    rel_prefix: str,
    memo: dict[str, Any] | None,
    stat: bool,
) -> Folder:
    """One listed folder (entries in name order): its wanted files (stat'ed through `fd` while it is open), its
    subfolders onto `stack`. `rel_prefix`: the folder as shown (relative to the root when inside it), with a slash."""
    prefix = folder.rstrip(os.sep) + os.sep
    folders: list[str] = []
    names: list[str] = []  # the wanted files: names, entries, suffixes
    kept: list[os.DirEntry[str]] = []
    suffixes: list[str] = []
    has_gitignore = False
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if is_dir:
            if name not in ALWAYS_SKIPPED:
                folders.append(name)
            continue
        dot = name.rfind(".")
        if dot > 0:
            suffix = wanted.get(name[dot:]) or wanted.get(name[dot:].lower())  # one shared string per suffix
            if suffix is not None:
                names.append(name)
                kept.append(entry)
                suffixes.append(suffix)
        elif name == ".gitignore":
            has_gitignore = True
    if has_gitignore:
        lines = _read_gitignore(folder, fd)
        own = _rules(lines, memo) if lines is not None else None
        if own is not None:
            specs = [*specs, (prefix, own)]
    for base, rules in specs:  # .gitignore'd: a quick test of all names at once; pathspec for the few it flags
        if not rules.may_ignore:
            continue
        here = prefix[len(base) :].replace(os.sep, "/")  # this folder, relative to the rules' own
        if folders and rules.flags(here, [name + "/" for name in folders]):
            folders = [name for name in folders if not rules.matches(f"{here}{name}/")]
        if names and rules.flags(here, names):
            keep = [not rules.matches(here + name) for name in names]
            names, kept, suffixes = _only(names, keep), _only(kept, keep), _only(suffixes, keep)
    for name in folders:
        path = prefix + name
        if narrowing is None or not narrowing(path, True):
            stack.append((path, specs))
    if narrowing is not None and names:
        keep = [not narrowing(prefix + name, False) for name in names]
        names, kept, suffixes = _only(names, keep), _only(kept, keep), _only(suffixes, keep)
    out = Folder(folder, prefix, rel_prefix, names, suffixes)
    if stat:
        append = out.stats.append
        for index, entry in enumerate(kept):
            try:
                info = entry.stat()
                append(info.st_mtime_ns)
                append(info.st_size)
            except OSError:
                append(0)
                append(0)
                out.failed.add(index)
    return out


class StatHelper:
    """A helper process that stats files while this one lists the tree: most of the files of the last scan's folders
    (`HELPER_SHARE` of them, as the last scan found them), forked before the walk (it has that list already). It
    sends back their stats as one block of C integers; a folder listed now with the same files takes them, any other
    is stat'ed here. A stat is a system call that costs several times the Python around it, and most of a warm
    re-scan (threads do not help: they pass the GIL to and fro between the calls). The two processes do a little
    more work in all (the fork, pages copied on write) in much less time, given a second core. None is started where
    there is no fork or one core, or this process runs other threads (a fork copies only the calling one), or for a
    small tree; should it fail, its folders are stat'ed here after all."""

    def __init__(self, pid: int, read_end: int, share: dict[str, tuple[str, int]], size: int) -> None:
        self.pid, self.read_end = pid, read_end
        self.share = share  # folder -> (its files' names joined by `SEPARATOR`, offset of its stats in the block)
        self.size = size  # of the block, in integers
        self.block: array[int] | None = None  # once received (empty: the helper failed)
        self.idled = False

    @classmethod
    def start(cls, known: Mapping[str, str], given: Sequence[str]) -> StatHelper | None:
        if not helper_possible():
            return None
        prefixes = tuple(folder.rstrip(os.sep) + os.sep for folder in given)
        candidates = [(path, names) for path, names in known.items() if (path + os.sep).startswith(prefixes)]
        total = sum(names.count(SEPARATOR) + 1 for _path, names in candidates if names)
        if total < HELPER_MIN_FILES:
            return None
        share: dict[str, tuple[str, int]] = {}
        offset = 0
        for path, names in candidates:
            if not names:
                continue
            share[path] = (names, offset)
            offset += 2 * (names.count(SEPARATOR) + 1)
            if offset >= 2 * HELPER_SHARE * total:
                break
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the helper: stat, send, and leave at once (no clean-up of the parent's things, no atexit)
            code = 1
            try:
                os.close(read_end)
                block = array("q")
                for path, (names, _offset) in share.items():
                    block.extend(_stats(path + os.sep, names.split(SEPARATOR)))
                data = memoryview(block.tobytes())
                while data:
                    data = data[os.write(write_end, data) :]
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return cls(pid, read_end, share, offset)

    def stat(self, folders: list[Folder], idle: Callable[[], object] | None) -> None:
        """Fill in the stats of `folders` (listed, not stat'ed): those the helper took from it, the others here."""
        theirs = []
        for folder in folders:
            mine = folder.path is None or self.share.get(folder.path, ("",))[0] != SEPARATOR.join(folder.names)
            if mine:
                _stat_folder(folder)
            else:
                theirs.append(folder)
        if idle is not None and not self.idled:
            self.idled = True
            idle()
        block = self.receive()
        for folder in theirs:
            assert folder.path is not None
            offset = self.share[folder.path][1]
            if block:
                _take_stats(folder, block[offset : offset + 2 * len(folder.names)])
            else:
                _stat_folder(folder)

    def receive(self) -> array[int]:
        if self.block is None:
            data = b""
            try:
                data = _read_all(self.read_end)
            finally:
                status = self.close()
            self.block = array("q")
            if status == 0 and len(data) == self.size * self.block.itemsize:
                self.block.frombytes(data)
        return self.block

    def close(self) -> int:
        """Wait for the helper (a helper still writing gets an error and leaves); its exit status."""
        if self.pid <= 0:
            return 1
        pid, self.pid = self.pid, 0
        os.close(self.read_end)
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:  # reaped already (SIGCHLD ignored): what it sent says whether it finished
            return 0


def helper_possible() -> bool:
    """A fork, no other thread in this process (a fork copies only the calling one), and a second core that is free
    now: else the helper would only take turns with this process, and the two would do more work in more time."""
    if not hasattr(os, "fork") or not _single_threaded():
        return False
    if len(os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)) < 2:
        return False
    return _core_free()


def _single_threaded() -> bool:
    threads = sys.modules.get("threading")
    return threads is None or threads.active_count() == 1


def _core_free() -> bool:
    """Linux: fewer tasks ready to run at this moment (this one included) than cores. Elsewhere: a load average of
    the last minute at least half a core short of them."""
    cores = os.cpu_count() or 1
    with contextlib.suppress(OSError, ValueError, IndexError):
        fd = os.open("/proc/loadavg", os.O_RDONLY)
        try:
            return ready_tasks(os.read(fd, 256)) < cores
        finally:
            os.close(fd)
    try:
        return os.getloadavg()[0] < cores - 0.5
    except (AttributeError, OSError):
        return True


def ready_tasks(loadavg: bytes) -> int:
    """The tasks ready to run now, from /proc/loadavg: "0.52 0.58 0.59 1/189 4321" is 1 ready of 189."""
    return int(loadavg.split()[3].split(b"/")[0])


HELPER_MIN_FILES = 4000  # below this, starting the helper process costs about what it saves
HELPER_SHARE = 0.9  # of the files: this process lists the tree meanwhile, and has `idle` to run


def _read_all(fd: int) -> bytes:
    parts: list[bytes] = []
    while True:
        part = os.read(fd, 1 << 20)
        if not part:
            return b"".join(parts)
        parts.append(part)


def _stats(prefix: str, names: list[str]) -> array[int]:
    """st_mtime_ns and st_size of each file of a folder (`prefix`: its path and a separator) in turn; a size of -1
    where the stat failed. Relative to the open folder where the platform allows (cheaper than full paths)."""
    out = array("q")
    append = out.append
    stat = os.stat
    fd = None
    if _BY_FD:
        with contextlib.suppress(OSError):
            fd = os.open(prefix, _DIR_FLAGS)
    try:
        for name in names:
            try:
                info = stat(prefix + name) if fd is None else stat(name, dir_fd=fd)
                append(info.st_mtime_ns)
                append(info.st_size)
            except OSError:
                append(0)
                append(-1)
    finally:
        if fd is not None:
            os.close(fd)
    return out


def _stat_folder(folder: Folder) -> None:
    _take_stats(folder, _stats(folder.prefix, folder.names))


def _take_stats(folder: Folder, stats: array[int]) -> None:
    if stats and min(stats[1::2]) < 0:  # a stat failed
        for index in range(1, len(stats), 2):
            if stats[index] < 0:
                stats[index - 1] = stats[index] = 0
                folder.failed.add(index // 2)
    folder.stats = stats


_NAME = operator.attrgetter("name")
_T = TypeVar("_T")


def _only(column: list[_T], keep: list[bool]) -> list[_T]:
    return [item for item, wanted in zip(column, keep, strict=True) if wanted]
