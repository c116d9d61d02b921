"""REST JSON bodies as Braze returns them, one page or a JSON array of pages.

`GET /custom_attributes` -> {"attributes": [{name, description, data_type, array_length, status, tag_names}]}
`GET /events`            -> {"events": [{name, description, included_in_analytics_report, status, tag_names}]}
`GET /events/list`       -> {"events": ["name", ...]}            (legacy, names only)
`GET /purchases/product_list` -> {"products": ["name", ...]}
"""

from __future__ import annotations

from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.export.jsonpos import JArray, JObject, Located
from taxonomy.export.model import Export, ExportedAttribute, ExportedEvent, ExportedItem, ExportedProduct
from taxonomy.export.types import normalise_data_type, normalise_status

LISTS = ("attributes", "events", "products")


def looks_like_rest(data: Any) -> bool:
    """A body, or a list of bodies of which at least one has a Braze list (the reader reports bad pages)."""
    pages = data if isinstance(data, list) else [data]
    return any(isinstance(p, dict) and any(k in p for k in LISTS) for p in pages)


class _Reader:
    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.events: list[ExportedEvent] = []
        self.attributes: list[ExportedAttribute] = []
        self.products: list[ExportedProduct] = []
        self.covers: set[str] = set()

    def fail(self, node: Any, message: str, hint: str | None = None) -> TaxonomyError:
        line, column = self.doc.at(node)
        return TaxonomyError(message, file=self.doc.display, line=line, column=column, hint=hint)

    def page(self, body: Any, where: str) -> None:
        if not isinstance(body, JObject):
            raise self.fail(body, f"{where} must be a JSON object (a REST response body)")
        if not any(key in body for key in LISTS):
            message = body.get("message")
            said = f": Braze said {message!r}" if isinstance(message, str) else ""
            raise self.fail(
                body,
                f"{where} has none of `attributes`, `events`, `products`{said}",
                hint="save the body of GET /custom_attributes, /events, /events/list or /purchases/product_list",
            )
        for key in LISTS:
            if key not in body:
                continue
            rows = body[key]
            if not isinstance(rows, JArray):
                raise self.fail(body, f"`{key}` in {where} must be a list; got {type(rows).__name__}")
            self.covers.add(key[:-1])
            for index, row in enumerate(rows):
                self.item(key, row, f"{where}.{key}[{index}]", rows)

    def item(self, key: str, row: Any, pointer: str, parent: JArray) -> None:
        if isinstance(row, str):  # legacy list endpoints: names only
            if key == "attributes":
                raise self.fail(parent, f"{pointer} must be an object with a `name`")
            if not row:  # init would write an item with no name
                raise self.fail(parent, f"{pointer} is an empty name")
            span = self.doc.span(parent)
            if key == "events":
                self.events.append(ExportedEvent(name=row, source=span, pointer=pointer))
            else:
                self.products.append(ExportedProduct(name=row, source=span, pointer=pointer))
            return
        if not isinstance(row, JObject):
            raise self.fail(parent, f"{pointer} must be an object or a name; got {_kind(row)}")
        name = row.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(row, f"{pointer} has no `name` string")
        common: dict[str, Any] = {
            "name": name,
            "raw_status": self.text(row, "status", pointer),
            "status": normalise_status(self.text(row, "status", pointer)),
            "description": self.text(row, "description", pointer),
            "tags": self.tags(row, pointer),
            "source": self.doc.span(row),
            "pointer": pointer,
        }
        if key == "attributes":
            raw_type = self.text(row, "data_type", pointer)
            length = row.get("array_length")
            if isinstance(length, float) and length.is_integer():
                length = int(length)
            if length is not None and (not isinstance(length, int) or isinstance(length, bool) or length < 0):
                raise self.fail(row, f"`array_length` of {pointer} must be a whole number or null")
            self.attributes.append(
                ExportedAttribute(**common, data_type=raw_type, type=normalise_data_type(raw_type), array_length=length)
            )
        elif key == "events":
            analytics = row.get("included_in_analytics_report")
            self.events.append(
                ExportedEvent(**common, included_in_analytics_report=analytics if isinstance(analytics, bool) else None)
            )
        else:
            self.products.append(ExportedProduct(**common))

    def text(self, row: JObject, key: str, pointer: str) -> str | None:
        value = row.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self.fail(row, f"`{key}` of {pointer} must be a string or null; got {_kind(value)}")

    def tags(self, row: JObject, pointer: str) -> tuple[str, ...]:
        value = row.get("tag_names", row.get("tags"))
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(row, f"`tag_names` of {pointer} must be a list")
        return tuple(tag for tag in value if isinstance(tag, str))  # Braze sends nulls in tag lists


def read(doc: Located) -> Export:
    reader = _Reader(doc)
    data = doc.data
    if isinstance(data, JArray):
        if not data:
            raise TaxonomyError("the export is an empty list", file=doc.display, line=1, column=1)
        for index, page in enumerate(data):
            reader.page(page, f"$[{index}]")
    else:
        reader.page(data, "$")
    return Export(
        file=doc.display,
        format="rest",
        events=tuple(reader.events),
        attributes=tuple(reader.attributes),
        products=tuple(reader.products),
        covers=frozenset(reader.covers),
        files=(doc.display,),
    )


def _kind(value: Any) -> str:
    return {dict: "an object", JObject: "an object", list: "a list", JArray: "a list", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def item_names(items: tuple[ExportedItem, ...]) -> list[str]:
    return [item.name for item in items]
