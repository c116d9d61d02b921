"""`taxonomy lint`: the taxonomy file itself (and, with --fix, the safe fixes its findings offer)."""

from __future__ import annotations

from pathlib import Path

import click

from taxonomy.commands.shared import ReportOptions, finish, settings, taxonomy_path
from taxonomy.config import Config
from taxonomy.engine import apply_policy, exit_code, run_checks
from taxonomy.findings import Finding
from taxonomy.lintcontext import LintContext
from taxonomy.loader import Loaded, load
from taxonomy.reporters import Report


def run_lint(path: Path, config: Config) -> tuple[Loaded, list[Finding], Config]:
    """Load, run every enabled lint check, then the taxonomy's own `lint: {ignore}` suppressions and the policy.

    Returns the settings as the user rules configured them (a rule set may re-level or switch off checks)."""
    from taxonomy.suppress import apply_taxonomy_suppressions
    from taxonomy.userrules import load_ruleset

    loaded = load(path)
    ruleset = load_ruleset(loaded.taxonomy, config)
    config = ruleset.configure(config)
    documents = {doc.display: doc.data for doc in loaded.documents}
    ctx = LintContext(loaded.taxonomy, config, documents, user_rules=ruleset)
    findings = apply_policy([*loaded.findings, *run_checks("lint", ctx, config)], config)
    return loaded, apply_taxonomy_suppressions(findings, ctx, ruleset.ids()), config


def lint(file: str | None, options: ReportOptions, fix: bool = False) -> int:
    config = settings(options)
    validate_lint_settings(config)
    path = taxonomy_path(file, config)
    loaded, findings, configured = run_lint(path, config)
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
            loaded, findings, configured = run_lint(path, config)  # report what is left
    else:
        from taxonomy.fixer import fixable

        count = len(fixable(findings))
        if count:
            notices = (f"{count} of these can be fixed with `taxonomy lint --fix`",)
    report = Report("lint", tuple(findings), loaded.taxonomy.files, exit_code(findings, configured.fail_on), notices)
    return finish(report, options, configured)


LINT_KEYS = ("rules", "similarity")


def validate_lint_settings(config: Config) -> None:
    """`[lint]` keys: rules (a rules file), similarity (DUP002 threshold, 50-100)."""
    from taxonomy.errors import TaxonomyError
    from taxonomy.fuzzy import did_you_mean

    for key in config.section("lint"):
        if key not in LINT_KEYS:
            raise TaxonomyError(
                f"unknown setting `[lint] {key}`{did_you_mean(key, LINT_KEYS)}",
                file=config.source,
                hint='[lint] accepts rules = "path/to/rules.yaml" and similarity = 90',
            )
