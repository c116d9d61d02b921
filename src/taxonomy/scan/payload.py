"""A file's outcome as plain data: what the scan cache keeps and what worker processes send back.

Compact JSON text: cheap to send between processes, to keep in memory (a fraction of the objects it stands for) and
to write into the cache file as it is.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from taxonomy.scan.records import CallSite, Suppressed, Value

if TYPE_CHECKING:
    from taxonomy.scan.scanner import FileOutcome

Payload = dict[str, Any]  # the decoded form of the text


def encode(outcome: FileOutcome) -> str:
    return json.dumps(outcome_to(outcome), separators=(",", ":"))


def decode(raw: str | Payload, file: str) -> FileOutcome:
    """`raw`: the text, or what json made of it. Malformed data raises TypeError, ValueError, KeyError, ..."""
    return outcome_from(json.loads(raw) if isinstance(raw, str) else raw, file)


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

    if not isinstance(raw, dict):
        raise TypeError("payload")
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
