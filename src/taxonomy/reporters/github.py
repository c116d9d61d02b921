"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

`::error file=F,line=L,col=C,endLine=..,endColumn=..,title=T::MESSAGE`; info findings are notices, warnings
warnings. Escaping follows the runner's rules: `%`, CR and LF in the message; also `:` and `,` in properties.
"""

from __future__ import annotations

from taxonomy.codes import REGISTRY
from taxonomy.findings import Finding, Severity
from taxonomy.reporters import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, *, color: bool = False) -> str:
    from taxonomy.reporters.text import summary_line

    lines = [_command(finding) for finding in report.findings]
    lines.extend(f"taxonomy: note: {escape_data(notice)}" for notice in report.notices)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _command(finding: Finding) -> str:
    properties: list[tuple[str, str]] = []
    span = finding.span
    if span is not None:
        properties += [("file", span.file), ("line", str(span.line)), ("col", str(span.column))]
        if span.end_line is not None:
            properties.append(("endLine", str(span.end_line)))
            if span.end_column is not None:
                properties.append(("endColumn", str(span.end_column)))
    rule = REGISTRY.get(finding.code)
    properties.append(("title", f"{finding.code} {rule.name}" if rule else finding.code))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(finding.message)}"
