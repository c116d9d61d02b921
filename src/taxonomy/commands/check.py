"""`taxonomy check [PATHS...]`: the code's SDK call sites against the taxonomy.

"The whole project" (needed before saying an item is never sent) is the project root: the folder of the settings
file when there is one, else the folder of the taxonomy file. `taxonomy check` with no PATHS scans it; PATHS that
name exactly that folder count as the whole project too; anything narrower does not.
"""

from __future__ import annotations

from pathlib import Path

from taxonomy.commands.shared import ReportOptions, finish, settings, taxonomy_path
from taxonomy.engine import apply_policy, enabled, exit_code, run_checks
from taxonomy.findings import Finding, Span


def check(paths: tuple[str, ...], taxonomy_file: str | None, options: ReportOptions, no_cache: bool = False) -> int:
    from taxonomy.checks.code import CheckContext
    from taxonomy.loader import load
    from taxonomy.paths import display_path
    from taxonomy.reporters import Report
    from taxonomy.scan import scan_paths

    config = settings(options)
    loaded = load(taxonomy_path(taxonomy_file, config))
    project = project_root(config.source is not None, config.root, Path(loaded.taxonomy.path))
    given = [Path(p) for p in paths] or [project]
    whole = len(given) == 1 and given[0].resolve() == project.resolve()
    result = scan_paths(given, config, root=project, use_cache=False if no_cache else None, progress=True)
    display = {site.file: display_path(project / site.file) for site in result.call_sites}
    ctx = CheckContext(loaded.taxonomy, config, result, whole, display)
    raw = run_checks("check", ctx, config)
    kept, extra = apply_inline(raw, result, display, project, config)
    findings = apply_policy([*loaded.findings, *kept, *extra], config)
    notices = tuple(f"skipped {display_path(project / s.file)}: {s.reason}" for s in result.skipped)
    if not whole:
        notices += ("only part of the project was scanned: `never sent` (COD004) is not checked",)
    files = (*loaded.taxonomy.files, *sorted(set(display.values())))
    report = Report(
        "check",
        tuple(findings),
        files,
        exit_code(findings, config.fail_on),
        notices,
        {"call_sites": len(result.call_sites), "files_scanned": result.files},
    )
    return finish(report, options, config)


def project_root(has_config: bool, config_root: Path, taxonomy: Path) -> Path:
    return config_root if has_config else (taxonomy.parent if taxonomy.parent != Path("") else Path("."))


def apply_inline(
    findings: list[Finding], result: object, display: dict[str, str], project: Path, config: object
) -> tuple[list[Finding], list[Finding]]:
    """Drop findings silenced by `taxonomy: ignore[CODE]` after the code on their line, or alone on the line
    above; report the suppressions that name unknown codes (COD013) or silence nothing (COD014)."""
    from taxonomy import codes
    from taxonomy.checks.code import unknown_suppression, unused_suppression
    from taxonomy.config import Config
    from taxonomy.paths import display_path
    from taxonomy.scan.records import ScanResult

    assert isinstance(result, ScanResult) and isinstance(config, Config)
    known = codes.load_all()
    by_place: dict[tuple[str, int], list[tuple[int, str]]] = {}
    used: set[tuple[int, str]] = set()
    extra: list[Finding] = []
    for index, sup in enumerate(result.suppressions):
        shown = display.get(sup.file) or display_path(project / sup.file)
        for code in sup.codes:
            rule = known.get(code) or next((r for r in known.values() if r.name == code.lower()), None)
            span = Span(shown, sup.line, sup.column)
            if rule is None:
                from taxonomy.fuzzy import did_you_mean

                extra.append(
                    unknown_suppression.finding(
                        f"unknown code `{code}` in suppression{did_you_mean(code, known)}", span
                    )
                )
                continue
            for line in (sup.line, sup.line + 1) if sup.standalone else (sup.line,):
                by_place.setdefault((shown, line), []).append((index, rule.code))
    kept: list[Finding] = []
    for finding in findings:
        hits = [(i, c) for i, c in by_place.get((finding.file or "", finding.line or 0), []) if c == finding.code]
        if hits:
            used.update(hits)
            continue
        kept.append(finding)
    for index, sup in enumerate(result.suppressions):
        shown = display.get(sup.file) or display_path(project / sup.file)
        for code in sup.codes:
            rule = known.get(code) or next((r for r in known.values() if r.name == code.lower()), None)
            if rule is None or (index, rule.code) in used or not enabled(rule, config):
                continue
            extra.append(
                unused_suppression.finding(
                    f"suppression of {rule.code} silences nothing here", Span(shown, sup.line, sup.column)
                )
            )
    return kept, extra
