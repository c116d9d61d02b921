"""One file: read once as bytes, prefilter, parse with its adapter, turn raw calls into call sites.

Runs in worker processes too, so everything here is plain data in and plain data out.
"""

from __future__ import annotations

import os
import re
import stat
from array import array
from dataclasses import dataclass, field
from typing import Any

from taxonomy.scan.adapter import ParseGaveUp
from taxonomy.scan.languages import adapter_for
from taxonomy.scan.prefilter import prefilter
from taxonomy.scan.records import Arg, CallSite, RawCall, Suppressed, Value
from taxonomy.scan.signatures import Signature, SignatureSet

SUPPRESSION = re.compile(rb"taxonomy:\s*ignore\[([^\]\r\n]*)\]")
_BINARY_PROBE = 8192


@dataclass
class FileOutcome:
    file: str
    language: str
    sites: list[CallSite] = field(default_factory=list)
    skipped: str | None = None  # a reason when the file was skipped (or only partly scanned)
    parsed: bool = False
    constants: dict[str, Value] = field(default_factory=dict)
    suppressions: list[Suppressed] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # local name -> module, for constants defined elsewhere


def is_empty(outcome: FileOutcome) -> bool:
    """Nothing to remember: most files of a tree (no SDK call, no constant anyone needs)."""
    return not (outcome.sites or outcome.skipped or outcome.parsed or outcome.constants or outcome.suppressions
                or outcome.imports)  # fmt: skip


def candidate(data: bytes, sigs: SignatureSet, language: str) -> bool:
    """The byte-level prefilter: could a mention of a method name in this file be a call site? (scan/prefilter.py)"""
    return prefilter(sigs, language).wants(data)


def scan_file(
    path: str,
    rel: str,
    language: str,
    adapter_spec: str,
    sigs: SignatureSet,
    max_size: int,
    stamps: array[int] | None = None,
) -> FileOutcome | None:
    """What one file holds; None when it has nothing to say (most files of a tree: their cost is mostly this
    function's, so no record is made for them). `stamps`: the file's mtime (ns) and size are appended to it, as
    read before its bytes (-1, -1 when the file cannot be opened): what a cold scan's cache remembers it by."""
    info = None
    try:
        # One descriptor for the checks and the read: no second path lookup, no buffered file object (per-file
        # system-call and object costs are most of what the 90% of files that are never parsed cost).
        fd = os.open(path, _OPEN_FLAGS)  # non-blocking: opening a FIFO must not wait for a writer
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return FileOutcome(rel, language, skipped="not a regular file (a pipe or a device?)")
            size = info.st_size
            if size > max_size:
                return FileOutcome(rel, language, skipped=f"larger than the size limit ({size} > {max_size} bytes)")
            data = _read_all(fd, size, max_size)
        finally:
            os.close(fd)
    except OSError as exc:
        return FileOutcome(rel, language, skipped=f"unreadable: {exc.strerror or exc}")
    finally:
        if stamps is not None:
            stamps.extend(_UNSTAMPED if info is None else (info.st_mtime_ns, info.st_size))
    if data is None:
        return FileOutcome(rel, language, skipped=f"larger than the size limit (> {max_size} bytes)")
    if data.find(b"\0", 0, _BINARY_PROBE) >= 0:  # (no copy of the probe)
        return FileOutcome(rel, language, skipped="binary file")
    if not candidate(data, sigs, language):
        return None
    outcome = scan_source(data, FileOutcome(rel, language), adapter_spec, sigs)
    return None if is_empty(outcome) else outcome


_UNSTAMPED = (-1, -1)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_all(fd: int, size: int, max_size: int) -> bytes | None:
    """The whole file (it may have grown since fstat); None once it passes the size limit."""
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data
    parts = [data]
    total = len(data)
    while chunk := os.read(fd, 1 << 16):
        total += len(chunk)
        if total > max_size:
            return None
        parts.append(chunk)
    return b"".join(parts)


def scan_source(data: bytes, outcome: FileOutcome, adapter_spec: str, sigs: SignatureSet) -> FileOutcome:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        outcome.skipped = f"not valid UTF-8 (byte {exc.start})"
        return outcome
    adapter = adapter_for(adapter_spec)
    try:
        result = adapter.scan(data, sigs)
    except ParseGaveUp as exc:
        outcome.skipped = f"{exc}; not scanned"
        return outcome
    outcome.parsed = True
    outcome.constants = result.constants
    for call in result.calls:
        sig = sigs.lookup(call.method, call.receiver, outcome.language)
        if sig is not None:
            outcome.sites.extend(build_sites(call, sig, outcome.file, outcome.language))
    for line, column, payload in result.payloads:
        outcome.sites.extend(payload_sites(payload, line, column, outcome.file, outcome.language))
    if result.imports:  # only those a constant of a call site is looked up through (constants.py): less to keep
        roots = referenced_roots(outcome)
        outcome.imports = {name: module for name, module in result.imports.items() if name in roots}
    if result.error is not None:
        line, column = result.error
        outcome.skipped = (
            f"syntax error at {line}:{column}; call sites elsewhere in the file are still reported"
            if result.partial
            else f"syntax error at {line}:{column}; not scanned"
        )
    if b"taxonomy:" in data:
        for match in SUPPRESSION.finditer(data):
            line = data.count(b"\n", 0, match.start()) + 1
            line_start = data.rfind(b"\n", 0, match.start()) + 1
            column = match.start() - line_start + 1
            codes = tuple(c.strip().upper() for c in match.group(1).decode("utf-8", "replace").split(",") if c.strip())
            before = data[line_start : match.start()].strip(b" \t/*#-!<")
            outcome.suppressions.append(Suppressed(outcome.file, line, column, codes, standalone=not before))
    return outcome


def referenced_roots(outcome: FileOutcome) -> set[str]:
    """The first names of the constants the file's call sites refer to but the file does not define (`Events` of
    `Events.SIGNED_UP`): what the constants pass looks for elsewhere."""
    return {part[2:].split(".", 1)[0] for site in outcome.sites for part in site.pending
            if part.startswith("r:") and part[2:] not in outcome.constants}  # fmt: skip


def pick(args: tuple[Arg, ...], refs: tuple[int | str, ...]) -> Value | None:
    """The argument a signature role points at: by position (unlabelled arguments), by label, or a key of an
    object argument (`"0.name"`: the `name` key of the object literal at position 0)."""
    for ref in refs:
        if isinstance(ref, str) and "." in ref:
            head, _, key = ref.partition(".")
            holder = pick(args, (int(head) if head.isdigit() else head,))
            found = holder.get(key) if holder is not None and holder.type == "object" else None
            if found is not None:
                return found
            continue
        if isinstance(ref, int):
            if ref < len(args) and (args[ref].label is None or ref == 0):
                return args[ref].value
        else:
            for arg in args:
                if arg.label == ref:
                    return arg.value
    return None


def name_of(value: Value | None) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(name, expr, pending parts) for a name argument."""
    if value is None:
        return None, None, ()
    if value.type == "string":
        return str(value.literal), (value.expr if value.expr else None), ()
    if value.type == "ref":
        return None, value.expr, (f"r:{value.ref}",)
    if value.type == "concat":
        parts: list[str] = []
        for part in value.items:
            if part.type == "string" or part.type == "integer":
                parts.append(f"s:{part.literal}")
            elif part.type == "ref" and part.ref:
                parts.append(f"r:{part.ref}")
            else:
                return None, value.expr, ()
        return None, value.expr, tuple(parts)
    return None, value.expr or "", ()


def _properties(value: Value | None) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    if value is None or value.type != "object":
        return (), ()
    keys = tuple(k for k, _ in value.keys)
    types = tuple((k, v.type) for k, v in value.keys if v.type not in ("dynamic", "ref", "concat"))
    return keys, types


def _scalar(value: Value | None) -> tuple[str | None, str | int | float | bool | None]:
    if value is None or value.type in ("dynamic", "ref", "concat"):
        return None, None
    literal = value.literal if value.type in ("string", "integer", "float", "boolean") else None
    return value.type, literal


def build_sites(call: RawCall, sig: Signature, file: str, language: str) -> list[CallSite]:
    args = call.args
    role = "product" if sig.kind == "purchase" else "name"
    name, expr, pending = name_of(pick(args, sig.args.get(role, ())))
    if sig.kind == "standard_attribute":
        name, expr, pending = sig.standard, None, ()
    elif sig.kind == "flush":
        name, expr, pending = None, None, ()
    value = pick(args, sig.args.get("value", ()))
    value_type, literal = _scalar(value)
    op = sig.op
    if sig.kind == "attribute" and op == "set" and value is not None:
        if value.type == "null":
            op = "unset"
        elif value.type == "object" or (value.type == "array" and any(i.type == "object" for i in value.items)):
            op = "nested"
    props_value = pick(args, sig.args.get("properties", ()))
    keys, types = _properties(props_value)
    site = CallSite(
        file=file,
        line=call.line,
        column=call.column,
        language=language,
        sdk=sig.sdk,
        kind=sig.kind,
        op=op,
        name=name,
        expr=expr,
        properties=keys,
        via=sig.via,
        property_types=types,
        value_type=value_type,
        value=literal,
        properties_known=props_value is None or props_value.type in ("object", "null"),
        pending=pending,
    )
    sites = [site]
    if sig.expand == "attributes" and props_value is not None:
        for key, member in props_value.keys:
            member_type, member_literal = _scalar(member)
            sites.append(
                CallSite(
                    file=file,
                    line=call.line,
                    column=call.column,
                    language=language,
                    sdk=sig.sdk,
                    kind="attribute",
                    op="set",
                    name=key,
                    expr=None,
                    via=sig.via,
                    value_type=member_type,
                    value=member_literal,
                )
            )
    return sites


def _users_track() -> dict[str, Any]:
    from taxonomy.resources import load_rule_pack

    data: dict[str, Any] = load_rule_pack("users_track.yaml")
    return data


def payload_sites(payload: Value, line: int, column: int, file: str, language: str) -> list[CallSite]:
    """A /users/track body literal: {"events": [...], "attributes": [...], "purchases": [...]}."""
    rules = _users_track()
    standard_keys = set(rules["standard_attribute_keys"])
    control_keys = set(rules["control_keys"])
    operators: dict[str, str] = rules["operators"]
    sites: list[CallSite] = []

    def add(
        kind: str, op: str, entry: Value, name_value: Value | None, props: Value | None, value: Value | None = None
    ) -> None:
        name, expr, pending = name_of(name_value)
        at_line, at_column = entry.pos or (line, column)
        keys, types = _properties(props)
        value_type, literal = _scalar(value)
        known = props is None or props.type == "object"
        sites.append(
            CallSite(
                file=file,
                line=at_line,
                column=at_column,
                language=language,
                sdk="braze",
                kind=kind,
                op=op,
                name=name,
                expr=expr,
                properties=keys,
                via="/users/track",
                property_types=types,
                value_type=value_type,
                value=literal,
                properties_known=known,
                pending=pending,
            )
        )

    for entry in _objects(payload.get("events")):
        add("event", "log", entry, entry.get("name"), entry.get("properties"))
    for entry in _objects(payload.get("purchases")):
        add("purchase", "log", entry, entry.get("product_id"), entry.get("properties"))
    for entry in _objects(payload.get("attributes")):
        for index, (key, value) in enumerate(entry.keys):
            at = entry.key_pos[index] if index < len(entry.key_pos) else entry.pos or (line, column)
            if key in control_keys:
                continue
            if key in standard_keys:
                sites.append(
                    CallSite(
                        file,
                        at[0],
                        at[1],
                        language,
                        "braze",
                        "standard_attribute",
                        "set",
                        key,
                        None,
                        via="/users/track",
                    )
                )
                continue
            op = "set"
            shown: Value | None = value
            if value.type == "null":
                op = "unset"
            elif value.type == "object":
                operator = next((k for k, _ in value.keys if k in operators), None)
                if operator is not None and operators[operator] == "increment":
                    op, shown = "increment", value.get(operator)
                elif operator is not None:
                    op, shown = operators[operator], None
                else:
                    op = "nested"
            elif value.type == "array" and any(i.type == "object" for i in value.items):
                op = "nested"
            add("attribute", op, Value("object", pos=at), Value("string", key), None, shown)
    return sites


def _objects(value: Value | None) -> list[Value]:
    if value is None or value.type != "array":
        return []
    return [item for item in value.items if item.type == "object"]
