"""Runs checks and applies the policy: which codes are on, at which severity, what fails the run."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from taxonomy import codes
from taxonomy.config import Config
from taxonomy.errors import TaxonomyError
from taxonomy.findings import Finding, Severity


def validate_selectors(config: Config) -> None:
    """Every --select / --ignore / severity selector must name something, or it is a usage error."""
    from taxonomy.fuzzy import did_you_mean

    rules = codes.load_all().values()
    for selector in (*config.select, *config.ignore, *config.severity):
        if not any(codes.matches(selector, r) for r in rules):
            names = [r.code for r in rules] + [r.name for r in rules]
            raise TaxonomyError(
                f"{selector!r} matches no rule{did_you_mean(selector, names)}",
                hint="`taxonomy rules` lists every code and name",
            )


def enabled(rule: codes.Rule, config: Config) -> bool:
    selected = any(codes.matches(s, rule) for s in config.select)
    return selected and not any(codes.matches(s, rule) for s in config.ignore)


def run_checks(scope: str, ctx: Any, config: Config) -> list[Finding]:
    """Run every enabled check of `scope` on `ctx`."""
    found: list[Finding] = []
    for check in codes.checks_for(scope):
        if enabled(check.rule, config):
            found.extend(check(ctx))
    return found


def apply_policy(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Drop findings of disabled codes, set severities from config, sort and de-duplicate."""
    codes.load_all()
    out: set[Finding] = set()
    for finding in findings:
        rule = codes.REGISTRY.get(finding.code)
        if rule is None:
            raise RuntimeError(f"finding with unregistered code {finding.code}")
        if not enabled(rule, config):
            continue
        severity = _severity(rule, config) or finding.severity
        if severity is not finding.severity:
            finding = dataclasses.replace(finding, severity=severity)
        out.add(finding)
    return sorted(out, key=Finding.sort_key)


def _severity(rule: codes.Rule, config: Config) -> Severity | None:
    # The longest matching selector wins, so `NAM = "warning"` with `NAM001 = "error"` does what it says.
    # No selector: the finding keeps its own severity (the rule's default, or a user rule's declared one).
    best: tuple[int, Severity] | None = None
    for selector, level in config.severity.items():
        if codes.matches(selector, rule) and (best is None or len(selector) > best[0]):
            best = (len(selector), level)
    return best[1] if best else None


def exit_code(findings: Iterable[Finding], fail_on: Severity | None) -> int:
    if fail_on is None:
        return 0
    return 1 if any(f.severity >= fail_on for f in findings) else 0
