"""Per-file scan results in `.taxonomy-cache/` under the project root.

One record per folder: the names of its source files and their modification times and sizes (packed into one
string: an unchanged folder costs one comparison, and none of its files is read again); apart from it, the results
of the few files that hold something; and the last result of each scan (root and paths): when every folder is
unchanged, that result is the answer, and nothing else is decoded. The whole cache is invalidated when the tool
(version and code), the signatures or the scan settings change: they make the key, which names the file and is kept
inside it to compare. Sections are JSON (loading them runs no code, whatever they hold); the file is written
atomically once at the end of a scan; a corrupt or foreign one is ignored.
"""

from __future__ import annotations

import json
import os
import zlib
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from taxonomy.scan.discover import Folder, Stat
from taxonomy.scan.records import CallSite, Skipped, Suppressed, Value

if TYPE_CHECKING:
    from taxonomy.scan.scanner import FileOutcome

FOLDER = ".taxonomy-cache"
FORMAT = 3  # of the file; part of the key
_GITIGNORE_KEPT = 100  # pathspec translations kept beyond the ones this run used
_RESULTS_KEPT = 8  # scans (root and paths) whose last result is kept
_DECODE_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError)

Payload = dict[str, Any]  # a FileOutcome as plain data (`outcome_to`): what the file keeps and workers send back
File = tuple[str, str, str]  # absolute path, relative path, suffix


def cache_key(*parts: Any) -> str:
    return repr((FORMAT, *parts))


def _value_to(value: Value) -> Any:
    return [value.type, value.literal, value.expr, [[k, _value_to(v)] for k, v in value.keys],
            [_value_to(i) for i in value.items], value.ref]  # fmt: skip


def _value_from(raw: Any) -> Value:
    return Value(raw[0], raw[1], raw[2], tuple((k, _value_from(v)) for k, v in raw[3]),
                 tuple(_value_from(i) for i in raw[4]), raw[5])  # fmt: skip


def _site_to(site: CallSite) -> list[Any]:
    types = [list(p) for p in site.property_types]
    return [site.line, site.column, site.sdk, site.kind, site.op, site.name, site.expr, list(site.properties),
            site.via, types, site.value_type, site.value, site.properties_known, list(site.pending)]  # fmt: skip


def _site_from(raw: list[Any], file: str, language: str) -> CallSite:
    return CallSite(file, raw[0], raw[1], language, raw[2], raw[3], raw[4], raw[5], raw[6], tuple(raw[7]), raw[8],
                    tuple((k, t) for k, t in raw[9]), raw[10], raw[11], raw[12], tuple(raw[13]))  # fmt: skip


def outcome_to(outcome: FileOutcome) -> Payload:
    out: dict[str, Any] = {"l": outcome.language}
    if outcome.sites:
        out["s"] = [_site_to(s) for s in outcome.sites]
    if outcome.skipped:
        out["k"] = outcome.skipped
    if outcome.parsed:
        out["p"] = 1
    if outcome.constants:
        out["c"] = {k: _value_to(v) for k, v in outcome.constants.items()}
    if outcome.imports:
        out["i"] = outcome.imports
    if outcome.suppressions:
        out["u"] = [[s.line, s.column, list(s.codes), s.standalone] for s in outcome.suppressions]
    return out


def outcome_from(raw: Payload, file: str) -> FileOutcome:
    from taxonomy.scan.scanner import FileOutcome

    language = raw["l"]
    return FileOutcome(
        file=file,
        language=language,
        sites=[_site_from(s, file, language) for s in raw.get("s", [])],
        skipped=raw.get("k"),
        parsed=bool(raw.get("p")),
        constants={k: _value_from(v) for k, v in raw.get("c", {}).items()},
        imports=raw.get("i", {}),
        suppressions=[Suppressed(file, ln, col, tuple(codes), alone) for ln, col, codes, alone in raw.get("u", [])],
    )


class Remembered:
    """What a scan found in the files (the walk supplies the folders it skipped)."""

    def __init__(self, sites: list[CallSite], skipped: list[Skipped], suppressions: list[Suppressed], parsed: int,
                 files: int, languages: list[str]) -> None:  # fmt: skip
        self.sites, self.skipped, self.suppressions, self.parsed = sites, skipped, suppressions, parsed
        self.files, self.languages = files, languages

    def to_raw(self) -> list[Any]:
        sites = [[s.file, s.line, s.column, s.language, s.sdk, s.kind, s.op, s.name, s.expr, s.properties, s.via,
                  s.property_types, s.value_type, s.value, s.properties_known, s.pending]
                 for s in self.sites]  # fmt: skip
        skipped = [[s.file, s.reason] for s in self.skipped]
        suppressions = [[s.file, s.line, s.column, s.codes, s.standalone] for s in self.suppressions]
        return [sites, skipped, suppressions, self.parsed, self.files, self.languages]

    @staticmethod
    def from_raw(raw: list[Any]) -> Remembered:
        sites = []
        for row in raw[0]:
            if type(row[0]) is not str or type(row[1]) is not int or type(row[2]) is not int or type(row[6]) is not str:
                raise TypeError("call site")  # what sorting and printing rely on (the rest is printed as it is)
            if row[9] or row[11] or row[15]:  # most sites have no properties
                row[9], row[11], row[15] = tuple(row[9]), tuple(map(tuple, row[11])), tuple(row[15])
            else:
                row[9] = row[11] = row[15] = ()
            sites.append(CallSite(*row))
        skipped = [Skipped(file, reason) for file, reason in raw[1]]
        suppressions = [Suppressed(file, line, col, tuple(codes), alone) for file, line, col, codes, alone in raw[2]]
        if not (type(raw[3]) is int and type(raw[4]) is int and all(type(name) is str for name in raw[5])):
            raise TypeError("counts")
        return Remembered(sites, skipped, suppressions, raw[3], raw[4], raw[5])


def _pack(stats: array[int] | list[int]) -> str:
    return (stats if isinstance(stats, array) else array("q", stats)).tobytes().hex()


def _unpack(names: str, packed: str) -> dict[str, Stat]:
    try:
        flat = array("q", bytes.fromhex(packed))
    except ValueError:
        return {}
    listed = names.split("\0") if names else []
    if len(flat) != 2 * len(listed):
        return {}
    return {name: (flat[2 * i], flat[2 * i + 1]) for i, name in enumerate(listed)}


def _is_record(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], str)


class ScanCache:
    """Loaded once; `check` each folder of the walk, then either `recall` the last result or decode the cached
    `outcomes`; `put` what the scan found, `remember` the result, `save` once (atomically) at the end.

    The file: a JSON header line {key, sizes}, then three JSON sections of those sizes: the index (folder ->
    [file names joined by NUL, their (mtime, size) packed]; a file named on the command line -> [mtime, size];
    pathspec's regexes of .gitignore lines), the payloads (folder -> {name: payload} of the files that hold
    something; named file -> payload), the results (scan -> [folders seen, result]). Only the index is parsed up
    front.
    """

    def __init__(self, project: Path, key: str, scan: str) -> None:
        self.key = key
        self.scan = scan  # the root and the paths of this scan: whose result `recall` may answer with
        self.path = project / FOLDER / f"scan-{zlib.crc32(key.encode()):08x}.json"
        self.folders: dict[str, list[Any]] = {}
        self.named: dict[str, list[Any]] = {}
        self.old_gitignore: dict[str, Any] = {}
        self.gitignore: dict[str, Any] = {}  # pathspec's regexes for the gitignore lines used in this run
        self._handle: BinaryIO | None = None
        self._sections: list[tuple[int, int]] = []  # offset and size of the payloads and of the results
        self._payloads: dict[str, Any] | None = None  # parsed on first need
        self._results: dict[str, Any] | None = None
        self.fresh: dict[str, list[Any]] = {}  # folders and named files seen in this run -> their record now
        self.fresh_named: dict[str, list[Any]] = {}
        self.fresh_payloads: dict[str, dict[str, Any]] = {}  # folder -> {name: payload} as of now
        self.fresh_named_payloads: dict[str, Any] = {}
        # unchanged files with outcomes still to decode, per folder: the kept payloads, or None for last run's
        self.deferred: list[tuple[Folder, dict[str, Any] | None]] = []
        self.seen: list[str] = []  # the folders (and named files) of this run, in walk order
        self.unchanged = True  # every folder and named file seen so far is exactly as last time
        self.dirty = False  # the index or the payloads changed: the file must be written
        self.new_result: list[Any] | None = None
        self._load()

    def _load(self) -> None:
        """The header and the index now; the other sections when asked for (a warm scan may never need them)."""
        try:
            handle = self.path.open("rb")
        except OSError:
            return
        try:
            header = json.loads(handle.readline(4096))
            sizes = header["sizes"] if isinstance(header, dict) and header.get("key") == self.key else None
            if not (isinstance(sizes, list) and len(sizes) == 3 and all(type(n) is int and n >= 0 for n in sizes)):
                raise ValueError("header")
            start = handle.tell()
            if start + sum(sizes) != os.fstat(handle.fileno()).st_size:
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
        self._sections = [(start + sizes[0], sizes[1]), (start + sizes[0] + sizes[1], sizes[2])]

    def _section(self, which: int) -> bytes:
        """The payloads (0) or the results (1) as last written; empty when unreadable."""
        if self._handle is None:
            return b"{}"
        offset, size = self._sections[which]
        try:
            self._handle.seek(offset)
            data = self._handle.read(size)
        except (OSError, ValueError):
            return b""
        return data if len(data) == size else b""

    def payloads(self) -> dict[str, Any]:
        """{"folders": {folder: {name: payload}}, "named": {path: payload}} of the last run (parsed once)."""
        if self._payloads is None:
            try:
                loaded = json.loads(self._section(0))
            except ValueError:
                loaded = None
            ok = isinstance(loaded, dict) and all(isinstance(loaded.get(k), dict) for k in ("folders", "named"))
            self._payloads = loaded if ok else {"folders": {}, "named": {}, "lost": True}
        return self._payloads

    def check(self, folder: Folder) -> list[int]:
        """The indexes of the files of `folder` to scan; the others are unchanged since the last run (their
        outcomes come from `outcomes`). Remembers the folder as it is now."""
        if folder.path is None:
            return self._check_named(folder)
        path = folder.path
        self.seen.append(path)
        old: Any = self.folders.get(path)
        names, stats = folder.names, folder.stats
        joined = "\0".join(names)
        if not folder.failed and _is_record(old) and old[0] == joined and old[1] == _pack(stats):
            self.fresh[path] = old
            self.deferred.append((folder, None))
            return []
        self.unchanged = False
        self.dirty = True
        if old is None and not folder.failed:  # a new folder (a cold scan: all of them)
            self.fresh[path] = [joined, _pack(stats)]
            self.fresh_payloads[path] = {}
            return list(range(len(names)))
        known = _unpack(old[0], old[1]) if _is_record(old) else {}
        payloads = self.payloads()["folders"].get(path) if known else None
        if known and "lost" in self.payloads():
            known = {}  # the outcomes are unreadable: scan the whole folder again
        if not isinstance(payloads, dict):
            payloads = {}
        kept_names: list[str] = []
        kept_stats: list[int] = []
        kept: dict[str, Any] = {}
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
            elif name in payloads:
                kept[name] = payloads[name]
        self.fresh[path] = ["\0".join(kept_names), _pack(kept_stats)]
        self.fresh_payloads[path] = kept
        if kept:
            self.deferred.append((folder, kept))
        return misses

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
                self.fresh_named_payloads[absolute] = None  # until `put` says otherwise
        return misses

    def recall(self) -> Remembered | None:
        """The last result of this scan, when every folder it saw is unchanged and there is no other one now."""
        if not self.unchanged:
            return None
        try:
            if self._results is None:
                self._results = json.loads(self._section(1))
            entry = self._results.get(self.scan) if isinstance(self._results, dict) else None
            if isinstance(entry, list) and len(entry) == 2 and entry[0] == "\0".join(self.seen):
                return Remembered.from_raw(entry[1])
        except (*_DECODE_ERRORS, RecursionError):
            pass
        return None

    def outcomes(self) -> tuple[dict[str, FileOutcome], list[File]]:
        """The cached outcomes of the unchanged files (absolute path -> outcome, in walk order), and the files
        whose cached outcome is lost or does not decode (to scan again)."""
        payloads = self.payloads()
        out: dict[str, FileOutcome] = {}
        again: list[File] = []
        for folder, kept in self.deferred:
            if folder.path is None:  # a named file (each alone in its Folder)
                absolute = folder.files[0][0]
                raw = payloads["named"].get(absolute)
                if "lost" in payloads:
                    again.append(folder.files[0])
                elif raw is not None:
                    self.fresh_named_payloads[absolute] = raw
                    self._decode(out, again, folder.files[0], raw, None)
                continue
            if kept is None:  # an unchanged folder: its payloads are last run's
                if "lost" in payloads:
                    again.extend(folder.files)
                    continue
                kept = payloads["folders"].get(folder.path) or {}
                kept = kept if isinstance(kept, dict) else {}
                self.fresh_payloads[folder.path] = kept
            where = {name: index for index, name in enumerate(folder.names)}
            for name, raw in list(kept.items()):
                index = where.get(name)
                if index is not None:
                    self._decode(out, again, folder.files[index], raw, kept)
        self.deferred = []
        if again:
            self.dirty = True
        return out, again

    def _decode(self, out: dict[str, FileOutcome], again: list[File], file: File, raw: Any, kept: Any) -> None:
        try:
            out[file[0]] = outcome_from(raw, file[1])
        except (*_DECODE_ERRORS, RecursionError):
            again.append(file)
            if kept is not None:
                del kept[os.path.basename(file[0])]

    def put(self, path: str, payload: Payload | None) -> None:
        """The outcome of a file checked in this run (`None`: it holds nothing worth keeping)."""
        if path in self.fresh_named:
            if self.fresh_named_payloads.get(path) != payload:
                self.fresh_named_payloads[path] = payload
                self.dirty = True
            return
        folder, name = os.path.split(path)
        record = self.fresh.get(folder)
        if record is None:
            return
        kept = self.fresh_payloads.setdefault(folder, {})
        if payload is None:
            if name in kept:
                del kept[name]
                self.dirty = True
        elif f"\0{name}\0" in f"\0{record[0]}\0":
            kept[name] = payload
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
        payload_text = self._dump_payloads(folders, named) if self.dirty else self._section(0)
        results_text = self._dump_results()
        if self._handle is not None:  # done reading the old file (Windows cannot replace a file open for reading)
            self._handle.close()
            self._handle = None
        header = _dump({"key": self.key, "sizes": [len(index), len(payload_text), len(results_text)]})
        self._write(header + b"\n" + index + payload_text + results_text)

    def _dump_payloads(self, folders: dict[str, Any], named: dict[str, Any]) -> bytes:
        old = self.payloads()
        by_folder = {path: self.fresh_payloads.get(path, old["folders"].get(path)) for path in folders}
        by_named = {path: self.fresh_named_payloads.get(path, old["named"].get(path)) for path in named}
        return _dump({"folders": {k: v for k, v in by_folder.items() if v},
                      "named": {k: v for k, v in by_named.items() if v is not None}})  # fmt: skip

    def _dump_results(self) -> bytes:
        if self.new_result is None and not self.dirty:
            return self._section(1)
        try:
            results = json.loads(self._section(1)) if self._results is None else self._results
        except ValueError:
            results = {}
        results = results if isinstance(results, dict) and not self.dirty else {}  # the files changed: all stale
        results.pop(self.scan, None)
        if self.new_result is not None:
            results[self.scan] = self.new_result
        return _dump(dict(list(results.items())[-_RESULTS_KEPT:]))

    def _write(self, data: bytes) -> None:
        from taxonomy.atomic import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore_file = self.path.parent / ".gitignore"
            if not ignore_file.exists():
                write_atomic(ignore_file, "# created by taxonomy: the scan cache, safe to delete\n*\n")
            for old in self.path.parent.glob("scan-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)  # results of another version or settings: never read again
            write_atomic(self.path, data)
        except OSError:
            pass  # a read-only checkout still scans; it just cannot remember

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
