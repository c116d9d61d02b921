"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers): one run, the rules seen, stable fingerprints.

`partialFingerprints` come from what a finding is about (code, entity, file), never its line, so moving code
does not open a "new" alert. A finding without a place is pinned to the first file checked (code scanning
requires a location).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from taxonomy.codes import REGISTRY, Rule
from taxonomy.findings import Finding, Severity
from taxonomy.reporters import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/event-taxonomy/"
FINGERPRINT_KEY = "taxonomyFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, *, color: bool = False) -> str:
    import taxonomy
    from taxonomy.baseline import fingerprints

    codes = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(codes)}
    results = [
        _result(finding, index[finding.code], fingerprint, report)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "taxonomy",
                "version": taxonomy.__version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(code) for code in codes],
            }
        },
        "automationDetails": {"id": f"taxonomy/{report.command}/"},
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder taxonomy ran in."}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _invocation(report: Report) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": report.exit_code in (0, 1), "exitCode": report.exit_code}
    if report.notices:
        notes = [{"message": {"text": notice}, "level": "note"} for notice in report.notices]
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _rule(code: str) -> dict[str, Any]:
    found: Rule | None = REGISTRY.get(code)
    if found is None:  # the engine never lets an unregistered code through; stay valid anyway
        return {"id": code}
    return {
        "id": found.code,
        "name": _pascal(found.name),
        "shortDescription": {"text": found.summary},
        "fullDescription": {"text": found.doc},
        "help": {"text": found.doc, "markdown": help_markdown(found)},
        "defaultConfiguration": {"level": LEVELS[found.severity]},
        # SARIF tags are unique: a family named after its command (diff.*, scope diff) gives one tag.
        "properties": {
            "tags": list(dict.fromkeys([found.name.split(".")[0], found.scope])),
            "taxonomyName": found.name,
        },
    }


def _pascal(name: str) -> str:
    """SARIF rule names are identifiers: schema.invalid-value -> SchemaInvalidValue."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[.\-_]", name) if part)


def help_markdown(found: Rule) -> str:
    """The rule's docstring as Markdown: the indented Bad / Good examples become fenced blocks."""
    lines = found.doc.splitlines()
    out = [f"**{found.code}** `{found.name}`: {lines[0]}" if lines else f"**{found.code}**"]
    block: list[str] = []

    def flush() -> None:
        if block:
            out.extend(["```yaml", *block, "```"])
            block.clear()

    for line in lines[1:]:
        if line.startswith("    "):
            block.append(line[4:])
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def _artifact(file: str) -> dict[str, str]:
    """Paths below the working folder are relative to %SRCROOT%; others become file: URIs."""
    if file.startswith("/") or re.match(r"[A-Za-z]:/", file):
        return {"uri": "file://" + ("" if file.startswith("/") else "/") + quote(file, safe="/:")}
    return {"uri": quote(file, safe="/"), "uriBaseId": "%SRCROOT%"}


def _result(finding: Finding, rule_index: int, fingerprint: str, report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    file = finding.file or (report.files[0] if report.files else None)
    if file is not None:
        region: dict[str, int] = {"startLine": finding.line or 1, "startColumn": finding.column or 1}
        span = finding.span
        if span and span.end_line is not None and span.end_line >= span.line:
            region["endLine"] = span.end_line
            if span.end_column is not None and (span.end_line > span.line or span.end_column > span.column):
                region["endColumn"] = span.end_column
        location = {"artifactLocation": _artifact(file), "region": region}
        result["locations"] = [{"physicalLocation": location}]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    if finding.entity is not None:
        result["properties"] = {"entity": {"kind": finding.entity.kind, "name": finding.entity.name}}
    if finding.fix is not None:
        result.setdefault("properties", {})["fix"] = finding.fix.description
    return result
