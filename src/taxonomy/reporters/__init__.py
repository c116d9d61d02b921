"""The one reporter table: every command that produces findings can write any of these formats.

A reporter is a function `render(report, *, color) -> str`; it decides nothing (the report already holds the
final findings and exit code). Formats are imported lazily so that start-up stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from taxonomy.findings import Finding, Severity

REPORTERS: dict[str, str] = {
    "text": "taxonomy.reporters.text:render",
    "json": "taxonomy.reporters.json:render",
}


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


def emit(report: Report, fmt: str, output_file: str | None = None) -> None:
    """Render `report` in `fmt` to stdout, or atomically to `output_file`."""
    if output_file:
        from taxonomy.atomic import write_atomic

        write_atomic(output_file, renderer(fmt)(report, color=False))
        return
    text = renderer(fmt)(report, color=use_color(sys.stdout))
    sys.stdout.write(text)
    sys.stdout.flush()
