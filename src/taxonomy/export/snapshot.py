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


@functools.cache
def _validator() -> Any:
    import jsonschema

    from taxonomy.resources import load_schema

    cls = jsonschema.Draft202012Validator
    return cls(load_schema(SCHEMA_NAME), format_checker=cls.FORMAT_CHECKER)


def validate(doc: Located) -> None:
    """The first schema error, at the line and column of the value it is about."""
    errors = sorted(_validator().iter_errors(doc.data), key=lambda e: (list(e.absolute_path), e.message))
    if not errors:
        return
    error = errors[0]
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
