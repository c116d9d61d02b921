"""`taxonomy rules` and `taxonomy rule CODE`: the codes are the interface, so they explain themselves."""

from __future__ import annotations

import json

import click

from taxonomy import codes
from taxonomy.errors import TaxonomyError


def list_rules(fmt: str) -> int:
    rules = sorted(codes.load_all().values(), key=lambda r: r.code)
    if fmt == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.label,
                "scope": r.scope,
                "fixable": r.fixable,
                "summary": r.summary,
            }
            for r in rules
        ]
        click.echo(json.dumps({"version": 1, "rules": rows}, indent=2))
        return 0
    titles = {prefix: title for prefix, (title, _module) in codes.FAMILIES.items()}
    current = ""
    for r in rules:
        prefix = r.code[:3]
        if prefix != current:
            click.echo(f"{'' if not current else chr(10)}{prefix}  {titles.get(prefix, '')}")
            current = prefix
        fix = " (fixable)" if r.fixable else ""
        click.echo(f"  {r.code}  {r.name:<34} {r.severity.label:<7}  {r.scope:<5}  {r.summary}{fix}")
    return 0


def explain(code: str) -> int:
    try:
        found = codes.get(code)
    except KeyError:
        from taxonomy.fuzzy import did_you_mean

        known = [*codes.REGISTRY, *(r.name for r in codes.REGISTRY.values())]
        raise TaxonomyError(
            f"no rule {code!r}{did_you_mean(code, known)}", hint="`taxonomy rules` lists them all"
        ) from None
    click.echo(f"{found.code}  {found.name}")
    click.echo(
        f"default severity: {found.severity.label}; run by: taxonomy {found.scope}"
        + ("; fixable with --fix" if found.fixable else "")
    )
    click.echo("")
    click.echo(found.doc)
    return 0
