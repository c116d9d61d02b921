"""`taxonomy lint`: the taxonomy file itself (and, with --fix, the safe fixes its findings offer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from taxonomy.commands import ReportOptions, finish, settings, taxonomy_path
from taxonomy.config import Config
from taxonomy.engine import apply_policy, exit_code, run_checks
from taxonomy.findings import Finding, Span
from taxonomy.lintcontext import LintContext
from taxonomy.loader import Loaded, load
from taxonomy.model import Property, Taxonomy
from taxonomy.reporters import Report


def _lint(path: Path, config: Config) -> tuple[Loaded, list[Finding], Config]:
    """Load, run every lint check (user rules included), apply policy and suppressions."""
    from taxonomy.userrules import load_ruleset

    loaded = load(path)
    ruleset = load_ruleset(loaded.taxonomy, config)
    config = ruleset.configure(config)
    documents = {doc.display: doc.data for doc in loaded.documents}
    ctx = LintContext(loaded.taxonomy, config, documents, user_rules=ruleset)
    findings = apply_policy([*loaded.findings, *run_checks("lint", ctx, config)], config)
    return loaded, _suppress(findings, ctx, ruleset.ids()), config


def lint(file: str | None, options: ReportOptions, fix: bool = False) -> int:
    config = settings(options)
    validate_lint_settings(config)
    path = taxonomy_path(file, config)
    loaded, findings, configured = _lint(path, config)
    notices: tuple[str, ...] = ()
    if fix:
        from taxonomy import fixer
        from taxonomy.fmt import FmtOptions

        changes = fixer.apply(findings, loaded.documents, FmtOptions.from_config(config.section("fmt"), config.source))
        for change in changes:
            click.echo(("fixed " if change.applied else "not fixed ") + change.describe(), err=True)
        applied = sum(c.applied for c in changes)
        click.echo(f"{applied} fix{'' if applied == 1 else 'es'} applied", err=True)
        if applied:
            loaded, findings, configured = _lint(path, config)  # report what is left
    else:
        from taxonomy.fixer import fixable

        count = len(fixable(findings))
        if count:
            notices = (f"{count} of these can be fixed with `taxonomy lint --fix`",)
    report = Report("lint", tuple(findings), loaded.taxonomy.files, exit_code(findings, configured.fail_on), notices)
    return finish(report, options, configured)


LINT_KEYS = ("rules", "similarity")


def validate_lint_settings(config: Any) -> None:
    """`[lint]` keys: rules (a rules file), similarity (DUP002 threshold, 50-100)."""
    from taxonomy.errors import TaxonomyError
    from taxonomy.fuzzy import did_you_mean

    for key in config.section("lint"):
        if key not in LINT_KEYS:
            raise TaxonomyError(
                f"unknown setting `[lint] {key}`{did_you_mean(key, LINT_KEYS)}",
                file=config.source,
                hint='[lint] accepts rules = "path/to/rules.yaml" and similarity = 90',
            )


def _suppress(findings: list[Finding], ctx: LintContext, user_ids: set[str]) -> list[Finding]:
    """Item- and property-level `lint: {ignore: [...]}`; then the SUP findings about those suppressions."""
    from taxonomy import codes, suppress
    from taxonomy.engine import enabled
    from taxonomy.userrules import rule_id_of

    records = list(suppressions(ctx.taxonomy, ctx.documents))
    if not records:
        return findings

    def matches(selector: str, finding: Finding) -> bool:
        if selector in user_ids:
            return rule_id_of(finding) == selector
        return suppress.code_matches(selector, finding)

    def known(selector: str) -> bool:
        return selector in user_ids or suppress.names_a_rule(selector)

    def ran(selector: str) -> bool:
        if selector in user_ids:
            return enabled(codes.get("USR001"), ctx.config)
        return any(codes.matches(selector, r) and enabled(r, ctx.config) for r in codes.REGISTRY.values())

    kept, about = suppress.apply(findings, records, matches=matches, known=known, ran=ran)
    return apply_policy([*kept, *about], ctx.config)


def suppressions(taxonomy: Taxonomy, documents: dict[str, Any]) -> Iterator[Any]:
    """Suppression records for every item and property that has `lint: {ignore: [...]}`.

    An item's suppression covers findings about that item (its properties' findings included: they carry the
    item as their entity). A property's suppression covers findings that start inside the property's own text,
    from its key to the end of its value.
    """
    from taxonomy.findings import Entity
    from taxonomy.suppress import Suppression

    for kind, item in taxonomy.items():
        for record in item.suppressions:
            yield Suppression(
                record.codes,
                _selector_spans(record.span, record.codes, documents),
                Entity(kind, item.name),
                reason=record.reason,
            )
        properties = getattr(item, "properties", ())
        yield from _property_records(properties, documents, Entity(kind, item.name))
    for prop in taxonomy.purchase_properties:
        yield from _property_records((prop,), documents, Entity("purchase_property", prop.name))


def _property_records(props: tuple[Property, ...], documents: dict[str, Any], entity: Any) -> Iterator[Any]:
    from taxonomy.suppress import Region, Suppression

    for prop in props:
        for record in prop.suppressions:
            end = _end_of(prop)
            region = Region(prop.span.file, prop.span.line, prop.span.column, end[0], end[1])
            yield Suppression(
                record.codes, _selector_spans(record.span, record.codes, documents), entity, region, record.reason
            )
        if prop.properties:
            yield from _property_records(prop.properties, documents, entity)


def _end_of(prop: Property) -> tuple[int, int]:
    """Where a property's text ends: the furthest end of its key and of any of its values, nested ones included."""
    end = (prop.span.end_line or prop.span.line, prop.span.end_column or prop.span.column)
    for span in prop.fields.values():
        end = max(end, (span.end_line or span.line, span.end_column or span.column))
    for child in prop.properties:
        end = max(end, _end_of(child))
    return end


def _selector_spans(
    span: Span | None, selectors: tuple[str, ...], documents: dict[str, Any]
) -> tuple[Span | None, ...]:
    """The span of each selector in the `ignore: [...]` list, found by position in the parsed document."""
    from taxonomy.yamlsource import YList

    if span is None:
        return tuple(None for _ in selectors)
    found = _find_list(documents.get(span.file), span)
    if isinstance(found, YList) and len(found.item_spans) == len(found):
        mapping = [s for value, s in zip(found, found.item_spans, strict=True) if isinstance(value, str)]
        if len(mapping) == len(selectors):
            return tuple(mapping)
    return tuple(span for _ in selectors)


def _find_list(node: Any, span: Span) -> Any:
    """The YList written at `span` inside a parsed document (a depth-first walk; suppressions are few)."""
    from taxonomy.yamlsource import YList, YMap

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, YList):
            if (current.span.line, current.span.column) == (span.line, span.column):
                return current
            stack.extend(v for v in current if isinstance(v, (YMap, YList)))
        elif isinstance(current, YMap):
            stack.extend(v for v in current.values() if isinstance(v, (YMap, YList)))
    return None
