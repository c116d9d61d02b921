"""`taxonomy drift EXPORT...`: the taxonomy against what Braze holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from taxonomy.commands.shared import ReportOptions, finish, settings, taxonomy_path
from taxonomy.errors import TaxonomyError


def drift(
    exports: tuple[str, ...],
    taxonomy_file: str | None,
    code_paths: tuple[str, ...],
    options: ReportOptions,
) -> int:
    from taxonomy.driftcontext import DriftContext
    from taxonomy.engine import apply_policy, exit_code, run_checks
    from taxonomy.export import merge, read_exports
    from taxonomy.loader import load
    from taxonomy.reporters import Report

    config = settings(options)
    saved = drift_settings(config.section("drift"), config.source)
    exports = exports or tuple(str(config.root / p) for p in saved.get("exports", ()))
    code_paths = code_paths or tuple(str(config.root / p) for p in saved.get("code", ()))
    if not exports:
        raise TaxonomyError(
            "no export given", hint="taxonomy drift braze-export.json (a snapshot from `taxonomy pull`, or a CSV)"
        )
    loaded = load(taxonomy_path(taxonomy_file, config))
    parsed = read_exports(exports)
    notices = [f"{e.file} lists no events, attributes or products" for e in parsed if e.size == 0]
    if loaded.findings:
        count = len(loaded.findings)
        notices.append(f"the taxonomy has {count} schema problem{'s' if count > 1 else ''}; `taxonomy lint` shows them")
    usage = None
    code_files: tuple[str, ...] = ()
    if code_paths:
        from taxonomy.codeusage import scan

        code = scan(code_paths, config)
        usage, code_files = code.usage, code.files
    ctx = DriftContext(
        loaded.taxonomy, merge(parsed), tuple(parsed), config, usage, tuple(saved.get("ignore-undocumented", ()))
    )
    findings = apply_policy(run_checks("drift", ctx, config), config)
    files = (*loaded.taxonomy.files, *(f for e in parsed for f in e.files), *code_files)
    report = Report("drift", tuple(findings), files, exit_code(findings, config.fail_on), tuple(notices))
    return finish(report, options, config)


DRIFT_KEYS = ("exports", "code", "ignore-undocumented")


def drift_settings(section: Mapping[str, Any], source: str | None) -> dict[str, tuple[str, ...]]:
    """The [drift] table: lists of strings only, unknown keys refused."""
    from taxonomy.fuzzy import did_you_mean

    out: dict[str, tuple[str, ...]] = {}
    for key, value in section.items():
        if key not in DRIFT_KEYS:
            raise TaxonomyError(f"unknown setting `drift.{key}`{did_you_mean(key, DRIFT_KEYS)}", file=source)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TaxonomyError(f"`drift.{key}` must be a list of strings", file=source)
        out[key] = tuple(value)
    return out
