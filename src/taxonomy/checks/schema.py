"""The file's structure: what the JSON Schema says, names unique across include files, references."""

from __future__ import annotations

from collections.abc import Iterator

from taxonomy.codes import rule
from taxonomy.findings import Entity, Finding
from taxonomy.lintcontext import LintContext


@rule("SCH001", "schema.invalid-value", fixable=True)
def invalid_value(ctx: LintContext) -> Iterator[Finding]:
    """A value has the wrong type or is not one of the allowed values.

    Reported by the JSON Schema validation at the exact line and column of the value, with the closest
    allowed value when one is near. `--fix` writes the canonical type for a known alias (`int` -> `integer`,
    `bool` -> `boolean`, `datetime` -> `time`: rules/type-aliases.yaml).

    Bad:
        attributes:
          vip_tier: {type: strnig}
    Good:
        attributes:
          vip_tier: {type: string}
    """
    return iter(())  # produced by the loader's schema validation


@rule("SCH002", "schema.unknown-key")
def unknown_key(ctx: LintContext) -> Iterator[Finding]:
    """A key the file format does not know, usually a typo.

    Bad:
        events:
          signed_up: {descripton: User created an account.}
    Good:
        events:
          signed_up: {description: User created an account.}
    """
    return iter(())  # produced by the loader's schema validation


@rule("SCH003", "schema.missing-key", fixable=True)
def missing_key(ctx: LintContext) -> Iterator[Finding]:
    """A required key is missing, e.g. an attribute without `type`, a deprecation without `reason`.

    `--fix` adds `reason: TODO` to a deprecated or removed item that has none (a placeholder to fill in).

    Bad:
        attributes:
          vip_tier: {description: Loyalty tier}
    Good:
        attributes:
          vip_tier: {type: string, description: Loyalty tier}
    """
    return iter(())  # produced by the loader's schema validation


@rule("SCH004", "schema.duplicate-name")
def duplicate_name(ctx: LintContext) -> Iterator[Finding]:
    """The same name is declared in two files of one taxonomy (the root and its includes).

    Names are unique across files; the first declaration wins and the second is reported.

    Bad (taxonomy.yaml includes teams/growth.yaml, both declare it):
        events:
          signed_up: {description: User created an account.}
    Good: declare `signed_up` in one file only.
    """
    return iter(())  # produced by the loader while merging include files


@rule("SCH005", "schema.unknown-reference")
def unknown_reference(ctx: LintContext) -> Iterator[Finding]:
    """`renamed_to` names an item that the taxonomy does not declare.

    Bad:
        events:
          checkout_begun: {status: deprecated, reason: renamed, renamed_to: checkout_stared}
    Good:
        events:
          checkout_begun: {status: deprecated, reason: renamed, renamed_to: checkout_started}
          checkout_started: {description: User opened the checkout.}
    """
    from taxonomy.fuzzy import did_you_mean

    tables = {
        "event": ctx.taxonomy.events,
        "attribute": ctx.taxonomy.attributes,
        "product": ctx.taxonomy.products,
    }
    for kind, item in ctx.taxonomy.items():
        target = item.renamed_to
        if target is None or target in tables[kind]:
            continue
        hint = did_you_mean(target, tables[kind].keys())
        yield unknown_reference.finding(
            f"{kind} `{item.name}` is renamed to `{target}`, which is not declared{hint}",
            item.at("renamed_to"),
            Entity(kind, item.name),
        )
