"""Layout that `taxonomy fmt` and `taxonomy lint --fix` keep tidy, when the settings ask for it."""

from __future__ import annotations

from collections.abc import Iterator

from taxonomy.codes import rule
from taxonomy.findings import Entity, Finding, Fix, Span
from taxonomy.lintcontext import LintContext
from taxonomy.model import Property, TypeSpec


@rule("FMT001", "layout.enum-order", severity="warning", fixable=True)
def enum_order(ctx: LintContext) -> Iterator[Finding]:
    """Enum values are not sorted, and `[fmt] sort` includes "enums".

    Off unless configured: the order of enum values is often meaningful (bronze, silver, gold). With
    `sort = ["enums"]` in the `[fmt]` settings, `taxonomy fmt` and `taxonomy lint --fix` sort them.

    Bad:
        attributes:
          app_theme: {type: string, enum: [system, light, dark]}
    Good:
        attributes:
          app_theme: {type: string, enum: [dark, light, system]}
    """
    sort = ctx.config.section("fmt").get("sort", [])
    if not isinstance(sort, list) or "enums" not in sort:
        return
    tax = ctx.taxonomy
    for event in tax.events.values():
        yield from _properties(event.properties, ("events", event.name), Entity("event", event.name))
    for attribute in tax.attributes.values():
        entity = Entity("attribute", attribute.name)
        yield from _one(attribute, ("attributes", attribute.name), entity, attribute.at("enum"))
        yield from _properties(attribute.properties, ("attributes", attribute.name), entity)
    for prop in tax.purchase_properties:
        entity = Entity("purchase_property", prop.name)
        yield from _properties((prop,), ("purchases",), entity)


def _properties(props: tuple[Property, ...], where: tuple[str, ...], entity: Entity) -> Iterator[Finding]:
    for prop in props:
        path = (*where, "properties", prop.name)
        yield from _one(prop, path, entity, prop.at("enum"))
        yield from _properties(prop.properties, path, entity)


def _one(spec: TypeSpec, path: tuple[str, ...], entity: Entity, span: Span) -> Iterator[Finding]:
    values = spec.enum
    if not values:
        return
    ordered = sorted(values, key=lambda v: (type(v).__name__, v))
    if list(values) != ordered:
        shown = ", ".join(str(v) for v in ordered)
        yield enum_order.finding(
            f"enum values of `{'.'.join(p for p in path[1:] if p != 'properties')}` are not sorted: {shown}",
            span,
            entity,
            fix=Fix("sort the enum values", (*path, "enum"), None, "sort"),
        )
