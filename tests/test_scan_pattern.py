"""The query files' call patterns matched from the method up (scan/pattern.py) find exactly what tree-sitter's own
query engine finds with the same files: on every scanner fixture and example source, and on random text made of
their lines, for every node of the tree."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from tree_sitter import Node, Query, QueryCursor

from taxonomy.scan.languages import SUFFIXES, adapter_for
from taxonomy.scan.pattern import (
    PatternError,
    around,
    calls_at,
    captured_at,
    match,
    method_kinds,
    parse_patterns,
    patterns_of,
)
from taxonomy.scan.treesitter import TreeSitterAdapter, nodes_at, walk

SOURCES = sorted(
    p
    for p in [*(FIXTURES / "scan").rglob("*"), *(FIXTURES / "scan_bad").rglob("*"), *EXAMPLES.rglob("*")]
    if p.is_file() and p.suffix in SUFFIXES and SUFFIXES[p.suffix][0] != "python" and "spins" not in p.name
)
Key = tuple[int, tuple[tuple[str, tuple[tuple[int, int, str], ...]], ...]]


def _adapter(suffix: str) -> TreeSitterAdapter:
    adapter = adapter_for(SUFFIXES[suffix][1])
    assert isinstance(adapter, TreeSitterAdapter)
    return adapter


def _key(index: int, captures: dict[str, list[Node]]) -> Key:
    return index, tuple(sorted((k, tuple((n.start_byte, n.end_byte, n.type) for n in v)) for k, v in captures.items()))


def _method(key: Key) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    return key[0], dict(key[1])["method"]


def _compare(adapter: TreeSitterAdapter, source: bytes) -> int:
    """Assert both engines agree on `source`; the number of call matches."""
    text = resources.files("taxonomy.scan").joinpath(f"queries/{adapter.query_name}.scm").read_text("utf-8")
    root = adapter.parse(source)
    theirs: dict[tuple[int, tuple[tuple[int, int, str], ...]], list[Key]] = {}
    their_objects: set[Key] = set()
    for index, captures in QueryCursor(Query(adapter.grammar, text)).matches(root):
        if "method" in captures:
            key = _key(index, captures)
            theirs.setdefault(_method(key), []).append(key)
        else:
            their_objects.add(_key(index, captures))
    calls, payloads = adapter.patterns
    kinds = method_kinds(calls)
    ours: dict[tuple[int, tuple[tuple[int, int, str], ...]], Key] = {}
    our_objects: set[Key] = set()
    for node in walk(root):
        for index, captures in calls_at(calls, node):
            assert kinds is None or node.type in kinds
            key = _key(index, captures)
            ours[_method(key)] = key
        for index, pattern in enumerate(payloads, start=len(calls)):
            our_objects.update(_key(index, captures) for captures in match(pattern, node))
    # One match per method node (tree-sitter may find the same method through several ways of matching a pattern).
    assert set(ours) == set(theirs)
    assert all(ours[method] in theirs[method] for method in ours)
    assert our_objects == their_objects
    return len(ours)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_the_patterns_match_what_tree_sitter_matches(path: Path) -> None:
    _compare(_adapter(path.suffix), path.read_bytes())


def test_the_fixtures_hold_calls_of_every_language() -> None:
    counts: dict[str, int] = {}
    for path in SOURCES:
        counts[path.suffix] = counts.get(path.suffix, 0) + _compare(_adapter(path.suffix), path.read_bytes())
    assert {s for s, n in counts.items() if n > 0} >= {".js", ".ts", ".tsx", ".kt", ".java", ".swift", ".m", ".dart",
                                                      ".cs"}  # fmt: skip


LINES = {suffix: [line for p in SOURCES if p.suffix == suffix for line in p.read_text().splitlines()]
         for suffix in {p.suffix for p in SOURCES}}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(LINES)), st.data())
def test_random_text_matches_the_same(suffix: str, data: st.DataObject) -> None:
    lines = data.draw(st.lists(st.sampled_from(LINES[suffix]), min_size=1, max_size=40))
    cut = data.draw(st.integers(0, 3))  # sometimes a line cut short: broken syntax, error recovery
    if cut:
        lines[-1] = lines[-1][: len(lines[-1]) // cut]
    _compare(_adapter(suffix), "\n".join(lines).encode())


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('(call (identifier) @m (#match? @m "x"))', "unsupported query syntax"),
        ("(call (identifier)* @m)", "unsupported query syntax"),
        ("(call (identifier) @m", "ends inside a pattern"),
    ],
)
def test_query_text_outside_the_subset_fails_loudly(text: str, error: str) -> None:
    with pytest.raises(PatternError, match=error):
        parse_patterns(text)


def test_every_query_file_reads() -> None:
    for path in resources.files("taxonomy.scan").joinpath("queries").iterdir():
        assert parse_patterns(path.read_text("utf-8")), path.name


def test_a_wildcard_never_matches_an_error_node() -> None:
    """Found by the property above: an unclosed Dart function makes the whole file one ERROR node, which Dart's
    `(_ (identifier) @method . (selector …))` must not match, as in tree-sitter."""
    source = b"""  void giftCard(double amount) {
    _braze.setCustomUserAttributeArrayOfObjects('pets', [
    context.read<BrazePlugin>().setEmail('ada@example.com');"""
    assert _compare(_adapter(".dart"), source) == 0


@pytest.mark.parametrize("path", [p for p in SOURCES if hasattr(_adapter(p.suffix), "declarations_text")],
                         ids=lambda p: p.name)  # fmt: skip
def test_declaration_patterns_around_a_name_match_what_tree_sitter_matches(path: Path) -> None:
    """Around the occurrences of a name, the Kotlin, Java and C# declaration patterns (predicates included) find the
    matches tree-sitter finds that hold the name (each pattern captures the node it matches at)."""
    source, root, text, theirs = _matched(path, "declarations_text")
    for name, leaves in _names(root, source):
        held = {_key(index, captures) for index, captures in theirs
                if any(_holds(top, leaf) for top in _tops(captures) for leaf in leaves)}  # fmt: skip
        assert {_key(index, captures) for index, _node, captures in around(patterns_of(text), leaves)} == held, name


@pytest.mark.parametrize("path", [p for p in SOURCES if hasattr(_adapter(p.suffix), "_binding_text")],
                         ids=lambda p: p.name)  # fmt: skip
def test_binding_patterns_at_a_name_match_what_tree_sitter_matches(path: Path) -> None:
    """At the occurrences of a name, the JS / TS binding patterns find the matches tree-sitter finds in which that
    name is the `@name` or `@param`."""
    source, root, text, theirs = _matched(path, "_binding_text")
    for name, leaves in _names(root, source):
        held = {_key(index, captures) for index, captures in theirs
                if any(n in leaves for n in [*captures.get("name", ()), *captures.get("param", ())])}  # fmt: skip
        ours = {_key(index, captures) for leaf in leaves for capture in ("name", "param")
                for index, captures in captured_at(patterns_of(text), leaf, capture)}  # fmt: skip
        assert ours == held, name


def _matched(path: Path, patterns: str) -> tuple[bytes, Node, str, list[tuple[int, dict[str, list[Node]]]]]:
    """A fixture's bytes and tree, the adapter's patterns (by attribute name), and tree-sitter's matches of them."""
    adapter = _adapter(path.suffix)
    source = path.read_bytes()
    root = adapter.parse(source)
    text = getattr(adapter, patterns)
    return source, root, text, list(QueryCursor(Query(adapter.grammar, text)).matches(root))


def _names(root: Node, source: bytes) -> list[tuple[str, list[Node]]]:
    """Every identifier's text, with the nodes at its occurrences."""
    names = {(n.text or b"").decode() for n in walk(root) if n.type in ("identifier", "simple_identifier")} - {""}
    return [(name, nodes_at(root, source, (name.encode(),))) for name in sorted(names)]


def _tops(captures: dict[str, list[Node]]) -> list[Node]:
    """The node a declaration pattern matched at: the outermost capture."""
    nodes = [n for found in captures.values() for n in found]
    return [max(nodes, key=lambda n: (n.end_byte - n.start_byte, -n.start_byte))]


def _holds(top: Node, leaf: Node) -> bool:
    node: Node | None = leaf
    while node is not None:
        if node == top:
            return True
        node = node.parent
    return False
