"""Warehouse identifiers: how each name lands as a table or column in the dialects listed under `warehouses`.

Loaders map names to lower snake_case (spaces, dots, dashes and camelCase boundaries become `_`); nested keys
become `<parent>_<key>` columns. An explicit `warehouse_name` on an item or property overrides the mapping.
Dialect facts (length limits, reserved words, allowed characters) come from rules/warehouses/<dialect>.yaml.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from taxonomy import codes, naming
from taxonomy.codes import rule
from taxonomy.engine import enabled
from taxonomy.findings import Entity, Finding, Span
from taxonomy.lintcontext import LintContext
from taxonomy.model import Property, Taxonomy
from taxonomy.resources import load_rule_pack


@dataclass(frozen=True)
class Dialect:
    name: str
    title: str
    max_length: int
    in_bytes: bool
    folding: str
    pattern: re.Pattern[str]
    reserved: frozenset[str]
    reserved_columns: frozenset[str]
    reserved_prefixes: tuple[str, ...]

    def length(self, identifier: str) -> int:
        return len(identifier.encode("utf-8")) if self.in_bytes else len(identifier)

    def unit(self) -> str:
        return "bytes" if self.in_bytes else "characters"


@functools.cache
def dialect(name: str) -> Dialect:
    data = load_rule_pack(f"warehouses/{name}.yaml")
    return Dialect(
        name=name,
        title=str(data.get("title", name)),
        max_length=int(data["max_length"]),
        in_bytes=data.get("length_unit") == "bytes",
        folding=str(data.get("case_folding", "none")),
        pattern=re.compile(str(data["identifier_pattern"])),
        reserved=frozenset(str(word).upper() for word in data.get("reserved") or ()),
        reserved_columns=frozenset(str(word).lower() for word in data.get("reserved_columns") or ()),
        reserved_prefixes=tuple(str(p).upper() for p in data.get("reserved_prefixes") or ()),
    )


@dataclass(frozen=True)
class Identifier:
    """One table or column a name turns into."""

    identifier: str
    what: str  # "table" | "column"
    namespace: str  # which table (for columns) or "tables"
    label: str  # "event `x`", "property `a.b` of event `x`"
    span: Span
    entity: Entity
    source: str  # the name as written
    parent: str  # the containing path: siblings share it
    explicit: bool  # set by `warehouse_name`


_CACHE: dict[int, tuple[Taxonomy, list[Identifier]]] = {}


def identifiers(taxonomy: Taxonomy) -> list[Identifier]:
    """Every table and column the taxonomy becomes (built once per taxonomy; four checks read it)."""
    cached = _CACHE.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    found = list(_identifiers(taxonomy))
    _CACHE.clear()
    _CACHE[id(taxonomy)] = (taxonomy, found)
    return found


def _identifiers(taxonomy: Taxonomy) -> Iterator[Identifier]:
    for event in taxonomy.events.values():
        entity = Entity("event", event.name)
        table = event.warehouse_name or naming.warehouse_name(event.name)
        yield Identifier(
            table,
            "table",
            "tables",
            f"event `{event.name}`",
            event.span,
            entity,
            event.name,
            "",
            event.warehouse_name is not None,
        )
        yield from _columns(event.properties, f"event:{event.name}", entity, f"of event `{event.name}`")
    for attribute in taxonomy.attributes.values():
        entity = Entity("attribute", attribute.name)
        column = attribute.warehouse_name or naming.warehouse_name(attribute.name)
        yield Identifier(
            column,
            "column",
            "users",
            f"attribute `{attribute.name}`",
            attribute.span,
            entity,
            attribute.name,
            "",
            attribute.warehouse_name is not None,
        )
        yield from _columns(
            attribute.properties, "users", entity, f"of attribute `{attribute.name}`", column, attribute.name
        )
    for prop in taxonomy.purchase_properties:
        entity = Entity("purchase_property", prop.name)
        yield from _columns((prop,), "purchases", entity, "of purchases")


def _columns(
    props: tuple[Property, ...], namespace: str, entity: Entity, owner: str, prefix: str = "", path: str = ""
) -> Iterator[Identifier]:
    for prop in props:
        own = naming.warehouse_name(prop.name)
        column = prop.warehouse_name or (f"{prefix}_{own}" if prefix else own)
        here = f"{path}.{prop.name}" if path else prop.name
        label = f"{'key' if path else 'property'} `{here}` {owner}"
        yield Identifier(
            column, "column", namespace, label, prop.span, entity, prop.name, path, prop.warehouse_name is not None
        )
        if prop.properties:
            yield from _columns(prop.properties, namespace, entity, owner, column, here)


def _dialects(ctx: LintContext) -> list[Dialect]:
    # An unknown name is a schema finding already; never a path into rules/ ("../braze", a NUL byte).
    return [dialect(name) for name in ctx.taxonomy.warehouses if name in _known()]


@functools.cache
def _known() -> frozenset[str]:
    from taxonomy.resources import rules_dir

    return frozenset(path.stem for path in (rules_dir() / "warehouses").glob("*.yaml"))


def _titles(dialects: list[Dialect]) -> str:
    return ", ".join(d.title for d in dialects)


@rule("WHS001", "warehouse.identifier-too-long")
def identifier_too_long(ctx: LintContext) -> Iterator[Finding]:
    """A name's table or column name is longer than a warehouse in `warehouses` allows.

    PostgreSQL (63 bytes) truncates longer names silently, so two long names that share a prefix become the
    same column; Redshift refuses names over 127 bytes. Limits come from rules/warehouses/<dialect>.yaml. Shorten
    the name or set `warehouse_name`.

    Bad:
        warehouses: [postgres]
        events:
          checkout_payment_method_selection_screen_primary_button_tapped_by_user: {}
    Good:
        warehouses: [postgres]
        events:
          payment_button_tapped: {}
    """
    dialects = _dialects(ctx)
    if not dialects:
        return
    memo: dict[str, list[Dialect]] = {}  # columns repeat across events: test each identifier once
    for ident in identifiers(ctx.taxonomy):
        over = memo.get(ident.identifier)
        if over is None:
            over = memo[ident.identifier] = [d for d in dialects if d.length(ident.identifier) > d.max_length]
        if over:
            limits = ", ".join(f"{d.title} {d.max_length} {d.unit()}" for d in over)
            yield identifier_too_long.finding(
                f"{ident.what} `{ident.identifier}` for {ident.label} is too long for {limits}:"
                " shorten the name or set `warehouse_name`",
                ident.span,
                ident.entity,
            )


@rule("WHS002", "warehouse.reserved-word")
def reserved_word(ctx: LintContext) -> Iterator[Finding]:
    """A name's table or column name is a reserved word in a warehouse listed under `warehouses`.

    `order`, `group`, `select`, `user`... must be quoted in every query, and some loaders fail on them. Reserved
    words come from each vendor's documentation (rules/warehouses/<dialect>.yaml), with system column names
    (Redshift `oid`, PostgreSQL `xmin`) and reserved column prefixes (BigQuery `_TABLE_`).

    Bad:
        warehouses: [snowflake]
        events:
          order_completed: {properties: {order: {type: string}}}
    Good:
        warehouses: [snowflake]
        events:
          order_completed: {properties: {order_id: {type: string}}}
    """
    dialects = _dialects(ctx)
    if not dialects:
        return
    memo: dict[tuple[str, str], list[Dialect]] = {}
    for ident in identifiers(ctx.taxonomy):
        key = (ident.identifier, ident.what)
        hits = memo.get(key)
        if hits is None:
            hits = memo[key] = [d for d in dialects if _is_reserved(ident, d)]
        if hits:
            yield reserved_word.finding(
                f"{ident.what} `{ident.identifier}` for {ident.label} is reserved in {_titles(hits)}:"
                f" rename it or set `warehouse_name` (e.g. `{ident.identifier}_value`)",
                ident.span,
                ident.entity,
            )


def _is_reserved(ident: Identifier, d: Dialect) -> bool:
    word = ident.identifier
    if word.upper() in d.reserved:
        return True
    if ident.what == "column":
        return word.lower() in d.reserved_columns or word.upper().startswith(d.reserved_prefixes or ("\0",))
    return False


@rule("WHS003", "warehouse.collision")
def collision(ctx: LintContext) -> Iterator[Finding]:
    """Two names map to the same table or column once normalised for the warehouse.

    `Signed Up` and `signed_up` land in one table; a nested attribute key `shipping_address.city` and an attribute
    `shipping_address_city` land in one column; two `warehouse_name`s may be equal. The later name is reported.
    Names that differ only in case and separators among siblings are reported once, as DUP001, when that check is
    enabled.

    Bad:
        attributes:
          shipping_address: {type: object, properties: {city: {type: string}}}
          shipping_address_city: {type: string}
    Good:
        attributes:
          shipping_address: {type: object, properties: {city: {type: string}}}
          billing_city: {type: string}
    """
    if not ctx.taxonomy.warehouses:
        return
    dup_enabled = enabled(codes.get("DUP001"), ctx.config)
    seen: dict[tuple[str, str], Identifier] = {}
    for ident in identifiers(ctx.taxonomy):
        key = (ident.namespace, ident.identifier.lower())
        first = seen.get(key)
        if first is None:
            seen[key] = ident
            continue
        if (
            dup_enabled
            and not (first.explicit or ident.explicit)
            and naming.squash(first.source) == naming.squash(ident.source)
            and _siblings(first, ident)
        ):
            continue  # the same name spelt twice: DUP001 says so
        where = f"{first.span.file}:{first.span.line}"
        yield collision.finding(
            f"{ident.label} and {first.label} ({where}) both become the {ident.what} `{ident.identifier}`"
            " in the warehouse: rename one or set `warehouse_name`",
            ident.span,
            ident.entity,
        )


def _siblings(first: Identifier, second: Identifier) -> bool:
    """Two names DUP001 compares: items of one kind, or properties / keys of one object."""
    if first.what == "table":
        return True
    if not first.parent and not second.parent:
        return first.entity.kind == second.entity.kind and (
            first.entity.kind == "attribute" or first.entity == second.entity or first.namespace == "purchases"
        )
    return first.entity == second.entity and first.parent == second.parent


@rule("WHS004", "warehouse.invalid-identifier")
def invalid_identifier(ctx: LintContext) -> Iterator[Finding]:
    """A name's table or column name is not a plain identifier in a warehouse listed under `warehouses`.

    After normalisation most names are plain `lower_snake` identifiers; a name that starts with a digit, or a
    `warehouse_name` with spaces or other characters, must be quoted in every query (and Databricks refuses
    some outright). Allowed characters come from rules/warehouses/<dialect>.yaml.

    Bad:
        warehouses: [snowflake]
        events:
          2fa_enabled: {}
    Good:
        warehouses: [snowflake]
        events:
          two_factor_enabled: {}
    """
    dialects = _dialects(ctx)
    if not dialects:
        return
    memo: dict[str, list[Dialect]] = {}
    for ident in identifiers(ctx.taxonomy):
        bad = memo.get(ident.identifier)
        if bad is None:
            bad = memo[ident.identifier] = [d for d in dialects if not d.pattern.fullmatch(ident.identifier)]
        if bad:
            shown = ident.identifier or "(empty)"
            yield invalid_identifier.finding(
                f"{ident.what} `{shown}` for {ident.label} is not a plain identifier in {_titles(bad)}"
                " (letters, digits and `_`, starting with a letter or `_`): rename it or set `warehouse_name`",
                ident.span,
                ident.entity,
            )
