"""Per-file scan results in `.taxonomy-cache/` under the project root.

Keyed by path, modification time and size, so an unchanged file is not even read again; the whole cache is
invalidated when the tool version, the signatures or the scan settings change (they are part of the file name).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from taxonomy import __version__
from taxonomy.scan.records import CallSite, Suppressed, Value
from taxonomy.scan.scanner import FileOutcome

FOLDER = ".taxonomy-cache"


def cache_key(*parts: Any) -> str:
    digest = hashlib.sha256(repr((__version__, *parts)).encode()).hexdigest()
    return digest[:16]


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


def outcome_to(outcome: FileOutcome) -> dict[str, Any]:
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


def outcome_from(raw: dict[str, Any], file: str) -> FileOutcome:
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


class ScanCache:
    """path -> [mtime_ns, size, outcome]; loaded once, written once (atomically) at the end of a scan."""

    def __init__(self, project: Path, key: str) -> None:
        self.path = project / FOLDER / f"scan-{key}.json"
        self.entries: dict[str, list[Any]] = {}
        self.dirty = False
        try:
            with self.path.open("rb") as handle:
                loaded = json.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            self.entries = {}

    def get(self, path: str, mtime: int, size: int, rel: str) -> FileOutcome | bool:
        """The cached outcome; True for an unchanged file with nothing in it; False when unknown or changed."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != mtime or entry[1] != size:
            return False
        return outcome_from(entry[2], rel) if len(entry) > 2 else True

    def put(self, path: str, mtime: int, size: int, outcome: FileOutcome | None) -> None:
        """`None`: the file holds nothing worth keeping (stored as just its stat, to keep the cache small)."""
        self.entries[path] = [mtime, size] if outcome is None else [mtime, size, outcome_to(outcome)]
        self.dirty = True

    def prune(self, keep: set[str], under: tuple[str, ...]) -> None:
        prefixes = tuple(folder.rstrip("/\\") + os.sep for folder in under)
        for path in set(self.entries) - keep:
            if path.startswith(prefixes):
                del self.entries[path]
                self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        from taxonomy.atomic import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.path.parent / ".gitignore"
            if not gitignore.exists():
                write_atomic(gitignore, "# created by taxonomy: the scan cache, safe to delete\n*\n")
            for old in self.path.parent.glob("scan-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)  # results of another version or settings: never read again
            write_atomic(self.path, json.dumps(self.entries, separators=(",", ":")))
        except OSError:
            pass  # a read-only checkout still scans; it just cannot remember
