"""GitLab Code Quality: a JSON array of issues that merge requests show inline.

https://docs.gitlab.com/ee/ci/testing/code_quality.html#code-quality-report-format. The fingerprint is the
finding's stable identity (code, entity, file, occurrence), never its line. Findings without a place are
pinned to the first file checked, since GitLab needs a path.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from taxonomy.codes import REGISTRY
from taxonomy.findings import Finding, Severity
from taxonomy.reporters import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, *, color: bool = False) -> str:
    from taxonomy.baseline import fingerprints

    issues = [
        _issue(finding, fingerprint, report)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, fingerprint: str, report: Report) -> dict[str, Any]:
    rule = REGISTRY.get(finding.code)
    issue: dict[str, Any] = {
        "description": f"{finding.code} {finding.message}",
        "check_name": f"{finding.code} {rule.name}" if rule else finding.code,
        "fingerprint": hashlib.md5(fingerprint.encode("ascii"), usedforsecurity=False).hexdigest(),
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": finding.file or (report.files[0] if report.files else "."),
            "lines": {"begin": finding.line or 1},
        },
    }
    if rule is not None:
        issue["categories"] = ["Style"] if rule.name.startswith("naming.") else ["Bug Risk"]
    return issue
