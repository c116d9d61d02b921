"""Human output: findings grouped by file, aligned, coloured on a terminal."""

from __future__ import annotations

from itertools import groupby

from taxonomy.codes import REGISTRY
from taxonomy.findings import Finding, Severity
from taxonomy.reporters import Report

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render(report: Report, *, color: bool = False) -> str:
    lines: list[str] = []
    for notice in report.notices:
        lines.append(_paint(f"note: {notice}", "2", color))
    if report.notices:
        lines.append("")
    for file, group in groupby(report.findings, key=lambda f: f.file or ""):
        findings = list(group)
        lines.append(_paint(file or "(no file)", "1;4", color))
        width = max(len(_where(f)) for f in findings)
        for finding in findings:
            lines.append(_line(finding, width, color))
        lines.append("")
    lines.append(_summary(report, color))
    return "\n".join(lines) + "\n"


def _where(finding: Finding) -> str:
    return f"{finding.line}:{finding.column}" if finding.line else "-"


def _line(finding: Finding, width: int, color: bool) -> str:
    severity = _paint(f"{finding.severity.label:<7}", _COLORS[finding.severity], color)
    rule = REGISTRY.get(finding.code)
    name = _paint(f"[{rule.name}]", "2", color) if rule else ""
    code = _paint(finding.code, "1", color)
    return f"  {_where(finding):<{width}}  {severity}  {code}  {finding.message}  {name}".rstrip()


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 or word == "info" else f"{number} {word}s"


def _summary(report: Report, color: bool) -> str:
    s = report.summary()
    files = _count(s["files"], "file")
    if not s["total"]:
        return _paint(f"No problems found in {files}.", "32", color)
    parts = [
        _count(s[key], word) for key, word in (("errors", "error"), ("warnings", "warning"), ("info", "info")) if s[key]
    ]
    return _paint(f"Found {_count(s['total'], 'problem')} ({', '.join(parts)}) in {files}.", "1", color)


def summary_line(report: Report) -> str:
    """The closing line without colour, for the other human-facing formats (github, markdown)."""
    return _summary(report, False)
