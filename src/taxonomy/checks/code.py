"""Code against the taxonomy: what the scanner found at each call site, held against what is declared."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from taxonomy.codes import rule
from taxonomy.findings import Entity, Finding, Span
from taxonomy.model import Item, Property, Taxonomy, TypeSpec

if TYPE_CHECKING:
    from taxonomy.config import Config
    from taxonomy.scan.records import CallSite, ScanResult

_KIND_TABLE = {"event": "events", "attribute": "attributes", "purchase": "products"}


@dataclass(frozen=True)
class CheckContext:
    taxonomy: Taxonomy
    config: Config
    scan: ScanResult
    whole_project: bool  # every file of the project was scanned: "never sent" can be said
    display: Mapping[str, str]  # call-site file (relative to the scan root) -> path shown to the user

    def span(self, site: CallSite) -> Span:
        return Span(self.display.get(site.file, site.file), site.line, site.column)


def standard_fields() -> frozenset[str]:
    """Braze's standard profile fields (rules/users_track.yaml)."""
    from taxonomy.resources import load_rule_pack

    return frozenset(load_rule_pack("users_track.yaml")["standard_fields"])


def _declared(ctx: CheckContext, kind: str) -> Mapping[str, Item]:
    table: Mapping[str, Item] = getattr(ctx.taxonomy, _KIND_TABLE[kind])
    return table


def _named(ctx: CheckContext, kind: str) -> Iterator[CallSite]:
    for site in ctx.scan.call_sites:
        if site.kind == kind and site.name is not None:
            yield site


def _undeclared(ctx: CheckContext, kind: str, check: Any, noun: str) -> Iterator[Finding]:
    from taxonomy.fuzzy import did_you_mean

    declared = _declared(ctx, kind)
    for site in _named(ctx, kind):
        name = site.name or ""
        if kind == "attribute" and name in standard_fields():
            continue  # COD011 says it better
        if name not in declared:
            yield check.finding(
                f"{noun} `{name}` is not declared in the taxonomy{did_you_mean(name, declared)}",
                ctx.span(site),
                Entity(kind if kind != "purchase" else "product", name),
            )


@rule("COD001", "code.undeclared-event", scope="check")
def undeclared_event(ctx: CheckContext) -> Iterator[Finding]:
    """The code sends a custom event the taxonomy does not declare (often a typo).

    Braze creates a new event for every distinct name, so a misspelt name silently splits the data.

    Bad:
        braze.logCustomEvent("prodcut_viewed");
    Good:
        braze.logCustomEvent("product_viewed");   // declared under events:
    """
    return _undeclared(ctx, "event", undeclared_event, "event")


@rule("COD002", "code.undeclared-attribute", scope="check")
def undeclared_attribute(ctx: CheckContext) -> Iterator[Finding]:
    """The code sets a custom attribute the taxonomy does not declare.

    Bad:
        braze.getUser()?.setCustomUserAttribute("vip_teir", "gold");
    Good:
        braze.getUser()?.setCustomUserAttribute("vip_tier", "gold");
    """
    return _undeclared(ctx, "attribute", undeclared_attribute, "attribute")


@rule("COD003", "code.undeclared-product", scope="check")
def undeclared_product(ctx: CheckContext) -> Iterator[Finding]:
    """The code logs a purchase of a product id the taxonomy does not declare under purchases.products.

    Bad:
        braze.logPurchase("premium_monthy", 9.99, "EUR");
    Good:
        braze.logPurchase("premium_monthly", 9.99, "EUR");
    """
    return _undeclared(ctx, "purchase", undeclared_product, "product")


@rule("COD004", "code.never-sent", severity="warning", scope="check")
def never_sent(ctx: CheckContext) -> Iterator[Finding]:
    """An active event, attribute or product that no scanned code sends.

    Only reported when the whole project is scanned (`taxonomy check` with no PATHS, or with the project root), and
    never for `planned` items (not built yet), deprecated or removed ones. Dynamic names may hide a sender: the
    finding says so when the scan saw any.

    Bad (nothing in the code sends it):
        events:
          wishlist_shared: {description: User shared the wishlist.}
    Good: send it, mark it `planned`, or remove it.
    """
    if not ctx.whole_project:
        return
    sent: dict[str, set[str]] = {"event": set(), "attribute": set(), "product": set()}
    dynamic = dict.fromkeys(sent, 0)
    for site in ctx.scan.call_sites:
        kind = "product" if site.kind == "purchase" else site.kind
        if kind in sent:
            if site.name is not None:
                sent[kind].add(site.name)
            else:
                dynamic[kind] += 1
    for kind, item in ctx.taxonomy.items():
        count = dynamic[kind]
        hint = f" ({count} call site{'s' if count != 1 else ''} with a dynamic name may send it)" if count else ""
        if item.status == "active" and item.name not in sent[kind]:
            yield never_sent.finding(
                f"{kind} `{item.name}` is declared but never sent by the scanned code{hint}",
                item.span,
                Entity(kind, item.name),
            )


def _status_sites(ctx: CheckContext, status: str) -> Iterator[tuple[CallSite, str, Item]]:
    for site in ctx.scan.call_sites:
        kind = "product" if site.kind == "purchase" else site.kind
        if kind not in ("event", "attribute", "product") or site.name is None:
            continue
        item = ctx.taxonomy.lookup(kind, site.name)
        if item is not None and item.status == status:
            yield site, kind, item


def _renamed(item: Item) -> str:
    if item.renamed_to:
        return f"; send `{item.renamed_to}` instead"
    return f" ({item.reason})" if item.reason else ""


@rule("COD005", "code.deprecated-sent", severity="warning", scope="check")
def deprecated_sent(ctx: CheckContext) -> Iterator[Finding]:
    """The code still sends an item the taxonomy marks deprecated; the message names its `renamed_to`.

    Bad:
        braze.logCustomEvent("checkout_begun");   // deprecated, renamed_to: checkout_started
    Good:
        braze.logCustomEvent("checkout_started");
    """
    for site, kind, item in _status_sites(ctx, "deprecated"):
        yield deprecated_sent.finding(
            f"{kind} `{item.name}` is deprecated{_renamed(item)}", ctx.span(site), Entity(kind, item.name)
        )


@rule("COD006", "code.removed-sent", scope="check")
def removed_sent(ctx: CheckContext) -> Iterator[Finding]:
    """The code still sends an item the taxonomy marks removed.

    Bad:
        braze.getUser()?.setCustomUserAttribute("legacy_segment", "a");   // status: removed
    Good: delete the call.
    """
    for site, kind, item in _status_sites(ctx, "removed"):
        yield removed_sent.finding(
            f"{kind} `{item.name}` is removed{_renamed(item)}", ctx.span(site), Entity(kind, item.name)
        )


def _declared_properties(ctx: CheckContext, site: CallSite) -> tuple[Property, ...] | None:
    if site.kind == "event" and site.name is not None:
        event = ctx.taxonomy.events.get(site.name)
        # a deprecated or removed event is reported as such; its properties are beside the point
        return event.properties if event is not None and event.is_live else None
    if site.kind == "purchase":
        return ctx.taxonomy.purchase_properties
    return None


@rule("COD007", "code.undeclared-property", scope="check")
def undeclared_property(ctx: CheckContext) -> Iterator[Finding]:
    """An inline properties literal has a key the event (or purchases) does not declare.

    Bad:
        braze.logCustomEvent("cart_item_added", { product_id: id, qty: 2 });
    Good:
        braze.logCustomEvent("cart_item_added", { product_id: id, quantity: 2 });
    """
    from taxonomy.fuzzy import did_you_mean

    for site in ctx.scan.call_sites:
        declared = _declared_properties(ctx, site)
        if declared is None:
            continue
        names = {p.name for p in declared}
        owner = f"event `{site.name}`" if site.kind == "event" else "purchases"
        for key in site.properties:
            if key not in names:
                yield undeclared_property.finding(
                    f"property `{key}` is not declared for {owner}{did_you_mean(key, names)}",
                    ctx.span(site),
                    Entity("property", key),
                )


@rule("COD008", "code.missing-required-property", scope="check")
def missing_required_property(ctx: CheckContext) -> Iterator[Finding]:
    """A required property is missing from the properties literal (or no properties are passed at all).

    Only said when every key is visible: the properties argument is absent or an inline literal.

    Bad:
        braze.logCustomEvent("cart_item_added", { quantity: 1 });   // product_id is required
    Good:
        braze.logCustomEvent("cart_item_added", { product_id: id, quantity: 1 });
    """
    for site in ctx.scan.call_sites:
        if not site.properties_known:
            continue
        declared = _declared_properties(ctx, site)
        if declared is None:
            continue
        for prop in declared:
            if prop.required and prop.name not in site.properties:
                owner = f"event `{site.name}`" if site.kind == "event" else "purchases"
                yield missing_required_property.finding(
                    f"required property `{prop.name}` of {owner} is missing",
                    ctx.span(site),
                    Entity("property", prop.name),
                )


_COMPATIBLE = {
    "string": {"string"},
    "integer": {"integer"},
    "float": {"float", "integer"},
    "number": {"float", "integer"},
    "boolean": {"boolean"},
    "time": {"time", "string"},
    "array": {"array"},
    "object": {"object"},
}


def _type_problem(spec: TypeSpec, literal_type: str | None) -> str | None:
    if literal_type is None or literal_type == "null":
        return None
    allowed = _COMPATIBLE.get(spec.type, {spec.type})
    if literal_type in allowed:
        return None
    return f"is declared {spec.type} but the code sends a literal {literal_type}"


@rule("COD009", "code.wrong-type", scope="check")
def wrong_type(ctx: CheckContext) -> Iterator[Finding]:
    """A literal value's type does not match the declared type of the property or attribute.

    Braze locks an attribute's type from the first value it receives: a quoted "42" makes a string attribute.
    Incrementing needs an integer attribute; adding to an array needs an array attribute.

    Bad:
        braze.getUser()?.setCustomUserAttribute("lifetime_orders", "42");   // integer
    Good:
        braze.getUser()?.setCustomUserAttribute("lifetime_orders", 42);
    """
    for site in ctx.scan.call_sites:
        declared = _declared_properties(ctx, site)
        if declared is not None:
            by_name = {p.name: p for p in declared}
            for key, literal_type in site.property_types:
                prop = by_name.get(key)
                problem = _type_problem(prop, literal_type) if prop is not None else None
                if prop is not None and problem:
                    yield wrong_type.finding(f"property `{key}` {problem}", ctx.span(site), Entity("property", key))
        if site.kind == "attribute" and site.name is not None:
            attribute = ctx.taxonomy.attributes.get(site.name)
            if attribute is None:
                continue
            problem = None
            if site.op == "increment" and attribute.type not in ("integer", "number"):
                problem = f"is declared {attribute.type} but the code increments it (integers only)"
            elif site.op in ("array_add", "array_remove") and attribute.type != "array":
                problem = f"is declared {attribute.type} but the code changes it as an array"
            elif site.op == "set":
                problem = _type_problem(attribute, site.value_type)
            if problem:
                yield wrong_type.finding(
                    f"attribute `{site.name}` {problem}", ctx.span(site), Entity("attribute", site.name)
                )


@rule("COD010", "code.value-not-allowed", scope="check")
def value_not_allowed(ctx: CheckContext) -> Iterator[Finding]:
    """A literal attribute value is not one of the attribute's declared `enum` values.

    Bad:
        braze.getUser()?.setCustomUserAttribute("vip_tier", "platinum");   // enum: [bronze, silver, gold]
    Good:
        braze.getUser()?.setCustomUserAttribute("vip_tier", "gold");
    """
    from taxonomy.fuzzy import did_you_mean

    for site in ctx.scan.call_sites:
        if site.kind != "attribute" or site.op != "set" or site.name is None or site.value_type != "string":
            continue
        attribute = ctx.taxonomy.attributes.get(site.name)
        if attribute is None or not attribute.enum or site.value in attribute.enum:
            continue
        allowed = [str(v) for v in attribute.enum]
        yield value_not_allowed.finding(
            f"`{site.value}` is not an allowed value of attribute `{site.name}` ({', '.join(allowed)})"
            f"{did_you_mean(str(site.value), allowed)}",
            ctx.span(site),
            Entity("attribute", site.name),
        )


@rule("COD011", "code.standard-attribute-as-custom", scope="check")
def standard_as_custom(ctx: CheckContext) -> Iterator[Finding]:
    """A standard profile field (email, first_name, country, ...) is set as a custom attribute.

    Braze keeps the two apart: `setCustomUserAttribute("email", ...)` creates a custom attribute named "email" that
    campaigns never use. Call the standard setter instead.

    Bad:
        braze.getUser()?.setCustomUserAttribute("email", address);
    Good:
        braze.getUser()?.setEmail(address);
    """
    for site in _named(ctx, "attribute"):
        if site.name in standard_fields():
            yield standard_as_custom.finding(
                f"`{site.name}` is a standard profile field: use its own setter, not a custom attribute",
                ctx.span(site),
                Entity("attribute", site.name or ""),
            )


@rule("COD012", "code.dynamic-name", severity="info", scope="check")
def dynamic_name(ctx: CheckContext) -> Iterator[Finding]:
    """The name of an event, attribute or product is computed at run time, so it cannot be checked.

    Informational; suppress it where the set of names is known (`// taxonomy: ignore[COD012]`).

    Bad:
        braze.logCustomEvent(`screen_${screen}_viewed`);
    Good:
        braze.logCustomEvent(Events.SCREEN_VIEWED);   // a constant the scanner resolves
    """
    for site in ctx.scan.call_sites:
        if site.kind in ("event", "attribute", "purchase") and site.name is None:
            expr = " ".join((site.expr or "").split())
            expr = expr if len(expr) <= 80 else expr[:79] + "…"
            yield dynamic_name.finding(f"{site.kind} name is dynamic: {expr}", ctx.span(site), Entity(site.kind, expr))


@rule("COD013", "code.unknown-suppression", severity="warning", scope="check")
def unknown_suppression(ctx: CheckContext) -> Iterator[Finding]:
    """An inline `taxonomy: ignore[...]` comment names a code that does not exist.

    Bad:
        braze.logCustomEvent(name);  // taxonomy: ignore[COD120]
    Good:
        braze.logCustomEvent(name);  // taxonomy: ignore[COD012]
    """
    return iter(())  # produced by `taxonomy check` while applying inline suppressions


@rule("COD014", "code.unused-suppression", severity="warning", scope="check")
def unused_suppression(ctx: CheckContext) -> Iterator[Finding]:
    """An inline `taxonomy: ignore[CODE]` comment suppresses nothing on its line or the next one.

    Bad:
        braze.logCustomEvent("product_viewed");  // taxonomy: ignore[COD001]   (the event is declared)
    Good: delete the comment.
    """
    return iter(())  # produced by `taxonomy check` while applying inline suppressions
