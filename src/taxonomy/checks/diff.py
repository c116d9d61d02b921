"""`taxonomy diff`: each change between two versions of the taxonomy, as a finding of its category.

The change itself (EVENT_REMOVED, TYPE_CHANGED, ...) is in the finding's data and message; the code says the
category, so that `--select`, `--ignore`, `[severity]` and every shared reporter work on diffs as on lint.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxonomy.codes import rule
from taxonomy.findings import Finding


@rule("DIF001", "diff.breaking", severity="error", scope="diff")
def breaking(ctx: object) -> Iterator[Finding]:
    """A breaking change: something consumers rely on is removed, renamed or changes type.

    Consumers: Braze segments, Canvases and campaign filters, warehouse models, and app versions in users' hands.

    Ids: EVENT_REMOVED, ATTRIBUTE_REMOVED, PRODUCT_REMOVED, PURCHASE_PROPERTY_REMOVED, PROPERTY_REMOVED,
    NESTED_KEY_REMOVED, EVENT_RENAMED, ATTRIBUTE_RENAMED, PRODUCT_RENAMED, ITEM_RETIRED, TYPE_CHANGED,
    PROPERTY_BECAME_REQUIRED, REQUIRED_PROPERTY_ADDED, ENUM_VALUE_REMOVED, ARRAY_MAX_LOWERED,
    WAREHOUSE_NAME_CHANGED. Fails `taxonomy diff` by default; record it under `accepted_changes:` once agreed.

    Bad (old -> new):
        attributes:
          vip_tier: {type: string, enum: [bronze, silver, gold]}
        ->
          vip_tier: {type: string, enum: [silver, gold]}
    Good: keep the value (and deprecate it in the description), or accept the change:
        accepted_changes:
          - {change: ENUM_VALUE_REMOVED, entity: attributes.vip_tier, ticket: CRM-88}
    """
    return iter(())  # produced by `taxonomy diff`


@rule("DIF002", "diff.risky", severity="warning", scope="diff")
def risky(ctx: object) -> Iterator[Finding]:
    """A risky change: nothing stops working at once, but some consumer may quietly get it wrong.

    Ids: ITEM_DEPRECATED, PLATFORM_REMOVED, PROPERTY_BECAME_OPTIONAL, ENUM_VALUE_ADDED, ENUM_CONSTRAINT_ADDED,
    ENUM_CONSTRAINT_REMOVED, CONSTRAINT_TIGHTENED, PATTERN_ADDED, PATTERN_CHANGED, UNIT_CHANGED, RENAME_WITHDRAWN,
    and breaking removals that no scanned call site sends (with --code). Fails with --fail-on risky.

    Bad (old -> new):
        events:
          video_watched: {properties: {duration: {type: integer, description: Watch time in seconds.}}}
        ->
          video_watched: {properties: {duration: {type: integer, description: Watch time in ms.}}}
    Good: a new property (duration_ms) next to the old one, so that every consumer can move on its own time.
    """
    return iter(())  # produced by `taxonomy diff`


@rule("DIF003", "diff.safe", severity="info", scope="diff")
def safe(ctx: object) -> Iterator[Finding]:
    """A safe change: something was added, or only documentation changed.

    Ids: EVENT_ADDED, ATTRIBUTE_ADDED, PRODUCT_ADDED, PURCHASE_PROPERTY_ADDED, PROPERTY_ADDED, NESTED_KEY_ADDED,
    PLATFORM_ADDED, STATUS_CHANGED, ARRAY_MAX_RAISED, CONSTRAINT_LOOSENED, PATTERN_REMOVED, DESCRIPTION_CHANGED,
    OWNER_CHANGED, TAGS_CHANGED. Never fails the run.

    Bad: nothing; this is reported so that reviewers see the whole change.
    Good:
        events:
          wishlist_shared: {description: User shared their wishlist.}
    """
    return iter(())  # produced by `taxonomy diff`


@rule("DIF004", "diff.accepted", severity="info", scope="diff")
def accepted(ctx: object) -> Iterator[Finding]:
    """A breaking or risky change that the new taxonomy records under `accepted_changes:`.

    Reported with the recorded reason or ticket; it does not fail the run.

    Bad: a breaking change nobody agreed to (reported as DIF001 instead).
    Good:
        accepted_changes:
          - change: EVENT_REMOVED
            entity: events.checkout_begun
            reason: No app version before 4.0 is still supported (SHOP-512).
    """
    return iter(())  # produced by `taxonomy diff`


@rule("DIF005", "diff.stale-acceptance", severity="warning", scope="diff")
def stale_acceptance(ctx: object) -> Iterator[Finding]:
    """An `accepted_changes:` entry that matches no change between the two versions.

    Either the id or the entity is mistyped, or the change has shipped and the entry can go.

    Bad:
        accepted_changes:
          - {change: EVENT_REMOVED, entity: events.chekout_begun, ticket: SHOP-512}
    Good:
        accepted_changes:
          - {change: EVENT_REMOVED, entity: events.checkout_begun, ticket: SHOP-512}
    """
    return iter(())  # produced by `taxonomy diff`
