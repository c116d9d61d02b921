"""`taxonomy scan [PATHS...]`: list every SDK call site found in source code (text or JSON)."""

from __future__ import annotations

import json
import sys

from taxonomy.config import load_config


def scan(paths: tuple[str, ...], fmt: str, output_file: str | None, config_path: str | None, no_cache: bool,
         jobs: int | None) -> int:  # fmt: skip
    from taxonomy.scan import scan_paths

    config = load_config(config_path)
    result = scan_paths(list(paths), config, use_cache=False if no_cache else None, jobs=jobs, progress=True)
    text = json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n" if fmt == "json" else render_text(result)
    if output_file:
        from taxonomy.atomic import write_atomic

        write_atomic(output_file, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


def render_text(result: object) -> str:
    from taxonomy.scan.records import ScanResult

    assert isinstance(result, ScanResult)
    lines: list[str] = []
    for skipped in result.skipped:
        lines.append(f"note: skipped {skipped.file}: {skipped.reason}")
    if result.skipped:
        lines.append("")
    for site in result.call_sites:
        name = site.name if site.name is not None else f"<dynamic: {_short(site.expr)}>" if site.expr else "-"
        extra = []
        if site.properties:
            extra.append("properties: " + ", ".join(site.properties))
        if site.sdk != "braze":
            extra.append(f"sdk: {site.sdk}")
        if site.via:
            extra.append(f"via {site.via}")
        tail = f"  ({'; '.join(extra)})" if extra else ""
        lines.append(f"{site.file}:{site.line}:{site.column}  {site.kind} {site.op}  {name}{tail}")
    count = len(result.call_sites)
    lines.append(
        f"{count} call site{'s' if count != 1 else ''} in {result.files} file{'s' if result.files != 1 else ''}"
        f" ({result.parsed} parsed, {len(result.skipped)} skipped)."
    )
    return "\n".join(lines) + "\n"


def _short(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
