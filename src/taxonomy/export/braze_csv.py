"""CSV files from the dashboard's "Export all" (Data Settings > Custom Attributes / Custom Events / Products).

Braze does not document the columns, so headers are matched case-insensitively against aliases kept in
rules/braze-export.yaml (`Name`, `Event Name`, `Data Type`, `Status`, `Description`, `Tags`, ...). What the file
lists (events, attributes or products) comes from the headers (a data type column means attributes; a header
such as `Event Name` says so), else from the file name.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.export.model import Export, ExportedAttribute, ExportedEvent, ExportedProduct
from taxonomy.export.types import fold, normalise_data_type, normalise_status, vocabulary
from taxonomy.findings import Span

_TAG_SPLIT = re.compile(r"[,;|]")
_TRUE = {"true", "yes", "y", "1", "blocklisted", "x"}


def match_headers(headers: Sequence[str], aliases: Mapping[str, Sequence[str]] | None = None) -> dict[str, int]:
    """Field -> column index. Unknown headers are ignored; two headers for one field is an error (ValueError)."""
    table = aliases if aliases is not None else vocabulary()["csv_headers"]
    lookup = {fold(alias): field for field, names in table.items() for alias in names}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = lookup.get(fold(header.lstrip("\ufeff")))
        if field is None:
            continue
        if field in found:
            first = headers[found[field]]
            raise ValueError(
                f"columns {found[field] + 1} ({first!r}) and {index + 1} ({header!r}) both give the {_label(field)}"
            )
        found[field] = index
    return found


def _label(field: str) -> str:
    return {"data_type": "data type", "array_length": "array length"}.get(field, field)


def guess_kind(headers: Sequence[str], columns: Mapping[str, int], file_name: str) -> str | None:
    """event | attribute | product, from the headers, else the file name; None when neither says."""
    if "data_type" in columns or "array_length" in columns:
        return "attribute"
    name_header = fold(headers[columns["name"]]) if "name" in columns else ""
    joined = " ".join(fold(h) for h in headers)
    for kind in ("event", "attribute", "product"):
        if kind in name_header:
            return kind
    for kind in ("event", "attribute", "product"):
        if kind in joined:
            return kind
    stem = PurePath(file_name).name.lower()
    for kind in ("event", "attribute", "product"):
        if kind in stem:
            return kind
    return None


def _dialect(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse(text: str, shown: str, kind: str | None = None) -> Export:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first_line), strict=False)
    try:
        headers = next(reader)
    except StopIteration:
        raise TaxonomyError("the export is empty", file=shown) from None
    except csv.Error as exc:
        raise TaxonomyError(f"invalid CSV header: {exc}", file=shown, line=1) from None
    try:
        columns = match_headers(headers)
    except ValueError as exc:
        raise TaxonomyError(f"duplicated column: {exc}", file=shown, line=1, column=1) from None
    if "name" not in columns:
        shown_headers = ", ".join(repr(h) for h in headers[:8]) or "none"
        raise TaxonomyError(
            f"no name column in this CSV (headers: {shown_headers})",
            file=shown,
            line=1,
            column=1,
            hint="the first line must name the columns, one of them `Name` (or `Event Name`, `Attribute Name`, ...)",
        )
    kind = kind or guess_kind(headers, columns, shown)
    if kind is None:
        raise TaxonomyError(
            "cannot tell whether this CSV lists events, attributes or products",
            file=shown,
            line=1,
            column=1,
            hint="keep the dashboard's file name (it says events or attributes) or name the column `Event Name`",
        )
    items: list[Any] = []
    seen: dict[str, int] = {}
    previous_end = reader.line_num
    try:
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            items.append(_item(kind, row, columns, Span(shown, line, 1), seen))
    except csv.Error as exc:
        raise TaxonomyError(f"invalid CSV: {exc}", file=shown, line=reader.line_num) from None
    return Export(
        file=shown,
        format="csv",
        events=tuple(i for i in items if isinstance(i, ExportedEvent)),
        attributes=tuple(i for i in items if isinstance(i, ExportedAttribute)),
        products=tuple(i for i in items if isinstance(i, ExportedProduct)),
        covers=frozenset((kind,)),
        files=(shown,),
    )


def _item(kind: str, row: list[str], columns: Mapping[str, int], span: Span, seen: dict[str, int]) -> Any:
    def cell(field: str) -> str | None:
        index = columns.get(field)
        if index is None or index >= len(row):
            return None
        value = row[index].strip()
        return value or None

    name = cell("name")
    if name is None:
        raise TaxonomyError("a row without a name", file=span.file, line=span.line, column=1)
    if name in seen:
        raise TaxonomyError(
            f"`{name}` is listed twice (first at line {seen[name]})", file=span.file, line=span.line, column=1
        )
    seen[name] = span.line
    raw_status = cell("status")
    status = normalise_status(raw_status)
    blocked = cell("blocklisted")
    if blocked is not None and blocked.lower() in _TRUE and status == "active":
        status, raw_status = "blocklisted", raw_status or "Blocklisted"
    tags = tuple(t.strip() for t in _TAG_SPLIT.split(cell("tags") or "") if t.strip())
    common: dict[str, Any] = {
        "name": name,
        "status": status,
        "raw_status": raw_status,
        "description": cell("description"),
        "tags": tags,
        "source": span,
    }
    if kind == "attribute":
        raw_type = cell("data_type")
        length_text = cell("array_length")
        length: int | None = None
        if length_text is not None:
            try:
                number = float(length_text)
                what = "a whole number >= 0"
            except ValueError:
                number, what = -1.0, "a number"
            # as for REST: a whole number >= 0 ("inf" and "1e400" parse as floats but are not lengths)
            if not (math.isfinite(number) and number.is_integer() and number >= 0):
                raise TaxonomyError(
                    f"array length of `{name}` is not {what}: {length_text!r}",
                    file=span.file,
                    line=span.line,
                    column=1,
                )
            length = int(number)
        return ExportedAttribute(**common, data_type=raw_type, type=normalise_data_type(raw_type), array_length=length)
    if kind == "event":
        return ExportedEvent(**common)
    return ExportedProduct(**common)
