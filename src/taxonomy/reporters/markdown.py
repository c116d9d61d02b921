"""Markdown for a pull-request comment: a one-line verdict, then a table of findings (folded when long)."""

from __future__ import annotations

from typing import Any

from taxonomy.codes import REGISTRY
from taxonomy.findings import Finding, Severity
from taxonomy.reporters import Report

FOLD_AFTER = 20  # more rows than this go into a <details> block, so the comment stays readable
ICONS = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟡 warning", Severity.INFO: "🔵 info"}


def cell(text: str) -> str:
    """Table-cell safe: pipes escaped, newlines as <br>, HTML not interpreted."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r\n", "<br>")
        .replace("\n", "<br>")
    )


def render(report: Report, *, color: bool = False) -> str:
    from taxonomy.reporters.text import summary_line

    verdict = "❌" if report.exit_code else "✅"
    lines = [f"### {verdict} taxonomy {report.command}", "", summary_line(report)]
    baseline: dict[str, Any] | None = report.extra.get("baseline")
    if report.findings:
        rows = [_row(finding) for finding in report.findings]
        table = ["| Severity | Code | Where | Message |", "| --- | --- | --- | --- |", *rows]
        lines.append("")
        if len(rows) > FOLD_AFTER:
            lines += [f"<details><summary>All {len(rows)} findings</summary>", "", *table, "", "</details>"]
        else:
            lines += table
    if report.notices:
        lines += ["", *(f"> {cell(notice)}" for notice in report.notices)]
    if baseline and baseline.get("fixed"):
        lines += ["", f"Fixed since the baseline (remove them from `{baseline['file']}`):", ""]
        for entry in baseline["fixed"]:
            entity = entry["entity"]
            about = f"{entity['kind']} `{entity['name']}`" if entity else cell(entry["message"])
            lines.append(f"- {entry['code']} {about}" + (f" in `{entry['file']}`" if entry["file"] else ""))
    return "\n".join(lines) + "\n"


def _row(finding: Finding) -> str:
    rule = REGISTRY.get(finding.code)
    code = f"`{finding.code}` {rule.name}" if rule else f"`{finding.code}`"
    where = f"`{finding.file}:{finding.line}:{finding.column}`" if finding.file and finding.line else "-"
    if finding.file and not finding.line:
        where = f"`{finding.file}`"
    return f"| {ICONS[finding.severity]} | {code} | {cell(where)} | {cell(finding.message)} |"
