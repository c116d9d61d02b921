"""The snapshot file `taxonomy pull` writes: one JSON document, validated against schema/snapshot.schema.json."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.export import braze_rest
from taxonomy.export.jsonpos import JArray, JObject, Located
from taxonomy.export.model import Export

FORMAT = "taxonomy-braze-snapshot"
SCHEMA_NAME = "snapshot.schema.json"
SCHEMA_ID = "https://event-taxonomy.dev/schema/snapshot.schema.json"


def looks_like_snapshot(data: Any) -> bool:
    return isinstance(data, dict) and (data.get("format") == FORMAT or ("fetched_at" in data and "version" in data))


LISTS = {"attributes": "attribute", "events": "event", "products": "product"}


@functools.cache
def _validators() -> tuple[Any, dict[str, Any]]:
    """One validator for the envelope (item lists only checked to be arrays) and one per item kind.

    jsonschema costs about 0.1 ms an item; a fast Python check (`item_ok`, proven to accept nothing the schema
    rejects by a property test) clears the usual items and only doubtful ones go through jsonschema.
    """
    import jsonschema

    from taxonomy.resources import load_schema

    schema = load_schema(SCHEMA_NAME)
    cls = jsonschema.Draft202012Validator
    envelope = {**schema, "properties": {**schema["properties"], **{key: {"type": "array"} for key in LISTS}}}
    items = {
        kind: cls({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]}, format_checker=cls.FORMAT_CHECKER)
        for kind in LISTS.values()
    }
    return cls(envelope, format_checker=cls.FORMAT_CHECKER), items


def _optional(item: dict[str, Any], key: str, kinds: tuple[type, ...]) -> bool:
    value = item.get(key)
    return value is None or (isinstance(value, kinds) and not (bool not in kinds and isinstance(value, bool)))


def item_ok(kind: str, item: Any) -> bool:
    """A fast check that never accepts what schema/snapshot.schema.json rejects (it may reject more)."""
    if not isinstance(item, dict):
        return False
    name = item.get("name")
    if not isinstance(name, str) or not name:
        return False
    if kind == "product":
        return True
    if not (_optional(item, "description", (str,)) and _optional(item, "status", (str,))):
        return False
    tags = item.get("tag_names")
    if tags is not None and not (isinstance(tags, list) and all(t is None or isinstance(t, str) for t in tags)):
        return False
    if kind == "event":
        return _optional(item, "included_in_analytics_report", (bool,))
    length = item.get("array_length")
    ok_length = length is None or (isinstance(length, int) and not isinstance(length, bool) and length >= 0)
    return ok_length and _optional(item, "data_type", (str,))


def errors(data: Any) -> list[Any]:
    """Every schema error of a snapshot document (jsonschema ValidationErrors, paths from the top)."""
    envelope, items = _validators()
    found = list(envelope.iter_errors(data))
    if found or not isinstance(data, dict):
        return found
    for key, kind in LISTS.items():
        for index, item in enumerate(data.get(key, ())):
            if item_ok(kind, item):
                continue
            for error in items[kind].iter_errors(item):
                error.path.extendleft([index, key])  # deque: makes the path [key, index, ...]
                found.append(error)
    return found


def validate(doc: Located) -> None:
    """The first schema error, at the line and column of the value it is about."""
    found = sorted(errors(doc.data), key=lambda e: ([str(p) for p in e.absolute_path], e.message))
    if not found:
        return
    error = found[0]
    node: Any = doc.data
    for step in error.absolute_path:
        try:
            child = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(child, (JObject, JArray)):
            node = child
    where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    line, column = doc.at(node)
    raise TaxonomyError(
        f"not a valid snapshot: {where}: {error.message}",
        file=doc.display,
        line=line,
        column=column,
        hint="snapshots are written by `taxonomy pull`; see schema/snapshot.schema.json",
    )


def read(doc: Located) -> Export:
    validate(doc)
    data = doc.data
    body = JObject({key: data[key] for key in ("attributes", "events", "products")})
    body.offset = data.offset
    pages = braze_rest.read(_relocated(doc, body))
    return Export(
        file=doc.display,
        format="snapshot",
        workspace=data.get("workspace"),
        fetched_at=data.get("fetched_at"),
        instance=data.get("instance"),
        events=pages.events,
        attributes=pages.attributes,
        products=pages.products,
        covers=frozenset(("event", "attribute", "product")),
        files=(doc.display,),
    )


def _relocated(doc: Located, data: Any) -> Located:
    clone = object.__new__(Located)
    clone.__dict__.update(doc.__dict__)
    clone.data = data
    return clone


def render(
    *,
    workspace: str | None,
    instance: str | None,
    fetched_at: str,
    attributes: Sequence[Mapping[str, Any]],
    events: Sequence[Mapping[str, Any]],
    products: Sequence[str],
    endpoints: Mapping[str, int] | None = None,
) -> str:
    """The snapshot text: stable key order, items sorted by name, one item per line for readable git diffs."""

    def rows(items: Sequence[Mapping[str, Any]]) -> str:
        if not items:
            return "[]"
        ordered = sorted(items, key=lambda item: str(item.get("name")))
        return "[\n" + ",\n".join("    " + json.dumps(dict(item), ensure_ascii=False) for item in ordered) + "\n  ]"

    head = {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": 1,
        "workspace": workspace,
        "instance": instance,
        "fetched_at": fetched_at,
    }
    if endpoints is not None:
        head["endpoints"] = dict(endpoints)
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    lines.append(f'  "attributes": {rows(attributes)},')
    lines.append(f'  "events": {rows(events)},')
    lines.append(f'  "products": {rows([{"name": p} for p in products])}')
    return "{\n" + "\n".join(lines) + "\n}\n"
