"""`taxonomy lint`: the taxonomy file itself."""

from __future__ import annotations

from taxonomy.commands import ReportOptions, finish, settings, taxonomy_path
from taxonomy.engine import apply_policy, exit_code, run_checks
from taxonomy.lintcontext import LintContext
from taxonomy.loader import load
from taxonomy.reporters import Report


def lint(file: str | None, options: ReportOptions) -> int:
    config = settings(options)
    loaded = load(taxonomy_path(file, config))
    ctx = LintContext(loaded.taxonomy, config, {doc.display: doc.data for doc in loaded.documents})
    findings = apply_policy([*loaded.findings, *run_checks("lint", ctx, config)], config)
    report = Report("lint", tuple(findings), loaded.taxonomy.files, exit_code(findings, config.fail_on))
    return finish(report, options, config)
