"""Drift: the taxonomy against what Braze actually holds (a snapshot, REST bodies or dashboard CSVs).

Findings about declared items point at the taxonomy; findings about items only Braze has point at the export
file (its CSV row or JSON item). Every finding names its entity.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxonomy.codes import rule
from taxonomy.driftcontext import DriftContext
from taxonomy.export.model import ExportedAttribute, ExportedItem
from taxonomy.export.types import compatible, describe
from taxonomy.findings import Entity, Finding, Span
from taxonomy.model import Attribute, Item

KINDS = ("event", "attribute", "product")


def _where(ctx: DriftContext, item: ExportedItem) -> Span:
    return item.source or Span(ctx.export.files[0] if ctx.export.files else ctx.export.file, 1, 1)


def _case_twin(ctx: DriftContext, kind: str, name: str) -> str | None:
    """A declared name equal to `name` but for case, when `name` itself is not declared."""
    declared = ctx.declared(kind)
    if name in declared:
        return None
    folded = name.casefold()
    return next((d for d in declared if d.casefold() == folded), None)


def _items(ctx: DriftContext, kind: str) -> Iterator[Item]:
    for found_kind, item in ctx.taxonomy.items():
        if found_kind == kind:
            yield item


def _sites(spans: tuple[Span, ...]) -> str:
    first = spans[0]
    more = f" and {len(spans) - 1} more place{'s' if len(spans) > 2 else ''}" if len(spans) > 1 else ""
    return f"{first.file}:{first.line}{more}"


@rule("DRF001", "drift.missing-from-export", severity="warning", scope="drift")
def missing_from_export(ctx: DriftContext) -> Iterator[Finding]:
    """An item the taxonomy says is active is not in the Braze export.

    Braze creates an event or attribute the first time something sends it, so an active item that Braze has
    never seen is not being sent (a release that never shipped, a typo in the code). Planned items are exempt;
    deprecated and removed ones may be gone. Only kinds the export lists are compared: an events CSV says nothing
    about attributes.

    Bad (taxonomy says active, Braze has no such event):
        events:
          wishlist_shared: {description: User shared the wishlist.}
    Good: send it, or mark it `status: planned` until it ships.
    """
    for kind in KINDS:
        if kind not in ctx.export.covers:
            continue
        exported = ctx.exported(kind)
        for item in _items(ctx, kind):
            if item.status != "active" or item.name in exported:
                continue
            twin = next((n for n in exported if n.casefold() == item.name.casefold()), None)
            also = f" (Braze has `{twin}`, which differs only in case)" if twin else ""
            yield missing_from_export.finding(
                f"{kind} `{item.name}` is active in the taxonomy but Braze has never received it{also}",
                item.span,
                Entity(kind, item.name),
            )


@rule("DRF002", "drift.undocumented", severity="warning", scope="drift")
def undocumented(ctx: DriftContext) -> Iterator[Finding]:
    """Braze has an event or attribute the taxonomy does not declare.

    Usually a typo in code (Braze created a new item on the first call), a test event, or an item nobody wrote
    down. When the name is close to a declared one the finding says which. Blocklisted and trashed items are
    skipped: someone already dealt with them; so are names matching `[drift] ignore-undocumented` globs.

    Bad (export row):
        Event Name,Status
        prodcut_viewed,Active
    Good: fix the code to send `product_viewed` and blocklist `prodcut_viewed` in Braze, or declare it.
    """
    from taxonomy.fuzzy import suggest

    for kind in ("event", "attribute"):
        declared = ctx.declared(kind)
        for item in ctx.export.of_kind(kind):
            if item.name in declared or not item.is_active or _case_twin(ctx, kind, item.name):
                continue
            if ctx.is_ignored(item.name):
                continue
            close = suggest(item.name, declared, cutoff=80.0)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            sent = ctx.sent_from(kind, item.name)
            still = f"; still sent from {_sites(sent)}" if sent else ""
            yield undocumented.finding(
                f"{kind} `{item.name}` is in Braze but not in the taxonomy{hint}{still}",
                _where(ctx, item),
                Entity(kind, item.name),
                data=(("suggestion", close[0]),) if close else (),
            )


@rule("DRF003", "drift.type-mismatch", severity="error", scope="drift")
def type_mismatch(ctx: DriftContext) -> Iterator[Finding]:
    """An attribute's type in Braze differs from its type in the taxonomy.

    Braze fixes an attribute's type from the first value it receives ("Automatically Detected"), so a string
    sent once where a number was meant turns every later number into a string that segments cannot compare.
    Braze's Number accepts the taxonomy's integer, float and number; Time is `time`; Array is an array of
    strings; Object Array is `type: array, items: object`.

    Bad (Braze says "String (Automatically Detected)"):
        attributes:
          lifetime_orders: {type: integer}
    Good: force the type to Number in Braze (Data Settings > Custom Attributes) and fix the code that sends
    a string, or correct the taxonomy.
    """
    exported = ctx.exported("attribute")
    for name, declared in ctx.taxonomy.attributes.items():
        found = exported.get(name)
        if not isinstance(found, ExportedAttribute) or found.type is None:
            continue
        if compatible(found.type, declared.type, declared.items):
            continue
        wanted = _declared_type(declared)
        yield type_mismatch.finding(
            f"attribute `{name}` is {wanted} in the taxonomy but {describe(found.type)} in Braze"
            f" (data_type {found.data_type!r})",
            declared.at("type"),
            Entity("attribute", name),
            data=(("braze_type", found.type), ("declared_type", wanted)),
        )


def _declared_type(attribute: Attribute) -> str:
    if attribute.type == "array":
        return "array of objects" if attribute.items == "object" else "array of strings"
    return attribute.type


@rule("DRF004", "drift.unknown-data-type", severity="warning", scope="drift")
def unknown_data_type(ctx: DriftContext) -> Iterator[Finding]:
    """The export gives an attribute a data type taxonomy does not know, so its type cannot be compared.

    Braze's `data_type` is free-form text. Known words (String, Number, Boolean, Time, Array, Object, Object
    Array, with notes such as "(Automatically Detected)") live in rules/braze-export.yaml; add a new word there.

    Bad (export):
        {"name": "score", "data_type": "Decimal128"}
    Good:
        {"name": "score", "data_type": "Number"}
    """
    for item in ctx.export.attributes:
        if item.data_type is not None and item.type is None:
            yield unknown_data_type.finding(
                f"attribute `{item.name}` has an unknown Braze data type {item.data_type!r}; its type is not compared",
                _where(ctx, item),
                Entity("attribute", item.name),
            )


@rule("DRF005", "drift.blocklisted-in-use", severity="error", scope="drift")
def blocklisted_in_use(ctx: DriftContext) -> Iterator[Finding]:
    """Braze blocklists an item that the taxonomy says is active or planned, or that code still sends.

    Braze drops blocklisted data: the SDKs do not send it and the API ignores it, so whatever the taxonomy
    promises about it is not true.

    Bad (Braze status Blocklisted):
        attributes:
          legacy_segment: {type: string}
    Good:
        attributes:
          legacy_segment: {type: string, status: removed, reason: Blocklisted in Braze (SHOP-233)}
    """
    for kind in KINDS:
        exported = ctx.exported(kind)
        for item in _items(ctx, kind):
            found = exported.get(item.name)
            if found is not None and found.is_blocklisted and item.is_live:
                yield blocklisted_in_use.finding(
                    f"{kind} `{item.name}` is blocklisted in Braze but {item.status} in the taxonomy: Braze drops it",
                    item.at("status") if "status" in item.fields else item.span,
                    Entity(kind, item.name),
                )
        if ctx.code is None:
            continue
        for name, found in exported.items():
            sites = ctx.sent_from(kind, name)
            if found.is_blocklisted and sites:
                for site in sites:
                    yield blocklisted_in_use.finding(
                        f"{kind} `{name}` is blocklisted in Braze but still sent here: Braze drops it",
                        site,
                        Entity(kind, name),
                    )


@rule("DRF006", "drift.retired-but-active", severity="warning", scope="drift")
def retired_but_active(ctx: DriftContext) -> Iterator[Finding]:
    """An item deprecated or removed in the taxonomy is still Active in Braze.

    Removed items should stop arriving; blocklisting them in Braze makes sure old app versions cannot keep
    them alive and keeps the dashboard's lists clean. A deprecated item still active is reported so that the
    migration is visible.

    Bad (Braze status Active):
        events:
          checkout_begun: {status: removed, reason: renamed, renamed_to: checkout_started}
    Good: blocklist `checkout_begun` in Braze once no supported app version sends it.
    """
    for kind in KINDS:
        exported = ctx.exported(kind)
        for item in _items(ctx, kind):
            found = exported.get(item.name)
            if item.is_live or found is None or found.status != "active":
                continue
            then = f"; its replacement is `{item.renamed_to}`" if item.renamed_to else ""
            # names-only exports (legacy /events/list, a CSV without a status column) say nothing of status
            state = "still Active in Braze" if found.raw_status else "still listed by Braze"
            yield retired_but_active.finding(
                f"{kind} `{item.name}` is {item.status} in the taxonomy but {state}{then}",
                item.at("status"),
                Entity(kind, item.name),
            )


@rule("DRF007", "drift.undeclared-product", severity="warning", scope="drift")
def undeclared_product(ctx: DriftContext) -> Iterator[Finding]:
    """Braze lists a product id that the taxonomy does not declare under `purchases.products`.

    Bad (product list):
        {"products": ["premium_monthly", "premium_mothly"]}
    Good:
        purchases:
          products:
            premium_monthly: {description: Shop Premium, billed monthly.}
    """
    from taxonomy.fuzzy import suggest

    declared = ctx.taxonomy.products
    for item in ctx.export.products:
        if item.name in declared or not item.is_active or _case_twin(ctx, "product", item.name):
            continue
        if ctx.is_ignored(item.name):
            continue
        close = suggest(item.name, declared, cutoff=80.0)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        yield undeclared_product.finding(
            f"product `{item.name}` is in Braze but not declared under purchases.products{hint}",
            _where(ctx, item),
            Entity("product", item.name),
            data=(("suggestion", close[0]),) if close else (),
        )


@rule("DRF008", "drift.case-variant", severity="error", scope="drift")
def case_variant(ctx: DriftContext) -> Iterator[Finding]:
    """Braze has a name that differs from a declared one only by case.

    Braze names are case sensitive: `Order_Completed` and `order_completed` are two events with two histories,
    and segments built on one miss the other. Usually one platform sends the wrong case.

    Bad (export): `Order_Completed` next to the declared `order_completed`.
    Good: fix the code that sends `Order_Completed`, then blocklist it in Braze.
    """
    for kind in KINDS:
        for item in ctx.export.of_kind(kind):
            twin = _case_twin(ctx, kind, item.name)
            if twin is None or not item.is_active:
                continue
            sent = ctx.sent_from(kind, item.name)
            still = f"; sent from {_sites(sent)}" if sent else ""
            yield case_variant.finding(
                f"{kind} `{item.name}` in Braze differs from the declared `{twin}` only by case:"
                f" Braze keeps them apart{still}",
                _where(ctx, item),
                Entity(kind, item.name),
                data=(("declared", twin),),
            )


@rule("DRF009", "drift.workspace-mismatch", severity="warning", scope="drift")
def workspace_mismatch(ctx: DriftContext) -> Iterator[Finding]:
    """The snapshot was taken from another workspace than the one the taxonomy describes.

    Comparing a staging snapshot with the production taxonomy reports noise; the workspace comes from
    `taxonomy pull --workspace` (or the taxonomy's own `workspace`).

    Bad: `workspace: shop-production` in the taxonomy, `"workspace": "shop-staging"` in the snapshot.
    Good: pull the production workspace, or compare with the staging taxonomy.
    """
    declared = ctx.taxonomy.workspace
    if not declared:
        return
    for export in ctx.exports:
        if export.workspace and export.workspace != declared:
            yield workspace_mismatch.finding(
                f"the export is from workspace `{export.workspace}` but the taxonomy describes `{declared}`",
                Span(export.file, 1, 1),
                Entity("workspace", export.workspace),
            )


@rule("DRF010", "drift.array-length", severity="warning", scope="drift")
def array_length(ctx: DriftContext) -> Iterator[Finding]:
    """An array attribute may hold more items in the taxonomy (`max_items`) than Braze keeps.

    Braze keeps at most `array_length` items of an array attribute and drops the oldest when a new one
    arrives, so code that relies on `max_items` loses data silently. Raise the length in Braze (the type must
    be set to Array explicitly) or lower `max_items`.

    Bad (Braze array_length 25):
        attributes:
          favorite_categories: {type: array, max_items: 100}
    Good:
        attributes:
          favorite_categories: {type: array, max_items: 25}
    """
    exported = ctx.exported("attribute")
    for name, declared in ctx.taxonomy.attributes.items():
        found = exported.get(name)
        if not isinstance(found, ExportedAttribute) or found.array_length is None or declared.max_items is None:
            continue
        if declared.type == "array" and declared.max_items > found.array_length:
            yield array_length.finding(
                f"attribute `{name}` allows {declared.max_items} items in the taxonomy but Braze keeps"
                f" {found.array_length}",
                declared.at("max_items"),
                Entity("attribute", name),
            )
