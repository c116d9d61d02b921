"""`taxonomy init`: write a starter taxonomy from an export and/or a code scan."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from taxonomy.errors import TaxonomyError


def init(
    exports: tuple[str, ...],
    code_paths: tuple[str, ...],
    output: str,
    workspace: str | None,
    schema: str | None,
    force: bool,
    config_file: str | None,
) -> int:
    from taxonomy.atomic import write_atomic
    from taxonomy.bootstrap import Sources, render
    from taxonomy.config import load_config
    from taxonomy.export import merge, read_exports
    from taxonomy.paths import display_path

    if not exports and not code_paths:
        raise TaxonomyError(
            "nothing to start from",
            hint="taxonomy init braze-export.json (a snapshot, REST JSON or dashboard CSV), and/or --code src/",
        )
    target = Path(output)
    shown = display_path(target)
    if target.exists() and not force:
        raise TaxonomyError(f"{shown} already exists", hint="pass --force to overwrite it, or --output another file")
    if target.is_dir():
        raise TaxonomyError(f"{shown} is a directory")
    parsed = read_exports(exports)
    code = None
    if code_paths:
        from taxonomy.codeusage import scan

        code = scan(code_paths, load_config(config_file))
    export = merge(parsed) if parsed else None
    origin = [display_path(p) for p in exports] + [display_path(p) for p in code_paths]
    sources = Sources(
        export=export,
        code=code.usage if code else None,
        properties=code.properties if code else {},
        workspace=workspace,
        described_from=f" from {', '.join(origin)}",
    )
    if schema:
        sources = dataclasses.replace(sources, schema=schema)
    rendered = render(sources)
    if rendered.items == 0:
        raise TaxonomyError(
            f"found no events, attributes or products in {', '.join(origin)}; nothing to write",
            hint="check that the export is from the right workspace, or that --code points at the app's sources",
        )
    _check(rendered.text, shown)
    write_atomic(target, rendered.text)
    sys.stderr.write(f"taxonomy: wrote {shown} ({rendered.items} items); replace the TODOs, then run `taxonomy lint`\n")
    return 0


def _check(text: str, shown: str) -> None:
    """What init writes must load and pass the JSON Schema; anything else is a bug in init."""
    from taxonomy.loader import validate
    from taxonomy.yamlsource import YMap, parse

    data = parse(text, shown)
    problems = validate(data, shown) if isinstance(data, YMap) else ["not a mapping"]
    if problems:
        raise RuntimeError(f"init produced an invalid taxonomy: {problems[0]}")
