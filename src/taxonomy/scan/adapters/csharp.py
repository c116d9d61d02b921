"""C# (tree-sitter-c-sharp): Unity (`AppboyBinding`) and .NET MAUI / Xamarin (`Braze.GetInstance(ctx)`,
`App.braze?.User`).

Receivers: the static class, the instance in a field / local / parameter (a declared type listed under `types:` in
rules/sdk/dotnet.yaml reads as that type's path), `?.` and `!` dropped. Properties: `new Dictionary<string, object>
{ {"k", v} }` / `{ ["k"] = v }`, and `new BrazeProperties().AddProperty(k, v)` chains. Moq `Setup(…)` / `Verify(…)`
and NSubstitute `Received()` are never call sites.
"""

from __future__ import annotations

import functools
from typing import Any

from tree_sitter import Node

from taxonomy.scan.adapters.common import (
    MAX_DEPTH,
    MAX_NESTING,
    LocalShadowing,
    UnknownKey,
    ancestors,
    any_of,
    declarations_around,
    in_mock,
    is_sdk_path,
    leading_identifier,
    number,
    platform_data,
    record_constant,
    remember,
    state,
    typed_path,
)
from taxonomy.scan.records import Arg, Value, concat, negate
from taxonomy.scan.treesitter import FileContext, TreeSitterAdapter, node_text, walk

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
_MOCK = "<mock>"
_TYPES = ("class_declaration", "struct_declaration", "interface_declaration", "record_declaration")


def _callee(node: Node) -> str | None:
    if node.type != "invocation_expression":
        return None
    func = node.child_by_field_name("function")
    if func is None:
        return None
    if func.type == "identifier":
        return node_text(func)
    name = func.child_by_field_name("name")
    if name is None and func.type == "conditional_access_expression" and func.named_child_count:
        name = func.named_children[-1].child_by_field_name("name")
    return node_text(name) if name is not None else None


def _unwrap(node: Node) -> Node:
    while True:
        if node.type == "parenthesized_expression" and node.named_child_count:
            node = node.named_children[-1]
        elif node.type == "postfix_unary_expression" and node.named_child_count and node_text(node).endswith("!"):
            node = node.named_children[0]
        elif node.type == "cast_expression" and node.child_by_field_name("value") is not None:
            node = node.child_by_field_name("value")  # type: ignore[assignment]
        elif node.type == "await_expression" and node.named_child_count:
            node = node.named_children[-1]
        else:
            return node


def _type_text(node: Node | None) -> str | None:
    if node is None or node.type == "implicit_type":
        return None
    if node.type == "nullable_type" and node.named_child_count:
        node = node.named_children[0]
    if node.type == "generic_name":
        return node_text(node).split("<", 1)[0] + "<>"
    return node_text(node).rsplit(".", 1)[-1]


def _initializer(declarator: Node) -> Node | None:
    seen = False
    for child in declarator.children:
        if child.type == "=":
            seen = True
        elif seen and child.is_named:
            return child
    return None


def _modifiers(node: Node) -> set[str]:
    return {node_text(c) for c in node.named_children if c.type == "modifier"}


class CSharpAdapter(LocalShadowing, TreeSitterAdapter):
    FUNCTION_NODES = frozenset(("method_declaration", "constructor_declaration", "local_function_statement"))
    language = "csharp"
    query_name = "csharp"

    def load_grammar(self) -> Any:
        import tree_sitter_c_sharp

        return tree_sitter_c_sharp.language()

    # --- declarations -----------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        self._defer_declarations(ctx)
        self._members(root, "", ctx)

    @functools.cached_property
    def declarations_text(self) -> str:
        """The patterns of what declares a name (`@decl`) or adds a property to it (`@add`)."""
        add_names = any_of(platform_data(self.language).builders.add)
        return (
            "[(variable_declaration) (parameter) (property_declaration)] @decl "
            "(invocation_expression function: (member_access_expression expression: (identifier) "
            f"name: (identifier) @m) (#any-of? @m {add_names})) @add"
        )

    def _declarations(self, ctx: FileContext, name: str) -> None:
        """The declarations of `name` (typed members and parameters, locals, calls that add a property to it): read on
        first need, around the name's occurrences (many candidate files never need any)."""
        read = declarations_around(self.grammar, ctx, self.declarations_text, name)
        if read is None:
            return
        for node in read.nodes:
            if node.type == "variable_declaration":
                type_text = _type_text(node.child_by_field_name("type"))
                for decl in node.named_children:
                    name_node = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
                    if name_node is None:
                        continue
                    name = ctx.text(name_node)
                    init = _initializer(decl)
                    read.inits.setdefault(name, []).append(init)
                    typed = typed_path(type_text, name, self.language)
                    if init is not None and (typed is None or not is_sdk_path(typed, self.language)):
                        typed = f"=init:{name}"
                    read.typed.setdefault(name, []).append(typed)
                    read.locals.setdefault(name, []).append((node.start_byte, typed, init))
            elif node.type == "parameter" or node.type == "property_declaration":
                name_node = node.child_by_field_name("name")
                if name_node is not None:
                    name = ctx.text(name_node)
                    read.typed.setdefault(name, []).append(
                        typed_path(_type_text(node.child_by_field_name("type")), name, self.language)
                    )
            elif node.type == "invocation_expression":
                func = node.child_by_field_name("function")
                target = func.child_by_field_name("expression") if func is not None else None
                if target is not None and target.type == "identifier":
                    read.adds.setdefault(ctx.text(target), []).append(node)
        remember(ctx, read)

    def _members(self, container: Node, prefix: str, ctx: FileContext, level: int = 0) -> None:
        """Constants: `const` and `static readonly` fields of classes (nested ones too); namespaces are ignored."""
        if level > MAX_NESTING:
            return
        for node in container.named_children:
            kind = node.type
            if kind == "field_declaration":
                mods = _modifiers(node)
                if not ("const" in mods or {"static", "readonly"} <= mods) or not prefix:
                    continue
                decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
                for var in decl.named_children if decl is not None else []:
                    name_node = var.child_by_field_name("name") if var.type == "variable_declarator" else None
                    init = _initializer(var) if name_node is not None else None
                    if name_node is None or init is None:
                        continue
                    value = self.value(init, ctx)
                    if value.type in ("string", "integer", "float", "boolean"):
                        record_constant(ctx, f"{prefix}{ctx.text(name_node)}", value)
            elif kind in _TYPES:
                name_node = node.child_by_field_name("name")
                body = node.child_by_field_name("body")
                if name_node is not None and body is not None:
                    self._members(body, f"{prefix}{ctx.text(name_node)}.", ctx, level=level + 1)
            elif kind in ("namespace_declaration", "file_scoped_namespace_declaration", "declaration_list"):
                body = node.child_by_field_name("body")
                self._members(
                    body if body is not None and kind != "declaration_list" else node, prefix, ctx, level=level + 1
                )

    # --- receivers ----------------------------------------------------------------------------------------------
    def receiver_path(self, node: Node, ctx: FileContext) -> str:
        if in_mock(node, _callee) or _received(node):
            return _MOCK
        return self._path(node, ctx, 0)

    def _path(self, node: Node, ctx: FileContext, depth: int) -> str:
        node = _unwrap(node)
        if depth > MAX_DEPTH:
            return "?"
        kind = node.type
        if kind == "identifier":
            return self._name(node, ctx.text(node), ctx, depth)
        if kind == "this_expression" or kind == "this":
            return "this"
        if kind == "member_access_expression":
            expr = node.child_by_field_name("expression")
            name = node.child_by_field_name("name")
            if expr is None or name is None:
                return "?"
            if _unwrap(expr).type in ("this_expression", "this"):
                resolved = self._name(None, ctx.text(name), ctx, depth)
                return resolved if resolved != ctx.text(name) else f"this.{resolved}"
            return f"{self._path(expr, ctx, depth + 1)}.{ctx.text(name)}"
        if kind == "conditional_access_expression" and node.named_child_count >= 2:
            cond = node.child_by_field_name("condition") or node.named_children[0]
            binding = node.named_children[-1]
            name = binding.child_by_field_name("name") if binding.type == "member_binding_expression" else None
            if name is None:
                return "?"
            return f"{self._path(cond, ctx, depth + 1)}.{ctx.text(name)}"
        if kind == "invocation_expression":
            func = node.child_by_field_name("function")
            return f"{self._path(func, ctx, depth + 1)}()" if func is not None else "?"
        if kind == "element_access_expression":
            expr = node.child_by_field_name("expression")
            return f"{self._path(expr, ctx, depth + 1)}[]" if expr is not None else "?"
        if kind == "object_creation_expression":
            return f"new {_type_text(node.child_by_field_name('type'))}()"
        return "?"

    def _name(self, node: Node | None, name: str, ctx: FileContext, depth: int) -> str:
        if node is not None:
            for scope in ancestors(node):
                if scope.type == "lambda_expression":
                    params = [
                        ctx.text(p.child_by_field_name("name") or p) for p in walk(scope) if p.type == "parameter"
                    ]
                    first = scope.named_children[0] if scope.named_child_count else None
                    if first is not None and first.type == "identifier":
                        params = [ctx.text(first)]
                    if name in params:
                        return name  # a lambda parameter: unknown
                elif scope.type in ("method_declaration", "constructor_declaration", "local_function_statement"):
                    params_node = scope.child_by_field_name("parameters")
                    for param in params_node.named_children if params_node is not None else []:
                        declared = param.child_by_field_name("name")
                        if declared is not None and ctx.text(declared) == name:
                            type_text = _type_text(param.child_by_field_name("type"))
                            return typed_path(type_text, name, self.language) or name
        self._read_declarations(ctx, name)
        local = self._local_declaration(node, name, ctx, depth)
        if local is not None:
            return local
        typed = state(ctx).get("typed")
        path = typed.get(name) if isinstance(typed, dict) else None
        if path is not None and not str(path).startswith("=init:"):
            return str(path)
        init = ctx.bindings.get(name)
        if init is not None:
            return self._path(init, ctx, depth + 1)
        return name

    # --- arguments and values -----------------------------------------------------------------------------------
    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        out = []
        for arg in node.named_children:
            if arg.type != "argument" or not arg.named_child_count:
                continue
            label_node = arg.child_by_field_name("name")
            out.append(Arg(ctx.text(label_node) if label_node else None, self.value(arg.named_children[-1], ctx)))
        return tuple(out)

    def value(self, node: Node, ctx: FileContext, depth: int = 0) -> Value:
        try:
            return self._value(node, ctx, depth)
        except UnknownKey:  # a properties object with a computed key: its keys are unknown
            return Value.dynamic(ctx.text(node))

    def _value(self, node: Node, ctx: FileContext, depth: int) -> Value:
        node = _unwrap(node)
        kind = node.type
        text = ctx.text(node)
        if depth > MAX_DEPTH:
            return Value.dynamic(text)
        if kind == "string_literal":
            return Value("string", self._string(node))
        if kind == "verbatim_string_literal":
            return Value("string", text[2:-1].replace('""', '"'))
        if kind == "raw_string_literal":
            return Value("string", text.strip('"').strip("\n"))
        if kind == "character_literal":
            return Value("string", text[1:-1])
        if kind == "interpolated_string_expression":
            return self._interpolated(node, ctx, depth)
        if kind == "integer_literal" or kind == "real_literal":
            return number(text)
        if kind == "boolean_literal":
            return Value("boolean", text == "true")
        if kind == "null_literal":
            return Value("null")
        if kind == "prefix_unary_expression" and text.startswith("-") and node.named_child_count:
            inner = self.value(node.named_children[-1], ctx, depth + 1)
            return negate(inner, text)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if op is not None and ctx.text(op) == "+" and left is not None and right is not None:
                return concat(self.value(left, ctx, depth + 1), self.value(right, ctx, depth + 1), text)
            return Value.dynamic(text)
        if kind in ("identifier", "member_access_expression"):
            return self._reference(node, ctx, depth)
        if kind == "invocation_expression":
            return self._invocation(node, ctx, depth)
        if kind in ("object_creation_expression", "implicit_object_creation_expression"):
            return self._creation(node, ctx, depth)
        if kind in ("array_creation_expression", "implicit_array_creation_expression", "initializer_expression"):
            init = node if kind == "initializer_expression" else node.child_by_field_name("initializer")
            if init is None:
                init = next((c for c in node.named_children if c.type == "initializer_expression"), None)
            items = tuple(self.value(c, ctx, depth + 1) for c in init.named_children) if init is not None else ()
            return Value("array", expr=text, items=items)
        return Value.dynamic(text)

    @staticmethod
    def _string(node: Node) -> str:
        parts = []
        for child in node.named_children:
            if child.type == "string_literal_content":
                parts.append(node_text(child))
            elif child.type == "escape_sequence":
                esc = node_text(child)
                parts.append(_ESCAPES.get(esc[1:], esc[1:]) if len(esc) == 2 else esc)
        return "".join(parts)

    def _interpolated(self, node: Node, ctx: FileContext, depth: int) -> Value:
        result = Value("string", "")
        for child in node.named_children:
            if child.type == "string_content":
                part = Value("string", ctx.text(child))
            elif child.type == "escape_sequence":
                esc = ctx.text(child)
                part = Value("string", _ESCAPES.get(esc[1:], esc[1:]) if len(esc) == 2 else esc)
            elif child.type == "interpolation":
                inner = [c for c in child.named_children if c.type != "interpolation_brace"]
                part = self.value(inner[0], ctx, depth + 1) if inner else Value.dynamic(ctx.text(child))
            else:
                continue
            result = concat(result, part, ctx.text(node))
        return result

    def _reference(self, node: Node, ctx: FileContext, depth: int) -> Value:
        text = ctx.text(node)
        dotted = text.replace(" ", "")
        if not all(leading_identifier(seg) == seg for seg in dotted.split(".")):
            return Value.dynamic(text)
        builders = platform_data(self.language).builders
        if dotted in builders.times:
            return Value("time", expr=text)
        if dotted in ctx.constants:
            found = ctx.constants[dotted]
            return Value(found.type, found.literal, text, found.keys, found.items)
        if node.type == "identifier":
            init = ctx.bindings.get(dotted)
            if init is not None:
                value = self.value(init, ctx, depth + 1)
                if value.type == "object":
                    adds = state(ctx).get("adds")
                    keys = list(value.keys)
                    for call in adds.get(dotted, []) if isinstance(adds, dict) else []:
                        keys.extend(self._added(call, ctx))
                    return Value("object", expr=text, keys=tuple(keys), pos=value.pos)
                if value.type != "dynamic":
                    return value
        if dotted.split(".", 1)[0][:1].isupper():
            return Value("ref", expr=text, ref=dotted)
        return Value.dynamic(text)

    def _added(self, call: Node, ctx: FileContext) -> list[tuple[str, Value]]:
        args = call.child_by_field_name("arguments")
        values = self.arguments(args, ctx) if args is not None else ()
        if len(values) >= 2 and values[0].value.type == "string":
            return [(str(values[0].value.literal), values[1].value)]
        raise UnknownKey

    def _invocation(self, node: Node, ctx: FileContext, depth: int) -> Value:
        builders = platform_data(self.language).builders
        text = ctx.text(node)
        func = node.child_by_field_name("function")
        method = _callee(node) or ""
        if func is not None and func.type == "member_access_expression" and method in builders.add:
            target = func.child_by_field_name("expression")
            inner = self.value(target, ctx, depth + 1) if target is not None else Value.dynamic(text)
            if inner.type == "object":
                return Value("object", expr=text, keys=(*inner.keys, *self._added(node, ctx)), pos=inner.pos)
        return Value.dynamic(text)

    def _creation(self, node: Node, ctx: FileContext, depth: int) -> Value:
        builders = platform_data(self.language).builders
        text = ctx.text(node)
        type_name = (_type_text(node.child_by_field_name("type")) or "").removesuffix("<>")
        init = node.child_by_field_name("initializer") or next(
            (c for c in node.named_children if c.type == "initializer_expression"), None
        )
        if type_name in builders.classes or type_name in builders.maps:
            keys: list[tuple[str, Value]] = []
            for entry in init.named_children if init is not None else []:
                if entry.type == "initializer_expression" and entry.named_child_count == 2:  # {"k", v}
                    key = self.value(entry.named_children[0], ctx, depth + 1)
                    if key.type != "string":
                        raise UnknownKey
                    keys.append((str(key.literal), self.value(entry.named_children[1], ctx, depth + 1)))
                elif entry.type == "assignment_expression":  # ["k"] = v
                    left = entry.child_by_field_name("left")
                    right = entry.child_by_field_name("right")
                    arg = next((c for c in left.named_children if c.type == "argument"), None) if left else None
                    if arg is not None and right is not None and arg.named_child_count:
                        key = self.value(arg.named_children[-1], ctx, depth + 1)
                        if key.type != "string":
                            raise UnknownKey
                        keys.append((str(key.literal), self.value(right, ctx, depth + 1)))
            return Value("object", expr=text, keys=tuple(keys), pos=ctx.column(node))
        if type_name in builders.lists:
            items = tuple(self.value(c, ctx, depth + 1) for c in init.named_children) if init is not None else ()
            return Value("array", expr=text, items=items)
        if type_name in builders.numbers or f"{type_name}" in {n.rsplit(".", 1)[-1] for n in builders.numbers}:
            return Value("float", expr=text)
        if type_name in builders.times:
            return Value("time", expr=text)
        return Value.dynamic(text)


def _received(node: Node) -> bool:
    """NSubstitute: `braze.Received().LogCustomEvent(…)`: the receiver itself is the assertion."""
    inner = _unwrap(node)
    return inner.type == "invocation_expression" and _callee(inner) in (
        "Received",
        "DidNotReceive",
        "ReceivedWithAnyArgs",
    )


CSHARP = CSharpAdapter()
