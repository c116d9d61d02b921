"""The catalogue: every event, attribute and product as people read it (HTML and Markdown from one model).

`build_catalogue(taxonomy, usage=..., braze=...)` turns the taxonomy into plain rows; the renderers only lay
them out. Two inputs are optional and come from other capabilities:

- `usage`: (kind, name) -> [(file, line), ...], where the code sends it (the scanner's call sites);
- `braze`: (kind, name) -> state, what the Braze export says: seen, missing, type_mismatch, blocklisted.

Either is shown when given; a catalogue without them is still complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from taxonomy.errors import TaxonomyError
from taxonomy.model import Attribute, Event, Item, Product, Property, Taxonomy, TypeSpec

KINDS = ("event", "attribute", "product")
BRAZE_STATES = {
    "seen": "seen in Braze",
    "missing": "not in Braze",
    "type_mismatch": "type differs in Braze",
    "blocklisted": "blocklisted in Braze",
}

Usage = Mapping[tuple[str, str], Sequence[tuple[str, int]]]
BrazeState = Mapping[tuple[str, str], str]


@dataclass(frozen=True)
class Field:
    """One property (or nested key, as a dotted path) with its type in words."""

    path: str
    type: str
    required: bool
    description: str
    constraints: tuple[str, ...]
    depth: int


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    description: str
    owner: str
    status: str
    platforms: tuple[str, ...]
    tags: tuple[str, ...]
    declared_at: str  # file:line
    type: str = ""  # attributes: their value type in words
    constraints: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    renamed_to: str = ""
    reason: str = ""
    usage: tuple[tuple[str, int], ...] | None = None  # None: no code scan was given
    braze: str | None = None  # None: no export was given

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.name}"

    @property
    def search_text(self) -> str:
        parts = [self.name, self.description, self.owner, self.status, self.kind, *self.tags, *self.platforms]
        parts += [f"{f.path} {f.description}" for f in self.fields]
        return " ".join(p for p in parts if p).lower()


@dataclass(frozen=True)
class Catalogue:
    title: str
    description: str
    source: str
    entries: tuple[Entry, ...]
    purchase_fields: tuple[Field, ...] = ()
    has_usage: bool = False
    has_braze: bool = False
    owners: tuple[str, ...] = field(default=())
    platforms: tuple[str, ...] = field(default=())
    statuses: tuple[str, ...] = field(default=())

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]


def build_catalogue(
    taxonomy: Taxonomy,
    *,
    title: str | None = None,
    description: str = "",
    usage: Usage | None = None,
    braze: BrazeState | None = None,
) -> Catalogue:
    """The catalogue of `taxonomy`; `usage` and `braze` add where it is sent and its state in Braze."""
    if braze is not None:
        for key, state in braze.items():
            if state not in BRAZE_STATES:
                raise TaxonomyError(
                    f"unknown Braze state {state!r} for {key[0]} `{key[1]}`",
                    hint=f"use one of {', '.join(BRAZE_STATES)}",
                )
    entries = []
    for kind, item in taxonomy.items():
        key = (kind, item.name)
        entries.append(
            _entry(
                kind,
                item,
                usage=tuple(sorted(usage.get(key, ()))) if usage is not None else None,
                braze=braze.get(key, "missing") if braze is not None else None,
            )
        )
    entries.sort(key=lambda e: (KINDS.index(e.kind), e.name))
    return Catalogue(
        title=title or (f"{taxonomy.workspace} data catalogue" if taxonomy.workspace else "Data catalogue"),
        description=description,
        source=taxonomy.path,
        entries=tuple(entries),
        purchase_fields=tuple(_fields(taxonomy.purchase_properties)),
        has_usage=usage is not None,
        has_braze=braze is not None,
        owners=_distinct(e.owner for e in entries),
        platforms=_distinct(p for e in entries for p in e.platforms),
        statuses=tuple(
            s for s in ("planned", "active", "deprecated", "removed") if any(e.status == s for e in entries)
        ),
    )


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v}))


def _entry(kind: str, item: Item, *, usage: tuple[tuple[str, int], ...] | None, braze: str | None) -> Entry:
    type_words = ""
    constraints: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    if isinstance(item, Attribute):
        type_words, constraints = type_of(item), constraints_of(item)
        fields = tuple(_fields(item.properties))
    elif isinstance(item, Event):
        fields = tuple(_fields(item.properties))
    elif not isinstance(item, Product):  # pragma: no cover - the model has three kinds
        raise TypeError(kind)
    return Entry(
        kind=kind,
        name=item.name,
        description=item.description or "",
        owner=item.owner or "",
        status=item.status,
        platforms=item.platforms,
        tags=item.tags,
        declared_at=f"{item.span.file}:{item.span.line}",
        type=type_words,
        constraints=constraints,
        fields=fields,
        renamed_to=item.renamed_to or "",
        reason=item.reason or "",
        usage=usage,
        braze=braze,
    )


def _fields(props: Sequence[Property], prefix: str = "", depth: int = 0) -> Iterable[Field]:
    for prop in props:
        path = f"{prefix}{prop.name}"
        yield Field(path, type_of(prop), prop.required, prop.description or "", constraints_of(prop), depth)
        yield from _fields(prop.properties, path + ".", depth + 1)


def type_of(spec: TypeSpec) -> str:
    """`string`, `array of string`, `array of object`."""
    if spec.type == "array":
        return f"array of {spec.items or 'string'}"
    return spec.type


def constraints_of(spec: TypeSpec) -> tuple[str, ...]:
    out = []
    if spec.enum:
        out.append("one of " + ", ".join(str(v) for v in spec.enum))
    if spec.pattern:
        out.append(f"matches {spec.pattern}")
    if spec.minimum is not None:
        out.append(f"≥ {_number(spec.minimum)}")
    if spec.maximum is not None:
        out.append(f"≤ {_number(spec.maximum)}")
    if spec.min_length is not None:
        out.append(f"at least {spec.min_length} characters")
    if spec.max_length is not None:
        out.append(f"at most {spec.max_length} characters")
    if spec.max_items is not None:
        out.append(f"at most {spec.max_items} items")
    return tuple(out)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
