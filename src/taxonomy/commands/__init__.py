"""Commands: plain functions that take options and return the exit code. The click layer only calls them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from taxonomy.config import Config, load_config
from taxonomy.engine import validate_selectors


@dataclass(frozen=True)
class ReportOptions:
    """What every findings-producing command accepts."""

    format: str = "text"
    output_file: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config: str | None = None


def settings(options: ReportOptions) -> Config:
    """The config file merged with command-line options, selectors checked."""
    config = load_config(options.config).with_cli(select=options.select, ignore=options.ignore, fail_on=options.fail_on)
    validate_selectors(config)
    return config


def taxonomy_path(explicit: str | None, config: Config) -> Path:
    """The taxonomy file: given on the command line, else from config, else taxonomy.yaml here."""
    from taxonomy.loader import find_taxonomy

    if explicit:
        return Path(explicit)
    if config.taxonomy is not None:
        return config.taxonomy
    return find_taxonomy()
