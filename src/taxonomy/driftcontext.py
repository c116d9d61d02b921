"""What a drift check is given: the taxonomy, what Braze holds, and (optionally) what the code sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from taxonomy.codeusage import CodeUsage
from taxonomy.export.model import Export, ExportedItem
from taxonomy.findings import Span
from taxonomy.model import Taxonomy

if TYPE_CHECKING:
    from taxonomy.config import Config

__all__ = ["CodeUsage", "DriftContext"]


@dataclass(frozen=True)
class DriftContext:
    taxonomy: Taxonomy
    export: Export  # every export file merged
    exports: tuple[Export, ...]  # each file on its own (workspace checks)
    config: Config | None = None
    code: CodeUsage | None = None  # None: no code scan was asked for
    ignored: tuple[str, ...] = ()  # glob patterns of exported names never reported as undocumented
    _index: dict[str, dict[str, ExportedItem]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def exported(self, kind: str) -> dict[str, ExportedItem]:
        """Exported items of one kind by exact name."""
        if kind not in self._index:
            self._index[kind] = {item.name: item for item in self.export.of_kind(kind)}
        return self._index[kind]

    def declared(self, kind: str) -> Mapping[str, object]:
        return {
            "event": self.taxonomy.events,
            "attribute": self.taxonomy.attributes,
            "product": self.taxonomy.products,
        }[kind]

    def is_ignored(self, name: str) -> bool:
        from fnmatch import fnmatchcase

        return any(fnmatchcase(name, pattern) for pattern in self.ignored)

    def sent_from(self, kind: str, name: str) -> tuple[Span, ...]:
        if self.code is None:
            return ()
        return self.code.get(kind, {}).get(name, ())
