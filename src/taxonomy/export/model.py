"""The exported schema: what Braze holds, read from any export source into one immutable shape.

Every reader (REST bodies, dashboard CSV, the snapshot `taxonomy pull` writes) produces an `Export`; drift and
init only ever see this model. `source` points at the row or JSON item an entry came from, so findings about
undocumented items can point into the export file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taxonomy.findings import Span

KINDS = ("event", "attribute", "product")


@dataclass(frozen=True, kw_only=True)
class ExportedItem:
    name: str
    status: str = "active"  # normalised: active | blocklisted | trashed | the word as written (lower case)
    raw_status: str | None = None  # as Braze wrote it, e.g. "Blocklisted"
    description: str | None = None
    tags: tuple[str, ...] = ()
    source: Span | None = None  # the CSV row or JSON item in the export file
    pointer: str | None = None  # a JSON path such as `$.attributes[3]`, when the source is JSON

    @property
    def is_blocklisted(self) -> bool:
        return self.status == "blocklisted"

    @property
    def is_active(self) -> bool:
        return self.status not in ("blocklisted", "trashed")


@dataclass(frozen=True, kw_only=True)
class ExportedEvent(ExportedItem):
    included_in_analytics_report: bool | None = None


@dataclass(frozen=True, kw_only=True)
class ExportedAttribute(ExportedItem):
    data_type: str | None = None  # as Braze wrote it, e.g. "String (Automatically Detected)"
    type: str | None = None  # normalised (see export.types); None when absent or unknown
    array_length: int | None = None


@dataclass(frozen=True, kw_only=True)
class ExportedProduct(ExportedItem):
    pass


@dataclass(frozen=True, kw_only=True)
class Export:
    """One export file (or several merged). `covers` says which kinds it lists at all: an events-only CSV says
    nothing about attributes, so no attribute is reported missing from it."""

    file: str  # as shown to the user; several joined with ", " when merged
    format: str  # snapshot | rest | csv | merged
    workspace: str | None = None
    fetched_at: str | None = None
    instance: str | None = None
    events: tuple[ExportedEvent, ...] = ()
    attributes: tuple[ExportedAttribute, ...] = ()
    products: tuple[ExportedProduct, ...] = ()
    covers: frozenset[str] = field(default_factory=frozenset)
    files: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> tuple[ExportedItem, ...]:
        return {"event": self.events, "attribute": self.attributes, "product": self.products}[kind]

    @property
    def size(self) -> int:
        return len(self.events) + len(self.attributes) + len(self.products)


def merge(exports: list[Export]) -> Export:
    """Several exports as one: the first mention of a name wins; workspaces must agree (checked by drift)."""
    if len(exports) == 1:
        return exports[0]
    seen: dict[tuple[str, str], ExportedItem] = {}
    for export in exports:
        for kind in KINDS:
            for item in export.of_kind(kind):
                seen.setdefault((kind, item.name), item)

    def pick(kind: str) -> tuple[ExportedItem, ...]:
        return tuple(item for (k, _n), item in seen.items() if k == kind)

    workspaces = [e.workspace for e in exports if e.workspace]
    return Export(
        file=", ".join(e.file for e in exports),
        format="merged",
        workspace=workspaces[0] if workspaces else None,
        fetched_at=max((e.fetched_at for e in exports if e.fetched_at), default=None),
        events=pick("event"),  # type: ignore[arg-type]
        attributes=pick("attribute"),  # type: ignore[arg-type]
        products=pick("product"),  # type: ignore[arg-type]
        covers=frozenset().union(*(e.covers for e in exports)),
        files=tuple(f for e in exports for f in (e.files or (e.file,))),
    )
