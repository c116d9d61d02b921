"""Machine output: one JSON document, stable field names (version 1)."""

from __future__ import annotations

import json
from typing import Any

from taxonomy.codes import REGISTRY
from taxonomy.findings import Finding
from taxonomy.reporters import Report


def finding_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    rule = REGISTRY.get(finding.code)
    out: dict[str, Any] = {
        "code": finding.code,
        "name": rule.name if rule else None,
        "severity": finding.severity.label,
        "message": finding.message,
        "file": span.file if span else None,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "end_line": span.end_line if span else None,
        "end_column": span.end_column if span else None,
        "entity": {"kind": finding.entity.kind, "name": finding.entity.name} if finding.entity else None,
    }
    if finding.fix:
        out["fix"] = {"description": finding.fix.description}
    return out


def render(report: Report, *, color: bool = False) -> str:
    document = {
        "version": 1,
        "command": report.command,
        "findings": [finding_dict(f) for f in report.findings],
        "summary": report.summary(),
        "notices": list(report.notices),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
