"""Per-file scan results in `.taxonomy-cache/` under the project root.

One record per folder: the names of its source files and their modification times and sizes (packed into one
string: an unchanged folder costs one comparison, and none of its files is read again); apart from it, the outcomes
of the few files that hold something; and the last result of each scan (root and paths): when every folder is
unchanged, that result is the answer, and nothing else is read. The whole cache is invalidated when the tool
(version and code), the signatures or the scan settings change: they make the key, which names the file and is kept
inside it to compare. It is JSON (loading it runs no code, whatever it holds), written once at the end of a scan
(to a new file that then replaces the old one); a corrupt or foreign one is ignored.

The file: a header line {key, sizes}; the index (JSON, sizes[0] bytes): folder -> [file names joined by "/" (which
no name holds), their (mtime, size) packed (base64 of C integers)], a file named on the command line -> [mtime,
size], pathspec's regexes of .gitignore lines; the results (JSON, sizes[1] bytes): scan -> [the folders it saw, what
it found]; then the outcomes, one line per folder, `"folder"<TAB>{"name": outcome, ...}` (`"\u0000path"<TAB>outcome`
for a named file), and an empty line.
Only the header and the index are read up front; an outcome line is parsed when its folder needs it.
"""

from __future__ import annotations

import binascii
import contextlib
import json
import os
import stat
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from taxonomy.scan.discover import SEPARATOR, Folder, Stat
from taxonomy.scan.results import CallSite, Skipped, Suppressed

if TYPE_CHECKING:
    from taxonomy.scan.scanner import FileOutcome

FOLDER = ".taxonomy-cache"
FORMAT = 5  # of the file; part of the key
_GITIGNORE_KEPT = 100  # pathspec translations kept beyond the ones this run used
_RESULTS_KEPT = 8  # scans (root and paths) whose last result is kept
_DECODE_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError)

File = tuple[str, str, str]  # absolute path, relative path, suffix
Outcome = Any  # an outcome as kept: its JSON text (see payload.py), or what json made of it


def cache_key(*parts: Any) -> str:
    return repr((FORMAT, *parts))


def _digest(key: str) -> str:
    data = key.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{len(data)}"


class Remembered:
    """What a scan found in the files (the walk supplies the folders it skipped)."""

    def __init__(self, sites: list[CallSite], skipped: list[Skipped], suppressions: list[Suppressed], parsed: int,
                 files: int, languages: list[str]) -> None:  # fmt: skip
        self.sites, self.skipped, self.suppressions, self.parsed = sites, skipped, suppressions, parsed
        self.files, self.languages = files, languages

    def to_raw(self) -> list[Any]:
        sites: list[list[Any]] = []
        for s in self.sites:  # the fields after `expr` only when one of them is not its default (most sites: none)
            row = [s.file, s.line, s.column, s.language, s.sdk, s.kind, s.op, s.name, s.expr]
            if (s.properties or s.via is not None or s.property_types or s.value_type is not None or s.value is not None
                    or s.properties_known is not True or s.pending):  # fmt: skip
                row += [s.properties, s.via, s.property_types, s.value_type, s.value, s.properties_known, s.pending]
            sites.append(row)
        skipped = [[s.file, s.reason] for s in self.skipped]
        suppressions = [[s.file, s.line, s.column, s.codes, s.standalone] for s in self.suppressions]
        return [sites, skipped, suppressions, self.parsed, self.files, self.languages]

    @staticmethod
    def from_raw(raw: list[Any]) -> Remembered:
        sites = []
        for row in raw[0]:
            if type(row[0]) is not str or type(row[1]) is not int or type(row[2]) is not int or type(row[6]) is not str:
                raise TypeError("call site")  # what sorting and printing rely on (the rest is printed as it is)
            if len(row) != 9:  # all the fields (else the rest are the defaults)
                row[9], row[11], row[15] = tuple(row[9]), tuple(map(tuple, row[11])), tuple(row[15])
            sites.append(CallSite(*row))
        skipped = [Skipped(file, reason) for file, reason in raw[1]]
        suppressions = [Suppressed(file, line, col, tuple(codes), alone) for file, line, col, codes, alone in raw[2]]
        if not (type(raw[3]) is int and type(raw[4]) is int and all(type(name) is str for name in raw[5])):
            raise TypeError("counts")
        return Remembered(sites, skipped, suppressions, raw[3], raw[4], raw[5])


def _pack(stats: array[int] | list[int]) -> str:
    return binascii.b2a_base64(
        (stats if isinstance(stats, array) else array("q", stats)).tobytes(), newline=False
    ).decode()


def _unpack(names: str, packed: str) -> dict[str, Stat]:
    try:
        flat = array("q", binascii.a2b_base64(packed))
    except (ValueError, binascii.Error):
        return {}
    listed = names.split(SEPARATOR) if names else []
    if len(flat) != 2 * len(listed):
        return {}
    return {name: (flat[2 * i], flat[2 * i + 1]) for i, name in enumerate(listed)}


def _is_record(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], str)


class ScanCache:
    """Loaded once; `check` each folder of the walk, then either `recall` the last result or decode the cached
    `outcomes`; `put` what the scan found, `remember` the result, `save` once at the end."""

    def __init__(self, project: Path, key: str, scan: str) -> None:
        self.key = _digest(key)
        self.scan = scan  # the root and the paths of this scan: whose result `recall` may answer with
        self.path = project / FOLDER / f"scan-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}.json"
        self.folders: dict[str, list[Any]] = {}
        self.named: dict[str, list[Any]] = {}
        self.old_gitignore: dict[str, Any] = {}
        self.gitignore: dict[str, Any] = {}  # pathspec's regexes for the gitignore lines used in this run
        self._handle: BinaryIO | None = None
        self._results_at = (0, 0)  # offset and size of the results in the file
        self._outcomes_at = 0  # offset of the outcome lines
        self._lines: dict[str, str] | None = None  # folder (or NUL + named file) -> its outcomes' JSON text
        self._results: dict[str, Any] | None = None
        self._prefetched = False  # the last result of this scan is decoded (into `_recalled`, when it could be)
        self._recalled: tuple[str, Remembered] | None = None  # the folders it saw, what it found
        self.lost = False  # the outcome lines are unreadable: every file must be scanned again
        self.fresh: dict[str, list[Any]] = {}  # folders and named files seen in this run -> their record now
        self.fresh_named: dict[str, list[Any]] = {}
        self.changed: dict[str, dict[str, Outcome]] = {}  # folder -> {name: outcome}, when not last run's line
        self.changed_named: dict[str, Outcome | None] = {}
        # unchanged files with outcomes still to decode, per folder: the outcomes kept, or None for last run's line
        self.deferred: list[tuple[Folder, dict[str, Outcome] | None]] = []
        self.seen: list[str] = []  # the folders (and named files) of this run, in walk order
        self.unstamped: list[Folder] = []  # folders seen without their files' stats (see `stamp`)
        self.unchanged = True  # every folder and named file seen so far is exactly as last time
        self.dirty = False  # the index or the outcomes changed: the file must be written
        self.new_result: list[Any] | None = None
        self._load()

    def _load(self) -> None:
        """The header and the index now; the rest when asked for (a warm scan may never need it)."""
        try:
            handle = self.path.open("rb")
        except OSError:
            return
        try:
            header = json.loads(handle.readline(4096))
            sizes = header["sizes"] if isinstance(header, dict) and header.get("key") == self.key else None
            if not (isinstance(sizes, list) and len(sizes) == 2 and all(type(n) is int and n >= 0 for n in sizes)):
                raise ValueError("header")
            start = handle.tell()
            if start + sizes[0] + sizes[1] >= os.fstat(handle.fileno()).st_size:
                raise ValueError("size")
            index = json.loads(handle.read(sizes[0]))
            folders, named, gitignore = index["folders"], index["named"], index["gitignore"]
            if not (isinstance(folders, dict) and isinstance(named, dict) and isinstance(gitignore, dict)):
                raise ValueError("index")
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            handle.close()
            return
        self.folders, self.named, self.old_gitignore = folders, named, gitignore
        self.gitignore = _Memo(gitignore)
        self._handle = handle  # the file as it was: a scan that writes a new one meanwhile replaces, not changes it
        self._results_at = (start + sizes[0], sizes[1])
        self._outcomes_at = start + sizes[0] + sizes[1]

    def known(self) -> dict[str, str]:
        """The folders of the last scans and their source files' names, joined by `SEPARATOR` (see `discover.walk`)."""
        return {path: record[0] for path, record in self.folders.items() if _is_record(record)}

    def _read(self, offset: int, size: int = -1) -> bytes:
        if self._handle is None:
            return b""
        try:
            self._handle.seek(offset)
            return self._handle.read(size)
        except (OSError, ValueError):
            return b""

    def lines(self) -> dict[str, str]:
        """Last run's outcome lines, by folder (read once; their JSON is parsed only when used)."""
        if self._lines is None:
            self._lines = {}
            if self._handle is not None:
                text = self._read(self._outcomes_at).decode("utf-8", "replace")
                if not text.endswith("\n\n") and text != "\n":  # cut short: none of it can be trusted
                    self.lost = True
                    return self._lines
                for line in text[:-2].split("\n") if text != "\n" else ():
                    key, tab, value = line.partition("\t")
                    try:
                        path = json.loads(key)
                    except ValueError:
                        path = None
                    if not tab or not isinstance(path, str):
                        self.lost, self._lines = True, {}
                        return self._lines
                    self._lines[path] = value
        return self._lines

    def _folder_outcomes(self, path: str) -> dict[str, Outcome] | None:
        """Last run's outcomes of a folder's files ({} when it had none); None when they cannot be read."""
        text = self.lines().get(path)
        if self.lost:
            return None
        if text is None:
            return {}
        try:
            found = json.loads(text)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def check(self, folder: Folder) -> list[int]:
        """The indexes of the files of `folder` to scan; the others are unchanged since the last run (their
        outcomes come from `outcomes`). Remembers the folder as it is now."""
        if folder.path is None:
            return self._check_named(folder)
        path = folder.path
        self.seen.append(path)
        old: Any = self.folders.get(path)
        names, stats = folder.names, folder.stats
        joined = SEPARATOR.join(names)
        if len(stats) != 2 * len(names):  # not stat'ed: a cold scan, whose files are stamped as they are read
            self.unchanged = False
            self.dirty = True
            self.unstamped.append(folder)
            self.fresh[path] = [joined, ""]  # (until `stamp`)
            self.changed[path] = {}
            return list(range(len(names)))
        if not folder.failed and _is_record(old) and old[0] == joined and old[1] == _pack(stats):
            self.fresh[path] = old
            self.deferred.append((folder, None))
            return []
        self.unchanged = False
        self.dirty = True
        if old is None and not folder.failed:  # a new folder (a cold scan: all of them)
            self.fresh[path] = [joined, _pack(stats)]
            self.changed[path] = {}
            return list(range(len(names)))
        known = _unpack(old[0], old[1]) if _is_record(old) else {}
        outcomes = self._folder_outcomes(path) if known else {}
        if outcomes is None:
            known, outcomes = {}, {}  # unreadable: scan the whole folder again
        kept_names: list[str] = []
        kept_stats: list[int] = []
        kept: dict[str, Outcome] = {}
        misses = []
        for index, name in enumerate(names):
            stat = folder.stat(index)
            if stat is None:
                misses.append(index)  # not remembered: scanned again next time
                continue
            kept_names.append(name)
            kept_stats += stat
            if known.get(name) != stat:
                misses.append(index)
            elif name in outcomes:
                kept[name] = outcomes[name]
        self.fresh[path] = [SEPARATOR.join(kept_names), _pack(kept_stats)]
        self.changed[path] = kept
        if kept:
            self.deferred.append((folder, kept))
        return misses

    def stamp(self, files: list[File], stamps: array[int]) -> None:
        """The stats of the folders `check` saw without them, from the scan of all their files, in the same order
        (see runner.Runner.stamps). A file the scan could not open is not remembered (it is scanned again next
        time), nor is a folder whose files the scan did not see in that order (which would be a bug)."""
        at = 0
        for folder in self.unstamped:
            assert folder.path is not None
            mine = folder.files
            while at < len(files) and files[at] is not mine[0]:
                at += 1  # (a file named on the command line: the walk stat'ed it)
            count = len(mine)
            if files[at : at + count] != mine:
                del self.fresh[folder.path]
                continue
            block = stamps[2 * at : 2 * (at + count)]
            at += count
            if -1 not in block[1::2]:  # (no size is negative but that of a file never opened)
                self.fresh[folder.path][1] = _pack(block)
                continue
            opened = [index for index in range(count) if block[2 * index + 1] >= 0]
            self.fresh[folder.path] = [
                SEPARATOR.join(folder.names[index] for index in opened),
                _pack([value for index in opened for value in block[2 * index : 2 * index + 2]]),
            ]
        self.unstamped = []

    def _check_named(self, folder: Folder) -> list[int]:
        misses: list[int] = []
        for index, (absolute, _rel, _suffix) in enumerate(folder.files):
            self.seen.append(absolute)
            old = self.named.get(absolute)
            stat = folder.stat(index)
            if stat is not None and isinstance(old, list) and len(old) == 2 and (old[0], old[1]) == stat:
                self.fresh_named[absolute] = old
                self.deferred.append((folder, None))
                continue
            self.unchanged = False
            self.dirty = True
            misses.append(index)
            if stat is not None:
                self.fresh_named[absolute] = [stat[0], stat[1]]
                self.changed_named[absolute] = None  # until `put` says otherwise
        return misses

    def recall(self) -> Remembered | None:
        """The last result of this scan, when every folder it saw is unchanged and there is no other one now."""
        if not self.unchanged:
            return None
        self.prefetch()
        if self._recalled is not None and self._recalled[0] == "\0".join(self.seen):
            return self._recalled[1]
        return None

    def prefetch(self) -> None:
        """Decode the last result of this scan ahead of `recall` (the walk calls this while its helper process
        works), unless a folder has changed already. `recall` decides whether it holds."""
        if not self.unchanged or self._prefetched:
            return
        self._prefetched = True
        try:
            if self._results is None:
                self._results = json.loads(self._read(*self._results_at))
            entry = self._results.get(self.scan) if isinstance(self._results, dict) else None
            if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str):
                self._recalled = (entry[0], Remembered.from_raw(entry[1]))
        except _DECODE_ERRORS:
            pass

    def outcomes(self) -> tuple[dict[str, FileOutcome], list[File]]:
        """The cached outcomes of the unchanged files (absolute path -> outcome, in walk order), and the files
        whose cached outcome is lost or does not decode (to scan again)."""
        from taxonomy.scan.payload import decode

        out: dict[str, FileOutcome] = {}
        again: list[File] = []
        for folder, kept in self.deferred:
            if folder.path is None:  # a named file (each alone in its Folder)
                file = folder.files[0]
                text = self.lines().get("\0" + file[0])
                if self.lost:
                    again.append(file)
                    continue
                if text is not None:
                    try:
                        out[file[0]] = decode(text, file[1])
                    except _DECODE_ERRORS:
                        again.append(file)
                        self.changed_named[file[0]] = None
                continue
            if kept is None:  # an unchanged folder: its outcomes are last run's line
                kept = self._folder_outcomes(folder.path)
                if kept is None:
                    again.extend(folder.files)
                    self.changed[folder.path] = {}
                    continue
            where = {name: index for index, name in enumerate(folder.names)}
            for name, raw in list(kept.items()):
                index = where.get(name)
                if index is None:
                    continue
                try:
                    out[folder.files[index][0]] = decode(raw, folder.files[index][1])
                except _DECODE_ERRORS:
                    again.append(folder.files[index])
                    self.changed.setdefault(folder.path, kept).pop(name, None)
        self.deferred = []
        if again:
            self.dirty = True
        return out, again

    def put(self, path: str, outcome: str) -> None:
        """The outcome (JSON text, see payload.py) of a file checked in this run, that holds something."""
        if path in self.fresh_named:
            if self.changed_named.get(path) != outcome:
                self.changed_named[path] = outcome
                self.dirty = True
            return
        folder, name = os.path.split(path)
        record = self.fresh.get(folder)
        if record is None or f"{SEPARATOR}{name}{SEPARATOR}" not in f"{SEPARATOR}{record[0]}{SEPARATOR}":
            return
        kept = self.changed.get(folder)
        if kept is None:  # an unchanged folder: last run's outcomes, then this one
            kept = self.changed[folder] = self._folder_outcomes(folder) or {}
        kept[name] = outcome
        self.dirty = True

    def remember(self, result: Remembered) -> None:
        self.new_result = ["\0".join(self.seen), result.to_raw()]

    def save(self, under: tuple[str, ...]) -> None:
        """Write the cache if anything changed. Folders under `under` (the folders scanned) that this run did not
        see are gone or ignored now: forgotten. Other folders' records stay for their next scan."""
        try:
            self._save(under)
        finally:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def _save(self, under: tuple[str, ...]) -> None:
        prefixes = tuple(folder.rstrip("/\\") + os.sep for folder in under)
        folders = self._merge(self.folders, self.fresh, prefixes, folder_like=True)
        named = self._merge(self.named, self.fresh_named, prefixes, folder_like=False)
        if any(key not in self.old_gitignore for key in self.gitignore):
            self.dirty = True
        if not self.dirty and self.new_result is None:
            return
        gitignore = dict(self.gitignore)
        for key, value in self.old_gitignore.items():
            if len(gitignore) >= _GITIGNORE_KEPT:
                break
            gitignore.setdefault(key, value)
        index = _dump({"folders": folders, "named": named, "gitignore": gitignore})
        results = self._dump_results()
        header = _dump({"key": self.key, "sizes": [len(index), len(results)]})
        if self.dirty or self.lost:
            self._write([header, b"\n", index, results], self._outcome_lines(folders, named))
        else:  # only the results changed: the outcome lines as they were (none when there was no cache file)
            lines = self._read(self._outcomes_at) if self._handle is not None else b"\n"
            self._write([header, b"\n", index, results, lines], iter(()))

    def _outcome_lines(self, folders: dict[str, Any], named: dict[str, Any]) -> Iterator[bytes]:
        lines = self.lines()
        for path in folders:
            kept = self.changed.get(path)
            if kept is None:
                text = lines.get(path)
            elif kept:
                text = "{" + ",".join(f"{_string(name)}:{_text(raw)}" for name, raw in kept.items()) + "}"
            else:
                text = None
            if text is not None:
                yield f"{_string(path)}\t{text}\n".encode()
        for path in named:
            raw = self.changed_named.get(path, lines.get("\0" + path))
            if raw is not None:
                yield f"{_string(chr(0) + path)}\t{_text(raw)}\n".encode()
        yield b"\n"

    def _dump_results(self) -> bytes:
        if self.new_result is None and not self.dirty:
            return self._read(*self._results_at)
        try:
            results = json.loads(self._read(*self._results_at)) if self._results is None else self._results
        except ValueError:
            results = {}
        results = results if isinstance(results, dict) and not self.dirty else {}  # the files changed: all stale
        results.pop(self.scan, None)
        if self.new_result is not None:
            results[self.scan] = self.new_result
        return _dump(dict(list(results.items())[-_RESULTS_KEPT:]))

    def _write(self, parts: list[bytes], more: Iterator[bytes]) -> None:
        """Like `atomic.write_atomic` (a new file beside the old one, renamed over it: a reader finds the old cache or
        the new one), but written piece by piece (no copy of the whole in memory) and not forced to disk: after a
        crash, a cache cut short fails its sizes check and is ignored (the files are scanned again)."""
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore_file = folder / ".gitignore"
            if not ignore_file.exists():
                ignore_file.write_text("# created by taxonomy: the scan cache, safe to delete\n*\n", "utf-8")
            for old in folder.glob("scan-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)  # results of another version or settings: never read again
            with open(temporary, "wb") as out:
                for part in parts:
                    out.write(part)
                for part in more:
                    out.write(part)
            if self._handle is not None:  # done reading the old file (Windows cannot replace a file open for reading)
                self._handle.close()
                self._handle = None
            with contextlib.suppress(OSError):
                os.chmod(temporary, stat.S_IMODE(self.path.stat().st_mode))  # keep the old file's permissions
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)  # a read-only checkout still scans; it just cannot remember

    def _merge(
        self, old: dict[str, list[Any]], fresh: dict[str, list[Any]], prefixes: tuple[str, ...], *, folder_like: bool
    ) -> dict[str, list[Any]]:
        merged: dict[str, list[Any]] = {}
        for path, record in old.items():
            if path in fresh:
                continue
            if (path + os.sep if folder_like else path).startswith(prefixes):
                self.dirty = True  # vanished (or ignored now) in a folder scanned now
                continue
            merged[path] = record
        merged.update(fresh)
        return merged


_string = json.encoder.encode_basestring_ascii  # a str as JSON (ASCII: the file is written as bytes)


def _text(raw: Outcome) -> str:
    return raw if isinstance(raw, str) else json.dumps(raw, separators=(",", ":"))


def _dump(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


class _Memo(dict[str, Any]):
    """The pathspec translations: looks up in last run's, keeps what this run uses (see `discover.Rules`)."""

    def __init__(self, old: dict[str, Any]) -> None:
        super().__init__()
        self.old = old

    def get(self, key: str, default: Any = None) -> Any:
        found = super().get(key)
        return found if found is not None else self.old.get(key, default)
