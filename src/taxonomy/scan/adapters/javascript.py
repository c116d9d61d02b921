"""JavaScript, TypeScript, JSX and TSX (tree-sitter-javascript / tree-sitter-typescript)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, cast

from tree_sitter import Node, Query, QueryCursor

from taxonomy.scan.adapters.common import state
from taxonomy.scan.pattern import captured_at, patterns_of
from taxonomy.scan.records import Arg, Value, concat
from taxonomy.scan.treesitter import FileContext, TreeSitterAdapter, node_text, nodes_at

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}
_WRAPPERS = {
    "parenthesized_expression",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "type_assertion",
    "await_expression",
}
_DECLARATIONS = {"lexical_declaration", "variable_declaration"}
_MAX_DEPTH = 12


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _unwrap(node: Node) -> Node:
    while node.type in _WRAPPERS and node.named_child_count:
        inner = node.named_children[0] if node.type != "await_expression" else node.named_children[-1]
        if node.type == "type_assertion":
            inner = node.named_children[-1]
        node = inner
    return node


def _string(node: Node) -> str:
    parts = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(node_text(child))
        elif child.type == "escape_sequence":
            parts.append(_unescape(node_text(child)))
    return "".join(parts)


def dotted(node: Node) -> str | None:
    """`a.b.c` for a chain of plain member accesses, else None (iterative: chains may be very long)."""
    parts: list[str] = []
    current: Node | None = _unwrap(node)
    while current is not None and current.type == "member_expression":
        prop = current.child_by_field_name("property")
        obj = current.child_by_field_name("object")
        if prop is None or obj is None or len(parts) > _MAX_DEPTH:
            return None
        parts.append(node_text(prop))
        current = _unwrap(obj)
    if current is None or current.type not in ("identifier", "this", "property_identifier", "type_identifier"):
        return None
    parts.append(node_text(current))
    return ".".join(reversed(parts))


class JavaScriptAdapter(TreeSitterAdapter):
    query_name = "javascript"

    def __init__(self, language: str, grammar: str) -> None:
        self.language = language
        self._grammar_name = grammar
        self._binding_query: Query | None = None  # compiled for the first tree with syntax errors

    def load_grammar(self) -> Any:
        if self._grammar_name == "javascript":
            import tree_sitter_javascript

            return tree_sitter_javascript.language()
        import tree_sitter_typescript

        if self._grammar_name == "tsx":
            return tree_sitter_typescript.language_tsx()
        return tree_sitter_typescript.language_typescript()

    # --- declarations -----------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        for statement in root.named_children:
            exported = statement.type == "export_statement"
            node = statement
            if exported:
                inner = statement.child_by_field_name("declaration") or statement.child_by_field_name("value")
                if inner is None:
                    continue
                node = inner
            if node.type == "import_statement":
                self._import(node, ctx)
            elif node.type in _DECLARATIONS:
                for declarator in node.named_children:
                    if declarator.type == "variable_declarator":
                        self._constant(declarator, ctx, exported)
            elif node.type == "enum_declaration":
                self._enum(node, ctx)
        # Local bindings anywhere in the file, for receiver substitution (`const user = braze.getUser()`).
        self._bindings(root, ctx)

    def _import(self, node: Node, ctx: FileContext) -> None:
        source = node.child_by_field_name("source")
        module = _string(source) if source is not None else ""
        receiver = ctx.modules.get(module)
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None:
            return
        for child in clause.named_children:
            if child.type == "identifier":  # default import
                ctx.imported[ctx.text(child)] = module
                if receiver:
                    ctx.aliases[ctx.text(child)] = receiver
            elif child.type == "namespace_import":
                for ident in child.named_children:
                    ctx.imported[ctx.text(ident)] = module
                    if receiver:
                        ctx.aliases[ctx.text(ident)] = receiver
            elif child.type == "named_imports":
                for spec in child.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if name is None or alias is None:
                        continue
                    ctx.imported[ctx.text(alias)] = module
                    if receiver:
                        ctx.functions[ctx.text(alias)] = (receiver, ctx.text(name))

    def _constant(self, declarator: Node, ctx: FileContext, exported: bool) -> None:
        name_node = declarator.child_by_field_name("name")
        value_node = declarator.child_by_field_name("value")
        if name_node is None or value_node is None or name_node.type != "identifier":
            return
        name = ctx.text(name_node)
        inner = _unwrap(value_node)
        if inner.type == "call_expression":  # const braze = require("@braze/web-sdk")
            func = inner.child_by_field_name("function")
            args = inner.child_by_field_name("arguments")
            if func is not None and ctx.text(func) == "require" and args is not None and args.named_child_count:
                first = args.named_children[0]
                if first.type == "string" and _string(first) in ctx.modules:
                    ctx.aliases[name] = ctx.modules[_string(first)]
            return
        value = self.value(inner, ctx)
        if value.type in ("dynamic", "ref", "concat"):
            return
        self._record(name, value, ctx, exported)

    def _record(self, name: str, value: Value, ctx: FileContext, exported: bool) -> None:
        ctx.constants[name] = value
        ctx.exported[name] = value  # any top-level constant may be imported elsewhere (ES or CommonJS)
        for key, member in value.keys:  # exported objects: Events.SIGNED_UP
            if member.type == "string":
                ctx.constants[f"{name}.{key}"] = member
                ctx.exported[f"{name}.{key}"] = member

    def _enum(self, node: Node, ctx: FileContext) -> None:
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name_node is None or body is None:
            return
        name = ctx.text(name_node)
        for member in body.named_children:
            if member.type == "enum_assignment":
                key = member.child_by_field_name("name")
                val = member.child_by_field_name("value")
                if key is not None and val is not None:
                    value = self.value(val, ctx)
                    if value.type == "string":
                        ctx.constants[f"{name}.{ctx.text(key)}"] = value
                        ctx.exported[f"{name}.{ctx.text(key)}"] = value

    def _bindings(self, root: Node, ctx: FileContext) -> None:
        """A named import is not the SDK's where a declaration or a parameter of the same name shadows it
        (`function f(logCustomEvent) { logCustomEvent(x) }`). Other names are looked up when a receiver needs them."""
        if not ctx.need_calls:
            return
        for key in list(ctx.functions):
            declared, _init, parameter = self._declaration(key, ctx)
            if declared or parameter:
                ctx.functions.pop(key, None)

    def _declaration(self, name: str, ctx: FileContext) -> tuple[bool, Node | None, bool]:
        """(declared anywhere in the file, its initializer when declared once and never a parameter, a parameter).
        The binding patterns are matched only at the name's occurrences, so a receiver costs what its name's uses
        cost; in a tree with syntax errors (a missing identifier spans no text) a query runs once over the tree."""
        cache = cast("dict[str, tuple[bool, Node | None, bool]]", state(ctx).setdefault("declarations", {}))
        found = cache.get(name)
        if found is not None:
            return found
        assert ctx.root is not None
        if name and not ctx.root.has_error:
            cache.update(self._declared(ctx, name))
        elif not state(ctx).get("all_declared"):
            state(ctx)["all_declared"] = True
            cache.update(self._declared(ctx, None))
        return cache.setdefault(name, (False, None, False))

    def _declared(self, ctx: FileContext, only: str | None) -> dict[str, tuple[bool, Node | None, bool]]:
        """What the binding patterns find for each name (`only`: that one, at its occurrences; None: every name, in
        the whole tree)."""
        inits: dict[str, list[Node | None]] = {}
        parameters: set[str] = set()
        seen: set[tuple[int, int]] = set()  # (a node at two occurrences is found twice)
        assert ctx.root is not None
        matches: Iterable[tuple[int, dict[str, list[Node]]]]
        if only is None:
            if self._binding_query is None:
                self._binding_query = Query(self.grammar, self._binding_text)
            matches = QueryCursor(self._binding_query).matches(ctx.root)
        else:
            patterns = patterns_of(self._binding_text)
            nodes = nodes_at(ctx.root, ctx.source, (only.encode(),))
            matches = [found for node in nodes for capture in ("name", "param")
                       for found in captured_at(patterns, node, capture)]  # fmt: skip
        for index, captures in matches:
            for node in captures.get("name", ()) or captures.get("param", ()):
                text = ctx.text(node)
                if (only is not None and text != only) or (index, node.start_byte) in seen:
                    continue
                seen.add((index, node.start_byte))
                if "name" in captures:
                    values = captures.get("value")
                    inits.setdefault(text, []).append(values[0] if values else None)
                else:
                    parameters.add(text)
        out: dict[str, tuple[bool, Node | None, bool]] = {}
        for key in inits.keys() | parameters:
            bound = inits.get(key, [])
            # one declaration: substitute it; several, or also a parameter somewhere: ambiguous, keep the name
            out[key] = (bool(bound), bound[0] if len(bound) == 1 and key not in parameters else None,
                        key in parameters)  # fmt: skip
        return out

    @functools.cached_property
    def _binding_text(self) -> str:
        patterns = [
            "(variable_declarator name: (identifier) @name value: (_)? @value)",
            "(function_declaration name: (identifier) @param)",
            "(arrow_function parameter: (identifier) @param)",
        ]
        if self._grammar_name == "javascript":
            patterns.append("(formal_parameters (identifier) @param)")
        else:
            patterns.append("(required_parameter pattern: (identifier) @param)")
            patterns.append("(optional_parameter pattern: (identifier) @param)")
        return "\n".join(patterns)

    # --- hooks -------------------------------------------------------------------------------------------------
    def receiver_path(self, node: Node, ctx: FileContext, depth: int = 0) -> str:
        node = _unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return "?"
        if kind == "identifier":
            name = ctx.text(node)
            if name in ctx.aliases:
                return ctx.aliases[name]
            _declared, init, _parameter = self._declaration(name, ctx)
            if init is None:
                return name
            return self.receiver_path(init, ctx, depth + 1)
        if kind == "this":
            return "this"
        if kind == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is None or prop is None:
                return "?"
            return f"{self.receiver_path(obj, ctx, depth + 1)}.{ctx.text(prop)}"
        if kind == "call_expression":
            func = node.child_by_field_name("function")
            return f"{self.receiver_path(func, ctx, depth + 1)}()" if func is not None else "?"
        if kind == "subscript_expression":
            obj = node.child_by_field_name("object")
            return f"{self.receiver_path(obj, ctx, depth + 1)}[]" if obj is not None else "?"
        if kind == "new_expression":
            return "new " + ctx.text(node.child_by_field_name("constructor") or node).replace(".", "_") + "()"
        return "?"

    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        return tuple(Arg(None, self.value(child, ctx)) for child in node.named_children if child.type != "comment")

    def value(self, node: Node, ctx: FileContext, depth: int = 0) -> Value:
        node = _unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return Value.dynamic(ctx.text(node))
        if kind == "string":
            return Value("string", _string(node))
        if kind == "template_string":
            return self._template(node, ctx, depth)
        if kind == "number":
            text = ctx.text(node).replace("_", "")
            try:
                return Value("integer", int(text, 0))
            except ValueError:
                try:
                    return Value("float", float(text), expr=None)
                except ValueError:
                    return Value("float", None, expr=text)
        if kind in ("true", "false"):
            return Value("boolean", kind == "true")
        if kind in ("null", "undefined"):
            return Value("null", expr=None)
        if kind == "object":
            return self._object(node, ctx, depth)
        if kind == "array":
            return Value(
                "array",
                expr=ctx.text(node),
                items=tuple(self.value(c, ctx, depth + 1) for c in node.named_children if c.type != "comment"),
            )
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and ctx.text(op) == "+":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if left is not None and right is not None:
                    return concat(self.value(left, ctx, depth + 1), self.value(right, ctx, depth + 1), ctx.text(node))
            return Value.dynamic(ctx.text(node))
        if kind in ("identifier", "member_expression"):
            name = dotted(node)
            if name is None:
                return Value.dynamic(ctx.text(node))
            if name in ctx.constants:
                found = ctx.constants[name]
                return Value(found.type, found.literal, ctx.text(node), found.keys, found.items)
            root = name.split(".", 1)[0]
            if root in ctx.imported:
                return Value("ref", expr=ctx.text(node), ref=name)
            if root == "undefined":
                return Value("null")
            return Value.dynamic(ctx.text(node))
        if kind == "new_expression":
            ctor = node.child_by_field_name("constructor")
            if ctor is not None and ctx.text(ctor) == "Date":
                return Value("time", expr=ctx.text(node))
        return Value.dynamic(ctx.text(node))

    def _template(self, node: Node, ctx: FileContext, depth: int) -> Value:
        parts: list[Value] = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(Value("string", ctx.text(child)))
            elif child.type == "escape_sequence":
                parts.append(Value("string", _unescape(ctx.text(child))))
            elif child.type == "template_substitution" and child.named_child_count:
                parts.append(self.value(child.named_children[0], ctx, depth + 1))
        if all(p.type == "string" for p in parts):
            return Value("string", "".join(str(p.literal) for p in parts))
        result = Value("string", "")
        for part in parts:
            result = concat(result, part, ctx.text(node))
        return result

    def _object(self, node: Node, ctx: FileContext, depth: int) -> Value:
        entries: list[tuple[str, Value]] = []
        places: list[tuple[int, int]] = []
        for child in node.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                val = child.child_by_field_name("value")
                if key is None or val is None:
                    continue
                if key.type in ("property_identifier", "number"):
                    name: str | None = ctx.text(key)
                elif key.type == "string":
                    name = _string(key)
                elif key.type == "computed_property_name" and key.named_child_count:
                    computed = self.value(key.named_children[0], ctx, depth + 1)
                    name = computed.literal if computed.type == "string" else None  # type: ignore[assignment]
                else:
                    name = None
                if name is not None:
                    entries.append((name, self.value(val, ctx, depth + 1)))
                    places.append(ctx.column(key))
            elif child.type == "shorthand_property_identifier":
                entries.append((ctx.text(child), Value.dynamic(ctx.text(child))))
                places.append(ctx.column(child))
        return Value("object", expr=ctx.text(node), keys=tuple(entries), pos=ctx.column(node), key_pos=tuple(places))


JAVASCRIPT = JavaScriptAdapter("javascript", "javascript")
TYPESCRIPT = JavaScriptAdapter("typescript", "typescript")
TSX = JavaScriptAdapter("typescript", "tsx")
