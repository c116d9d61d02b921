"""Per-file scan results in `.taxonomy-cache/` under the project root.

One record per folder: the names of its source files, their modification times and sizes (packed into one string,
so an unchanged folder costs one comparison and none of its files is read again), and the results of the few files
that hold something. The whole cache is invalidated when the tool (version and code), the signatures or the scan
settings change: they make the key, which names the file and is kept inside it to compare. The file is JSON (loading
it runs no code, whatever it holds), written atomically once at the end; a corrupt or foreign one is ignored.
"""

from __future__ import annotations

import json
import os
import zlib
from array import array
from itertools import chain
from pathlib import Path
from typing import Any

from taxonomy.scan.discover import Folder, Stat
from taxonomy.scan.records import CallSite, Suppressed, Value
from taxonomy.scan.scanner import FileOutcome

FOLDER = ".taxonomy-cache"
FORMAT = 2  # of the file; part of the key
_GITIGNORE_KEPT = 100  # pathspec translations kept beyond the ones this run used

Payload = dict[str, Any]  # a FileOutcome as plain data (`outcome_to`): what the file keeps and workers send back


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


def _pack(stats: list[Stat]) -> str:
    return array("q", chain.from_iterable(stats)).tobytes().hex()


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
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], str)
            and isinstance(value[2], dict))  # fmt: skip


Hits = list[tuple[int, FileOutcome]]


class ScanCache:
    """Loaded once; `check` each folder of the walk, `put` what the scan found, `save` once (atomically) at the end.

    folders: folder -> [file names joined by NUL, their (mtime, size) packed, {name: payload} of non-empty files]
    named: a file named on the command line -> [mtime, size, payload or None]
    """

    def __init__(self, project: Path, key: str) -> None:
        self.key = key
        self.path = project / FOLDER / f"scan-{zlib.crc32(key.encode()):08x}.json"
        self.folders: dict[str, list[Any]] = {}
        self.named: dict[str, list[Any]] = {}
        self.old_gitignore: dict[str, Any] = {}
        self.gitignore: dict[str, Any] = {}  # pathspec's regexes for the gitignore lines used in this run
        self.fresh: dict[str, list[Any]] = {}  # folders and named files seen in this run -> their record now
        self.fresh_named: dict[str, list[Any]] = {}
        self.dirty = False
        try:
            with self.path.open("rb") as handle:
                loaded = json.loads(handle.read())
        except (OSError, ValueError):
            return
        if not isinstance(loaded, dict) or loaded.get("key") != key:
            return
        folders, named, gitignore = loaded.get("folders"), loaded.get("named"), loaded.get("gitignore")
        if isinstance(folders, dict) and isinstance(named, dict) and isinstance(gitignore, dict):
            self.folders, self.named, self.old_gitignore = folders, named, gitignore
            self.gitignore = _Memo(gitignore)

    def check(self, folder: Folder) -> tuple[list[int], Hits]:
        """(indexes of the files of `folder` to scan, (index, cached outcome) of unchanged files that hold
        something); remembers the folder as it is now. An unchanged file with nothing in it is in neither list."""
        if folder.path is None:
            return self._check_named(folder)
        old: Any = self.folders.get(folder.path)
        names, stats = folder.names, folder.stats
        joined = "\0".join(names)
        complete = all(stat is not None for stat in stats)
        if complete and _is_record(old) and old[0] == joined and old[1] == _pack(stats):  # type: ignore[arg-type]
            self.fresh[folder.path] = old
            misses: list[int] = []
            hits = self._outcomes(old[2], folder, misses) if old[2] else []
            return misses, hits
        self.dirty = True
        known = _unpack(old[0], old[1]) if _is_record(old) else {}
        payloads: dict[str, Any] = old[2] if _is_record(old) else {}
        kept_names: list[str] = []
        kept_stats: list[Stat] = []
        kept: dict[str, Any] = {}
        misses = []
        for index, (name, stat) in enumerate(zip(names, stats, strict=True)):
            if stat is None:
                misses.append(index)  # not remembered: scanned again next time
                continue
            kept_names.append(name)
            kept_stats.append(stat)
            if known.get(name) != stat:
                misses.append(index)
            elif name in payloads:
                kept[name] = payloads[name]
        self.fresh[folder.path] = [joined if complete else "\0".join(kept_names), _pack(kept_stats), kept]
        return misses, self._outcomes(kept, folder, misses) if kept else []

    def _outcomes(self, payloads: dict[str, Any], folder: Folder, misses: list[int]) -> Hits:
        """Cached outcomes in walk order; a payload that does not decode is dropped and its file scanned again."""
        where = {name: index for index, name in enumerate(folder.names)}
        hits: Hits = []
        for name, raw in list(payloads.items()):
            index = where.get(name)
            if index is None:
                continue
            try:
                hits.append((index, outcome_from(raw, folder.files[index][1])))
            except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                del payloads[name]
                misses.append(index)
                self.dirty = True
        hits.sort(key=lambda hit: hit[0])
        misses.sort()
        return hits

    def _check_named(self, folder: Folder) -> tuple[list[int], Hits]:
        misses: list[int] = []
        hits: Hits = []
        for index, ((absolute, rel, _suffix), stat) in enumerate(zip(folder.files, folder.stats, strict=True)):
            old = self.named.get(absolute)
            if stat is None:
                misses.append(index)
                continue
            if isinstance(old, list) and len(old) == 3 and (old[0], old[1]) == stat:
                self.fresh_named[absolute] = old
                try:
                    if old[2] is not None:
                        hits.append((index, outcome_from(old[2], rel)))
                    continue
                except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                    pass
            self.fresh_named[absolute] = [stat[0], stat[1], None]
            self.dirty = True
            misses.append(index)
        return misses, hits

    def put(self, path: str, payload: Payload | None) -> None:
        """The outcome of a file checked in this run (`None`: it holds nothing worth keeping)."""
        named = self.fresh_named.get(path)
        if named is not None:
            if named[2] != payload:
                named[2] = payload
                self.dirty = True
            return
        folder, name = os.path.split(path)
        record = self.fresh.get(folder)
        if record is None:
            return
        if payload is None:
            if name in record[2]:
                del record[2][name]
                self.dirty = True
        elif f"\0{name}\0" in f"\0{record[0]}\0":
            record[2][name] = payload
            self.dirty = True

    def save(self, under: tuple[str, ...]) -> None:
        """Write the cache if anything changed. Folders under `under` (the folders scanned) that this run did not
        see are gone or ignored now: forgotten. Other folders' records stay for their next scan."""
        prefixes = tuple(folder.rstrip("/\\") + os.sep for folder in under)
        folders = self._merge(self.folders, self.fresh, prefixes, folder_like=True)
        named = self._merge(self.named, self.fresh_named, prefixes, folder_like=False)
        if any(key not in self.old_gitignore for key in self.gitignore):
            self.dirty = True
        if not self.dirty:
            return
        gitignore = dict(self.gitignore)
        for key, value in self.old_gitignore.items():
            if len(gitignore) >= _GITIGNORE_KEPT:
                break
            gitignore.setdefault(key, value)
        document = {"key": self.key, "folders": folders, "named": named, "gitignore": gitignore}
        from taxonomy.atomic import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore_file = self.path.parent / ".gitignore"
            if not ignore_file.exists():
                write_atomic(ignore_file, "# created by taxonomy: the scan cache, safe to delete\n*\n")
            for old in self.path.parent.glob("scan-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)  # results of another version or settings: never read again
            write_atomic(self.path, json.dumps(document, separators=(",", ":")))
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


class _Memo(dict[str, Any]):
    """The pathspec translations: looks up in last run's, keeps what this run uses (see `discover.Rules`)."""

    def __init__(self, old: dict[str, Any]) -> None:
        super().__init__()
        self.old = old

    def get(self, key: str, default: Any = None) -> Any:
        found = super().get(key)
        return found if found is not None else self.old.get(key, default)
