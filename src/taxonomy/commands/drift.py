"""`taxonomy drift EXPORT...`: the taxonomy against what Braze holds."""

from __future__ import annotations

from taxonomy.commands import ReportOptions, settings, taxonomy_path
from taxonomy.driftcontext import CodeUsage
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
    from taxonomy.reporters import Report, emit

    config = settings(options)
    if not exports:
        raise TaxonomyError(
            "no export given", hint="taxonomy drift braze-export.json (a snapshot from `taxonomy pull`, or a CSV)"
        )
    loaded = load(taxonomy_path(taxonomy_file, config))
    parsed = read_exports(exports)
    notices = [f"{e.file} lists no events, attributes or products" for e in parsed if e.size == 0]
    usage = code_usage(code_paths, config) if code_paths else None
    ctx = DriftContext(loaded.taxonomy, merge(parsed), tuple(parsed), config, usage)
    findings = apply_policy(run_checks("drift", ctx, config), config)
    files = (*loaded.taxonomy.files, *(f for e in parsed for f in e.files))
    report = Report("drift", tuple(findings), files, exit_code(findings, config.fail_on), tuple(notices))
    emit(report, options.format, options.output_file)
    return report.exit_code


def code_usage(paths: tuple[str, ...], config: object) -> CodeUsage:
    """What the code sends, from the scanner: kind -> name -> call sites.

    The scanner (`taxonomy.scan`) is built separately; until it is part of this build, `--code` says so.
    """
    import importlib

    try:
        usage = importlib.import_module("taxonomy.scan").usage
    except (ImportError, AttributeError):
        raise TaxonomyError(
            "--code needs the source scanner, which this build of taxonomy does not include yet",
            hint="run drift without --code",
        ) from None
    result: CodeUsage = usage(paths, config)
    return result
