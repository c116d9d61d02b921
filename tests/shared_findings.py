"""The one shared set of findings every reporter's golden file is rendered from (fixtures/reporters/findings.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from taxonomy import codes
from taxonomy.findings import Entity, Finding, Fix, Severity, Span
from taxonomy.reporters import Report

DATA = Path(__file__).resolve().parent / "fixtures" / "reporters" / "findings.yaml"


def finding(item: dict[str, Any]) -> Finding:
    span = item.get("span")
    entity = item.get("entity")
    return Finding(
        item["code"],
        item["message"],
        Severity.parse(item["severity"]),
        Span(**span) if span else None,
        Entity(**entity) if entity else None,
        Fix(item["fix"]) if item.get("fix") else None,
    )


def shared_report() -> Report:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    codes.load_all()
    findings = sorted((finding(item) for item in data["findings"]), key=Finding.sort_key)
    return Report(data["command"], tuple(findings), tuple(data["files"]), data["exit_code"], tuple(data["notices"]))


def every_code_report() -> Report:
    """One finding per registered code (so per family), with and without a place: what any command can emit."""
    rules = sorted(codes.load_all().values(), key=lambda r: r.code)
    findings = []
    for number, rule in enumerate(rules, start=1):
        span = Span(f"src/{rule.code[:3].lower()}.ts", number, 2, number, 9) if number % 2 else None
        findings.append(rule.finding(f"{rule.summary} ({rule.code})", span, Entity("event", f"event_{number}")))
    findings.sort(key=Finding.sort_key)
    return Report("check", tuple(findings), ("taxonomy.yaml", *sorted({f.file for f in findings if f.file})), 1)
