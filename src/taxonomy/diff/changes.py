"""Two taxonomy models -> the list of changes between them, each with a stable id, a category and a reason.

Items are matched by kind and name, never by file or position, so moving an item between include files is not
a change. A `renamed_to` that the new version adds turns "deprecated + added" into one rename; a removed and an
added item that look alike get a suggested rename.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from taxonomy.findings import Span
from taxonomy.model import Attribute, Event, Item, Product, Property, Taxonomy, TypeSpec

Category = Literal["breaking", "risky", "safe"]
CATEGORIES: tuple[Category, ...] = ("breaking", "risky", "safe")
Value = Any  # JSON-ready: str, number, bool, list, None


@dataclass(frozen=True)
class Kind:
    """One kind of change: its id is the interface (accepted_changes, docs), its category says whom it hurts."""

    id: str
    category: Category
    reason: str  # names the consumer it breaks; one line
    inverse: tuple[str, ...]  # ids the same edit gets when the two versions are swapped


_ITEM = "segments, Canvases and campaign filters"
KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        # ----------------------------------------------------------------------------------- items
        Kind(
            "EVENT_REMOVED",
            "breaking",
            f"{_ITEM} on this event stop matching, warehouse models lose its table, and app versions in users' "
            "hands still send it",
            ("EVENT_ADDED",),
        ),
        Kind("EVENT_ADDED", "safe", "a new event: nothing reads it yet", ("EVENT_REMOVED",)),
        Kind(
            "EVENT_RENAMED",
            "breaking",
            f"{_ITEM} on the old name stop getting new data, warehouse models must read the new name, and app "
            "versions in users' hands keep sending the old one",
            ("RENAME_WITHDRAWN",),
        ),
        Kind(
            "ATTRIBUTE_REMOVED",
            "breaking",
            f"{_ITEM} on this attribute stop matching, warehouse models lose its column, and app versions in "
            "users' hands still set it",
            ("ATTRIBUTE_ADDED",),
        ),
        Kind("ATTRIBUTE_ADDED", "safe", "a new attribute: nothing reads it yet", ("ATTRIBUTE_REMOVED",)),
        Kind(
            "ATTRIBUTE_RENAMED",
            "breaking",
            f"{_ITEM} on the old name stop getting new values, warehouse models must read the new column, and app "
            "versions in users' hands keep setting the old one",
            ("RENAME_WITHDRAWN",),
        ),
        Kind(
            "PRODUCT_REMOVED",
            "breaking",
            "purchase segments and Canvases filtered on this product id stop matching, revenue models lose it, and "
            "app versions in users' hands still log it",
            ("PRODUCT_ADDED",),
        ),
        Kind("PRODUCT_ADDED", "safe", "a new product id: nothing reads it yet", ("PRODUCT_REMOVED",)),
        Kind(
            "PRODUCT_RENAMED",
            "breaking",
            "purchase segments and Canvases on the old product id stop getting new purchases, revenue models must "
            "read the new id, and app versions in users' hands keep logging the old one",
            ("RENAME_WITHDRAWN",),
        ),
        Kind(
            "RENAME_WITHDRAWN",
            "risky",
            "consumers already moved to the announced new name will not get it",
            ("EVENT_RENAMED", "ATTRIBUTE_RENAMED", "PRODUCT_RENAMED"),
        ),
        Kind(
            "PURCHASE_PROPERTY_REMOVED",
            "breaking",
            "purchase property filters in segments and Canvases stop matching, and warehouse models lose the column",
            ("PURCHASE_PROPERTY_ADDED",),
        ),
        Kind(
            "PURCHASE_PROPERTY_ADDED",
            "safe",
            "a new purchase property: nothing reads it yet",
            ("PURCHASE_PROPERTY_REMOVED",),
        ),
        Kind(
            "ITEM_DEPRECATED",
            "risky",
            "still sent for now, but segments, Canvases, campaign filters and warehouse models on it need a plan "
            "before it goes",
            ("STATUS_CHANGED", "ITEM_RETIRED"),
        ),
        Kind(
            "ITEM_RETIRED",
            "breaking",
            f"marked removed: {_ITEM} on it stop getting data and warehouse models on it go stale",
            ("STATUS_CHANGED", "ITEM_DEPRECATED"),
        ),
        Kind(
            "STATUS_CHANGED",
            "safe",
            "a lifecycle step that takes nothing away",
            ("STATUS_CHANGED", "ITEM_DEPRECATED", "ITEM_RETIRED"),
        ),
        Kind(
            "PLATFORM_REMOVED",
            "risky",
            f"{_ITEM} that expect it from that platform's app stop getting it from new app versions",
            ("PLATFORM_ADDED",),
        ),
        Kind("PLATFORM_ADDED", "safe", "sent from one more platform: more data, nothing breaks", ("PLATFORM_REMOVED",)),
        Kind("OWNER_CHANGED", "safe", "ownership only: no consumer reads it", ("OWNER_CHANGED",)),
        Kind("TAGS_CHANGED", "safe", "catalogue labels only: no consumer reads them", ("TAGS_CHANGED",)),
        # ------------------------------------------------------------------------------ properties
        Kind(
            "PROPERTY_REMOVED",
            "breaking",
            "event property filters in segments, Canvases and Liquid templates stop matching, warehouse models lose "
            "the column, and app versions in users' hands still send it",
            ("PROPERTY_ADDED", "REQUIRED_PROPERTY_ADDED"),
        ),
        Kind("PROPERTY_ADDED", "safe", "an optional property: existing consumers ignore it", ("PROPERTY_REMOVED",)),
        Kind(
            "REQUIRED_PROPERTY_ADDED",
            "breaking",
            "app versions in users' hands do not send it, so their events fail validation and filters on it miss them",
            ("PROPERTY_REMOVED",),
        ),
        Kind(
            "NESTED_KEY_REMOVED",
            "breaking",
            "segments on the nested key and warehouse models that read it break, and app versions in users' hands "
            "still send it",
            ("NESTED_KEY_ADDED",),
        ),
        Kind("NESTED_KEY_ADDED", "safe", "a new nested key: nothing reads it yet", ("NESTED_KEY_REMOVED",)),
        Kind(
            "PROPERTY_BECAME_REQUIRED",
            "breaking",
            "app versions in users' hands may not send it, so their events fail validation",
            ("PROPERTY_BECAME_OPTIONAL",),
        ),
        Kind(
            "PROPERTY_BECAME_OPTIONAL",
            "risky",
            "warehouse models and Liquid templates that assume a value now get nulls",
            ("PROPERTY_BECAME_REQUIRED",),
        ),
        # ---------------------------------------------------------------------------------- values
        Kind(
            "TYPE_CHANGED",
            "breaking",
            "segment and campaign filters compare by type, warehouse columns change type, and app versions in "
            "users' hands keep sending the old type",
            ("TYPE_CHANGED",),
        ),
        Kind(
            "ENUM_VALUE_REMOVED",
            "breaking",
            "segments and campaign filters on this value stop matching, and app versions in users' hands still send it",
            ("ENUM_VALUE_ADDED",),
        ),
        Kind(
            "ENUM_VALUE_ADDED",
            "risky",
            "segments, Canvases and warehouse CASE expressions that list every value miss the new one",
            ("ENUM_VALUE_REMOVED",),
        ),
        Kind(
            "ENUM_CONSTRAINT_ADDED",
            "risky",
            "values outside the list, which app versions in users' hands may still send, now fail validation",
            ("ENUM_CONSTRAINT_REMOVED",),
        ),
        Kind(
            "ENUM_CONSTRAINT_REMOVED",
            "risky",
            "any value is allowed now: filters and warehouse models that list the values miss new ones",
            ("ENUM_CONSTRAINT_ADDED",),
        ),
        Kind(
            "ARRAY_MAX_LOWERED",
            "breaking",
            "Braze drops the oldest elements beyond the limit, so segments and warehouse models on them lose data",
            ("ARRAY_MAX_RAISED",),
        ),
        Kind(
            "ARRAY_MAX_RAISED",
            "safe",
            "arrays keep more elements: nothing that reads them breaks",
            ("ARRAY_MAX_LOWERED",),
        ),
        Kind(
            "CONSTRAINT_TIGHTENED",
            "risky",
            "values that app versions in users' hands send may now fail validation",
            ("CONSTRAINT_LOOSENED",),
        ),
        Kind(
            "CONSTRAINT_LOOSENED",
            "safe",
            "more values are valid: nothing that reads the old ones breaks",
            ("CONSTRAINT_TIGHTENED",),
        ),
        Kind(
            "PATTERN_ADDED",
            "risky",
            "values that app versions in users' hands send may not match, and fail validation",
            ("PATTERN_REMOVED",),
        ),
        Kind(
            "PATTERN_CHANGED",
            "risky",
            "the pattern may be tighter: values that app versions in users' hands send may no longer match",
            ("PATTERN_CHANGED",),
        ),
        Kind(
            "PATTERN_REMOVED",
            "safe",
            "more values are valid: nothing that reads the old ones breaks",
            ("PATTERN_ADDED",),
        ),
        Kind(
            "UNIT_CHANGED",
            "risky",
            "warehouse models, segment thresholds and campaign filters compare numbers in the old unit",
            ("UNIT_CHANGED",),
        ),
        Kind("DESCRIPTION_CHANGED", "safe", "documentation only", ("DESCRIPTION_CHANGED",)),
        Kind(
            "WAREHOUSE_NAME_CHANGED",
            "breaking",
            "warehouse models and dashboards select the old table or column name",
            ("WAREHOUSE_NAME_CHANGED",),
        ),
    )
}


@dataclass(frozen=True)
class Change:
    """One change. `path` is the YAML key path of what changed; `field` the key compared ("" for presence)."""

    id: str
    entity_kind: str  # event | attribute | product | purchase_property: the thing Braze knows by name
    entity_name: str
    path: tuple[str, ...]
    field: str
    old: Value
    new: Value
    old_span: Span | None = None
    new_span: Span | None = None
    note: str | None = None  # e.g. a suggested rename
    category_override: Category | None = None  # set when code usage downgrades it
    reason_override: str | None = None

    @property
    def kind(self) -> Kind:
        return KINDS[self.id]

    @property
    def category(self) -> Category:
        return self.category_override or self.kind.category

    @property
    def reason(self) -> str:
        return self.reason_override or self.kind.reason

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def span(self) -> Span | None:
        """Where to point: the line in the new file, or in the old file for what is gone."""
        return self.new_span or self.old_span

    def mirror_key(self) -> tuple[tuple[str, ...], str, str, str]:
        return (self.path, self.field, repr(self.new), repr(self.old))

    def key(self) -> tuple[tuple[str, ...], str, str, str]:
        return (self.path, self.field, repr(self.old), repr(self.new))


# ---------------------------------------------------------------------------------------------- compare

_ITEM_IDS = {"event": "EVENT", "attribute": "ATTRIBUTE", "product": "PRODUCT"}


def _item_path(kind: str, name: str) -> tuple[str, ...]:
    return ("purchases", "products", name) if kind == "product" else (f"{kind}s", name)


def compare(old: Taxonomy, new: Taxonomy) -> list[Change]:
    """Every change from `old` to `new`, in a stable order (by path, then id)."""
    out: list[Change] = []
    for kind in _ITEM_IDS:
        out.extend(_items(kind, _table(old, kind), _table(new, kind)))
    old_props = {p.name: p for p in old.purchase_properties}
    new_props = {p.name: p for p in new.purchase_properties}
    suggestions = _suggest_renames(
        [p for n, p in old_props.items() if n not in new_props], [p for n, p in new_props.items() if n not in old_props]
    )
    for name in sorted(old_props.keys() | new_props.keys()):
        path = ("purchases", "properties", name)
        a, b = old_props.get(name), new_props.get(name)
        if a is None and b is not None:
            out.append(Change("PURCHASE_PROPERTY_ADDED", "purchase_property", name, path, "", None, name, None, b.span))
        elif b is None and a is not None:
            note = _key_rename_note(name, suggestions)
            out.append(
                Change("PURCHASE_PROPERTY_REMOVED", "purchase_property", name, path, "", name, None, a.span, None, note)
            )
        elif a is not None and b is not None:
            out.extend(_property(a, b, ("purchase_property", name), path))
    return sorted(out, key=lambda c: (c.path, c.id, c.field, repr(c.old), repr(c.new)))


def _table(taxonomy: Taxonomy, kind: str) -> Mapping[str, Item]:
    tables: dict[str, Mapping[str, Item]] = {
        "event": taxonomy.events,
        "attribute": taxonomy.attributes,
        "product": taxonomy.products,
    }
    return tables[kind]


def _items(kind: str, old: Mapping[str, Item], new: Mapping[str, Item]) -> Iterator[Change]:
    prefix = _ITEM_IDS[kind]
    renamed_targets: set[str] = set()
    renames: list[Change] = []
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        if b.renamed_to and b.renamed_to != a.renamed_to:
            renamed_targets.add(b.renamed_to)
            renames.append(
                Change(
                    f"{prefix}_RENAMED",
                    kind,
                    name,
                    _item_path(kind, name),
                    "renamed_to",
                    name if a.renamed_to is None else a.renamed_to,
                    b.renamed_to,
                    a.span,
                    b.at("renamed_to"),
                )
            )
    yield from renames
    added = [n for n in new if n not in old and n not in renamed_targets]
    removed = [n for n in old if n not in new]
    suggestions = _suggest_renames([old[n] for n in removed], [new[n] for n in added])
    for name in sorted(removed):
        item = old[name]
        note = None
        if name in suggestions:
            note = (
                f"looks like a rename to `{suggestions[name]}`: keep `{name}` with status deprecated and "
                f"renamed_to: {suggestions[name]}"
            )
        yield Change(f"{prefix}_REMOVED", kind, name, _item_path(kind, name), "", name, None, item.span, None, note)
    for name in sorted(added):
        yield Change(f"{prefix}_ADDED", kind, name, _item_path(kind, name), "", None, name, None, new[name].span)
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        yield from _item(kind, a, b, renamed=bool(b.renamed_to) and b.renamed_to != a.renamed_to)


def _item(kind: str, a: Item, b: Item, *, renamed: bool) -> Iterator[Change]:
    entity = (kind, a.name)
    path = _item_path(kind, a.name)

    def change(id_: str, field: str, old: Value, new: Value) -> Change:
        return Change(id_, kind, a.name, path, field, old, new, a.at(field), b.at(field))

    if a.renamed_to and not b.renamed_to:
        yield change("RENAME_WITHDRAWN", "renamed_to", a.renamed_to, None)
    if a.status != b.status and not (renamed and b.status in ("deprecated", "removed")):
        # A rename says the old name is deprecated or removed; the rename change already covers that.
        status_id = {"deprecated": "ITEM_DEPRECATED", "removed": "ITEM_RETIRED"}.get(b.status, "STATUS_CHANGED")
        yield change(status_id, "status", a.status, b.status)
    yield from _sets(a.platforms, b.platforms, "PLATFORM_REMOVED", "PLATFORM_ADDED", "platforms", path, entity, a, b)
    if a.owner != b.owner:
        yield change("OWNER_CHANGED", "owner", a.owner, b.owner)
    if a.tags != b.tags and set(a.tags) != set(b.tags):
        yield change("TAGS_CHANGED", "tags", list(a.tags), list(b.tags))
    yield from _text(a, b, entity, path)
    if a.warehouse_name != b.warehouse_name:
        yield change("WAREHOUSE_NAME_CHANGED", "warehouse_name", a.warehouse_name, b.warehouse_name)
    if isinstance(a, Event) and isinstance(b, Event):
        yield from _properties(a.properties, b.properties, entity, path, top=True)
    elif isinstance(a, Attribute) and isinstance(b, Attribute):
        yield from _typespec(a, b, entity, path)
    elif isinstance(a, Product) and isinstance(b, Product):
        pass  # products have only the item fields above


def _sets(
    old: tuple[Any, ...],
    new: tuple[Any, ...],
    removed_id: str,
    added_id: str,
    field: str,
    path: tuple[str, ...],
    entity: tuple[str, str],
    a: Item | Property,
    b: Item | Property,
) -> Iterator[Change]:
    """One change per value gone or come (platforms, enum values)."""
    new_keys = {_value_key(v) for v in new}
    old_keys = {_value_key(v) for v in old}
    for value in old:
        if _value_key(value) not in new_keys:
            yield Change(removed_id, *entity, path, field, value, None, a.at(field), b.at(field))
    for value in new:
        if _value_key(value) not in old_keys:
            yield Change(added_id, *entity, path, field, None, value, a.at(field), b.at(field))


def _value_key(value: Any) -> tuple[str, Any]:
    # 1 and True are equal in Python but not in YAML or in Braze filters.
    return (type(value).__name__, value)


def _text(a: Item | Property, b: Item | Property, entity: tuple[str, str], path: tuple[str, ...]) -> Iterator[Change]:
    if a.description == b.description:
        return
    old_units, new_units = units_in(a.description), units_in(b.description)
    shared = old_units.keys() & new_units.keys()
    changed = any(old_units[d] != new_units[d] for d in shared)
    change_id = "UNIT_CHANGED" if changed else "DESCRIPTION_CHANGED"
    yield Change(
        change_id, *entity, path, "description", a.description, b.description, a.at("description"), b.at("description")
    )


def _properties(
    old: tuple[Property, ...], new: tuple[Property, ...], entity: tuple[str, str], path: tuple[str, ...], *, top: bool
) -> Iterator[Change]:
    a_props = {p.name: p for p in old}
    b_props = {p.name: p for p in new}
    suggestions = _suggest_renames(
        [p for n, p in a_props.items() if n not in b_props], [p for n, p in b_props.items() if n not in a_props]
    )
    for name in sorted(a_props.keys() | b_props.keys()):
        sub = (*path, "properties", name)
        a, b = a_props.get(name), b_props.get(name)
        if a is None and b is not None:
            change_id = ("REQUIRED_PROPERTY_ADDED" if b.required else "PROPERTY_ADDED") if top else "NESTED_KEY_ADDED"
            yield Change(change_id, *entity, sub, "", None, name, None, b.span)
        elif b is None and a is not None:
            change_id = "PROPERTY_REMOVED" if top else "NESTED_KEY_REMOVED"
            yield Change(change_id, *entity, sub, "", name, None, a.span, None, _key_rename_note(name, suggestions))
        elif a is not None and b is not None:
            yield from _property(a, b, entity, sub)


def _property(a: Property, b: Property, entity: tuple[str, str], path: tuple[str, ...]) -> Iterator[Change]:
    if a.required != b.required:
        change_id = "PROPERTY_BECAME_REQUIRED" if b.required else "PROPERTY_BECAME_OPTIONAL"
        yield Change(change_id, *entity, path, "required", a.required, b.required, a.at("required"), b.at("required"))
    yield from _text(a, b, entity, path)
    if a.warehouse_name != b.warehouse_name:
        yield Change(
            "WAREHOUSE_NAME_CHANGED",
            *entity,
            path,
            "warehouse_name",
            a.warehouse_name,
            b.warehouse_name,
            a.at("warehouse_name"),
            b.at("warehouse_name"),
        )
    yield from _typespec(a, b, entity, path)


def type_label(spec: TypeSpec) -> str:
    return f"array<{spec.items or 'string'}>" if spec.type == "array" else spec.type


def _typespec(
    a: Attribute | Property, b: Attribute | Property, entity: tuple[str, str], path: tuple[str, ...]
) -> Iterator[Change]:
    def change(id_: str, field: str, old: Value, new: Value) -> Change:
        return Change(id_, *entity, path, field, old, new, a.at(field), b.at(field))

    if type_label(a) != type_label(b):
        yield change("TYPE_CHANGED", "type", type_label(a), type_label(b))
    if a.enum is not None and b.enum is not None:
        yield from _sets(a.enum, b.enum, "ENUM_VALUE_REMOVED", "ENUM_VALUE_ADDED", "enum", path, entity, a, b)
    elif a.enum is None and b.enum is not None:
        yield change("ENUM_CONSTRAINT_ADDED", "enum", None, list(b.enum))
    elif a.enum is not None and b.enum is None:
        yield change("ENUM_CONSTRAINT_REMOVED", "enum", list(a.enum), None)
    if a.pattern != b.pattern:
        pattern_id = (
            "PATTERN_ADDED" if a.pattern is None else "PATTERN_REMOVED" if b.pattern is None else "PATTERN_CHANGED"
        )
        yield change(pattern_id, "pattern", a.pattern, b.pattern)
    for field, lower_bound in (("minimum", True), ("maximum", False), ("min_length", True), ("max_length", False)):
        old, new = getattr(a, field), getattr(b, field)
        if old != new:
            yield change(_bound(old, new, lower_bound), field, old, new)
    if a.max_items != b.max_items:
        lowered = _bound(a.max_items, b.max_items, False) == "CONSTRAINT_TIGHTENED"
        yield change("ARRAY_MAX_LOWERED" if lowered else "ARRAY_MAX_RAISED", "max_items", a.max_items, b.max_items)
    yield from _properties(a.properties, b.properties, entity, path, top=False)


def _bound(old: float | None, new: float | None, lower_bound: bool) -> str:
    """A bound added, or moved inwards, tightens; removed or moved outwards loosens."""
    if old is None:
        return "CONSTRAINT_TIGHTENED"
    if new is None:
        return "CONSTRAINT_LOOSENED"
    tighter = new > old if lower_bound else new < old
    return "CONSTRAINT_TIGHTENED" if tighter else "CONSTRAINT_LOOSENED"


# ---------------------------------------------------------------------------------------------- units


@functools.cache
def _unit_words() -> tuple[dict[str, tuple[str, str]], re.Pattern[str]]:
    """word -> (dimension, unit), from rules/units.yaml, and one regex that finds any of the words."""
    from taxonomy.resources import load_rule_pack

    table: dict[str, tuple[str, str]] = {}
    for dimension, units in load_rule_pack("units.yaml").items():
        for unit, words in units.items():
            for word in words:
                table[str(word).lower()] = (str(dimension), str(unit))
    longest_first = sorted(table, key=len, reverse=True)  # "user's currency" before "user"
    pattern = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, longest_first)) + r")(?![\w'])")
    return table, pattern


def units_in(text: str | None) -> dict[str, frozenset[str]]:
    """The units a description names, by dimension: "Duration in seconds" -> {"time": {"seconds"}}."""
    if not text:
        return {}
    table, pattern = _unit_words()
    found: dict[str, set[str]] = {}
    for word in pattern.findall(text.lower().replace("’", "'")):
        dimension, unit = table[word]
        found.setdefault(dimension, set()).add(unit)
    return {d: frozenset(u) for d, u in found.items()}


# ---------------------------------------------------------------------------------------------- renames


def _shape(item: Item | Property) -> tuple[Any, ...]:
    if isinstance(item, Event):
        return tuple(sorted((p.name, type_label(p), p.required) for p in item.properties))
    if isinstance(item, (Attribute, Property)):
        return (type_label(item), tuple(sorted(map(str, item.enum or ()))), item.pattern, _shape_of_keys(item))
    return ()


def _shape_of_keys(spec: TypeSpec) -> tuple[Any, ...]:
    return tuple(sorted((p.name, type_label(p)) for p in spec.properties))


def _distinctive(item: Item | Property) -> bool:
    """A shape rare enough to pair items on it alone: some properties, an enum or a pattern."""
    if isinstance(item, Event):
        return bool(item.properties)
    if isinstance(item, (Attribute, Property)):
        return bool(item.enum or item.pattern or item.properties)
    return False


def _suggest_renames(removed: Sequence[Item | Property], added: Sequence[Item | Property]) -> dict[str, str]:
    """removed name -> added name, for pairs of the same kind and shape whose names (or shapes) look alike."""
    if not removed or not added:
        return {}
    from rapidfuzz import fuzz

    # Bucket the added items by shape once: comparing every removed item with every added one is quadratic.
    buckets: dict[tuple[Any, ...], list[Item | Property]] = {}
    for new in added:
        buckets.setdefault((type(new).__name__, _shape(new)), []).append(new)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for gone in sorted(removed, key=lambda i: i.name):
        best: tuple[float, str] | None = None
        distinctive = _distinctive(gone)
        for new in buckets.get((type(gone).__name__, _shape(gone)), ()):
            if new.name in taken:
                continue
            score = fuzz.ratio(gone.name.lower(), new.name.lower())
            if score < 60 and not distinctive:
                continue
            if best is None or score > best[0] or (score == best[0] and new.name < best[1]):
                best = (score, new.name)
        if best is not None:
            out[gone.name] = best[1]
            taken.add(best[1])
    return out


def _key_rename_note(name: str, suggestions: Mapping[str, str]) -> str | None:
    target = suggestions.get(name)
    if target is None:
        return None
    return f"looks like a rename to `{target}`: senders and every consumer of `{name}` must move together"


def with_category(change: Change, category: Category, reason: str) -> Change:
    return replace(change, category_override=category, reason_override=reason)
