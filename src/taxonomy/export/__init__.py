"""Reading what Braze holds: snapshot files, REST JSON bodies, dashboard CSVs -> one `Export` model.

The format is recognised by content (a JSON object or array, its keys; else CSV), never only by suffix.
"""

from __future__ import annotations

from pathlib import Path

from taxonomy.errors import TaxonomyError
from taxonomy.export.model import Export, merge
from taxonomy.paths import display_path

__all__ = ["Export", "merge", "read_export", "read_exports"]

MAX_BYTES = 200 * 1024 * 1024  # a workspace export is megabytes; more is not an export


def read_export(path: str | Path) -> Export:
    """One export file, whatever its format."""
    from taxonomy.yamlsource import read_text

    target = Path(path)
    shown = display_path(target)
    try:
        size = target.stat().st_size
    except FileNotFoundError:
        raise TaxonomyError("export file not found", file=shown) from None
    except OSError as exc:
        raise TaxonomyError(f"cannot read: {exc.strerror}", file=shown) from None
    if target.is_dir():
        raise TaxonomyError("is a directory, not an export file", file=shown)
    if not target.is_file():
        raise TaxonomyError("not a regular file (a pipe or a device?)", file=shown)
    if size > MAX_BYTES:
        raise TaxonomyError(f"too large for an export ({size:,} bytes)", file=shown)
    text = read_text(target, shown)
    return parse_export(text, shown)


def parse_export(text: str, shown: str) -> Export:
    stripped = text.lstrip()
    if not stripped:
        raise TaxonomyError(
            "the export is empty",
            file=shown,
            hint="pass a snapshot from `taxonomy pull`, a REST JSON body or a dashboard CSV",
        )
    if stripped[0] in "{[":
        from taxonomy.export import braze_rest, snapshot
        from taxonomy.export.jsonpos import parse

        doc = parse(text, shown)
        if snapshot.looks_like_snapshot(doc.data):
            return snapshot.read(doc)
        if braze_rest.looks_like_rest(doc.data):
            return braze_rest.read(doc)
        raise TaxonomyError(
            "JSON, but neither a snapshot nor a Braze REST body (no `attributes`, `events` or `products` list)",
            file=shown,
            line=1,
            column=1,
            hint="use the body of GET /custom_attributes, /events, /events/list, /purchases/product_list, "
            "or a snapshot from `taxonomy pull`",
        )
    from taxonomy.export import braze_csv

    return braze_csv.parse(text, shown)


def read_exports(paths: list[str] | tuple[str, ...]) -> list[Export]:
    return [read_export(p) for p in paths]
