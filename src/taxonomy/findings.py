"""The one finding record every check produces and every reporter reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from taxonomy.severity import Severity as Severity  # its own module: settings need it, not the records


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a file. Lines and columns are 1-based; the end is exclusive and optional."""

    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """What a finding is about: kind is event, attribute, property, product, purchase_property, file, ..."""

    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe, mechanical edit a check offers: `path` is the key path in the taxonomy document."""

    description: str
    path: tuple[str | int, ...] = ()
    value: object = None
    action: str = "set"  # set | delete | sort


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    severity: Severity
    span: Span | None = None
    entity: Entity | None = None
    fix: Fix | None = None
    # Extra machine-readable facts (e.g. a suggestion); reporters may show them, checks never depend on them.
    data: tuple[tuple[str, str], ...] = field(default=())

    @property
    def file(self) -> str | None:
        return self.span.file if self.span else None

    @property
    def line(self) -> int | None:
        return self.span.line if self.span else None

    @property
    def column(self) -> int | None:
        return self.span.column if self.span else None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.code, self.message)
