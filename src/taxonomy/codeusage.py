"""What the code sends, as drift and init need it: kind -> name -> call sites, and event property types.

The source scanner (`taxonomy.scan`) produces call sites; this module is the one place that turns them into
these plain mappings, so drift and init do not depend on the scanner's internals. Call sites are read by
attribute (`kind`, `name`, `file`, `line`, `column`, `properties`, `property_types`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from taxonomy.findings import Span

# kind (event | attribute | product) -> name -> every place the code sends it
CodeUsage = Mapping[str, Mapping[str, tuple[Span, ...]]]

# the scanner's call-site kinds -> the taxonomy's item kinds (identify, flush, standard attributes: not items)
_KINDS = {"event": "event", "attribute": "attribute", "purchase": "product"}


@dataclass(frozen=True)
class CodeScan:
    usage: CodeUsage = field(default_factory=dict)
    # event name -> property key -> literal value type seen in code (None: not a literal)
    properties: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    files: tuple[str, ...] = ()


def from_call_sites(sites: Iterable[Any], root: str = "") -> CodeScan:
    usage: dict[str, dict[str, list[Span]]] = {}
    properties: dict[str, dict[str, str | None]] = {}
    files: dict[str, None] = {}
    for site in sites:
        kind = _KINDS.get(getattr(site, "kind", ""))
        name = getattr(site, "name", None)
        if kind is None or not isinstance(name, str) or not name:
            continue  # dynamic names cannot be compared with a list of names
        file = posixpath.join(root, site.file) if root not in ("", ".") else site.file
        files[file] = None
        usage.setdefault(kind, {}).setdefault(name, []).append(Span(file, site.line, site.column))
        if kind == "event":
            types = dict(getattr(site, "property_types", ()) or ())
            seen = properties.setdefault(name, {})
            for key in getattr(site, "properties", ()) or ():
                if seen.get(key) is None:
                    seen[key] = types.get(key)
    return CodeScan(
        usage={kind: {name: tuple(spans) for name, spans in names.items()} for kind, names in usage.items()},
        properties=properties,
        files=tuple(files),
    )


def scan(paths: tuple[str, ...], config: Any) -> CodeScan:
    """Run the source scanner (`taxonomy.scan.scan_paths`) on `paths`; call-site files are shown from here.

    The scan's root is the working folder, so the spans in findings are paths the user can open.
    """
    from pathlib import Path

    from taxonomy.errors import TaxonomyError
    from taxonomy.paths import display_path
    from taxonomy.scan import scan_paths

    for path in paths:
        if not Path(path).exists():
            raise TaxonomyError(f"--code: no such file or folder: {display_path(path)}")
    result = scan_paths(list(paths), config, root=Path.cwd())
    return from_call_sites(result.call_sites)
