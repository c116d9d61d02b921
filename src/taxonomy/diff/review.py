"""What the team already knows about the changes: acceptances recorded in the new taxonomy, and code usage.

`accepted_changes:` (a top-level section of the new file) lists breaking or risky changes the team has agreed to,
each with a reason or a ticket: they are reported as accepted and do not fail the run. An acceptance that matches
no change is stale and reported, so the list does not rot.

Usage is a set of (kind, name) that call sites send, e.g. {("event", "checkout_started")}, read from the scanner
(taxonomy.scan); a removal of something no call site sends is downgraded from breaking to risky (the code that was
scanned no longer needs it, but other code, history and dashboards may).
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
    """A breaking removal of something no scanned call site sends becomes risky, and says why."""
    if change.id not in _REMOVALS or change.category != "breaking" or sent(change, usage):
        return change
    if change.id == "PROPERTY_REMOVED" and (change.entity_kind, change.entity_name) in usage:
        what = f"property `{change.path[-1]}` of the event `{change.entity_name}`"
    else:
        what = f"{change.entity_kind.replace('_', ' ')} `{change.entity_name}`"
    return with_category(
        change,
        "risky",
        f"no call site in the scanned code sends the {what}; history, dashboards and code outside the scan may "
        "still use it",
    )


def sent(change: Change, usage: Usage) -> bool:
    """Whether some call site may send what the change is about. `*` stands for names the scanner cannot read."""
    kind, name = change.entity_kind, change.entity_name
    if (kind, "*") not in usage and (kind, name) not in usage:
        return False
    if change.id == "PROPERTY_REMOVED" and kind == "event":
        prop = change.path[-1]
        return bool({("event", "*"), ("property", f"{name}.*"), ("property", f"{name}.{prop}")} & usage)
    return True


_KINDS = {"event": "event", "purchase": "product", "attribute": "attribute"}


def usage_from_code(paths: Sequence[str], config: Any) -> tuple[Usage | None, tuple[str, ...]]:
    """What the call sites under `paths` send, from the scanner: (kind, name) pairs, and notices for the user.

    A dynamic name (one the scanner cannot read) counts as `(kind, "*")`: it might be anything, so no removal of
    that kind is downgraded. Event properties are `("property", "event.prop")`, or `"event.*"` when not all known.
    A scan that finds no call site at all gives None (no downgrade): a wrong path is likelier than an app without
    Braze.
    """
    from pathlib import Path

    from taxonomy.errors import TaxonomyError
    from taxonomy.scan import scan_paths

    for path in paths:
        if not Path(path).exists():  # a typo would otherwise make every removal look unused
            raise TaxonomyError(f"--code {path}: no such file or folder")
    result = scan_paths(list(paths), config)
    if not result.call_sites:
        shown = ", ".join(paths)
        return None, (f"--code: no Braze call site found in {shown}, so no removal is downgraded",)
    used: set[tuple[str, str]] = set()
    for site in result.call_sites:
        kind = _KINDS.get(site.kind)
        if kind is None:
            continue  # identify, flush, standard attributes: nothing a taxonomy removal touches
        name = site.name if site.name is not None else "*"
        used.add((kind, name))
        if kind == "event":
            used.update(("property", f"{name}.{prop}") for prop in site.properties)
            if not site.properties_known:
                used.add(("property", f"{name}.*"))
        elif kind == "product":
            used.update(("purchase_property", prop) for prop in site.properties)
            if not site.properties_known:
                used.add(("purchase_property", "*"))
    sites, files = len(result.call_sites), result.files
    notices = [f"--code: {sites} call site{'s' if sites != 1 else ''} in {files} file{'s' if files != 1 else ''}"]
    if result.skipped:
        notices.append(f"--code: {len(result.skipped)} files could not be scanned; what they send is not known to diff")
    return frozenset(used), tuple(notices)
