"""What a scan produces: call sites, skipped files, inline suppressions, the whole result.

Apart from the adapters' records (records.py): a warm scan that answers from the cache needs only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

Literal = str | int | float | bool | None


class CallSite(NamedTuple):
    """(A named tuple, not a frozen dataclass: a scan makes thousands, and a tuple is made five times faster.)"""

    file: str  # relative to the scan root, POSIX
    line: int
    column: int
    language: str
    sdk: str
    kind: str  # event | purchase | attribute | standard_attribute | identify | flush
    op: str
    name: str | None
    expr: str | None
    properties: tuple[str, ...] = ()
    via: str | None = None
    # Not in the JSON contract; what `taxonomy check` needs.
    property_types: tuple[tuple[str, str], ...] = ()  # literal key -> literal value type
    value_type: str | None = None  # the literal type of an attribute's value
    value: Literal = None  # the literal value itself (for enum checks)
    properties_known: bool = True  # the properties argument is absent or a literal object (all its keys are known)
    pending: tuple[str, ...] = ()  # unresolved name parts: "s:text" literal, "r:Dotted.Name" constant reference

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "language": self.language,
            "sdk": self.sdk,
            "kind": self.kind,
            "op": self.op,
            "name": self.name,
            "expr": self.expr,
            "properties": list(self.properties),
            "via": self.via,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    file: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Suppressed:
    """An inline `taxonomy: ignore[CODES]` comment, kept so `check` can report unknown and unused ones."""

    file: str
    line: int  # the line of the comment
    column: int
    codes: tuple[str, ...]
    standalone: bool = True  # alone on its line: covers the next line; after code: covers its own line only


@dataclass(frozen=True)
class ScanResult:
    root: str  # the folder paths are relative to, as shown to the user
    call_sites: tuple[CallSite, ...]
    skipped: tuple[Skipped, ...]
    files: int = 0  # files discovered
    parsed: int = 0  # files that passed the prefilter and were parsed
    suppressions: tuple[Suppressed, ...] = ()
    languages: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "call_sites": [c.to_json() for c in self.call_sites],
            "skipped": [s.to_json() for s in self.skipped],
        }
