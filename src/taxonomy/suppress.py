"""Suppressions: findings a user accepted, and the suppressions that accept nothing.

Generic over where a suppression is written (an item's `lint: {ignore: [...]}` in the taxonomy today; inline
comments or a baseline later): a `Suppression` names selectors (codes, prefixes, dotted names, user-rule ids) and
covers findings about one entity, or findings inside one region of a file. `apply` returns the findings that are
kept and the SUP findings about the suppressions themselves: SUP002 for a selector that names no rule, SUP001 for
one that matched nothing although its rule ran.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from taxonomy import codes
from taxonomy.codes import rule
from taxonomy.findings import Entity, Finding, Span

if TYPE_CHECKING:
    from taxonomy.lintcontext import LintContext
    from taxonomy.model import Property, Taxonomy


@dataclass(frozen=True)
class Region:
    """A stretch of one file, from (line, column) to (end_line, end_column), both inclusive of their start."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, span: Span | None) -> bool:
        if span is None or span.file != self.file:
            return False
        return (self.line, self.column) <= (span.line, span.column) <= (self.end_line, self.end_column)


@dataclass(frozen=True)
class Suppression:
    """One written suppression. `spans[i]` is where selectors[i] is written (SUP findings point there)."""

    selectors: tuple[str, ...]
    spans: tuple[Span | None, ...]
    entity: Entity | None = None  # covers findings about this entity ...
    region: Region | None = None  # ... or findings that start inside this region
    reason: str | None = None

    def covers(self, finding: Finding) -> bool:
        if self.region is not None:
            return self.region.contains(finding.span)
        return self.entity is not None and finding.entity == self.entity


Matcher = Callable[[str, Finding], bool]


def code_matches(selector: str, finding: Finding) -> bool:
    """The default matcher: a code, prefix or dotted name that selects the finding's rule."""
    found = codes.load_all().get(finding.code)
    return found is not None and codes.matches(selector, found)


def names_a_rule(selector: str) -> bool:
    return any(codes.matches(selector, r) for r in codes.load_all().values())


def apply(
    findings: Iterable[Finding],
    suppressions: Iterable[Suppression],
    *,
    matches: Matcher = code_matches,
    known: Callable[[str], bool] = names_a_rule,
    ran: Callable[[str], bool] = lambda selector: True,
) -> tuple[list[Finding], list[Finding]]:
    """(kept findings, SUP findings). `ran(selector)` says whether a rule it selects ran at all this time, so that
    `--select NAM` does not make every BRZ suppression "unused"."""
    by_entity: dict[Entity, list[Suppression]] = defaultdict(list)
    by_file: dict[str, list[Suppression]] = defaultdict(list)
    records = list(suppressions)
    for record in records:
        if record.region is not None:
            by_file[record.region.file].append(record)
        elif record.entity is not None:
            by_entity[record.entity].append(record)
    used: set[tuple[int, int]] = set()  # (record index, selector index)
    index = {id(record): i for i, record in enumerate(records)}
    kept: list[Finding] = []
    for finding in findings:
        suppressed = False
        candidates = [
            *(by_entity.get(finding.entity, ()) if finding.entity else ()),
            *(by_file.get(finding.file, ()) if finding.file else ()),
        ]
        for record in candidates:
            if not record.covers(finding):
                continue
            for position, selector in enumerate(record.selectors):
                if matches(selector, finding):
                    used.add((index[id(record)], position))
                    suppressed = True
        if not suppressed:
            kept.append(finding)
    return kept, list(_report(records, used, known, ran))


def _report(
    records: list[Suppression], used: set[tuple[int, int]], known: Callable[[str], bool], ran: Callable[[str], bool]
) -> Iterator[Finding]:
    from taxonomy.fuzzy import did_you_mean

    every = [*codes.load_all(), *(r.name for r in codes.REGISTRY.values())]
    for number, record in enumerate(records):
        for position, selector in enumerate(record.selectors):
            span = record.spans[position] if position < len(record.spans) else None
            subject = f"for {record.entity.kind.replace('_', ' ')} `{record.entity.name}`" if record.entity else "here"
            if not known(selector):
                yield unknown_code.finding(
                    f"suppression `{selector}` {subject} names no rule{did_you_mean(selector, every)}",
                    span,
                    record.entity,
                )
            elif (number, position) not in used and ran(selector):
                yield unused_suppression.finding(
                    f"suppression `{selector}` {subject} matches no finding: remove it",
                    span,
                    record.entity,
                )


@rule("SUP001", "suppression.unused", severity="warning", scope="meta")
def unused_suppression(ctx: object) -> Iterator[Finding]:
    """A suppression that matches no finding: the problem was fixed, or the code is wrong.

    Stale suppressions hide the next real problem of that kind, so they are reported like ruff's unused `noqa`.
    Not reported when the suppressed rule did not run (e.g. with `--select` of another family).

    Bad:
        events:
          product_viewed: {lint: {ignore: [NAM001], reason: legacy name}}   # the name is fine now
    Good:
        events:
          product_viewed: {}
    """
    return iter(())  # produced by taxonomy.suppress.apply


@rule("SUP002", "suppression.unknown-code", scope="meta")
def unknown_code(ctx: object) -> Iterator[Finding]:
    """A suppression names a code, prefix or name that matches no rule (nor any user rule id).

    Bad:
        events:
          AddToCart: {lint: {ignore: [NAM01]}}
    Good:
        events:
          AddToCart: {lint: {ignore: [NAM001], reason: Sent by iOS 3.x, cannot change}}
    """
    return iter(())  # produced by taxonomy.suppress.apply


# ------------------------------------------------------------------ suppressions written in the taxonomy file


def apply_taxonomy_suppressions(findings: list[Finding], ctx: LintContext, user_ids: set[str]) -> list[Finding]:
    """Item- and property-level `lint: {ignore: [...]}`; then the SUP findings about those suppressions."""
    from taxonomy.engine import enabled
    from taxonomy.userrules import rule_id_of

    records = list(suppressions(ctx.taxonomy, ctx.documents))
    if not records:
        return findings

    def matches(selector: str, finding: Finding) -> bool:
        if selector in user_ids:
            return rule_id_of(finding) == selector
        return code_matches(selector, finding)

    def known(selector: str) -> bool:
        return selector in user_ids or names_a_rule(selector)

    def ran(selector: str) -> bool:
        if selector in user_ids:
            return enabled(codes.get("USR001"), ctx.config)
        return any(codes.matches(selector, r) and enabled(r, ctx.config) for r in codes.REGISTRY.values())

    kept, about = apply(findings, records, matches=matches, known=known, ran=ran)
    from taxonomy.engine import apply_policy

    return apply_policy([*kept, *about], ctx.config)


def suppressions(taxonomy: Taxonomy, documents: dict[str, Any]) -> Iterator[Any]:
    """Suppression records for every item and property that has `lint: {ignore: [...]}`.

    An item's suppression covers findings about that item (its properties' findings included: they carry the
    item as their entity). A property's suppression covers findings that start inside the property's own text,
    from its key to the end of its value.
    """
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
