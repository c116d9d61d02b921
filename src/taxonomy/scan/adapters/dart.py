"""Dart (tree-sitter-dart): the Flutter plugin `BrazePlugin`.

The Dart grammar writes `a.b(c)` flat: a primary followed by sibling `selector` nodes (`.b`, then the argument
part). The query captures the selector holding the method as `@receiver`; the receiver path is read from the
siblings before it. Any name declared with a type listed under `types:` in rules/sdk/flutter.yaml (`BrazePlugin`: field,
local, parameter, getter), or bound to `BrazePlugin(...)`, reads as that type's receiver (`BrazePlugin()`); so do
`context.read<BrazePlugin>()`-style lookups.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from tree_sitter import Node, Query, QueryCursor

from taxonomy.scan.adapters.scopes import Scopes
from taxonomy.scan.records import Arg, Value, concat, negate
from taxonomy.scan.treesitter import FileContext, Lazy, TreeSitterAdapter, enclosing, node_text

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}
_ACCESS = ("unconditional_assignable_selector", "conditional_assignable_selector")
_QUOTES = {"'", '"', "'''", '"""', "r'", 'r"', "r'''", 'r"""'}
_MAX_DEPTH = 12


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text) if "\\" in text else text


def _access_name(selector: Node) -> str | None:
    """`x` of a `.x` / `?.x` selector, else None."""
    for child in selector.named_children:
        if child.type in _ACCESS:
            ident = next((c for c in child.named_children if c.type == "identifier"), None)
            return node_text(ident) if ident is not None else None
    return None


def _argument_part(selector: Node) -> Node | None:
    return next((c for c in selector.named_children if c.type == "argument_part"), None)


def _typed(node: Node, ctx: FileContext) -> str | None:
    """The receiver a declaration's type stands for (`BrazePlugin` -> `BrazePlugin()`, rules/sdk `types:`)."""
    for child in node.named_children:
        if child.type == "type_identifier" and ctx.text(child) in ctx.modules:
            return ctx.modules[ctx.text(child)]
    return None


def _is_datetime(text: str) -> bool:
    compact = text.replace(" ", "").removeprefix("new").removeprefix("const")
    return compact.startswith(("DateTime.now(", "DateTime(", "DateTime.utc(", "DateTime.parse("))


def _class_prefix(node: Node) -> str:
    """`Events.` for a static constant declared in `class Events`."""
    current = node.parent
    while current is not None and current.type != "class_definition":
        current = current.parent
    name = current.child_by_field_name("name") if current is not None else None
    return f"{node_text(name)}." if name is not None else ""


def _scope(node: Node) -> Node | None:
    """The node whose range a declaration is visible in (None: the whole file)."""
    if node.type == "formal_parameter":  # parameters: the function body that follows the signature
        current: Node | None = node
        while current is not None and current.type not in ("function_expression", "class_body", "program"):
            body = current.next_named_sibling
            if body is not None and body.type == "function_body":
                return body
            current = current.parent
        return current
    current = node.parent
    while current is not None and current.type not in ("block", "class_body", "function_expression", "program"):
        current = current.parent
    return None if current is None or current.type == "program" else current


_BINDERS = frozenset(("static_final_declaration", "initialized_identifier", "initialized_variable_definition",
                      "formal_parameter", "getter_signature"))  # fmt: skip
_CONSTANTS = frozenset(("static_final_declaration", "enum_declaration"))
# Never hold a top-level or member declaration (locals are `initialized_variable_definition`s): not walked.
_NO_MEMBERS = frozenset(("function_body", "function_signature", "import_or_export", "type_arguments", "comment"))


def _source_order(node: Node) -> tuple[int, int]:
    """Declarations are read in source order (a constant may use the ones above it; the query's own capture
    order is not stable from one run to the next)."""
    return node.start_byte, -node.end_byte


def _constant_sites(root: Node) -> list[Node]:
    """Static finals and enums, in source order, found without walking into function bodies and signatures
    (most of a file; the parse has no syntax errors, so nothing declared there is a member)."""
    out: list[Node] = []
    cursor = root.walk()
    while True:
        node = cursor.node
        kind = node.type if node is not None else ""
        if kind in _CONSTANTS:
            out.append(node)  # type: ignore[arg-type]
        if kind not in _NO_MEMBERS and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


class DartAdapter(TreeSitterAdapter):
    language = "dart"
    query_name = "dart"

    def __init__(self) -> None:
        self._sequences: dict[int, list[Node]] = {}  # initializer's first node -> the whole initializer
        self._scopes = Scopes()

    def load_grammar(self) -> Any:
        import tree_sitter_dart

        return tree_sitter_dart.language()

    # --- declarations -----------------------------------------------------------------------------------------
    @functools.cached_property
    def _declarations_query(self) -> Query:
        kinds = ("static_final_declaration", "initialized_identifier", "initialized_variable_definition",
                 "formal_parameter", "getter_signature", "enum_declaration")  # fmt: skip
        return Query(self.grammar, "[" + " ".join(f"({k})" for k in kinds) + "] @decl")

    def prepare(self, root: Node, ctx: FileContext) -> None:
        """Constants (static / top-level `const` and `final`, enums) now; what a name stands for (its declared type,
        its initializer) only when a receiver or an argument uses it."""
        self._sequences = {}
        self._scopes = Scopes()
        every: list[Node] | None = None
        if root.has_error:  # a missing identifier spans no text: take every declaration the query finds
            every = sorted(QueryCursor(self._declarations_query).captures(root).get("decl", ()), key=_source_order)
        folded: set[tuple[int, int]] = set()  # static finals that became constants (never bindings)
        for node in every if every is not None else _constant_sites(root):
            if node.type == "enum_declaration":
                self._enum(node, ctx)
            elif node.type == "static_final_declaration":
                name_node = node.child_by_field_name("name") or next(
                    (c for c in node.named_children if c.type == "identifier"), None
                )
                value = self._initializer(node, name_node) if name_node is not None else None
                if name_node is None or not value:
                    continue
                found = self._seq_value(value, ctx, 0)  # the constants read so far; no name is bound yet
                if found.type in ("string", "integer", "float", "boolean"):
                    name = ctx.text(name_node)
                    ctx.constants[f"{_class_prefix(node)}{name}"] = found
                    ctx.exported[f"{_class_prefix(node)}{name}"] = found  # Dart imports whole libraries
                    folded.add((node.start_byte, node.end_byte))
        loaded: set[str] = set()

        def load(context: FileContext, name: str) -> None:  # one load fills both tables
            if name not in loaded:
                loaded.add(name)
                self._bind(name, context, every, folded)

        ctx.aliases = Lazy(ctx, load)
        ctx.bindings = Lazy(ctx, load)

    def _bind(self, name: str, ctx: FileContext, every: list[Node] | None, folded: set[tuple[int, int]]) -> None:
        """What `name` stands for: the receiver of its declared type (`BrazePlugin braze`), else its initializer
        when it is declared once (the innermost declaration around a use when declared more than once)."""
        declared: dict[str, list[list[Node] | None]] = {}
        if every is None:
            assert ctx.root is not None
            nodes = sorted(enclosing(ctx.root, ctx.source, name, _BINDERS), key=_source_order)
        else:
            nodes = [n for n in every if n.type != "enum_declaration"]
        for node in nodes:
            kind = node.type
            if kind in ("static_final_declaration", "initialized_identifier", "initialized_variable_definition"):
                name_node = node.child_by_field_name("name") or next(
                    (c for c in node.named_children if c.type == "identifier"), None
                )
                if name_node is None or ctx.text(name_node) != name:
                    continue
                holder = node.parent.parent if node.parent is not None else None
                typed = _typed(node, ctx) or (_typed(holder, ctx) if holder is not None else None)
                if typed is not None:
                    ctx.aliases[name] = typed
                if (node.start_byte, node.end_byte) in folded and kind == "static_final_declaration":
                    continue
                self._declare(name, node, self._initializer(node, name_node), declared, ctx)
            elif kind == "formal_parameter":
                name_node = node.child_by_field_name("name")
                if name_node is not None and ctx.text(name_node) == name:
                    if (typed := _typed(node, ctx)) is not None:
                        ctx.aliases[name] = typed
                    else:  # `FakeBraze braze` reads as `FakeBraze()`; an untyped parameter as itself
                        type_node = next((c for c in node.named_children if c.type == "type_identifier"), None)
                        self._declare(name, node, [type_node] if type_node else None, declared, ctx)
            elif kind == "getter_signature" and (typed := _typed(node, ctx)) is not None:
                name_node = node.child_by_field_name("name")
                if name_node is not None and ctx.text(name_node) == name:
                    ctx.aliases[name] = typed
        inits = declared.get(name)
        if inits and name not in ctx.aliases:
            init = inits[0] if len(inits) == 1 else None
            ctx.bindings[name] = init[0] if init else None

    def _declare(
        self,
        name: str,
        node: Node,
        value: list[Node] | None,
        declared: dict[str, list[list[Node] | None]],
        ctx: FileContext,
    ) -> None:
        declared.setdefault(name, []).append(value)
        if value:
            self._sequences[id(value[0])] = value
        self._scopes.add(name, _scope(node), value[0] if value else None, len(ctx.source))

    def _initializer(self, node: Node, name_node: Node) -> list[Node] | None:
        """The nodes after `=` (a primary and its selectors), or None."""
        children = node.children
        after = [c for c in children if c.start_byte >= name_node.end_byte]
        if not after or after[0].type != "=":
            return None
        return [c for c in after[1:] if c.is_named and c.type != "comment"] or None

    def _enum(self, node: Node, ctx: FileContext) -> None:
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name is None or body is None:
            return
        for constant in body.named_children:
            if constant.type == "enum_constant":
                ident = next((c for c in constant.named_children if c.type == "identifier"), None)
                if ident is not None:  # `Ev.signedUp.name` is "signedUp"
                    value = Value("string", ctx.text(ident))
                    ctx.constants[f"{ctx.text(name)}.{ctx.text(ident)}.name"] = value
                    ctx.exported[f"{ctx.text(name)}.{ctx.text(ident)}.name"] = value

    # --- hooks -------------------------------------------------------------------------------------------------
    def receiver_path(self, node: Node, ctx: FileContext, depth: int = 0) -> str:
        """`node` is the selector holding the method (or a cascade section): the receiver is what precedes it."""
        parts: list[Node] = []
        sibling = node.prev_named_sibling
        cascade = node.type == "cascade_section"
        while sibling is not None and (sibling.type == "selector" or (cascade and sibling.type == "cascade_section")):
            if sibling.type == "selector":
                parts.append(sibling)
            sibling = sibling.prev_named_sibling
        if sibling is None:
            return "?"
        parts.append(sibling)
        return self._path(list(reversed(parts)), ctx, depth)

    def _path(self, seq: list[Node], ctx: FileContext, depth: int) -> str:
        if depth > _MAX_DEPTH or not seq:
            return "?"
        primary = seq[0]
        if primary.type == "identifier":
            name = ctx.text(primary)
            if name in ctx.aliases:
                path = ctx.aliases[name]
            elif name in ctx.bindings:
                init: Node | str | None = ctx.bindings[name]
                if init is None:  # declared more than once: the innermost declaration around this use
                    _found, init = self._scopes.resolve(name, primary)
                if isinstance(init, str):
                    path = init
                elif init is None:
                    path = name
                else:
                    path = self._path(self._sequences.get(id(init), [init]), ctx, depth + 1)
            else:
                path = name
        elif primary.type == "type_identifier":
            path = f"{ctx.text(primary)}()"
        elif primary.type == "this":
            path = "this"
        elif primary.type in ("new_expression", "const_object_expression"):
            typed = _typed(primary, ctx)
            path = typed if typed is not None else "new()"
        elif primary.type == "parenthesized_expression" and primary.named_child_count:
            path = self._path(list(primary.named_children), ctx, depth + 1)
        else:
            return "?"
        for selector in seq[1:]:
            if selector.type != "selector":
                return "?"
            access = _access_name(selector)
            if access is not None:
                path = f"{path}.{access}"
                continue
            part = _argument_part(selector)
            if part is not None:
                types = next((c for c in part.named_children if c.type == "type_arguments"), None)
                type_name = ctx.text(types).strip("<>?") if types is not None else ""
                if type_name in ctx.modules:
                    path = ctx.modules[type_name]  # context.read<BrazePlugin>(), GetIt.I<BrazePlugin>()
                elif path in ctx.modules:
                    path = ctx.modules[path]  # BrazePlugin(...)
                else:
                    path += "()"
            elif "[" in ctx.text(selector):
                path += "[]"
            # `!` (null assertion) changes nothing
        return path

    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        out: list[Arg] = []
        for child in node.named_children:
            if child.type == "argument":
                out.append(Arg(None, self._seq_value(list(child.named_children), ctx, 0)))
            elif child.type == "named_argument":
                label = next((c for c in child.named_children if c.type == "label"), None)
                rest = [c for c in child.named_children if c.type not in ("label", "comment")]
                name = label.named_children[0] if label is not None and label.named_child_count else None
                out.append(Arg(ctx.text(name) if name is not None else None, self._seq_value(rest, ctx, 0)))
        return tuple(out)

    def value(self, node: Node, ctx: FileContext, depth: int = 0) -> Value:
        return self._seq_value([node], ctx, depth)

    def _seq_value(self, seq: list[Node], ctx: FileContext, depth: int) -> Value:
        seq = [n for n in seq if n.type != "comment"]
        if not seq:
            return Value.dynamic("")
        text = ctx.source[seq[0].start_byte : seq[-1].end_byte].decode("utf-8", "replace")
        if depth > _MAX_DEPTH:
            return Value.dynamic(text)
        node = seq[0]
        kind = node.type
        if len(seq) > 1:
            names = [_access_name(s) if s.type == "selector" else None for s in seq[1:]]
            if kind == "identifier" and all(names):
                return self._name(".".join([ctx.text(node), *map(str, names)]), text, ctx)
            if _is_datetime(text):
                return Value("time", expr=text)
            return Value.dynamic(text)
        if kind == "string_literal":
            return self._string(node, ctx, depth)
        if kind == "new_expression" and _is_datetime(text):  # new DateTime.now()
            return Value("time", expr=text)
        if kind in ("decimal_integer_literal", "hex_integer_literal"):
            try:
                return Value("integer", int(ctx.text(node), 0))
            except ValueError:
                return Value.dynamic(text)
        if kind == "decimal_floating_point_literal":
            try:
                return Value("float", float(ctx.text(node)))
            except ValueError:
                return Value.dynamic(text)
        if kind in ("true", "false"):
            return Value("boolean", kind == "true")
        if kind == "null_literal":
            return Value("null")
        if kind == "unary_expression" and text.startswith("-"):
            inner = self._seq_value(node.named_children[-1:], ctx, depth + 1)
            return negate(inner, text)
        if kind == "set_or_map_literal":
            entries: list[tuple[str, Value]] = []
            for pair in node.named_children:
                if pair.type != "pair":
                    continue
                keys = pair.children_by_field_name("key")
                values = pair.children_by_field_name("value")
                key = self._seq_value(keys, ctx, depth + 1)
                if key.type == "string" and values:
                    entries.append((str(key.literal), self._seq_value(values, ctx, depth + 1)))
            return Value("object", expr=text, keys=tuple(entries), pos=ctx.column(node))
        if kind == "list_literal":
            items = tuple(
                self._seq_value([c], ctx, depth + 1)
                for c in node.named_children
                if c.type not in ("comment", "type_arguments")
            )
            return Value("array", expr=text, items=items)
        if kind == "additive_expression" and node.named_child_count == 3:
            left, op, right = node.named_children
            if ctx.text(op) == "+":
                return concat(self._seq_value([left], ctx, depth + 1), self._seq_value([right], ctx, depth + 1), text)
            return Value.dynamic(text)
        if kind == "parenthesized_expression" and node.named_child_count:
            return self._seq_value(list(node.named_children), ctx, depth + 1)
        if kind == "identifier":
            return self._name(ctx.text(node), text, ctx)
        return Value.dynamic(text)

    def _name(self, name: str, text: str, ctx: FileContext) -> Value:
        if name.startswith("this."):
            name = name[5:]
        if name in ctx.constants:
            found = ctx.constants[name]
            return Value(found.type, found.literal, text)
        root = name.split(".", 1)[0]
        if root in ctx.bindings or root in ctx.aliases:
            return Value.dynamic(text)
        return Value("ref", expr=text, ref=name)

    def _string(self, node: Node, ctx: FileContext, depth: int) -> Value:
        parts: list[Value] = []
        pos = node.start_byte
        inside = False
        raw = False
        for child in node.children:
            if inside and child.start_byte > pos:
                chunk = ctx.source[pos : child.start_byte].decode("utf-8", "replace")
                parts.append(Value("string", chunk))
            if not child.is_named and ctx.text(child) in _QUOTES:
                inside = not inside
                raw = ctx.text(child).startswith("r") if inside else raw
            elif child.type == "escape_sequence" and not raw:
                parts.append(Value("string", _unescape(ctx.text(child))))
            elif child.type == "template_substitution":
                inner = [c for c in child.named_children if c.type != "comment"]
                if len(inner) == 1 and inner[0].type == "identifier_dollar_escaped":
                    parts.append(self._name(ctx.text(inner[0]), ctx.text(child), ctx))
                else:
                    parts.append(self._seq_value(inner, ctx, depth + 1))
            pos = child.end_byte
        if all(p.type == "string" for p in parts):
            return Value("string", "".join(str(p.literal) for p in parts))
        result = Value("string", "")
        for part in parts:
            result = concat(result, part, ctx.text(node))
        return result


DART = DartAdapter()
