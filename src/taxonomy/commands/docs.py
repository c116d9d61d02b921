"""`taxonomy docs`: the catalogue as a static HTML page and a Markdown file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from taxonomy.commands.shared import taxonomy_path
from taxonomy.config import load_config
from taxonomy.errors import TaxonomyError

DOCS_KEYS = {"output", "title"}
DEFAULT_OUTPUT = "taxonomy-docs"


def _settings(section: Mapping[str, Any], shown: str | None) -> dict[str, str]:
    from taxonomy.fuzzy import did_you_mean

    for key, value in section.items():
        if key not in DOCS_KEYS:
            raise TaxonomyError(f"unknown setting `docs.{key}`{did_you_mean(key, DOCS_KEYS)}", file=shown)
        if not isinstance(value, str) or not value:
            raise TaxonomyError(f"`docs.{key}` must be a non-empty string", file=shown)
    return dict(section)


def braze_states(taxonomy: Any, export: Any) -> dict[tuple[str, str], str]:
    """Each declared item's state in an export: seen, type_mismatch, blocklisted (absent ones are `missing`)."""
    from taxonomy.export.model import ExportedAttribute
    from taxonomy.export.types import compatible

    states: dict[tuple[str, str], str] = {}
    for kind, item in taxonomy.items():
        found = {e.name: e for e in export.of_kind(kind)}.get(item.name) if kind in export.covers else None
        if found is None:
            continue
        state = "seen"
        if found.is_blocklisted:
            state = "blocklisted"
        elif (
            isinstance(found, ExportedAttribute)
            and found.type is not None
            and not compatible(found.type, item.type, item.items)
        ):
            state = "type_mismatch"
        states[(kind, item.name)] = state
    return states


def docs(
    file: str | None,
    output: str | None,
    config_file: str | None,
    code_paths: tuple[str, ...] = (),
    exports: tuple[str, ...] = (),
) -> int:
    from taxonomy.atomic import write_atomic
    from taxonomy.docs import build_catalogue
    from taxonomy.docs.html import render_html
    from taxonomy.docs.markdown import render_markdown
    from taxonomy.loader import load
    from taxonomy.paths import display_path

    config = load_config(config_file)
    settings = _settings(config.section("docs"), config.source)
    loaded = load(taxonomy_path(file, config))
    root = loaded.documents[0].data
    description = root.get("description")
    usage = None
    if code_paths:
        from taxonomy.codeusage import scan

        found = scan(code_paths, config).usage
        usage = {
            (kind, name): [(span.file, span.line) for span in spans]
            for kind, names in found.items()
            for name, spans in names.items()
        }
    braze = None
    if exports:
        from taxonomy.export import merge, read_exports

        braze = braze_states(loaded.taxonomy, merge(read_exports(exports)))
    catalogue = build_catalogue(
        loaded.taxonomy,
        title=settings.get("title"),
        description=description if isinstance(description, str) else "",
        usage=usage,
        braze=braze,
    )
    if output:
        folder = Path(output)
    else:  # a folder named in the settings is relative to the settings file
        folder = config.root / settings["output"] if "output" in settings else Path(DEFAULT_OUTPUT)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TaxonomyError(f"cannot create {display_path(folder)}: {exc.strerror}") from None
    html_path, md_path = folder / "index.html", folder / "catalogue.md"
    write_atomic(html_path, render_html(catalogue))
    write_atomic(md_path, render_markdown(catalogue))
    if loaded.findings:
        count = len(loaded.findings)
        problems = "1 schema problem" if count == 1 else f"{count} schema problems"
        click.echo(f"note: the taxonomy has {problems}; `taxonomy lint` lists them", err=True)
    click.echo(
        f"wrote {display_path(html_path)} and {display_path(md_path)} ({len(catalogue.entries)} entries)", err=True
    )
    return 0
