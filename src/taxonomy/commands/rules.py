"""`taxonomy rules` and `taxonomy rule CODE`: the codes are the interface, so they explain themselves."""

from __future__ import annotations

import json
from typing import Any

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
        packs, project = _user_rule_sets()
        payload = {
            "version": 1,
            "rules": rows,
            "packs": {name: [_user_row(r) for r in ruleset.rules] for name, ruleset in packs.items()},
            "project_rules": [_user_row(r) for r in project.rules] if project else [],
        }
        click.echo(json.dumps(payload, indent=2))
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
    packs, project = _user_rule_sets()
    for name, ruleset in packs.items():
        click.echo(f"\npack `{name}` (extends: [{name}]; findings are USR001)")
        _echo_user_rules(ruleset.rules)
    if project is not None and (project.rules or project.builtin_off or project.builtin_severity):
        click.echo(f"\nproject rules ({', '.join(project.sources)})")
        _echo_user_rules(project.rules)
        for code in project.builtin_off:
            click.echo(f"  {code:<28} off")
        for code, level in project.builtin_severity.items():
            click.echo(f"  {code:<28} {level.label}")
    return 0


def _user_rule_sets() -> tuple[dict[str, Any], Any]:
    """Shipped packs, and the project's own rule set when one is found here (quietly none otherwise)."""
    from taxonomy.userrules import load_pack, packs

    shipped = {name: load_pack(name) for name in packs()}
    return shipped, _project_rules()


def _project_rules() -> Any:
    from taxonomy.config import load_config
    from taxonomy.loader import find_taxonomy, load_document
    from taxonomy.model import Taxonomy
    from taxonomy.paths import display_path
    from taxonomy.userrules import load_ruleset

    try:
        config = load_config()
        path = config.taxonomy or find_taxonomy()
        root = load_document(path, display_path(path))
        section = root.get("rules")
        taxonomy = Taxonomy(path=display_path(path), sections={"rules": section} if section is not None else {})
        return load_ruleset(taxonomy, config)
    except TaxonomyError:
        return None  # no project here, or it does not load: `taxonomy lint` says why


def _echo_user_rules(rules: Any) -> None:
    for r in rules:
        target = ",".join(r.given) + (f" {r.match}" if r.match else "")
        test = r.function + (f" {r.field}" if r.field else "")
        click.echo(f"  {r.id:<28} {r.severity.label:<7}  {target:<22} {test:<24} {r.description or ''}".rstrip())


def _user_row(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "severity": r.severity.label,
        "given": list(r.given),
        "match": r.match,
        "function": r.function,
        "field": r.field,
        "options": dict(r.options),
        "description": r.description,
        "source": r.source,
    }


def explain(code: str) -> int:
    try:
        found = codes.get(code)
    except KeyError:
        if _explain_user_rule(code):
            return 0
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


def _explain_user_rule(wanted: str) -> bool:
    """`taxonomy rule event-owner` (or `recommended:event-owner`): a user or pack rule."""
    pack_name, _, rule_id = wanted.rpartition(":")
    packs, project = _user_rule_sets()
    sets = [project] if project is not None and not pack_name else []
    sets += [rs for name, rs in packs.items() if not pack_name or name == pack_name]
    for ruleset in sets:
        for r in ruleset.rules:
            if r.id == rule_id:
                click.echo(f"{r.id}  (user rule from {r.source}; findings are USR001)")
                click.echo(
                    f"severity: {r.severity.label}; given: {', '.join(r.given)}"
                    + (f"; match: {r.match}" if r.match else "")
                )
                options = ", ".join(f"{k}: {v}" for k, v in r.options.items())
                click.echo(
                    f"then: {r.function}"
                    + (f" on `{r.field}`" if r.field else "")
                    + (f" ({options})" if options else "")
                )
                if r.description:
                    click.echo("")
                    click.echo(r.description)
                return True
    return False
