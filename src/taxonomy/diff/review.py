"""What the team already knows about the changes: acceptances recorded in the new taxonomy, and code usage.

`accepted_changes:` (a top-level section of the new file) lists breaking or risky changes the team has agreed to,
each with a reason or a ticket: they are reported as accepted and do not fail the run. An acceptance that matches
no change is stale and reported, so the list does not rot.

Usage is a set of (kind, name) that call sites send, e.g. {("event", "checkout_started")}; a removal of something
no call site sends is downgraded from breaking to risky (the code that was scanned no longer needs it, but other
code, history and dashboards may).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from taxonomy.diff.changes import Change, with_category
from taxonomy.findings import Span
from taxonomy.model import Taxonomy
from taxonomy.yamlsource import YList, YMap

Usage = frozenset[tuple[str, str]]

# Removals that nothing sends any more lose their sting; entity-level ids are checked against the entity itself.
_REMOVALS = {
    "EVENT_REMOVED",
    "ATTRIBUTE_REMOVED",
    "PRODUCT_REMOVED",
    "PURCHASE_PROPERTY_REMOVED",
    "ITEM_RETIRED",
    "PROPERTY_REMOVED",
    "NESTED_KEY_REMOVED",
}


@dataclass(frozen=True)
class Acceptance:
    change: str  # a change id
    entity: str  # the dotted path shown in the report, e.g. events.checkout_begun
    reason: str
    span: Span | None


@dataclass(frozen=True)
class Reviewed:
    change: Change
    accepted: Acceptance | None = None


@dataclass(frozen=True)
class Review:
    entries: tuple[Reviewed, ...]
    stale: tuple[Acceptance, ...]


def acceptances(taxonomy: Taxonomy) -> list[Acceptance]:
    """The `accepted_changes:` entries of a taxonomy (malformed ones are schema findings, skipped here)."""
    section = taxonomy.sections.get("accepted_changes")
    if not isinstance(section, list):
        return []
    spans: Sequence[Span] = section.item_spans if isinstance(section, YList) else ()
    out: list[Acceptance] = []
    for index, entry in enumerate(section):
        if not isinstance(entry, dict):
            continue
        change, entity = entry.get("change"), entry.get("entity")
        if not isinstance(change, str) or not isinstance(entity, str):
            continue
        why = [str(entry[k]) for k in ("ticket", "reason") if isinstance(entry.get(k), (str, int))]
        span = entry.key_spans.get("change") if isinstance(entry, YMap) else None
        if span is None and index < len(spans):
            span = spans[index]
        out.append(Acceptance(change.strip(), entity.strip(), ": ".join(why), span))
    return out


def review(changes: Iterable[Change], new: Taxonomy, usage: Usage | None = None) -> Review:
    """Apply usage (downgrades) then acceptances (which match by change id and entity path)."""
    accepted = acceptances(new)
    used: set[int] = set()
    entries: list[Reviewed] = []
    for change in changes:
        if usage is not None:
            change = downgrade(change, usage)
        match = None
        for index, acceptance in enumerate(accepted):
            if acceptance.change == change.id and acceptance.entity == change.dotted:
                match = acceptance
                used.add(index)
                break
        entries.append(Reviewed(change, match))
    stale = tuple(a for index, a in enumerate(accepted) if index not in used)
    return Review(tuple(entries), stale)


def downgrade(change: Change, usage: Usage) -> Change:
    """A breaking removal of an entity no scanned call site sends becomes risky, and says why."""
    if change.id not in _REMOVALS or change.category != "breaking":
        return change
    if (change.entity_kind, change.entity_name) in usage:
        return change
    what = change.entity_kind.replace("_", " ")
    return with_category(
        change,
        "risky",
        f"no call site in the scanned code sends the {what} `{change.entity_name}`; history, dashboards and code "
        "outside the scan may still use it",
    )


def usage_from_code(paths: Sequence[str]) -> Usage:
    """The (kind, name) pairs that the call sites under `paths` send, from the scanner (taxonomy.scan)."""
    import importlib

    try:
        scan: Any = importlib.import_module("taxonomy.scan")
    except ImportError:
        from taxonomy.errors import TaxonomyError

        raise TaxonomyError(
            "--code needs the code scanner (taxonomy.scan), which this build does not include yet",
            hint="run without --code; removals are then classified without looking at the code",
        ) from None
    # Wiring point: adapt to the scanner's API once it lands (call sites with a kind and a resolved name).
    sites: Any = scan.scan_paths(list(paths))  # pragma: no cover
    return frozenset((str(site.kind), str(site.name)) for site in sites if getattr(site, "name", None))
