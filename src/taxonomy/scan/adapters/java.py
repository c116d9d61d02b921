"""Java (tree-sitter-java): Android apps on the Braze Android SDK (and the legacy Appboy one).

Receivers: `Braze.getInstance(ctx)`, a field / local / parameter declared as `Braze` (Dagger `@Inject Braze braze;`),
`IAppboy`, `BrazeUser`, `AppboyUser` (see `types:` in rules/sdk/android.yaml), a local holding
`Braze.getInstance(ctx).getCurrentUser()`, the user passed to `onSuccess(BrazeUser user)` of an
`IValueCallback<BrazeUser>` or to a lambda `getCurrentUser(user -> …)`. Mockito `when(…)` / `given(…)` arguments
are never call sites.
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
    import_target,
    imported_name,
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

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "0": "\0", "f": "\f", "s": " "}
_MOCK = "<mock>"
_TYPES = {"declaration": ("field_declaration", "local_variable_declaration", "constant_declaration")}


def _callee(node: Node) -> str | None:
    if node.type != "method_invocation":
        return None
    name = node.child_by_field_name("name")
    return node_text(name) if name is not None else None


def _unwrap(node: Node) -> Node:
    while True:
        if node.type == "parenthesized_expression" and node.named_child_count:
            node = node.named_children[-1]
        elif node.type == "cast_expression" and node.child_by_field_name("value") is not None:
            node = node.child_by_field_name("value")  # type: ignore[assignment]
        else:
            return node


def _type_text(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "generic_type":
        return node_text(node).split("<", 1)[0] + "<>"
    return node_text(node).rsplit(".", 1)[-1]


def _has_modifiers(node: Node, *words: str) -> bool:
    mods = next((c for c in node.named_children if c.type == "modifiers"), None)
    found = {node_text(c) for c in mods.children} if mods is not None else set()
    return all(w in found for w in words)


class JavaAdapter(LocalShadowing, TreeSitterAdapter):
    FUNCTION_NODES = frozenset(("method_declaration", "constructor_declaration"))
    language = "java"
    query_name = "java"

    def load_grammar(self) -> Any:
        import tree_sitter_java

        return tree_sitter_java.language()

    # --- declarations -----------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        imports: dict[str, str] = {}
        for node in root.named_children:
            if node.type == "import_declaration" and node.named_child_count:
                segments = ctx.text(node.named_children[0]).replace(" ", "").split(".")
                found_import = import_target(segments, None)
                if found_import is not None and "asterisk" not in [c.type for c in node.named_children]:
                    imports[found_import[0]] = found_import[1]
        state(ctx)["imports"] = imports
        self._defer_declarations(ctx)
        self._members(root, "", ctx, interface=False)

    @functools.cached_property
    def declarations_text(self) -> str:
        """The patterns of what declares a name (`@decl`) or adds a property to it (`@add`)."""
        add_names = any_of(platform_data(self.language).builders.add)
        return (
            "[(field_declaration) (local_variable_declaration) (constant_declaration) (formal_parameter)] @decl "
            f"(method_invocation object: (identifier) name: (identifier) @m (#any-of? @m {add_names})) @add"
        )

    def _declarations(self, ctx: FileContext, name: str) -> None:
        """The declarations of `name` (typed members and parameters, locals, calls that add a property to it): read on
        first need, around the name's occurrences (many candidate files never need any)."""
        read = declarations_around(self.grammar, ctx, self.declarations_text, name)
        if read is None:
            return
        for node in read.nodes:
            kind = node.type
            if kind in _TYPES["declaration"]:
                type_text = _type_text(node.child_by_field_name("type"))
                for decl in node.children_by_field_name("declarator"):
                    name_node = decl.child_by_field_name("name")
                    if name_node is None:
                        continue
                    name = ctx.text(name_node)
                    init = decl.child_by_field_name("value")
                    read.inits.setdefault(name, []).append(init)
                    typed = typed_path(type_text, name, self.language)
                    if init is not None and (typed is None or not is_sdk_path(typed, self.language)):
                        typed = f"=init:{name}"  # `BrazeProperties props = new BrazeProperties()`: use the value
                    read.typed.setdefault(name, []).append(typed)
                    read.locals.setdefault(name, []).append((node.start_byte, typed, init))
            elif kind == "formal_parameter":
                name_node = node.child_by_field_name("name")
                if name_node is not None:
                    name = ctx.text(name_node)
                    read.typed.setdefault(name, []).append(
                        typed_path(_type_text(node.child_by_field_name("type")), name, self.language)
                    )
            elif kind == "method_invocation":
                obj = node.child_by_field_name("object")
                if obj is not None and obj.type == "identifier":
                    read.adds.setdefault(ctx.text(obj), []).append(node)
        remember(ctx, read)

    def _members(self, container: Node, prefix: str, ctx: FileContext, *, interface: bool, level: int = 0) -> None:
        """Constants: `static final` fields (every interface field), nested classes, enums with values."""
        if level > MAX_NESTING:
            return
        for node in container.named_children:
            kind = node.type
            if kind in ("field_declaration", "constant_declaration"):
                if not (interface or kind == "constant_declaration" or _has_modifiers(node, "static", "final")):
                    continue
                for decl in node.children_by_field_name("declarator"):
                    name_node = decl.child_by_field_name("name")
                    init = decl.child_by_field_name("value")
                    if name_node is None or init is None:
                        continue
                    value = self.value(init, ctx)
                    if value.type in ("string", "integer", "float", "boolean"):
                        record_constant(ctx, f"{prefix}{ctx.text(name_node)}", value)
            elif kind in ("class_declaration", "interface_declaration", "enum_declaration", "record_declaration"):
                name_node = node.child_by_field_name("name")
                body = node.child_by_field_name("body")
                if name_node is None or body is None:
                    continue
                inner = f"{prefix}{ctx.text(name_node)}."
                if kind == "enum_declaration":
                    self._enum(body, inner, ctx)
                    decls = next((c for c in body.named_children if c.type == "enum_body_declarations"), None)
                    if decls is not None:
                        self._members(decls, inner, ctx, interface=False, level=level + 1)
                else:
                    self._members(body, inner, ctx, interface=kind == "interface_declaration", level=level + 1)
            elif kind in ("program", "class_body", "interface_body"):
                self._members(node, prefix, ctx, interface=interface, level=level + 1)

    def _enum(self, body: Node, prefix: str, ctx: FileContext) -> None:
        params: list[str] = []
        for sub in walk(body):
            if sub.type == "constructor_declaration":
                holder = sub.child_by_field_name("parameters")
                for param in holder.named_children if holder is not None else []:
                    name = param.child_by_field_name("name")
                    params.append(ctx.text(name) if name is not None else "_")
                break
        for entry in body.named_children:
            if entry.type != "enum_constant":
                continue
            name_node = entry.child_by_field_name("name")
            args = entry.child_by_field_name("arguments")
            if name_node is None or args is None:
                continue
            for index, arg in enumerate(self.arguments(args, ctx)):
                if index < len(params) and arg.value.type in ("string", "integer", "float", "boolean"):
                    record_constant(ctx, f"{prefix}{ctx.text(name_node)}.{params[index]}", arg.value)

    # --- receivers ----------------------------------------------------------------------------------------------
    def receiver_path(self, node: Node, ctx: FileContext) -> str:
        if in_mock(node, _callee):
            return _MOCK
        return self._path(node, ctx, 0)

    def _path(self, node: Node, ctx: FileContext, depth: int) -> str:
        node = _unwrap(node)
        if depth > MAX_DEPTH:
            return "?"
        kind = node.type
        if kind == "identifier":
            return self._name(node, ctx.text(node), ctx, depth)
        if kind == "this":
            return "this"
        if kind == "field_access":
            obj = node.child_by_field_name("object")
            field = node.child_by_field_name("field")
            if obj is None or field is None:
                return "?"
            if obj.type == "this":
                resolved = self._name(None, ctx.text(field), ctx, depth)
                return resolved if resolved != ctx.text(field) else f"this.{resolved}"
            return f"{self._path(obj, ctx, depth + 1)}.{ctx.text(field)}"
        if kind == "method_invocation":
            obj = node.child_by_field_name("object")
            name = node.child_by_field_name("name")
            if name is None:
                return "?"
            base = f"{self._path(obj, ctx, depth + 1)}." if obj is not None else ""
            return f"{base}{ctx.text(name)}()"
        if kind == "object_creation_expression":
            return f"new {_type_text(node.child_by_field_name('type'))}()"
        if kind == "array_access":
            arr = node.child_by_field_name("array")
            return f"{self._path(arr, ctx, depth + 1)}[]" if arr is not None else "?"
        return "?"

    def _name(self, node: Node | None, name: str, ctx: FileContext, depth: int) -> str:
        if node is not None:
            for scope in ancestors(node):
                if scope.type == "lambda_expression":
                    params = scope.child_by_field_name("parameters")
                    names = (
                        [ctx.text(params)]
                        if params is not None and params.type == "identifier"
                        else [
                            ctx.text(p.child_by_field_name("name") or p) if p.type != "identifier" else ctx.text(p)
                            for p in (params.named_children if params is not None else [])
                        ]
                    )
                    if names and names[0] == name:
                        return self._lambda_subject(scope, ctx, depth)
                    if name in names:
                        return name
                elif scope.type in ("method_declaration", "constructor_declaration"):
                    params = scope.child_by_field_name("parameters")
                    for param in params.named_children if params is not None else []:
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

    def _lambda_subject(self, lam: Node, ctx: FileContext, depth: int) -> str:
        """`braze.getCurrentUser(user -> user.setEmail(x))`: the parameter reads as `braze.getCurrentUser()`."""
        holder = lam.parent
        call = holder.parent if holder is not None and holder.type == "argument_list" else None
        if call is None or call.type != "method_invocation":
            return "?"
        obj = call.child_by_field_name("object")
        name = call.child_by_field_name("name")
        base = f"{self._path(obj, ctx, depth + 1)}." if obj is not None else ""
        return f"{base}{ctx.text(name) if name is not None else '?'}()"

    # --- arguments and values -----------------------------------------------------------------------------------
    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        return tuple(Arg(None, self.value(c, ctx)) for c in node.named_children if "comment" not in c.type)

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
        if kind == "character_literal":
            return Value("string", text[1:-1])
        if kind in (
            "decimal_integer_literal",
            "hex_integer_literal",
            "octal_integer_literal",
            "binary_integer_literal",
        ):
            return number(text)
        if kind in ("decimal_floating_point_literal", "hex_floating_point_literal"):
            return number(text if any(c in text.lower() for c in ".e") else text + ".0")
        if kind in ("true", "false"):
            return Value("boolean", kind == "true")
        if kind == "null_literal":
            return Value("null")
        if kind == "unary_expression" and text.startswith("-") and node.named_child_count:
            inner = self.value(node.named_children[-1], ctx, depth + 1)
            return negate(inner, text)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if op is not None and ctx.text(op) == "+" and left is not None and right is not None:
                return concat(self.value(left, ctx, depth + 1), self.value(right, ctx, depth + 1), text)
            return Value.dynamic(text)
        if kind in ("identifier", "field_access"):
            return self._reference(node, ctx, depth)
        if kind == "method_invocation":
            return self._invocation(node, ctx, depth)
        if kind == "object_creation_expression":
            return self._creation(node, ctx, depth)
        if kind in ("array_creation_expression", "array_initializer"):
            init = node if kind == "array_initializer" else node.child_by_field_name("value")
            items = tuple(self.value(c, ctx, depth + 1) for c in init.named_children) if init is not None else ()
            return Value("array", expr=text, items=items)
        return Value.dynamic(text)

    @staticmethod
    def _string(node: Node) -> str:
        parts = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(node_text(child))
            elif child.type == "escape_sequence":
                esc = node_text(child)
                parts.append(_ESCAPES.get(esc[1:], esc[1:]) if len(esc) == 2 else esc)
        return "".join(parts)

    def _reference(self, node: Node, ctx: FileContext, depth: int) -> Value:
        dotted = ctx.text(node).replace(" ", "")
        text = ctx.text(node)
        if not all(leading_identifier(seg) == seg for seg in dotted.split(".")):
            return Value.dynamic(text)
        if dotted not in ctx.constants and dotted.split(".", 1)[0] not in ctx.bindings:
            dotted = imported_name(ctx, dotted)
        if dotted in ctx.constants:
            found = ctx.constants[dotted]
            return Value(found.type, found.literal, text, found.keys, found.items)
        if node.type == "identifier":
            init = ctx.bindings.get(dotted)
            if init is not None:
                value = self.value(init, ctx, depth + 1)
                if value.type == "object":
                    return self._with_adds(dotted, value, ctx, depth)
                if value.type != "dynamic":
                    return value
        if dotted.split(".", 1)[0][:1].isupper():
            return Value("ref", expr=text, ref=dotted)
        return Value.dynamic(text)

    def _with_adds(self, name: str, value: Value, ctx: FileContext, depth: int) -> Value:
        adds = state(ctx).get("adds")
        keys = list(value.keys)
        for call in adds.get(name, []) if isinstance(adds, dict) else []:
            keys.extend(self._added(call, ctx, depth))
        return Value("object", expr=name, keys=tuple(keys), pos=value.pos)

    def _added(self, call: Node, ctx: FileContext, depth: int) -> list[tuple[str, Value]]:
        args = call.child_by_field_name("arguments")
        values = self.arguments(args, ctx) if args is not None else ()
        if len(values) >= 2 and values[0].value.type == "string":
            return [(str(values[0].value.literal), values[1].value)]
        raise UnknownKey

    def _invocation(self, node: Node, ctx: FileContext, depth: int) -> Value:
        builders = platform_data(self.language).builders
        text = ctx.text(node)
        obj = node.child_by_field_name("object")
        method = _callee(node) or ""
        qualified = f"{ctx.text(obj)}.{method}" if obj is not None else method
        if method in builders.add and obj is not None:  # new BrazeProperties().addProperty("k", v)
            inner = self.value(obj, ctx, depth + 1)
            if inner.type == "object":
                return Value("object", expr=text, keys=(*inner.keys, *self._added(node, ctx, depth)), pos=inner.pos)
            return Value.dynamic(text)
        args = node.child_by_field_name("arguments")
        values = self.arguments(args, ctx) if args is not None else ()
        if qualified in builders.maps:  # Map.of("k", v, "k2", v2)
            entries = []
            for key, val in zip(values[::2], values[1::2], strict=False):
                if key.value.type != "string":
                    return Value.dynamic(text)
                entries.append((str(key.value.literal), val.value))
            return Value("object", expr=text, keys=tuple(entries), pos=ctx.column(node))
        if qualified in builders.lists:
            return Value("array", expr=text, items=tuple(v.value for v in values))
        if qualified in builders.numbers:
            return Value("float", expr=text)
        if qualified in builders.times:
            return Value("time", expr=text)
        return Value.dynamic(text)

    def _creation(self, node: Node, ctx: FileContext, depth: int) -> Value:
        builders = platform_data(self.language).builders
        text = ctx.text(node)
        type_name = (_type_text(node.child_by_field_name("type")) or "").removesuffix("<>")
        args = node.child_by_field_name("arguments")
        values = self.arguments(args, ctx) if args is not None else ()
        body = next((c for c in node.named_children if c.type == "class_body"), None)
        if type_name in builders.classes or type_name in builders.maps:
            keys: list[tuple[str, Value]] = []
            if values:
                if values[0].value.type != "object":
                    return Value.dynamic(text)
                keys.extend(values[0].value.keys)
            if body is not None:  # double-brace initialisation: new HashMap<>() {{ put("k", v); }}
                for sub in walk(body):
                    if sub.type == "method_invocation" and _callee(sub) in builders.add:
                        keys.extend(self._added(sub, ctx, depth))
            return Value("object", expr=text, keys=tuple(keys), pos=ctx.column(node))
        if type_name in builders.lists:
            if len(values) == 1 and values[0].value.type == "array":
                return values[0].value
            return Value("array", expr=text, items=tuple(v.value for v in values))
        if type_name in builders.numbers:
            return Value("float", expr=text)
        if type_name in builders.times:
            return Value("time", expr=text)
        return Value.dynamic(text)


JAVA = JavaAdapter()
