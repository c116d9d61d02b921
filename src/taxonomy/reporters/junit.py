"""JUnit XML for CI test tabs: one testsuite per file, one failed testcase per finding.

A file without findings is one passing testcase, so the CI shows what was checked. Findings without a file
go to a suite named after the command.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from taxonomy.codes import REGISTRY
from taxonomy.findings import Finding
from taxonomy.reporters import Report

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    return _INVALID_XML.sub("\ufffd", text)


def render(report: Report, *, color: bool = False) -> str:
    root = ET.Element("testsuites", name=f"taxonomy {report.command}")
    by_file: dict[str, list[Finding]] = {file: [] for file in report.files}
    for file, group in groupby(report.findings, key=lambda f: f.file or ""):
        by_file.setdefault(file, []).extend(group)
    total = failures = 0
    for file, findings in by_file.items():
        suite_name = file or f"taxonomy {report.command}"
        suite = ET.SubElement(root, "testsuite", name=_clean(suite_name))
        if not findings:
            ET.SubElement(suite, "testcase", name=f"taxonomy {report.command}", classname=_clean(suite_name))
        for finding in findings:
            _testcase(suite, finding, suite_name)
        count = max(len(findings), 1)
        suite.set("tests", str(count))
        suite.set("failures", str(len(findings)))
        suite.set("errors", "0")
        total += count
        failures += len(findings)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, finding: Finding, suite_name: str) -> None:
    rule = REGISTRY.get(finding.code)
    where = f"{finding.line}:{finding.column}" if finding.line else "-"
    about = f" {finding.entity.kind} {finding.entity.name}" if finding.entity else ""
    case = ET.SubElement(
        suite, "testcase", name=_clean(f"{finding.code}{about} ({where})"), classname=_clean(suite_name)
    )
    failure = ET.SubElement(case, "failure", message=_clean(finding.message), type=finding.severity.label)
    location = f"{finding.file}:{where}" if finding.file else "(no file)"
    name = f" [{rule.name}]" if rule else ""
    failure.text = _clean(f"{location}: {finding.severity.label} {finding.code}{name}: {finding.message}")
