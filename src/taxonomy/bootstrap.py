"""A starter taxonomy from what Braze holds (an export) and what the code sends (a scan): `taxonomy init`.

Pure text generation, no I/O: names sorted, one item per block, a TODO wherever a person must decide, and the
JSON Schema modeline on top so that editors complete the file from the first keystroke.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from taxonomy.driftcontext import CodeUsage
from taxonomy.export.model import Export, ExportedAttribute, ExportedItem
from taxonomy.export.types import vocabulary

TODO_DESCRIPTION = "TODO: describe it in words a marketer understands."
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Plain scalars YAML 1.1 readers would turn into booleans or null.
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


# Characters YAML does not allow raw in a file, or folds as line breaks: written as \\u escapes.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax, which YAML reads), every character allowed."""
    if _SURROGATE.search(text):
        from taxonomy.errors import TaxonomyError

        raise TaxonomyError(
            f"{text.encode('utf-8', 'backslashreplace').decode()!r} holds a lone surrogate (broken UTF-16)"
            " and cannot be written to a UTF-8 file"
        )
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back as the same string, else double-quoted (JSON)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and text[-1] not in ".-":
        return text
    return quoted(text)


_PLAIN_PROSE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.;'()/_\-]*")


def _prose(text: str) -> str:
    """A sentence: plain when it cannot be misread (no `: `, `#`, leading symbols), else double-quoted."""
    clean = " ".join(text.split())
    if _PLAIN_PROSE.fullmatch(clean) and clean.lower() not in _RESERVED and not clean[0].isdigit():
        return clean
    return quoted(clean)


@dataclass(frozen=True)
class Sources:
    export: Export | None = None
    code: CodeUsage | None = None  # kind -> name -> call sites
    # event name -> property key -> value type seen in code (None: unknown)
    properties: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    workspace: str | None = None
    schema: str = "https://event-taxonomy.dev/schema/taxonomy.schema.json"
    described_from: str = ""


def _order(names: Any) -> list[str]:
    return sorted(set(names), key=lambda n: (n.casefold(), n))


def _status_lines(item: ExportedItem | None, indent: str, have_export: bool = True) -> list[str]:
    if item is None and not have_export:
        return [f"{indent}status: active  # sent by the code"]
    if item is None:
        return [f"{indent}status: planned  # sent by the code, not yet in Braze"]
    if item.is_blocklisted:
        return [f"{indent}status: removed", f"{indent}reason: Blocklisted in Braze."]
    if item.status == "trashed":
        return [f"{indent}status: removed", f"{indent}reason: Trashed in Braze."]
    return [f"{indent}status: active"]


def _common(item: ExportedItem | None, indent: str, have_export: bool = True) -> list[str]:
    description = item.description if item is not None and item.description else None
    lines = [f"{indent}description: {_prose(description) if description else _prose(TODO_DESCRIPTION)}"]
    lines.extend(_status_lines(item, indent, have_export))
    if item is not None and item.tags:
        tags = list(dict.fromkeys(t for t in item.tags if t))
        lines.append(f"{indent}tags: [{', '.join(scalar(t) for t in tags)}]")
    return lines


def _type_lines(item: ExportedAttribute | None, indent: str) -> list[str]:
    if item is None or item.type is None:
        said = f"Braze says {item.data_type!r}" if item is not None and item.data_type else "type unknown"
        return [f"{indent}type: string  # TODO: check the type ({said})"]
    spec = cast(Mapping[str, str], vocabulary()["init_types"][item.type])
    lines = [f"{indent}type: {spec['type']}"]
    if "items" in spec:
        lines.append(f"{indent}items: {spec['items']}")
    if item.type == "array" and item.array_length:
        lines.append(f"{indent}max_items: {item.array_length}")
    return lines


@dataclass(frozen=True)
class Rendered:
    text: str
    items: int


def render(sources: Sources) -> Rendered:
    export = sources.export
    code = sources.code or {}
    exported: dict[str, dict[str, ExportedItem]] = {
        kind: {i.name: i for i in export.of_kind(kind)} if export else {} for kind in ("event", "attribute", "product")
    }
    lines = [
        f"# yaml-language-server: $schema={sources.schema}",
        f"# Started by `taxonomy init`{sources.described_from}. Replace every TODO, then run `taxonomy lint`.",
        "version: 1",
    ]
    workspace = sources.workspace or (export.workspace if export else None)
    if workspace:
        lines.append(f"workspace: {scalar(workspace)}")

    events = _order([*exported["event"], *code.get("event", {}), *sources.properties])
    if events:
        lines += ["", "events:"]
        for name in events:
            item = exported["event"].get(name)
            lines.append(f"  {scalar(name)}:")
            lines.extend(_common(item, "    ", export is not None))
            props = sources.properties.get(name, {})
            if props:
                lines.append("    properties:")
                for key in _order(props):
                    kind = props[key]
                    known = kind in ("string", "integer", "float", "number", "boolean", "time", "array", "object")
                    note = "" if known else "  # TODO: check the type"
                    lines.append(f"      {scalar(key)}: {{type: {kind if known else 'string'}}}{note}")

    attributes = _order([*exported["attribute"], *code.get("attribute", {})])
    if attributes:
        lines += ["", "attributes:"]
        for name in attributes:
            item = exported["attribute"].get(name)
            attribute = item if isinstance(item, ExportedAttribute) else None
            lines.append(f"  {scalar(name)}:")
            lines.extend(_type_lines(attribute, "    "))
            lines.extend(_common(item, "    ", export is not None))

    products = _order([*exported["product"], *code.get("product", {})])
    if products:
        lines += ["", "purchases:", "  products:"]
        for name in products:
            lines.append(f"    {scalar(name)}:")
            lines.extend(_common(exported["product"].get(name), "      ", export is not None))
    return Rendered("\n".join(lines) + "\n", len(events) + len(attributes) + len(products))
