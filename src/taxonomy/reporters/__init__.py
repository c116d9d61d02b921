"""The one reporter table: every command that produces findings can write any of these formats.

A reporter is a function `render(report, *, color) -> str`; it decides nothing (the report already holds the
final findings and exit code). Formats are imported lazily so that start-up stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from taxonomy.findings import Finding, Severity
from taxonomy.reporters_table import REPORTERS as REPORTERS  # the names; here too for those who look here


@dataclass(frozen=True)
class Report:
    command: str  # lint, check, drift, diff, ...
    findings: tuple[Finding, ...]
    files: tuple[str, ...] = ()  # what was checked, as shown to the user
    exit_code: int = 0
    notices: tuple[str, ...] = ()  # skipped files and other things the user should know, not findings
    extra: dict[str, Any] = field(default_factory=dict)  # command-specific facts for richer formats

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    def summary(self) -> dict[str, int]:
        counts = self.counts()
        return {
            "files": len(self.files),
            "total": len(self.findings),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "info": counts[Severity.INFO],
        }


def renderer(name: str) -> Callable[..., str]:
    module, _, func = REPORTERS[name].partition(":")
    result: Callable[..., str] = getattr(importlib.import_module(module), func)
    return result


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def outputs(formats: str | Sequence[str], output_file: str | None = None) -> list[tuple[str, str | None]]:
    """Where each format goes: `NAME` (the terminal, or --output-file) or `NAME:PATH` (that file).

    At most one format writes to the terminal and no two to the same file, so `-f text -f sarif:results.sarif`
    shows text and writes SARIF in one run.
    """
    from taxonomy.errors import TaxonomyError

    specs = [formats] if isinstance(formats, str) else list(formats or ["text"])
    routed: list[tuple[str, str | None]] = []
    for spec in specs:
        name, sep, path = spec.partition(":")
        if name not in REPORTERS:
            from taxonomy.fuzzy import did_you_mean

            raise TaxonomyError(
                f"unknown format {name!r}{did_you_mean(name, REPORTERS)}; use one of {', '.join(sorted(REPORTERS))}"
            )
        if sep and not path:
            raise TaxonomyError(f"format {spec!r} names no file; write {name}:PATH or leave out the colon")
        routed.append((name, path or None))
    bare = [i for i, (_name, path) in enumerate(routed) if path is None]
    if output_file:
        if len(bare) > 1:
            raise TaxonomyError(
                "--output-file fits only one format given without a file",
                hint="give the others their own file: --format sarif:results.sarif",
            )
        if bare:
            routed[bare[0]] = (routed[bare[0]][0], output_file)
        else:
            raise TaxonomyError("--output-file given, but every format already names its file")
    elif len(bare) > 1:
        raise TaxonomyError(
            "only one format can write to the terminal", hint="send the others to files: --format sarif:results.sarif"
        )
    paths = [path for _name, path in routed if path]
    for path in paths:
        if paths.count(path) > 1:
            raise TaxonomyError(f"two formats would write to {path}")
    return routed


def emit(report: Report, fmt: str | Sequence[str], output_file: str | None = None) -> None:
    """Render `report` in every requested format: files atomically, at most one to stdout."""
    routed = outputs(fmt, output_file)
    for name, path in routed:
        if path:
            from taxonomy.atomic import write_atomic

            write_atomic(path, renderer(name)(report, color=False))
    for name, path in routed:
        if path is None:
            sys.stdout.write(renderer(name)(report, color=use_color(sys.stdout)))
            sys.stdout.flush()
