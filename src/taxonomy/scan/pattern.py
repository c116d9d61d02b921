"""Tree-sitter query patterns (scan/queries/<name>.scm, the adapters' declaration patterns), matched in Python.

The query files are written in tree-sitter's query language, but compiling one with tree-sitter costs 20-130 ms
per grammar and process (it analyses the whole grammar), more than parsing every candidate file of a language on
a large tree, and every worker process pays it again. The driver never needs a query's search: it knows where the
method names are (their occurrences in the source), so it only has to ask, for the node at an occurrence, "is this
the `@method` of a call pattern, and what are the other captures?". This module reads the subset of the query
language the patterns use and answers that by climbing to the ancestor a pattern starts at and matching the
pattern down from there, as tree-sitter would:

- `(kind child…)`, `(_ …)` (any named node but ERROR), `[alternative…]`, `field: pattern`, `!field` (no such child);
- child patterns match named children in order, not necessarily adjacent; `.` anchors a child pattern to the first
  named child, to the last, or to the one right after the previous pattern's;
- `?` (optional), `@capture` (several per pattern allowed), `(#eq? @capture "text")`, `(#any-of? @capture "a" "b")`
  (inside a node pattern, after its children), `;` comments.

A pattern with no `@method` (`(object) @object`) is matched on every ancestor of an occurrence (`around`); the
adapters' declaration patterns are matched the same way, around a name's occurrences.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from tree_sitter import Node

Captures = dict[str, list[Node]]

_TOKEN = re.compile(r'\s+|;[^\n]*|(?P<tok>[()\[\].?]|@[\w.]+|![\w]+|[\w]+:|[\w]+|#(?:eq|any-of)\?|"[^"\\]*")')


class PatternError(ValueError):
    """A query text outside the supported subset (a bug in a query file, not in the scanned code)."""


@dataclass(frozen=True)
class Child:
    pattern: Pattern
    field: str | None = None
    anchored: bool = False  # right after the previous child pattern's node (or the first named child)
    optional: bool = False


@dataclass(frozen=True)
class Pattern:
    kind: str | None = None  # None: any named node
    children: tuple[Child, ...] = ()
    anchored_end: bool = False  # the last child pattern matches the last named child
    absent: tuple[str, ...] = ()  # `!field`
    captures: tuple[str, ...] = ()
    alternatives: tuple[Pattern, ...] = ()  # an alternation `[…]` (then kind and children are unused)
    texts: tuple[tuple[str, frozenset[str]], ...] = ()  # `(#any-of? @name "a" "b")`, `(#eq? @name "a")`
    depths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # capture -> levels below this node, ascending

    @property
    def method_depths(self) -> tuple[int, ...]:
        return self.depths_of("method")

    def depths_of(self, capture: str) -> tuple[int, ...]:
        return self.depths.get(capture, ())

    # (Derived once per pattern: matching runs at every occurrence of a name, in Python.)
    @functools.cached_property
    def tops(self) -> frozenset[str] | None:
        """The node kinds this pattern can match at (None: any named node): others are passed over unmatched."""
        if not self.alternatives:
            return None if self.kind is None else frozenset([self.kind])
        kinds: set[str] = set()
        for alternative in self.alternatives:
            if alternative.tops is None:
                return None
            kinds |= alternative.tops
        return frozenset(kinds)

    @functools.cached_property
    def fielded(self) -> bool:
        return any(child.field is not None for child in self.children)


@functools.lru_cache(maxsize=64)
def patterns_of(text: str) -> tuple[Pattern, ...]:
    """`parse_patterns`, once per text and process."""
    return parse_patterns(text)


def parse_patterns(text: str) -> tuple[Pattern, ...]:
    tokens, at = [], 0
    for found in _TOKEN.finditer(text):
        if found.start() != at:
            break
        at = found.end()
        if found.group("tok"):
            tokens.append(found.group("tok"))
    if at != len(text):
        raise PatternError(f"unsupported query syntax at {text[at : at + 20]!r}")
    reader = _Reader(tokens)
    patterns = []
    while not reader.done():
        patterns.append(_depths(reader.pattern()))
    return tuple(patterns)


class _Reader:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def done(self) -> bool:
        return self.at >= len(self.tokens)

    def peek(self) -> str:
        if self.done():
            raise PatternError("a query file ends inside a pattern")
        return self.tokens[self.at]

    def take(self) -> str:
        token = self.peek()
        self.at += 1
        return token

    def pattern(self) -> Pattern:
        token = self.take()
        if token == "[":
            alternatives = []
            while self.peek() != "]":
                alternatives.append(self.pattern())
            self.take()
            return Pattern(alternatives=tuple(alternatives), captures=self._captures())
        if token != "(":
            raise PatternError(f"unsupported query syntax at {token!r}")
        kind = self.take()
        if kind.startswith("#"):
            raise PatternError(f"a predicate ({kind}) stands inside a node pattern, after its children")
        children: list[Child] = []
        texts: list[tuple[str, frozenset[str]]] = []
        absent: list[str] = []
        anchor = False
        anchored_end = False
        while (token := self.peek()) != ")":
            if token == ".":
                self.take()
                anchor = True
                continue
            if token.startswith("!"):
                absent.append(self.take()[1:])
                continue
            if token == "(" and self.tokens[self.at + 1 : self.at + 2] in (["#eq?"], ["#any-of?"]):
                texts.append(self._predicate())
                continue
            name = self.take()[:-1] if token.endswith(":") else None
            child = self.pattern()
            optional = self.peek() == "?"
            if optional:  # (`(kind)? @name`: the captures may follow the quantifier)
                self.take()
                child = replace(child, captures=child.captures + self._captures())
            children.append(Child(child, name, anchor, optional))
            anchor = False
        self.take()
        if anchor:
            anchored_end = True
        return Pattern(None if kind == "_" else kind, tuple(children), anchored_end, tuple(absent), self._captures(),
                       texts=tuple(texts))  # fmt: skip

    def _predicate(self) -> tuple[str, frozenset[str]]:
        self.take()
        operator, capture = self.take(), self.take()
        values = []
        while (token := self.take()) != ")":
            if not token.startswith('"'):
                raise PatternError(f"{operator} takes a capture and strings, not {token!r}")
            values.append(token[1:-1])
        if not capture.startswith("@") or not values or (operator == "#eq?" and len(values) != 1):
            raise PatternError(f"{operator} takes a capture and {'one string' if operator == '#eq?' else 'strings'}")
        return capture[1:], frozenset(values)

    def _captures(self) -> tuple[str, ...]:
        names = []
        while not self.done() and self.peek().startswith("@"):
            names.append(self.take()[1:])
        return tuple(names)


def _depths(pattern: Pattern) -> Pattern:
    """The pattern with `depths` filled in (for every sub-pattern too)."""
    alternatives = tuple(_depths(p) for p in pattern.alternatives)
    children = tuple(Child(_depths(c.pattern), c.field, c.anchored, c.optional) for c in pattern.children)
    depths: dict[str, set[int]] = {name: {0} for name in pattern.captures}
    for alternative in alternatives:
        for name, found in alternative.depths.items():
            depths.setdefault(name, set()).update(found)
    for child in children:
        for name, found in child.pattern.depths.items():
            depths.setdefault(name, set()).update(d + 1 for d in found)
    return replace(pattern, children=children, alternatives=alternatives,
                   depths={name: tuple(sorted(found)) for name, found in depths.items()})  # fmt: skip


def method_kinds(patterns: tuple[Pattern, ...]) -> frozenset[str] | None:
    """The node kinds a `@method` can be (None: any): nodes of other kinds need no climbing."""
    kinds: set[str | None] = set()
    stack = list(patterns)
    while stack:
        pattern = stack.pop()
        if "method" in pattern.captures:
            kinds.add(pattern.kind)
        stack.extend(pattern.alternatives)
        stack.extend(child.pattern for child in pattern.children)
    return None if None in kinds else frozenset(k for k in kinds if k is not None)


def calls_at(patterns: tuple[Pattern, ...], node: Node) -> Iterator[tuple[int, Captures]]:
    """The matches in which `node` is the `@method`: (pattern index, captures), the first match per pattern."""
    return captured_at(patterns, node, "method")


def captured_at(patterns: tuple[Pattern, ...], node: Node, capture: str) -> Iterator[tuple[int, Captures]]:
    """The matches in which `node` is the `capture`: (pattern index, captures), the first match per pattern."""
    ancestors = [node]
    for index, pattern in enumerate(patterns):
        tops = pattern.tops
        for depth in pattern.depths_of(capture):
            while len(ancestors) <= depth:
                parent = ancestors[-1].parent
                if parent is None:
                    break
                ancestors.append(parent)
            if len(ancestors) <= depth or (tops is not None and ancestors[depth].type not in tops):
                continue
            found = next((c for c in match(pattern, ancestors[depth]) if c[capture][0] == node), None)
            if found is not None:
                yield index, found
                break


def around(patterns: tuple[Pattern, ...], nodes: Iterable[Node]) -> Iterator[tuple[int, Node, Captures]]:
    """The first match of each pattern at each of the nodes and their ancestors (each tried once), as
    (pattern index, node, captures): every match that holds one of the nodes."""
    seen: set[Node] = set()
    for start in nodes:
        node: Node | None = start
        while node is not None and node not in seen:
            seen.add(node)
            kind = node.type
            for index, pattern in enumerate(patterns):
                tops = pattern.tops
                if tops is not None and kind not in tops:
                    continue
                found = next(match(pattern, node), None)
                if found is not None:
                    yield index, node, found
            node = node.parent


def match(pattern: Pattern, node: Node) -> Iterator[Captures]:
    """Every way `pattern` matches `node` (captures of the sub-patterns merged)."""
    if pattern.alternatives:
        for alternative in pattern.alternatives:
            for found in match(alternative, node):
                yield _with(found, pattern.captures, node)
        return
    if not node.is_named or (node.type != pattern.kind if pattern.kind is not None else node.is_error):
        return  # (as in tree-sitter, `_` never matches an ERROR node)
    for name in pattern.absent:
        if node.child_by_field_name(name) is not None:
            return
    own: Captures = {name: [node] for name in pattern.captures}
    if not pattern.children:
        if _texts_hold(pattern, own):
            yield own
        return
    named = node.named_children
    fields = [node.field_name_for_named_child(i) for i in range(len(named))] if pattern.fielded else []
    for found in _sequence(pattern, named, fields, 0, 0):
        found = {**found, **own}
        if _texts_hold(pattern, found):
            yield found


def _texts_hold(pattern: Pattern, captures: Captures) -> bool:
    return all(
        name in captures and all((node.text or b"").decode("utf-8", "replace") in values for node in captures[name])
        for name, values in pattern.texts
    )


def _sequence(pattern: Pattern, named: list[Node], fields: list[str | None], i: int, start: int) -> Iterator[Captures]:
    """Child patterns i… matched in order over named children start…"""
    if i == len(pattern.children):
        if not pattern.anchored_end or start == len(named):
            yield {}
        return
    child = pattern.children[i]
    tops = child.pattern.tops
    positions = [start] if child.anchored else range(start, len(named))
    for at in positions:
        if at >= len(named) or (child.field is not None and fields[at] != child.field):
            continue
        if tops is not None and named[at].type not in tops:
            continue
        for found in match(child.pattern, named[at]):
            for rest in _sequence(pattern, named, fields, i + 1, at + 1):
                yield {**found, **rest}
    if child.optional:
        yield from _sequence(pattern, named, fields, i + 1, start)


def _with(found: Captures, names: tuple[str, ...], node: Node) -> Captures:
    return {**found, **{name: [node] for name in names}} if names else found
