"""The taxonomy as checks see it: immutable, typed, every item carrying where it was written.

The loader builds it from YAML that may be partly invalid (schema findings are reported separately), so every
field has a safe default and no check needs to re-validate types.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from taxonomy.findings import Span

STATUSES = ("planned", "active", "deprecated", "removed")
# Canonical value types. `number` is Braze's own (integer or float); `items` says what an array holds.
TYPES = ("string", "integer", "float", "number", "boolean", "time", "array", "object")

Scalar = str | int | float | bool | None


@dataclass(frozen=True, kw_only=True)
class Suppression:
    """`lint: {ignore: [CODE], reason: ...}` on an item: those codes are not reported for it."""

    codes: tuple[str, ...]
    reason: str | None
    span: Span | None


@dataclass(frozen=True, kw_only=True)
class TypeSpec:
    """What a value may be: shared by event / purchase properties, attributes and nested keys."""

    type: str = "string"
    enum: tuple[Scalar, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    items: str | None = None  # for arrays: "string" (default) or "object" (array of objects)
    max_items: int | None = None
    properties: tuple[Property, ...] = ()  # nested keys of an object or of each object in an array

    @property
    def is_array_of_objects(self) -> bool:
        return self.type == "array" and self.items == "object"


@dataclass(frozen=True, kw_only=True)
class Property(TypeSpec):
    name: str
    span: Span
    required: bool = False
    description: str | None = None
    warehouse_name: str | None = None
    suppressions: tuple[Suppression, ...] = ()
    # Where each key's value was written, e.g. fields["type"]; checks point findings there.
    fields: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Span:
        return self.fields.get(key, self.span)


@dataclass(frozen=True, kw_only=True)
class Item:
    """What events, attributes and products share: identity, ownership and lifecycle."""

    name: str
    span: Span
    description: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    status: str = "active"
    renamed_to: str | None = None
    reason: str | None = None
    warehouse_name: str | None = None
    suppressions: tuple[Suppression, ...] = ()
    fields: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Span:
        return self.fields.get(key, self.span)

    @property
    def is_live(self) -> bool:
        """Planned or active: something code may send."""
        return self.status in ("planned", "active")


@dataclass(frozen=True, kw_only=True)
class Event(Item):
    properties: tuple[Property, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Attribute(Item, TypeSpec):
    pass


@dataclass(frozen=True, kw_only=True)
class Product(Item):
    pass


@dataclass(frozen=True, kw_only=True)
class Conventions:
    """Naming styles per kind (a style name such as snake_case, or a regex) and the event grammar."""

    events: str | None = None
    attributes: str | None = None
    properties: str | None = None
    products: str | None = None
    event_grammar: str | None = None  # "object_action": noun then past-tense verb
    fields: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Taxonomy:
    path: str  # the root file, as shown to the user
    version: int = 1
    workspace: str | None = None
    conventions: Conventions = field(default_factory=Conventions)
    warehouses: tuple[str, ...] = ()
    events: Mapping[str, Event] = field(default_factory=dict)
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    products: Mapping[str, Product] = field(default_factory=dict)
    purchase_properties: tuple[Property, ...] = ()
    files: tuple[str, ...] = ()  # every file loaded: the root, then includes in the order they were read
    # Top-level sections owned by later capabilities (user rules, accepted changes, ...), as plain data.
    sections: Mapping[str, Any] = field(default_factory=dict)
    section_spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)
    fields: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)

    def items(self) -> Iterator[tuple[str, Item]]:
        """Every named item with its kind: ("event", e), ("attribute", a), ("product", p)."""
        for event in self.events.values():
            yield "event", event
        for attribute in self.attributes.values():
            yield "attribute", attribute
        for product in self.products.values():
            yield "product", product

    def lookup(self, kind: str, name: str) -> Item | None:
        table: Mapping[str, Item] = {
            "event": self.events,
            "attribute": self.attributes,
            "product": self.products,
        }[kind]
        return table.get(name)


def walk_properties(props: tuple[Property, ...], prefix: str = "") -> Iterator[tuple[str, Property]]:
    """Every property and nested key, depth first, with its dotted path (`address.city`)."""
    for prop in props:
        path = f"{prefix}{prop.name}"
        yield path, prop
        if prop.properties:
            yield from walk_properties(prop.properties, path + ".")
