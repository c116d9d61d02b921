"""Braze's platform rules, read from rules/braze.yaml: lengths, `$`, reserved and standard names, property caps,
nested keys, array and string limits, recommended eCommerce events."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from taxonomy import naming
from taxonomy.checks.names import all_names
from taxonomy.codes import rule
from taxonomy.findings import Entity, Finding
from taxonomy.fuzzy import did_you_mean
from taxonomy.lintcontext import LintContext
from taxonomy.model import Attribute, Property, TypeSpec, walk_properties
from taxonomy.resources import load_rule_pack

# Which limit in `limits.name_length` applies to each kind of name.
_LENGTH_KEY = {
    "event": "event",
    "attribute": "attribute",
    "product": "product",
    "property": "property",
    "purchase_property": "property",
    "nested": "nested_key",
}


@functools.cache
def pack() -> dict[str, Any]:
    data: dict[str, Any] = load_rule_pack("braze.yaml")
    return data


@functools.cache
def _standard_attributes() -> dict[str, str]:
    """squashed name -> the standard name, so `Email`, `FIRST-NAME` and `firstName` are all found."""
    return {naming.squash(name): name for name in pack()["standard_attributes"]}


@rule("BRZ001", "braze.name-too-long")
def name_too_long(ctx: LintContext) -> Iterator[Finding]:
    """A name is longer than Braze accepts (255 characters for events, properties, attributes and product ids).

    Braze drops or truncates longer names (the Android SDK truncates attribute keys), so two long names that share
    their first 255 characters become one. The limits are in rules/braze.yaml (`limits.name_length`).

    Bad:
        events:
          checkout_started_from_the_persistent_mini_cart_drawer_on_the_product_listing_page_... (300 characters)
    Good:
        events:
          checkout_started: {properties: {entry_point: {type: string, enum: [mini_cart, cart_page]}}}
    """
    limits = pack()["limits"]["name_length"]
    for name in all_names(ctx.taxonomy):
        limit = int(limits[_LENGTH_KEY[name.kind]])
        if len(name.name) > limit:
            yield name_too_long.finding(
                f"{name.describe()} is {len(name.name)} characters long; Braze accepts at most {limit}",
                name.span,
                name.entity,
            )


@rule("BRZ002", "braze.dollar-prefix")
def dollar_prefix(ctx: LintContext) -> Iterator[Finding]:
    """A name starts with `$`, which Braze reserves for its operators (`$add`, `$remove`, `$time`).

    Event names, property keys, attribute keys and product ids must not start with `$`; the SDKs refuse them.

    Bad:
        attributes:
          $plan: {type: string}
    Good:
        attributes:
          plan: {type: string}
    """
    prefixes = tuple(pack()["forbidden_prefixes"])
    for name in all_names(ctx.taxonomy):
        if name.kind != "nested" and name.name.startswith(prefixes):  # nested keys: BRZ006
            better = name.name.lstrip("".join(prefixes))
            hint = f": rename it to `{better}`" if better else ""
            yield dollar_prefix.finding(
                f"{name.describe()} starts with `{name.name[0]}`, which Braze reserves for operators{hint}",
                name.span,
                name.entity,
            )


@rule("BRZ003", "braze.reserved-property")
def reserved_property(ctx: LintContext) -> Iterator[Finding]:
    """An event or purchase property uses a key Braze reserves.

    Event properties may not be called `time` or `event_name` (the /users/track endpoint rejects the event);
    purchase properties may not use `time`, `product_id`, `quantity`, `event_name`, `price` or `currency`
    (lists in rules/braze.yaml). Compared exactly: Braze keys are case sensitive.

    Bad:
        events:
          order_completed: {properties: {time: {type: time}}}
    Good:
        events:
          order_completed: {properties: {completed_at: {type: time}}}
    """
    event_reserved = set(pack()["reserved_event_properties"])
    purchase_reserved = set(pack()["reserved_purchase_properties"])
    for event in ctx.taxonomy.events.values():
        for prop in event.properties:
            if prop.name in event_reserved:
                yield reserved_property.finding(
                    f"property `{prop.name}` of event `{event.name}` is a key Braze reserves for events"
                    f" ({', '.join(sorted(event_reserved))}); rename it (e.g. `{event.name}_{prop.name}`)",
                    prop.span,
                    Entity("event", event.name),
                )
    for prop in ctx.taxonomy.purchase_properties:
        if prop.name in purchase_reserved:
            yield reserved_property.finding(
                f"purchase property `{prop.name}` is a key Braze reserves for purchases"
                f" ({', '.join(sorted(purchase_reserved))}); rename it",
                prop.span,
                Entity("purchase_property", prop.name),
            )


@rule("BRZ004", "braze.standard-attribute")
def standard_attribute(ctx: LintContext) -> Iterator[Finding]:
    """A custom attribute is named like one of Braze's standard profile fields.

    `email`, `first_name`, `country`, `language` and the other default fields (rules/braze.yaml) are reserved
    keys; a custom attribute `Email` or `firstName` creates a second, confusing field next to the real one.
    Compared ignoring case and separators. Set the standard field with its own SDK method instead.

    Bad:
        attributes:
          Email: {type: string}
    Good:
        attributes:
          newsletter_email_verified: {type: boolean}
    """
    standard = _standard_attributes()
    for attribute in ctx.taxonomy.attributes.values():
        match = standard.get(naming.squash(attribute.name))
        if match is None:
            continue
        exact = "is" if attribute.name == match else "looks like"
        yield standard_attribute.finding(
            f"attribute `{attribute.name}` {exact} Braze's standard profile field `{match}`; set the standard field"
            " with its SDK method, or give the custom attribute a distinct name",
            attribute.span,
            Entity("attribute", attribute.name),
        )


@rule("BRZ005", "braze.too-many-properties")
def too_many_properties(ctx: LintContext) -> Iterator[Finding]:
    """An event (or the purchase properties) declares more properties than Braze keeps.

    Braze keeps the first 256 distinct properties of a custom event or purchase and drops the rest
    (`limits.properties_per_event` in rules/braze.yaml).

    Bad: an event with 300 properties.
    Good: split it into several events, or move detail into a nested object property.
    """
    cap = int(pack()["limits"]["properties_per_event"])
    for event in ctx.taxonomy.events.values():
        if len(event.properties) > cap:
            yield too_many_properties.finding(
                f"event `{event.name}` declares {len(event.properties)} properties; Braze keeps only the first {cap}",
                event.span,
                Entity("event", event.name),
            )
    purchase = ctx.taxonomy.purchase_properties
    if len(purchase) > cap:
        yield too_many_properties.finding(
            f"purchases declare {len(purchase)} properties; Braze keeps only the first {cap}",
            ctx.taxonomy.fields.get("purchases", purchase[0].span),
            None,
        )


@rule("BRZ006", "braze.nested-key")
def nested_key(ctx: LintContext) -> Iterator[Finding]:
    """A key inside a nested attribute or object property contains a space, `.` or `$`.

    Braze refuses these characters in nested keys (`.` separates the path in segment filters, `$` starts an
    operator); characters from `nested_key_forbidden_characters` in rules/braze.yaml.

    Bad:
        attributes:
          shipping_address: {type: object, properties: {"postal code": {type: string}}}
    Good:
        attributes:
          shipping_address: {type: object, properties: {postal_code: {type: string}}}
    """
    forbidden = pack()["nested_key_forbidden_characters"]
    for name in all_names(ctx.taxonomy):
        if name.kind != "nested":
            continue
        bad = [c for c in forbidden if c in name.name]
        if bad:
            shown = ", ".join("space" if c == " " else f"`{c}`" for c in bad)
            yield nested_key.finding(
                f"{name.describe()} contains {shown}, which Braze does not allow in nested keys:"
                f" rename it to `{naming.warehouse_name(name.name) or 'key'}`",
                name.span,
                name.entity,
            )


@rule("BRZ007", "braze.array-length", severity="warning")
def array_length(ctx: LintContext) -> Iterator[Finding]:
    """An array attribute allows more items (`max_items`) than Braze keeps by default.

    Braze keeps the newest 500 items of an array attribute by default and drops the oldest
    (`limits.array_length_default` in rules/braze.yaml). A longer limit must also be raised in the dashboard
    (Data Settings > Custom Attributes, with the type set to Array), or the extra items are silently lost.

    Bad:
        attributes:
          viewed_skus: {type: array, max_items: 1000}
    Good:
        attributes:
          viewed_skus: {type: array, max_items: 500}
    """
    default = int(pack()["limits"]["array_length_default"])
    for attribute in ctx.taxonomy.attributes.values():
        if attribute.type == "array" and attribute.max_items is not None and attribute.max_items > default:
            yield array_length.finding(
                f"attribute `{attribute.name}` allows {attribute.max_items} items; Braze keeps {default} by default:"
                " raise the limit in Data Settings > Custom Attributes, or lower `max_items`",
                attribute.at("max_items"),
                Entity("attribute", attribute.name),
            )


@rule("BRZ008", "braze.string-length", severity="warning")
def string_length(ctx: LintContext) -> Iterator[Finding]:
    """A string value may be longer than Braze stores (255 characters): `max_length` or an `enum` value above it.

    Braze truncates string attribute and property values longer than `limits.string_value_length`
    (rules/braze.yaml), so longer values arrive cut.

    Bad:
        events:
          review_submitted: {properties: {text: {type: string, max_length: 2000}}}
    Good:
        events:
          review_submitted: {properties: {text_length: {type: integer}}}
    """
    limit = int(pack()["limits"]["string_value_length"])
    for name in all_names(ctx.taxonomy):
        spec = name.node
        if not isinstance(spec, TypeSpec) or spec.type != "string":
            continue
        if not isinstance(spec, (Property, Attribute)):
            continue
        span_of = spec.at
        if spec.max_length is not None and spec.max_length > limit:
            yield string_length.finding(
                f"{name.describe()} allows strings of {spec.max_length} characters; Braze keeps the first {limit}",
                span_of("max_length"),
                name.entity,
            )
        long_values = [v for v in spec.enum or () if isinstance(v, str) and len(v) > limit]
        if long_values:
            yield string_length.finding(
                f"{name.describe()} lists an enum value of {len(long_values[0])} characters; Braze keeps the"
                f" first {limit}",
                span_of("enum"),
                name.entity,
            )


@rule("BRZ009", "braze.unknown-recommended-event")
def unknown_recommended_event(ctx: LintContext) -> Iterator[Finding]:
    """An event uses Braze's `ecommerce.` namespace but is not one of the recommended eCommerce events.

    The `ecommerce.` names are fixed by Braze (rules/braze.yaml lists them); a misspelt one is a plain custom
    event that none of the eCommerce features will see.

    Bad:
        events:
          ecommerce.product_view: {}
    Good:
        events:
          ecommerce.product_viewed: {}
    """
    recommended = pack()["ecommerce"]
    known = list(recommended["events"])
    for event in ctx.taxonomy.events.values():
        if event.name.startswith(recommended["prefix"]) and event.name not in recommended["events"]:
            yield unknown_recommended_event.finding(
                f"event `{event.name}` is in Braze's `{recommended['prefix']}` namespace but is not a recommended"
                f" event{did_you_mean(event.name, known) or ' (known: ' + ', '.join(known) + ')'}",
                event.span,
                Entity("event", event.name),
            )


@rule("BRZ010", "braze.recommended-event-properties")
def recommended_event_properties(ctx: LintContext) -> Iterator[Finding]:
    """A recommended eCommerce event does not declare the properties Braze requires for it.

    Each `ecommerce.*` event has a fixed schema (rules/braze.yaml, `ecommerce.events.<name>.required`); Braze
    rejects an event that lacks a required property. Extra data belongs in `metadata`.

    Bad:
        events:
          ecommerce.order_placed: {properties: {order_id: {type: string, required: true}}}
    Good:
        events:
          ecommerce.order_placed:
            properties:
              order_id: {type: string, required: true}
              total_value: {type: float, required: true}
              currency: {type: string, required: true}
              products: {type: array, items: object, required: true}
              source: {type: string, required: true}
    """
    recommended = pack()["ecommerce"]["events"]
    for event in ctx.taxonomy.events.values():
        spec = recommended.get(event.name)
        if spec is None:
            continue
        declared = {path for path, _prop in walk_properties(event.properties)}
        missing = [name for name in spec["required"] if name not in declared]
        if missing:
            listed = ", ".join(f"`{m}`" for m in missing)
            yield recommended_event_properties.finding(
                f"recommended event `{event.name}` is missing required propert{'y' if len(missing) == 1 else 'ies'}"
                f" {listed}",
                event.span,
                Entity("event", event.name),
                data=(("missing", ",".join(missing)),),
            )
