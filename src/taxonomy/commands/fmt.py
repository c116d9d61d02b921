"""`taxonomy fmt`: rewrite the taxonomy file (and its includes) in the canonical layout, or show the diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from taxonomy.commands.shared import taxonomy_path
from taxonomy.config import load_config


@dataclass(frozen=True)
class Formatted:
    display: str
    path: Path
    before: str
    after: str
    layout: Any

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{self.display}",
            tofile=f"b/{self.display}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def format_documents(path: Path, options: Any, only: set[str] | None = None) -> list[Formatted]:
    """The root file and every include, each formatted (nothing written)."""
    from taxonomy.fmt import decode, format_text
    from taxonomy.loader import load

    loaded = load(path)  # a file that does not parse stops here, with its line and column
    out = []
    for doc in loaded.documents:
        if only is not None and doc.display not in only:
            continue
        text, layout = decode(doc.path.read_bytes(), doc.display)
        after = format_text(text, doc.display, fragment=not doc.is_root, options=options)
        _same_data(text, after, doc.display, options)
        out.append(Formatted(doc.display, doc.path, text, after, layout))
    return out


def _same_data(before: str, after: str, display: str, options: Any) -> None:
    """Refuse to write a file whose data the formatter changed: that would be a bug, never the user's fault."""
    from taxonomy.yamlsource import parse

    old, new = parse(before, display), parse(after, display)
    if "enums" in options.sort:
        old, new = _sorted_enums(old), _sorted_enums(new)
    if old != new and not (old is None and not new):
        raise RuntimeError(f"formatting {display} would change its data; the file was left as it was")


def _sorted_enums(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: sorted(v, key=lambda x: (type(x).__name__, x))
            if k == "enum" and isinstance(v, list)
            else _sorted_enums(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_sorted_enums(v) for v in data]
    return data


def fmt(file: str | None, check: bool, config_file: str | None) -> int:
    from taxonomy.atomic import write_atomic
    from taxonomy.fmt import FmtOptions, encode

    config = load_config(config_file)
    options = FmtOptions.from_config(config.section("fmt"), config.source)
    results = format_documents(taxonomy_path(file, config), options)
    changed = [r for r in results if r.changed]
    unchanged = len(results) - len(changed)
    if check:
        for result in changed:
            click.echo(result.diff(), nl=False)
        if changed:
            click.echo(f"{_files(len(changed))} would be reformatted, {_files(unchanged)} already formatted", err=True)
            return 1
        click.echo(f"{_files(unchanged)} already formatted", err=True)
        return 0
    for result in changed:
        write_atomic(result.path, encode(result.after, result.layout))
        click.echo(f"reformatted {result.display}", err=True)
    click.echo(f"{_files(len(changed))} reformatted, {_files(unchanged)} left unchanged", err=True)
    return 0


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"
