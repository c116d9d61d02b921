"""`taxonomy scan [PATHS...]`: list every SDK call site found in source code (text or JSON)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from taxonomy.config import load_config

if TYPE_CHECKING:
    from taxonomy.scan.results import CallSite, ScanResult


def scan(paths: tuple[str, ...], fmt: str, output_file: str | None, config_path: str | None, no_cache: bool,
         jobs: int | None) -> int:  # fmt: skip
    from taxonomy.scan import scan_paths

    config = load_config(config_path)
    result = scan_paths(list(paths), config, use_cache=False if no_cache else None, jobs=jobs, progress=True)
    text = json_text(result) + "\n" if fmt == "json" else render_text(result)
    if output_file:
        from taxonomy.atomic import write_atomic

        write_atomic(output_file, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


def json_text(result: ScanResult) -> str:
    """`json.dumps(result.to_json(), indent=2, ensure_ascii=False)`, to the byte, several times faster: with an
    indent, the json module leaves its C encoder for a Python one, and a scan's output has thousands of sites."""
    empty = type(result)(result.root, (), result.skipped).to_json()
    known = list(empty) == ["version", "call_sites", "skipped"] and empty["call_sites"] == []
    if not known or not result.call_sites or list(result.call_sites[0].to_json()) != _SITE_KEYS:
        return pretty_json(result.to_json())  # not the shape the template below knows: the general way
    head, tail = pretty_json(empty).split('"call_sites": [],', 1)
    return "".join([head, '"call_sites": [\n    ', ",\n    ".join(_sites_json(result.call_sites)), "\n  ],", tail])


_SITE_KEYS = ["file", "line", "column", "language", "sdk", "kind", "op", "name", "expr", "properties", "via"]
_SITE = "{" + ",".join(f'\n      "{key}": %s' for key in _SITE_KEYS[:3]) + ",%s," + ",".join(
    f'\n      "{key}": %s' for key in _SITE_KEYS[7:]) + "\n    }"  # fmt: skip
_MIDDLE = ",".join(f'\n      "{key}": %s' for key in _SITE_KEYS[3:7])  # language, sdk, kind, op: few distinct ones


def _sites_json(sites: Sequence[CallSite]) -> list[str]:
    string = _string
    middles: dict[tuple[str, str, str, str], str] = {}  # each (language, sdk, kind, op) spelled once
    last_file, spelled_file = None, ""  # the sites come by file: each file spelled once
    out = []
    for site in sites:
        file, line, column, name, expr, via = site.file, site.line, site.column, site.name, site.expr, site.via
        texts = language, sdk, kind, op = site.language, site.sdk, site.kind, site.op
        if not (type(file) is str and type(line) is int and type(column) is int and type(language) is str
                and type(sdk) is str and type(kind) is str and type(op) is str):  # fmt: skip
            out.append(pretty_json(site.to_json(), 2))  # not the types the fast way below knows
            continue
        middle = middles.get(texts)
        if middle is None:
            middle = middles[texts] = _MIDDLE % tuple(map(string, texts))
        if file != last_file:
            last_file, spelled_file = file, string(file)
        out.append(_SITE % (spelled_file, line, column, middle,
                            "null" if name is None else string(name) if type(name) is str else _scalar(name),
                            "null" if expr is None else string(expr) if type(expr) is str else _scalar(expr),
                            pretty_json(list(site.properties), 3) if site.properties else "[]",
                            "null" if via is None else _scalar(via)))  # fmt: skip
    return out


def _scalar(value: Any) -> str:
    return _string(value) if type(value) is str else pretty_json(value, 3)


def pretty_json(value: Any, level: int = 0) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, to the byte, several times faster: with an indent, the
    json module leaves its C encoder for a Python one, and a scan's output has thousands of small objects."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict or kind is list or kind is tuple:
        if not value:
            return "{}" if kind is dict else "[]"
        inner = "\n" + "  " * (level + 1)
        deeper = level + 1
        if kind is dict:
            items = [(_string(k) if type(k) is str else _key(k)) + ": " + (_string(v) if type(v) is str
                     else pretty_json(v, deeper)) for k, v in value.items()]  # fmt: skip
            return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
        items = [_string(v) if type(v) is str else pretty_json(v, deeper) for v in value]
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value)  # floats, booleans, and what json.dumps itself would refuse


def _key(key: Any) -> str:
    return json.dumps({key: 0})[1:-4]  # json's own spelling of a non-string key


_string = json.encoder.encode_basestring  # what json.dumps uses for strings with ensure_ascii=False


def render_text(result: object) -> str:
    from taxonomy.scan.results import ScanResult

    assert isinstance(result, ScanResult)
    lines: list[str] = []
    for skipped in result.skipped:
        lines.append(f"note: skipped {skipped.file}: {skipped.reason}")
    if result.skipped:
        lines.append("")
    for site in result.call_sites:
        name = site.name if site.name is not None else f"<dynamic: {_short(site.expr)}>" if site.expr else "-"
        extra = []
        if site.properties:
            extra.append("properties: " + ", ".join(site.properties))
        if site.sdk != "braze":
            extra.append(f"sdk: {site.sdk}")
        if site.via:
            extra.append(f"via {site.via}")
        tail = f"  ({'; '.join(extra)})" if extra else ""
        lines.append(f"{site.file}:{site.line}:{site.column}  {site.kind} {site.op}  {name}{tail}")
    count = len(result.call_sites)
    lines.append(
        f"{count} call site{'s' if count != 1 else ''} in {result.files} file{'s' if result.files != 1 else ''}"
        f" ({result.parsed} parsed, {len(result.skipped)} skipped)."
    )
    return "\n".join(lines) + "\n"


def _short(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
