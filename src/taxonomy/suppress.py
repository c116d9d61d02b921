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

from taxonomy import codes
from taxonomy.codes import rule
from taxonomy.findings import Entity, Finding, Span


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
