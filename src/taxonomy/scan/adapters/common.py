"""Helpers shared by the Kotlin, Java and C# adapters (typed receivers, property builders, test-mock contexts).

What the SDK's types and builders are called is data: the `types:` and `builders:` tables of the signature files
(rules/sdk/android.yaml, dotnet.yaml, ...). This module only reads them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import cast

from tree_sitter import Language, Node, Query, QueryCursor

from taxonomy.scan.pattern import around, patterns_of
from taxonomy.scan.records import Value
from taxonomy.scan.treesitter import FileContext, Lazy, node_text, nodes_at

MAX_DEPTH = 12
MAX_NESTING = 40  # nested classes / objects read for constants (deeper ones are not constants anyone uses)
# Calls whose arguments or lambda are test-double set-up, not real SDK traffic: MockK `every { braze.logX() }`,
# `verify { … }`, Mockito `when(braze.logX())` / mockito-kotlin `whenever(…)`, BDDMockito `given(…)`.
MOCK_CALLS = frozenset(
    {
        "every",
        "coEvery",
        "verify",
        "coVerify",
        "verifyAll",
        "verifyOrder",
        "verifySequence",
        "coVerifyAll",
        "coVerifyOrder",
        "coVerifySequence",
        "excludeRecords",
        "confirmVerified",
        "when",
        "`when`",
        "whenever",
        "given",
        "Verify",  # Moq: mock.Verify(b => b.LogCustomEvent(...))
        "Setup",  # Moq: mock.Setup(b => b.LogCustomEvent(...))
        "Received",  # NSubstitute: braze.Received().LogCustomEvent(...)
        "DidNotReceive",
    }
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Builders:
    """Property-object builders: constructors (`BrazeProperties`), adders (`addProperty`), maps and lists."""

    classes: frozenset[str] = frozenset()  # a properties object: BrazeProperties(), new Dictionary<string, object>
    add: frozenset[str] = frozenset()  # one key per call: addProperty(k, v), put(k, v), Add(k, v)
    maps: frozenset[str] = frozenset()  # mapOf("k" to v), hashMapOf(...)
    lists: frozenset[str] = frozenset()  # listOf(...), arrayOf(...), JSONArray(...)
    numbers: frozenset[str] = frozenset()  # BigDecimal("9.99"): a float
    times: frozenset[str] = frozenset()  # Date(), DateTime.Now: a time


@dataclass(frozen=True)
class PlatformData:
    types: Mapping[str, str] = field(default_factory=dict)  # declared type -> receiver path it reads as
    builders: Builders = Builders()


@functools.cache
def platform_data(language: str) -> PlatformData:
    """The `types:` and `builders:` tables of every built-in signature file covering `language`."""
    from taxonomy.resources import load_rule_pack
    from taxonomy.scan.signatures import platform_files

    types: dict[str, str] = {}
    lists: dict[str, set[str]] = {k: set() for k in ("classes", "add", "maps", "lists", "numbers", "times")}
    for name in platform_files():
        data = load_rule_pack(f"sdk/{name}.yaml")
        if not isinstance(data, Mapping) or language not in (data.get("languages") or []):
            continue
        types.update({str(k): str(v) for k, v in (data.get("types") or {}).items()})
        for key, values in (data.get("builders") or {}).items():
            if key in lists:
                lists[key].update(str(v) for v in values or [])
    return PlatformData(types, Builders(**{k: frozenset(v) for k, v in lists.items()}))


def state(ctx: FileContext) -> dict[str, object]:
    """Per-file scratch space for an adapter (the shared FileContext has no slot for language specifics)."""
    return ctx.__dict__.setdefault("_adapter_state", {})  # type: ignore[no-any-return]


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def in_mock(node: Node, callee: Callable[[Node], str | None]) -> bool:
    """Inside the arguments or lambda of a test-double call (`every { … }`, `when(…)`, `verify { … }`)."""
    for parent in ancestors(node):
        name = callee(parent)
        if name is not None and name in MOCK_CALLS:
            return True
    return False


def type_name(node: Node | None) -> str | None:
    """`Braze` for `Braze`, `Braze?`, `com.braze.Braze`, `Lazy<Braze>` is not unwrapped (it is not a Braze)."""
    if node is None:
        return None
    text = node_text(node).strip().rstrip("?!")
    if "<" in text or "[" in text:
        return text.split("<", 1)[0].split("[", 1)[0].rsplit(".", 1)[-1] or None
    return text.rsplit(".", 1)[-1] or None


def typed_path(type_text: str | None, name: str, language: str) -> str | None:
    """The receiver path a declaration of this type reads as: the SDK's own types map to their canonical path;
    any other explicit type reads as the type's name (`analytics: ShopAnalytics` -> `ShopAnalytics`), so it is not
    the SDK whatever it is called, and a wrapper declared on the class (`receiver = "ShopAnalytics"`) matches both
    `ShopAnalytics.track(…)` and an injected instance."""
    del name
    if type_text is None or type_text in ("var", "val", "dynamic"):
        return None
    mapped = platform_data(language).types.get(type_text)
    if mapped is not None:
        return mapped
    return type_text


def leading_identifier(text: str) -> str | None:
    match = _IDENT.match(text)
    return match.group(0) if match else None


def merge_names(found: dict[str, list[str | None]]) -> dict[str, str | None]:
    """name -> the one path all its declarations agree on, else None (ambiguous: keep the plain name)."""
    out: dict[str, str | None] = {}
    for name, paths in found.items():
        distinct = set(paths)
        out[name] = paths[0] if len(distinct) == 1 else None
    return out


def number(text: str) -> Value:
    """A JVM / C# numeric literal (suffixes L, f, d, m, u; underscores; hex) as an integer or float Value."""
    clean = text.replace("_", "")
    lowered = clean.lower()
    if lowered.startswith(("0x", "0b")):
        try:
            return Value("integer", int(lowered.rstrip("ul"), 0))
        except ValueError:
            return Value("integer", None, expr=text)
    is_float = any(c in lowered for c in ".e") or lowered.endswith(("f", "d", "m"))
    stripped = lowered.rstrip("ulfdm")
    try:
        return Value("float", float(stripped)) if is_float else Value("integer", int(stripped))
    except ValueError:
        return Value("float" if is_float else "integer", None, expr=text)


def record_constant(ctx: FileContext, key: str, value: Value) -> None:
    """`Outer.Inner.NAME`: exported under every qualified suffix (`Inner.NAME` after an import of the nested
    type), and usable in its own file under every suffix, `NAME` included (two different values: unknown)."""
    parts = key.split(".")
    ambiguous = state(ctx).setdefault("ambiguous", set())
    assert isinstance(ambiguous, set)
    for start in range(len(parts)):
        name = ".".join(parts[start:])
        if start == 0 or start < len(parts) - 1:
            ctx.exported.setdefault(name, value)
        if name in ambiguous:
            continue
        if name in ctx.constants and ctx.constants[name] != value:
            ambiguous.add(name)
            del ctx.constants[name]
            ctx.exported.pop(name, None)
            continue
        ctx.constants[name] = value


def import_target(segments: list[str], alias: str | None) -> tuple[str, str] | None:
    """`import com.shop.Events.CART` -> ("CART", "Events.CART"); `import com.shop.Events as Ev` -> ("Ev", "Events").
    The target starts at the first capitalised segment (the class); None when nothing needs rewriting."""
    start = next((i for i, seg in enumerate(segments) if seg[:1].isupper()), None)
    if start is None or not segments:
        return None
    local = alias or segments[-1]
    target = ".".join(segments[start:])
    return (local, target) if local != target else None


def imported_name(ctx: FileContext, dotted: str) -> str:
    """A reference through an import: `CART` (imported from Events) reads as `Events.CART`."""
    imports = state(ctx).get("imports")
    if not isinstance(imports, dict):
        return dotted
    root, _, rest = dotted.partition(".")
    target = imports.get(root)
    if target is None:
        return dotted
    return f"{target}.{rest}" if rest else str(target)


_QUERIES: dict[tuple[int, str], Query] = {}


def collect(
    grammar: Language, root: Node, text: str, source: bytes | None = None, name: str = ""
) -> dict[str, list[Node]]:
    """Nodes captured by the patterns of `text`, in source order: in the matches that hold an occurrence of `name`
    in `source` (matched in Python, scan/pattern.py: no query to compile), or, without a name, in the whole tree
    (a query compiled on first need, once per grammar: a Python walk of every node would cost more than it saves)."""
    if source is not None and name:
        found: dict[str, dict[Node, None]] = {}
        for _index, _node, captures in around(patterns_of(text), nodes_at(root, source, (name.encode(),))):
            for capture, nodes in captures.items():
                found.setdefault(capture, {}).update(dict.fromkeys(nodes))
        captured = {capture: list(nodes) for capture, nodes in found.items()}
    else:
        key = (id(grammar), text)
        query = _QUERIES.get(key)
        if query is None:
            query = _QUERIES[key] = Query(grammar, text)
        captured = QueryCursor(query).captures(root)
    for nodes in captured.values():
        nodes.sort(key=lambda n: n.start_byte)
    return captured


@dataclass
class Declared:
    """What a declarations query read: the adapter files each declaration here, `remember` keeps what is sure."""

    nodes: tuple[Node, ...]  # the `@decl` then the `@add` captures
    only: str | None  # the one name to keep (None: every name, after a whole-tree read)
    typed: dict[str, list[str | None]] = field(default_factory=dict)  # name -> receiver path per declaration
    locals: dict[str, list[Local]] = field(default_factory=dict)
    inits: dict[str, list[Node | None]] = field(default_factory=dict)
    adds: dict[str, list[Node]] = field(default_factory=dict)  # name -> `name.addProperty(…)` calls


def declarations_around(grammar: Language, ctx: FileContext, text: str, name: str) -> Declared | None:
    """The `@decl` / `@add` captures of a declarations query that may concern `name` (the matches around its
    occurrences); or, once, for a tree with syntax errors (a missing identifier spans no text), every capture, with
    every name kept. None when there is nothing (more) to read."""
    st = state(ctx)
    root = ctx.root
    if root is None or st.get("complete"):
        return None
    only: str | None = name
    if root.has_error:
        st["complete"] = True
        captured, only = collect(grammar, root, text), None
    elif not name:
        return None
    else:
        captured = collect(grammar, root, text, ctx.source, name)
    return Declared((*captured.get("decl", ()), *captured.get("add", ())), only)


def remember(ctx: FileContext, read: Declared) -> None:
    """File what was read about the names (only `read.only` when set: declarations of other names may have been
    read in part): a name's receiver path when all its declarations agree, its initializer when it is bound once."""
    found, locals_, adds, only = read.typed, read.locals, read.adds, read.only
    if only is not None:
        found = {only: found[only]} if only in found else {}
        locals_ = {only: locals_[only]} if only in locals_ else {}
        adds = {only: adds[only]} if only in adds else {}
    st = state(ctx)
    merged = merge_names(found)
    cast("dict[str, str | None]", st["typed"]).update(merged)
    cast("dict[str, list[Local]]", st["locals"]).update(locals_)
    cast("dict[str, list[Node]]", st["adds"]).update(adds)
    for name, path in merged.items():
        init_list = read.inits.get(name, [])
        ctx.bindings[name] = init_list[0] if path == f"=init:{name}" and len(init_list) == 1 else None


@functools.cache
def any_of(names: frozenset[str]) -> str:
    """A query predicate argument list: `"addProperty" "put"`."""
    return " ".join(f'"{n}"' for n in sorted(names)) or '"-"'


def is_sdk_path(path: str, language: str) -> bool:
    """The path came from an SDK type of `types:` (`Braze` -> `Braze.getInstance()`)."""
    return path in platform_data(language).types.values()


class UnknownKey(Exception):
    """A properties builder got a key that is not a literal: the object's keys are not all known."""


Local = tuple[int, str | None, Node | None]  # a local's start byte, declared type (or "=init:name"), initializer


class LocalShadowing:
    """For typed languages: a local declared once in the enclosing function wins over members of the same name.

    Adapters list their function-like node types in FUNCTION_NODES and provide `_path` (the receiver path of
    an initializer) and `_declarations(ctx, name)`, which reads the declarations of one name (with
    `declarations_around`) and files them with `remember`: the "typed" (name -> receiver path), "locals"
    (name -> [Local]) and "adds" (name -> `name.addProperty(…)` calls) states, and `ctx.bindings`. A name's
    declarations are read the first time its binding is looked up.
    """

    FUNCTION_NODES: frozenset[str] = frozenset()

    def _declarations(self, ctx: FileContext, name: str) -> None:
        raise NotImplementedError

    def _defer_declarations(self, ctx: FileContext) -> None:
        st = state(ctx)
        st["typed"], st["locals"], st["adds"] = {}, {}, {}
        ctx.bindings = Lazy(ctx, lambda context, name: self._declarations(context, name))

    @staticmethod
    def _read_declarations(ctx: FileContext, name: str) -> None:
        """The declarations of `name` are read with its binding: make sure they are."""
        ctx.bindings.get(name)

    def _path(self, node: Node, ctx: FileContext, depth: int) -> str:
        raise NotImplementedError

    def _local_declaration(self, node: Node | None, name: str, ctx: FileContext, depth: int) -> str | None:
        func = next((a for a in ancestors(node) if a.type in self.FUNCTION_NODES), None) if node is not None else None
        found = state(ctx).get("locals")
        if func is None or not isinstance(found, dict):
            return None
        hits = [d for d in found.get(name, ()) if func.start_byte <= d[0] < func.end_byte]
        if len(hits) != 1:
            return None
        _start, typed, init = hits[0]
        if typed is not None and not typed.startswith("=init:"):
            return str(typed)
        return self._path(init, ctx, depth + 1) if init is not None else None
