"""The shared tree-sitter driver: parse, match the language's query set, hand nodes to the adapter's hooks.

A query set (scan/queries/<name>.scm) must provide, per call pattern: `@call` (the whole call), `@method` (the
node whose text is the method name; its start is the call site's line and column), optionally `@receiver` (the
expression the method is called on; absent for a bare function call) and `@args` (the argument list). It may also
capture `@object` on object / map / dictionary literals that can be /users/track payloads. An assignment to a
property (`user.email = x`) captures `@method` (the property), `@receiver` and `@value` (the right-hand side): it is
looked up as the method `email=` with the value as its only argument.

Cost: a candidate file should cost about its parse. So the call patterns are matched only from the occurrences of
the names the driver can accept, in Python, with no query compiled (scan/pattern.py says why); a call no signature
takes is dropped before its arguments are read; and what a name stands for (its declarations, bindings, scopes) is
looked up when a receiver or an argument uses it, around that name's occurrences (`Lazy`, `FileContext.holding`). A
tree with syntax errors may hold a missing identifier that spans no text: there, every lookup of a declaration falls
back to the whole tree (a call's method name always spans text: the call patterns need no such fallback).
"""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from tree_sitter import Language, Node, Parser, Point, Range

from taxonomy.scan.adapter import FileScan, ParseGaveUp
from taxonomy.scan.pattern import Pattern, around, calls_at, method_kinds, patterns_of
from taxonomy.scan.prefilter import automaton
from taxonomy.scan.records import Arg, RawCall, Value
from taxonomy.scan.signatures import SignatureSet
from taxonomy.scan.skim import Guard, Skimmed, scan_skimmed, skim


def node_text(node: Node) -> str:
    """For helpers without a file's context; where one is at hand, `FileContext.text` is four times faster."""
    return (node.text or b"").decode("utf-8", "replace")


V = TypeVar("V")
PARSE_SECONDS = 5.0  # a 1 MB file parses in under a second with the slowest grammar here


class Lazy(dict[str, V]):
    """A per-name table of a file (`ctx.bindings`, `ctx.aliases`) filled on first use: `load(ctx, name)` stores the
    name's entry (if it has one) the way a walk over the whole file would have. Most candidate files never resolve a
    receiver, and the rest only a few names, so looking each one up around its own occurrences is much cheaper than
    collecting every declaration of the file.

    The table keeps only a weak reference to its context, and `load` must not hold one either: a reference cycle
    would keep the context, and with it the whole tree, alive until the next garbage collection."""

    def __init__(self, ctx: FileContext, load: Callable[[FileContext, str], None]) -> None:
        super().__init__()
        self._ctx = weakref.ref(ctx)
        self._load = load
        self._loaded: set[str] = set()

    def _ensure(self, name: object) -> None:
        if isinstance(name, str) and name not in self._loaded:
            self._loaded.add(name)
            ctx = self._ctx()
            if ctx is not None:
                self._load(ctx, name)

    def __contains__(self, name: object) -> bool:
        self._ensure(name)
        return super().__contains__(name)

    def __getitem__(self, name: str) -> V:
        self._ensure(name)
        return super().__getitem__(name)

    def get(self, name: str, default: V | None = None) -> V | None:  # type: ignore[override]
        self._ensure(name)
        return super().get(name, default)


Bindings = Lazy["Node | None"]


class FileContext:
    """Per-file facts an adapter collects before looking at calls (imports, constants, local bindings)."""

    def __init__(self, source: bytes, sigs: SignatureSet, language: str) -> None:
        self.source = source
        self.sigs = sigs
        self.language = language
        self.methods = sigs.methods(language)
        self.modules = sigs.modules.get(language, {})
        self.constants: dict[str, Value] = {}  # file-level: name -> resolved literal value
        self.exported: dict[str, Value] = {}  # what other files may import
        self.imported: dict[str, str] = {}  # local name bound by an import -> its module (refs resolve project-wide)
        self.aliases: dict[str, str] = {}  # local name -> receiver it stands for (import * as b from braze)
        self.functions: dict[str, tuple[str, str]] = {}  # local name -> (receiver, method) of a named import
        self.bindings: dict[str, Node | None] = {}  # local variable -> its initializer (None when ambiguous)
        self.need_calls = True  # False when only the constants are wanted (cheaper prepare)
        self.root: Node | None = None  # the parsed tree (for lookups made on demand)
        self._every: dict[frozenset[str], list[Node]] = {}

    def holding(self, name: str, kinds: frozenset[str]) -> list[Node]:
        """The nodes of `kinds` that may declare `name`, in walk order: those around the name's occurrences, or, in a
        tree with syntax errors (where a missing identifier spans no text), every node of `kinds`."""
        assert self.root is not None
        if name and not self.root.has_error:
            return enclosing(self.root, self.source, name, kinds)
        found = self._every.get(kinds)
        if found is None:
            found = self._every[kinds] = kinds_in(self.root, kinds)
        return found

    def text(self, node: Node) -> str:
        """The node's text, cut from the source (`node.text` reads through the parse's reader: four times slower)."""
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def column(self, node: Node) -> tuple[int, int]:
        """1-based line and character column of a node's start."""
        row, col = node.start_point
        start = node.start_byte - col
        return row + 1, len(self.source[start : node.start_byte].decode("utf-8", "replace")) + 1


class TreeSitterAdapter:
    """Base for tree-sitter adapters: subclasses set the grammar and query, and implement the hooks."""

    language = ""
    query_name = ""

    def load_grammar(self) -> Any:  # the grammar wheel's language() capsule
        raise NotImplementedError

    @functools.cached_property
    def grammar(self) -> Language:
        return Language(self.load_grammar())

    @functools.cached_property
    def patterns(self) -> tuple[tuple[Pattern, ...], tuple[Pattern, ...]]:
        """The query file's call patterns (those capturing `@method`) and its other (payload) patterns."""
        text = (_QUERIES / f"{self.query_name}.scm").read_text("utf-8")
        patterns = patterns_of(text)
        return tuple(p for p in patterns if p.method_depths), tuple(p for p in patterns if not p.method_depths)

    @functools.cached_property
    def method_kinds(self) -> frozenset[str] | None:
        return method_kinds(self.patterns[0])

    @functools.cached_property
    def _parser(self) -> Parser:
        return Parser(self.grammar)  # one per process and grammar: a new one costs more than its first parse

    def parse(self, source: bytes) -> Node:
        """The tree; `ParseGaveUp` past `PARSE_SECONDS` (some grammars' error recovery can run for ever, growing,
        on a few broken files: the Kotlin grammar on an unclosed backtick among braces, for one). Of a skimmed
        file only what is left is read: the blanked spans are outside the parser's ranges, so it does not lex
        their blanks one by one (a third to a fifth of the time), and every position is the file's own."""
        deadline = time.monotonic() + PARSE_SECONDS
        parser = self._parser
        gaps = source.gaps if type(source) is Skimmed else None
        if gaps:
            parser.included_ranges = _around(source, gaps)
        try:
            tree = parser.parse(
                # A small window: the tree keeps this reader, and each `node.text` reads through it.
                lambda offset, _point: source[offset : offset + 256],
                progress_callback=lambda _offset, _error: time.monotonic() > deadline,
            )
        except ValueError:  # cancelled by the callback
            parser.reset()  # (else the next parse would resume this one)
            raise ParseGaveUp(
                f"the parser gave up after {PARSE_SECONDS:g} s (the file most likely has a syntax error its grammar"
                " cannot recover from: fix it, or exclude the file)"
            ) from None
        finally:
            if gaps:
                parser.included_ranges = _EVERYTHING
        return tree.root_node

    # --- hooks -------------------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        """Collect imports, constants and bindings into ctx before calls are read."""

    def receiver_path(self, node: Node, ctx: FileContext) -> str:
        """The receiver expression as a dotted path (`braze.getUser()`), aliases and bindings substituted."""
        raise NotImplementedError

    def implicit_receiver(self, call: Node, ctx: FileContext) -> str | None:
        """The receiver of a call written without one (`apply { setEmail(x) }` in Kotlin); None: a bare call."""
        return None

    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        raise NotImplementedError

    def value(self, node: Node, ctx: FileContext) -> Value:
        raise NotImplementedError

    # --- driver --------------------------------------------------------------------------------------------------
    def scan(self, source: bytes, sigs: SignatureSet) -> FileScan:
        """The whole file's calls, parsing only what can matter when the file allows it (scan/skim.py)."""
        skimmed = skim(source, self.language, _guard(sigs, self.language))
        return scan_skimmed(source, skimmed, lambda data: self._scan(data, sigs))

    def _scan(self, source: bytes, sigs: SignatureSet) -> FileScan:
        root = self.parse(source)
        if type(source) is Skimmed:
            source.fits(root)
        ctx = FileContext(source, sigs, self.language)
        ctx.root = root
        self.prepare(root, ctx)
        out = FileScan(constants=dict(ctx.exported), imports=dict(ctx.imported))
        want_payloads = self.language in sigs.payloads
        for captures in self._matches(root, ctx, want_payloads):
            if "object" in captures:
                if want_payloads:
                    node = captures["object"][0]
                    if not _maybe_payload(ctx.source[node.start_byte : node.end_byte]):
                        continue
                    value = self.value(node, ctx)
                    if any(value.get(k) is not None for k in ("events", "attributes", "purchases")):
                        line, column = ctx.column(node)
                        out.payloads.append((line, column, value))
                continue
            call = self._call(captures, ctx)
            if call is not None:
                out.calls.append(call)
        if root.has_error:
            out.error = first_error(root, ctx)
        return out

    def _matches(self, root: Node, ctx: FileContext, want_payloads: bool) -> Iterator[dict[str, list[Node]]]:
        """The call patterns' matches that can matter: those whose `@method` is at an occurrence of a name the
        driver would accept (a method, a named import's alias), and the payload patterns' matches around an
        occurrence of a payload key; in source order. Only those nodes are looked at, not the whole tree: a
        large file that mentions a method name once costs nearly only its parse (scan/pattern.py)."""
        names = set(ctx.functions)
        if want_payloads:
            names.update(_PAYLOAD_KEYS)
        calls, payloads = self.patterns
        kinds = self.method_kinds
        nodes = nodes_at(root, ctx.source, _needles(ctx.methods, frozenset(names)))
        found: dict[tuple[int, int, int], dict[str, list[Node]]] = {}
        for node in nodes:
            if kinds is None or node.type in kinds:
                for index, captures in calls_at(calls, node):
                    found.setdefault((captures["call"][0].start_byte, index, node.start_byte), captures)
        if want_payloads and payloads:
            for index, node, captures in around(payloads, nodes):
                found.setdefault((node.start_byte, len(calls) + index, -node.end_byte), captures)
        for key in sorted(found):
            yield found[key]

    def method_name(self, node: Node, captures: dict[str, list[Node]], ctx: FileContext) -> str:
        """The method name to look up; Swift qualifies `set` by its first label (`set(email:)`)."""
        return ctx.text(node)

    def _call(self, captures: dict[str, list[Node]], ctx: FileContext) -> RawCall | None:
        method_node = captures["method"][0]
        method = self.method_name(method_node, captures, ctx)
        if "value" in captures:  # an assignment `user.email = x` is looked up as the setter `email=`
            method += "="
        receiver_nodes = captures.get("receiver")
        if receiver_nodes:
            if method not in ctx.methods:
                return None
            receiver: str | None = self.receiver_path(receiver_nodes[0], ctx)
        elif method in ctx.functions:
            receiver, method = ctx.functions[method]
        elif method in ctx.methods:
            receiver = self.implicit_receiver(captures["call"][0], ctx)
        else:
            return None
        if ctx.sigs.lookup(method, receiver, self.language) is None:
            return None  # no signature takes it (`logger.logCustomEvent(…)`): its arguments are not worth reading
        if "value" in captures:
            args: tuple[Arg, ...] = (Arg(None, self.value(captures["value"][0], ctx)),)
        else:
            args_nodes = captures.get("args")
            args = self.arguments(args_nodes[0], ctx) if args_nodes else ()
        line, column = ctx.column(method_node)
        return RawCall(method, receiver, line, column, args)

    def constants(self, source: bytes) -> dict[str, Value]:
        root = self.parse(source)
        from taxonomy.scan.signatures import SignatureSet as _S

        ctx = FileContext(source, _S({}, {}, frozenset()), self.language)
        ctx.root = root
        ctx.need_calls = False
        self.prepare(root, ctx)
        return dict(ctx.exported)


_PAYLOAD_KEYS = ("events", "attributes", "purchases")


@functools.lru_cache(maxsize=32)
def _guard(sigs: SignatureSet, language: str) -> Guard:
    """Skimming keeps the bodies that hold a name the driver searches for (`_matches`)."""
    keys = frozenset(_PAYLOAD_KEYS if language in sigs.payloads else ())
    return Guard(sigs, language, _needles(sigs.methods(language), keys))


@functools.lru_cache(maxsize=64)
def _needles(methods: frozenset[str], extra: frozenset[str]) -> tuple[bytes, ...]:
    """Every name whose occurrence may be a call the driver accepts (a method `set(email:)` is written `set(`, a
    property setter `email=` is written `email`), less those that contain another one: an occurrence of
    `logCustomEventWithProperties` is one of `logCustomEvent` too, and a range only has to touch the name."""
    names = {m.split("(", 1)[0].rstrip("=") for m in methods} | extra
    names.discard("")
    kept = [n for n in names if not any(o != n and o in n for o in names)]
    return tuple(sorted(n.encode() for n in kept))


def mentions(source: bytes, needles: Iterable[bytes]) -> list[tuple[int, int]]:
    """Where the needles occur (start, end), in one pass of an Aho-Corasick automaton (a `find` loop per needle
    reads the file once per needle); a match may hide another inside it (the same node holds both)."""
    needles = tuple(needle for needle in needles if needle)
    if type(source) is Skimmed:
        source.check(needles)
    if len(needles) > 1:
        return [(start, end) for index, start, end in automaton(needles).find_matches_as_indexes(source)
                if index < len(needles)]  # fmt: skip
    found = []
    for needle in needles:
        at = source.find(needle)
        while at >= 0:
            found.append((at, at + len(needle)))
            at = source.find(needle, at + len(needle))
    return found


_QUERIES = Path(__file__).parent / "queries"  # (a plain path, like the rules: importlib.resources costs 12 ms)
_EVERYTHING = [Range(Point(0, 0), Point(0xFFFFFFFF, 0xFFFFFFFF), 0, 0xFFFFFFFF)]  # tree-sitter's default


def _around(source: bytes, gaps: list[tuple[int, int]]) -> list[Range]:
    """The ranges of `source` outside the gaps (sorted, disjoint spans), with their points."""
    ranges: list[Range] = []
    row, counted = 0, 0  # newlines before `counted`

    def point(offset: int) -> Point:
        nonlocal row, counted
        row += source.count(b"\n", counted, offset)
        counted = offset
        return Point(row, offset - source.rfind(b"\n", 0, offset) - 1)

    start, start_point = 0, Point(0, 0)
    for gap_start, gap_end in gaps:
        gap_end = min(gap_end, len(source) - 1)  # (the last byte stays in: the tree ends where the file does)
        end_point = point(gap_start)
        if gap_start > start:
            ranges.append(Range(start_point, end_point, start, gap_start))
        start, start_point = gap_end, point(gap_end)
    if len(source) > start:
        ranges.append(Range(start_point, point(len(source)), start, len(source)))
    return ranges


def nodes_at(root: Node, source: bytes, needles: Iterable[bytes]) -> list[Node]:
    """The smallest node around each occurrence of the needles (the identifier, where it is one)."""
    found = (root.descendant_for_byte_range(start, end) for start, end in mentions(source, needles))
    return [node for node in found if node is not None]


def _maybe_payload(text: bytes) -> bool:
    return b"events" in text or b"attributes" in text or b"purchases" in text


def first_error(root: Node, ctx: FileContext) -> tuple[int, int]:
    """Where the first (depth-first) error or missing node is: only subtrees that hold an error are entered."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return ctx.column(node)
        stack.extend(reversed([child for child in node.children if child.has_error]))
    return (1, 1)


def occurrences(source: bytes, needle: bytes) -> Iterator[int]:
    """Every start of `needle` in `source`, overlapping ones included."""
    if type(source) is Skimmed:
        source.check((needle,))
    at = source.find(needle)
    while at >= 0:
        yield at
        at = source.find(needle, at + 1)


def enclosing(root: Node, source: bytes, name: str, kinds: frozenset[str]) -> list[Node]:
    """The nodes of `kinds` that hold an occurrence of `name` (every declaration of the name among them), ordered as
    a right-to-left depth-first walk meets them: an ancestor before its descendants, a later node before an earlier
    one. Exact for a tree without syntax errors, where every identifier is the text it spans."""
    needle = name.encode()
    found: list[Node] = []
    seen: set[Node] = set()  # ancestors already met (and theirs): a common name's occurrences share most of them
    for at in occurrences(source, needle):
        node: Node | None = root.descendant_for_byte_range(at, at + len(needle))
        while node is not None and node not in seen:
            seen.add(node)
            if node.type in kinds:
                found.append(node)
            node = node.parent
    return sorted(found, key=lambda n: (-n.end_byte, n.start_byte))


def kinds_in(root: Node, kinds: frozenset[str]) -> list[Node]:
    """Every node of `kinds`, right-to-left depth first (the order of a stack walk over named children)."""
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in kinds:
            out.append(node)
        stack.extend(node.named_children)
    return out


def walk(root: Node) -> Iterator[Node]:
    """Every node, depth first, without recursion (deep trees must not blow the stack)."""
    cursor = root.walk()
    visited_children = False
    while True:
        if not visited_children:
            node = cursor.node
            if node is not None:
                yield node
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited_children = False
        elif cursor.goto_parent():
            visited_children = True
        else:
            return
