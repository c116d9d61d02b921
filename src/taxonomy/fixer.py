"""`taxonomy lint --fix`: apply the fixes findings carry, through the formatter's round-trip writer.

A check offers a fix by attaching `Fix(description, path, value, action)` to its finding: `path` is the key path
inside the file the finding points at. Any check may do so; this module knows nothing about particular codes.
Fixes only set, add, delete or sort values: nothing is ever renamed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taxonomy.findings import Finding
from taxonomy.fmt import FmtOptions

if TYPE_CHECKING:
    from taxonomy.loader import Document


@dataclass(frozen=True)
class Change:
    finding: Finding
    applied: bool
    note: str = ""

    def describe(self) -> str:
        span = self.finding.span
        where = f"{span.file}:{span.line}:{span.column}" if span else "-"
        fix = self.finding.fix
        text = fix.description if fix else ""
        return f"{where}: {self.finding.code} {text}" + (f" (skipped: {self.note})" if not self.applied else "")


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.fix is not None and f.span is not None]


def apply(findings: Sequence[Finding], documents: Iterable[Document], options: FmtOptions) -> list[Change]:
    """Apply every finding's fix to the file it points at; write each changed file once, atomically.

    A changed file is written in the canonical layout of `taxonomy fmt`, and only after the result has been
    checked to parse.
    """
    from taxonomy.atomic import write_atomic
    from taxonomy.fmt import apply_fixes, canonicalise, decode, dump, encode, parse
    from taxonomy.yamlsource import parse as parse_checked

    docs = {doc.display: doc for doc in documents}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in fixable(findings):
        assert finding.span is not None
        by_file[finding.span.file].append(finding)
    changes: list[Change] = []
    for display, group in by_file.items():
        doc = docs.get(display)
        if doc is None:
            changes.extend(Change(f, False, "not a taxonomy file") for f in group)
            continue
        text, layout = decode(doc.path.read_bytes(), display)
        data = parse(text, display)
        results = apply_fixes(data, [f.fix for f in group if f.fix is not None])
        changes.extend(Change(f, r.changed, r.note) for f, r in zip(group, results, strict=True))
        if not any(r.changed for r in results):
            continue
        canonicalise(data, fragment=not doc.is_root, options=options)
        new_text = dump(data)
        parse_checked(new_text, display)  # never write a file that would not load
        write_atomic(doc.path, encode(new_text, layout))
    return changes
