"""Every name a taxonomy declares, flattened once for the naming, Braze, warehouse and duplicate checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from taxonomy.findings import Entity, Span
from taxonomy.model import Attribute, Event, Item, Property, Taxonomy


@dataclass(frozen=True)
class Name:
    """One declared name and where it sits.

    kind: event | attribute | product | property (of an event) | purchase_property | nested (a key inside an object).
    `path` is the dotted path inside its owner (`shipping.country`); `parent` is the path of the containing object
    for nested keys. `entity` is the item the name belongs to: suppressions on that item cover its findings.
    """

    kind: str
    name: str
    path: str
    span: Span
    entity: Entity
    owner: str  # e.g. "event `order_completed`", for messages
    node: Item | Property
    convention: str  # which conventions key applies: events | attributes | properties | products
    parent: str = ""

    def describe(self) -> str:
        if self.kind in ("event", "attribute", "product"):
            return f"{self.kind} `{shorten(self.name)}`"
        if self.kind == "purchase_property":
            return f"purchase property `{shorten(self.path)}`"
        label = "key" if self.kind == "nested" else "property"
        return f"{label} `{shorten(self.path)}` of {self.owner}"


def shorten(text: str, width: int = 80) -> str:
    """Very long names (the ones BRZ001 reports) cut in the middle, so a message stays one readable line."""
    return text if len(text) <= width else f"{text[: width // 2 - 2]}...{text[-(width // 2 - 1) :]}"


def is_recommended(event: Event, prefix: str) -> bool:
    return event.name.startswith(prefix)


_CACHE: dict[int, tuple[Taxonomy, list[Name]]] = {}


def all_names(taxonomy: Taxonomy) -> list[Name]:
    """Items first, then their properties and nested keys, depth first (built once per taxonomy: most checks of a
    run walk the same list)."""
    cached = _CACHE.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    names = list(_walk(taxonomy))
    _CACHE.clear()
    _CACHE[id(taxonomy)] = (taxonomy, names)
    return names


def _walk(taxonomy: Taxonomy) -> Iterator[Name]:
    for event in taxonomy.events.values():
        entity = Entity("event", event.name)
        owner = f"event `{event.name}`"
        yield Name("event", event.name, event.name, event.span, entity, owner, event, "events")
        yield from _props(event.properties, entity, owner, "property", "properties")
    for attribute in taxonomy.attributes.values():
        entity = Entity("attribute", attribute.name)
        owner = f"attribute `{attribute.name}`"
        yield Name("attribute", attribute.name, attribute.name, attribute.span, entity, owner, attribute, "attributes")
        yield from _props(attribute.properties, entity, owner, "nested", "attributes", attribute.name + ".")
    for product in taxonomy.products.values():
        entity = Entity("product", product.name)
        yield Name(
            "product",
            product.name,
            product.name,
            product.span,
            entity,
            f"product `{product.name}`",
            product,
            "products",
        )
    for prop in taxonomy.purchase_properties:
        entity = Entity("purchase_property", prop.name)
        owner = f"purchase property `{prop.name}`"
        yield Name("purchase_property", prop.name, prop.name, prop.span, entity, owner, prop, "properties")
        yield from _props(prop.properties, entity, owner, "nested", "properties", prop.name + ".")


def _props(
    props: tuple[Property, ...], entity: Entity, owner: str, kind: str, convention: str, prefix: str = ""
) -> Iterator[Name]:
    for prop in props:
        path = prefix + prop.name
        yield Name(kind, prop.name, path, prop.span, entity, owner, prop, convention, prefix.rstrip("."))
        if prop.properties:
            yield from _props(prop.properties, entity, owner, "nested", convention, path + ".")


def item_of(name: Name) -> Item | None:
    return name.node if isinstance(name.node, Item) else None


def status_of(name: Name, taxonomy: Taxonomy) -> str:
    """The status of the item a name belongs to (properties share their event's)."""
    owner = taxonomy.lookup(name.entity.kind, name.entity.name) if name.entity.kind != "purchase_property" else None
    return owner.status if owner is not None else "active"


def is_attribute(node: Item | Property) -> bool:
    return isinstance(node, Attribute)
