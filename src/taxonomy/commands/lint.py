"""`taxonomy lint`: the taxonomy file itself (and, with --fix, the safe fixes its findings offer)."""

from __future__ import annotations

from pathlib import Path

import click

from taxonomy.commands import ReportOptions, finish, settings, taxonomy_path
from taxonomy.config import Config
from taxonomy.engine import apply_policy, exit_code, run_checks
from taxonomy.findings import Finding
from taxonomy.lintcontext import LintContext
from taxonomy.loader import Loaded, load
from taxonomy.reporters import Report


def _lint(path: Path, config: Config) -> tuple[Loaded, list[Finding]]:
    loaded = load(path)
    ctx = LintContext(loaded.taxonomy, config, {doc.display: doc.data for doc in loaded.documents})
    return loaded, apply_policy([*loaded.findings, *run_checks("lint", ctx, config)], config)


def lint(file: str | None, options: ReportOptions, fix: bool = False) -> int:
    config = settings(options)
    path = taxonomy_path(file, config)
    loaded, findings = _lint(path, config)
    notices: tuple[str, ...] = ()
    if fix:
        from taxonomy import fixer
        from taxonomy.fmt import FmtOptions

        changes = fixer.apply(findings, loaded.documents, FmtOptions.from_config(config.section("fmt"), config.source))
        for change in changes:
            click.echo(("fixed " if change.applied else "not fixed ") + change.describe(), err=True)
        applied = sum(c.applied for c in changes)
        click.echo(f"{applied} fix{'' if applied == 1 else 'es'} applied", err=True)
        if applied:
            loaded, findings = _lint(path, config)  # report what is left
    else:
        from taxonomy.fixer import fixable

        count = len(fixable(findings))
        if count:
            notices = (f"{count} of these can be fixed with `taxonomy lint --fix`",)
    report = Report("lint", tuple(findings), loaded.taxonomy.files, exit_code(findings, config.fail_on), notices)
    return finish(report, options, config)
