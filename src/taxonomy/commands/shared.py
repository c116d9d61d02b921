"""What every findings-producing command shares: its options, its settings, its tail (baseline and outputs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from taxonomy.config import Config, load_config

if TYPE_CHECKING:
    from taxonomy.reporters import Report


@dataclass(frozen=True)
class ReportOptions:
    """What every findings-producing command accepts."""

    format: str | tuple[str, ...] = "text"  # one format or several: NAME (terminal / --output-file) or NAME:PATH
    output_file: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config: str | None = None
    baseline: str | None = None  # fail only on findings this file does not accept
    write_baseline: str | None = None  # record every current finding there (exit 0)


def settings(options: ReportOptions) -> Config:
    """The config file merged with command-line options, selectors checked."""
    from taxonomy.engine import validate_selectors  # here: `taxonomy scan` starts faster without the engine

    config = load_config(options.config).with_cli(select=options.select, ignore=options.ignore, fail_on=options.fail_on)
    validate_selectors(config)
    from taxonomy.reporters import outputs

    outputs(options.format, options.output_file)  # a bad --format fails before any work is done
    return config


def finish(report: Report, options: ReportOptions, config: Config) -> int:
    """The shared tail of every findings command: baseline, then every requested output. Returns the exit code."""
    from taxonomy import baseline
    from taxonomy.reporters import emit

    if options.write_baseline:
        import dataclasses

        count = baseline.write(options.write_baseline, report)
        notice = f"wrote {count} finding{'s' if count != 1 else ''} to the baseline {options.write_baseline}"
        report = dataclasses.replace(report, exit_code=0, notices=(*report.notices, notice))
    else:
        path = baseline.configured(options.baseline, config.section("baseline"), config.root, config.source)
        if path:
            report = baseline.apply(report, path, config.fail_on)
    emit(report, options.format, options.output_file)
    return report.exit_code


def taxonomy_path(explicit: str | None, config: Config) -> Path:
    """The taxonomy file: given on the command line, else from config, else taxonomy.yaml here."""
    from taxonomy.loader import find_taxonomy

    if explicit:
        return Path(explicit)
    if config.taxonomy is not None:
        return config.taxonomy
    return find_taxonomy()
