"""Kotlin (tree-sitter-kotlin): Android apps on the Braze Android SDK (and the legacy Appboy one).

Receivers: the instance in a property / local / parameter / Dagger-injected member (a declared type of `Braze`
reads as `Braze.getInstance()`, see `types:` in rules/sdk/android.yaml), the user bound by scope functions
(`currentUser?.let { it.… }`, `?.apply { setEmail(…) }`, `run`, `with(user) { … }`), by the
`getCurrentUser { user -> … }` callback or by a typed parameter (`onSuccess(value: BrazeUser)`). Calls inside
MockK / Mockito set-up (`every { … }`, `verify { … }`, `` `when`(…) ``) are never call sites.
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
from taxonomy.scan.records import Arg, Value, concat
from taxonomy.scan.treesitter import FileContext, TreeSitterAdapter, node_text, walk

IT_SCOPES = frozenset({"let", "also", "takeIf", "takeUnless"})  # the lambda's `it` is the receiver
THIS_SCOPES = frozenset({"apply", "run"})  # the lambda's `this` is the receiver (and `with(x) { … }`)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "0": "\0"}
_WRAPPERS = {"parenthesized_expression", "annotated_expression"}
_MOCK = "<mock>"


def _unwrap(node: Node) -> Node:
    while True:
        if node.type in _WRAPPERS and node.named_child_count:
            node = node.named_children[-1]
        elif node.type == "unary_expression" and node.child_by_field_name("operator") is not None:
            op = node_text(node.child_by_field_name("operator"))  # type: ignore[arg-type]
            argument = node.child_by_field_name("argument")
            if op != "!!" or argument is None:
                return node
            node = argument
        elif node.type == "as_expression" and node.child_by_field_name("left") is not None:
            node = node.child_by_field_name("left")  # type: ignore[assignment]
        else:
            return node


def _callee(node: Node) -> str | None:
    """The method name of a call node (`every` for `every { }`, `logX` for `a.logX()`), else None."""
    if node.type != "call_expression" or not node.named_child_count:
        return None
    func = node.named_children[0]
    if func.type == "identifier":
        return node_text(func)
    if func.type == "navigation_expression" and func.named_child_count:
        last = func.named_children[-1]
        return node_text(last) if last.type == "identifier" else None
    return None


def _lambda_params(lam: Node) -> list[str]:
    params = next((c for c in lam.named_children if c.type == "lambda_parameters"), None)
    if params is None:
        return []
    names = []
    for child in params.named_children:
        ident = (
            child
            if child.type == "identifier"
            else next((c for c in child.named_children if c.type == "identifier"), None)
        )
        names.append(node_text(ident) if ident is not None else "_")
    return names


def _declared(node: Node) -> tuple[str | None, Node | None]:
    """(name, type node) of a variable_declaration / parameter / class_parameter."""
    name = None
    type_node = None
    for child in node.named_children:
        if child.type == "identifier" and name is None:
            name = node_text(child)
        elif child.type in ("user_type", "nullable_type"):
            type_node = child
    return name, type_node


def _type_text(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "nullable_type" and node.named_child_count:
        node = node.named_children[0]
    idents = [c for c in node.named_children if c.type == "identifier"]
    if any(c.type == "type_arguments" for c in node.named_children):
        return node_text(idents[0]) + "<>" if idents else None  # Lazy<Braze> is not a Braze
    return node_text(idents[-1]) if idents else node_text(node)


class KotlinAdapter(LocalShadowing, TreeSitterAdapter):
    FUNCTION_NODES = frozenset(("function_declaration", "secondary_constructor", "anonymous_function"))
    language = "kotlin"
    query_name = "kotlin"

    def load_grammar(self) -> Any:
        import tree_sitter_kotlin

        return tree_sitter_kotlin.language()

    # --- declarations -----------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        imports: dict[str, str] = {}
        for node in root.named_children:
            if node.type == "import" and node.named_child_count:
                qualified = node.named_children[0]
                alias = node.named_children[1] if node.named_child_count > 1 else None
                segments = [ctx.text(c) for c in qualified.named_children if c.type == "identifier"]
                found_import = import_target(segments, ctx.text(alias) if alias is not None else None)
                if found_import is not None:
                    imports[found_import[0]] = found_import[1]
        state(ctx)["imports"] = imports
        self._defer_declarations(ctx)
        self._members(root, "", ctx)

    @functools.cached_property
    def declarations_text(self) -> str:
        """The patterns of what declares a name (`@decl`) or adds a property to it (`@add`)."""
        add_names = any_of(platform_data(self.language).builders.add)
        return (
            "[(property_declaration) (parameter) (class_parameter)] @decl "
            "(call_expression . (navigation_expression . (identifier) (identifier) @m .) "
            f"(#any-of? @m {add_names})) @add"
        )

    def _declarations(self, ctx: FileContext, name: str) -> None:
        """The declarations of `name` (typed members and parameters, locals, calls that add a property to it): read on
        first need, around the name's occurrences (many candidate files never need any)."""
        read = declarations_around(self.grammar, ctx, self.declarations_text, name)
        if read is None:
            return
        for node in read.nodes:
            kind = node.type
            if kind == "property_declaration":
                decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
                if decl is None:
                    continue
                declared, type_node = _declared(decl)
                if declared is None:
                    continue
                init = self._initializer(node)
                read.inits.setdefault(declared, []).append(init)
                typed = typed_path(_type_text(type_node), declared, self.language)
                if init is not None and (typed is None or not is_sdk_path(typed, self.language)):
                    typed = f"=init:{declared}"  # `val props: BrazeProperties = BrazeProperties()`: use the value
                read.typed.setdefault(declared, []).append(typed)
                read.locals.setdefault(declared, []).append((node.start_byte, typed, init))
            elif kind in ("parameter", "class_parameter"):
                declared, type_node = _declared(node)
                if declared is not None:
                    read.typed.setdefault(declared, []).append(
                        typed_path(_type_text(type_node), declared, self.language)
                    )
            elif kind == "call_expression":
                func = node.named_children[0]
                if func.type == "navigation_expression" and func.named_children[0].type == "identifier":
                    read.adds.setdefault(ctx.text(func.named_children[0]), []).append(node)
        remember(ctx, read)

    @staticmethod
    def _initializer(node: Node) -> Node | None:
        seen_eq = False
        for child in node.children:
            if child.type == "=":
                seen_eq = True
            elif seen_eq and child.is_named:
                return child
        return None

    def _members(self, container: Node, prefix: str, ctx: FileContext, level: int = 0) -> None:
        """Constants: top-level `const val`, `object` members, companion objects, nested objects, enum values."""
        if level > MAX_NESTING:
            return
        for node in container.named_children:
            kind = node.type
            if kind == "property_declaration":
                decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
                init = self._initializer(node)
                if decl is None or init is None or "var" in [c.type for c in node.children]:
                    continue
                name, _ = _declared(decl)
                value = self.value(init, ctx)
                if name is None or value.type not in ("string", "integer", "float", "boolean"):
                    continue
                record_constant(ctx, f"{prefix}{name}", value)
            elif kind in ("object_declaration", "class_declaration"):
                name_node = node.child_by_field_name("name")
                if name_node is None:
                    continue
                inner = f"{prefix}{ctx.text(name_node)}."
                for body in node.named_children:
                    if body.type == "class_body":
                        self._members(body, inner, ctx, level=level + 1)
                    elif body.type == "enum_class_body":
                        self._enum(node, body, inner, ctx)
            elif kind == "companion_object":
                for body in node.named_children:
                    if body.type == "class_body":
                        self._members(body, prefix, ctx, level=level + 1)
                        named = node.child_by_field_name("name")
                        self._members(
                            body, f"{prefix}{ctx.text(named) if named else 'Companion'}.", ctx, level=level + 1
                        )

    def _enum(self, node: Node, body: Node, prefix: str, ctx: FileContext) -> None:
        ctor = next((c for c in node.named_children if c.type == "primary_constructor"), None)
        params: list[str] = []
        if ctor is not None:
            for holder in ctor.named_children:
                for param in holder.named_children if holder.type == "class_parameters" else [holder]:
                    if param.type == "class_parameter":
                        params.append(_declared(param)[0] or "_")
        for entry in body.named_children:
            if entry.type != "enum_entry" or not entry.named_child_count:
                continue
            entry_name = ctx.text(entry.named_children[0])
            args = next((c for c in entry.named_children if c.type == "value_arguments"), None)
            if args is None:
                continue
            for index, arg in enumerate(self.arguments(args, ctx)):
                label = arg.label or (params[index] if index < len(params) else None)
                if label and arg.value.type in ("string", "integer", "float", "boolean"):
                    record_constant(ctx, f"{prefix}{entry_name}.{label}", arg.value)

    # --- receivers ----------------------------------------------------------------------------------------------
    def receiver_path(self, node: Node, ctx: FileContext) -> str:
        if in_mock(node, _callee):
            return _MOCK
        return self._path(node, ctx, 0)

    def implicit_receiver(self, call: Node, ctx: FileContext) -> str | None:
        if in_mock(call, _callee):
            return _MOCK
        subject = self._this(call, ctx, 0)
        return None if subject == "this" else subject  # outside apply / run / with: a bare call

    def _path(self, node: Node, ctx: FileContext, depth: int) -> str:
        node = _unwrap(node)
        if depth > MAX_DEPTH:
            return "?"
        kind = node.type
        if kind == "identifier":
            return self._name(node, ctx.text(node), ctx, depth)
        if kind == "this_expression":
            return self._this(node, ctx, depth)
        if kind == "navigation_expression" and node.named_child_count >= 2:
            base, last = node.named_children[0], node.named_children[-1]
            if _unwrap(base).type == "this_expression" and self._this(base, ctx, depth) == "this":
                field = self._name(None, ctx.text(last), ctx, depth)  # this.braze: the member's declaration
                return field if field != ctx.text(last) else f"this.{field}"
            return f"{self._path(base, ctx, depth + 1)}.{ctx.text(last)}"
        if kind == "call_expression" and node.named_child_count:
            return f"{self._path(node.named_children[0], ctx, depth + 1)}()"
        if kind == "indexing_expression" and node.named_child_count:
            return f"{self._path(node.named_children[0], ctx, depth + 1)}[]"
        return "?"

    def _name(self, node: Node | None, name: str, ctx: FileContext, depth: int) -> str:
        if node is not None:
            for scope in ancestors(node):
                if scope.type == "lambda_literal":
                    params = _lambda_params(scope)
                    if (not params and name == "it") or (params and params[0] == name):
                        return str(self._subject(scope, ctx, depth, it=True))
                    if name in params:
                        return name
                elif scope.type in ("function_declaration", "secondary_constructor"):
                    for holder in scope.named_children:
                        if holder.type != "function_value_parameters":
                            continue
                        for param in holder.named_children:
                            declared, type_node = _declared(param) if param.type == "parameter" else (None, None)
                            if declared == name:  # the innermost parameter wins over members of the same name
                                return typed_path(_type_text(type_node), name, self.language) or name
        self._read_declarations(ctx, name)
        local = self._local_declaration(node, name, ctx, depth)
        if local is not None:
            return local
        typed = state(ctx).get("typed")
        path = typed.get(name) if isinstance(typed, dict) else None
        if path is not None and not path.startswith("=init:"):
            return str(path)
        init = ctx.bindings.get(name)
        if init is not None:
            return self._path(init, ctx, depth + 1)
        return name

    def _this(self, node: Node, ctx: FileContext, depth: int) -> str:
        for scope in ancestors(node):
            if scope.type == "lambda_literal":
                subject = self._subject(scope, ctx, depth, it=False)
                if subject is not None:
                    return str(subject)
            elif scope.type in ("function_declaration", "class_body", "object_literal"):
                break
        return "this"

    def _subject(self, lam: Node, ctx: FileContext, depth: int, *, it: bool) -> str | None:
        """What a scope-function lambda binds: `x?.let { it }` -> x; `x.apply { this }` -> x;
        `braze.getCurrentUser { user -> }` -> braze.getCurrentUser(). None (for `this`) when not a scope."""
        holder = lam.parent
        call = holder.parent if holder is not None and holder.type == "annotated_lambda" else None
        if call is None and it:  # getCurrentUser(IValueCallback<BrazeUser> { user -> … }): the argument's call
            up = holder
            while up is not None and up.type in ("binary_expression", "call_expression", "value_argument"):
                up = up.parent
            if up is not None and up.type == "value_arguments":
                call = up.parent
        if call is None or call.type != "call_expression" or not call.named_child_count:
            return "?" if it else None
        func = call.named_children[0]
        if func.type == "navigation_expression" and func.named_child_count >= 2:
            method = ctx.text(func.named_children[-1])
            base = func.named_children[0]
            if (it and method in IT_SCOPES) or (not it and method in THIS_SCOPES):
                return self._path(base, ctx, depth + 1)
            if it:
                return f"{self._path(base, ctx, depth + 1)}.{method}()"
            return None
        if not it and func.type == "call_expression" and _callee(func) == "with":
            args = next((c for c in func.named_children if c.type == "value_arguments"), None)
            if args is not None and args.named_child_count:
                arg = args.named_children[0]
                return self._path(arg.named_children[-1], ctx, depth + 1) if arg.named_child_count else None
        return "?" if it else None

    # --- arguments and values -----------------------------------------------------------------------------------
    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        out = []
        for arg in node.named_children:
            if arg.type != "value_argument" or not arg.named_child_count:
                continue
            label = None
            if any(c.type == "=" for c in arg.children) and arg.named_children[0].type == "identifier":
                label = ctx.text(arg.named_children[0])
            out.append(Arg(label, self.value(arg.named_children[-1], ctx)))
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
        if kind in ("string_literal", "multiline_string_literal"):
            return self._string(node, ctx, depth)
        if kind == "character_literal":
            return Value("string", text[1:-1])
        if kind in ("number_literal", "float_literal", "integer_literal", "hex_literal", "long_literal"):
            return number(text)
        if kind == "boolean_literal" or (kind == "identifier" and text in ("true", "false")):
            return Value("boolean", text == "true")
        if kind == "null_literal" or (kind == "identifier" and text == "null"):
            return Value("null")
        if kind == "prefix_expression" or (kind == "unary_expression" and text.startswith("-")):
            inner = node.named_children[-1] if node.named_child_count else None
            if inner is not None and text.startswith("-"):
                value = self.value(inner, ctx, depth + 1)
                if value.type in ("integer", "float") and isinstance(value.literal, int | float):
                    return Value(value.type, -value.literal)
            return Value.dynamic(text)
        if kind in ("additive_expression", "binary_expression"):
            parts = [c for c in node.children]
            if len(parts) == 3 and parts[1].type == "+":
                left = self.value(parts[0], ctx, depth + 1)
                right = self.value(parts[2], ctx, depth + 1)
                return concat(left, right, text)
            return Value.dynamic(text)
        if kind in ("identifier", "navigation_expression"):
            return self._reference(node, ctx, depth)
        if kind == "call_expression":
            return self._call_value(node, ctx, depth)
        return Value.dynamic(text)

    def _string(self, node: Node, ctx: FileContext, depth: int) -> Value:
        parts: list[Value] = []
        children = [c for c in node.named_children]
        skip_next = False
        for index, child in enumerate(children):
            if skip_next:
                skip_next = False
                rest = ctx.text(child)
                ident = leading_identifier(rest)
                if ident is None:
                    parts.append(Value("string", "$" + rest))
                    continue
                parts.append(self._reference_name(ident, ident, ctx))
                if rest[len(ident) :]:
                    parts.append(Value("string", rest[len(ident) :]))
                continue
            if child.type == "string_content":
                content = ctx.text(child)
                nxt = children[index + 1] if index + 1 < len(children) else None
                if content.endswith("$") and nxt is not None and nxt.type == "string_content":
                    if content[:-1]:
                        parts.append(Value("string", content[:-1]))
                    skip_next = True
                    continue
                parts.append(Value("string", content))
            elif child.type == "escape_sequence":
                esc = ctx.text(child)
                parts.append(Value("string", _ESCAPES.get(esc[1:], esc[1:]) if len(esc) == 2 else esc))
            elif child.type == "interpolation" and child.named_child_count:
                parts.append(self.value(child.named_children[0], ctx, depth + 1))
        result = Value("string", "")
        for part in parts:
            result = concat(result, part, ctx.text(node))
        return result

    def _reference(self, node: Node, ctx: FileContext, depth: int) -> Value:
        dotted = ctx.text(node).replace("?.", ".").replace(" ", "").replace("\n", "")
        if not all(leading_identifier(seg) == seg for seg in dotted.split(".")):
            return Value.dynamic(ctx.text(node))
        if node.type == "identifier":
            init = ctx.bindings.get(dotted)
            if init is not None and dotted not in ctx.constants:
                value = self.value(init, ctx, depth + 1)
                if value.type != "dynamic":
                    return self._with_adds(dotted, value, ctx, depth)
        return self._reference_name(dotted, ctx.text(node), ctx)

    @staticmethod
    def _reference_name(dotted: str, expr: str, ctx: FileContext) -> Value:
        if dotted not in ctx.constants:
            dotted = imported_name(ctx, dotted)
        if dotted in ctx.constants:
            found = ctx.constants[dotted]
            return Value(found.type, found.literal, expr, found.keys, found.items)
        root = dotted.split(".", 1)[0]
        if root[:1].isupper():  # Events.SIGNED_UP, CART_VIEWED: possibly a constant of another file
            return Value("ref", expr=expr, ref=dotted)
        return Value.dynamic(expr)

    def _with_adds(self, name: str, value: Value, ctx: FileContext, depth: int) -> Value:
        """`val props = BrazeProperties()` then `props.addProperty("k", v)` elsewhere in the file."""
        if value.type != "object":
            return value
        adds = state(ctx).get("adds")
        calls = adds.get(name, []) if isinstance(adds, dict) else []
        keys = list(value.keys)
        for call in calls:
            keys.extend(self._added(call, ctx, depth))
        return Value("object", expr=name, keys=tuple(keys), pos=value.pos)

    def _added(self, call: Node, ctx: FileContext, depth: int) -> list[tuple[str, Value]]:
        args = next((c for c in call.named_children if c.type == "value_arguments"), None)
        if args is None:
            return []
        values = self.arguments(args, ctx)
        if len(values) >= 2 and values[0].value.type == "string":
            return [(str(values[0].value.literal), values[1].value)]
        raise UnknownKey

    def _call_value(self, node: Node, ctx: FileContext, depth: int) -> Value:
        builders = platform_data(self.language).builders
        func = node.named_children[0]
        args = next((c for c in node.named_children if c.type == "value_arguments"), None)
        lam = next((c for c in node.named_children if c.type == "annotated_lambda"), None)
        text = ctx.text(node)
        if func.type == "navigation_expression" and func.named_child_count >= 2:
            method = ctx.text(func.named_children[-1])
            base = func.named_children[0]
            if method in builders.add:  # BrazeProperties().addProperty("k", v).addProperty(...)
                inner = self.value(base, ctx, depth + 1)
                if inner.type == "object":
                    return Value("object", expr=text, keys=(*inner.keys, *self._added(node, ctx, depth)))
                return Value.dynamic(text)
            if method in ("apply", "also") and lam is not None:  # BrazeProperties().apply { addProperty(...) }
                inner = self.value(base, ctx, depth + 1)
                if inner.type == "object":
                    extra: list[tuple[str, Value]] = []
                    for sub in walk(lam):
                        if sub.type == "call_expression" and _callee(sub) in builders.add:
                            extra.extend(self._added(sub, ctx, depth))
                    return Value("object", expr=text, keys=(*inner.keys, *extra))
            dotted = ctx.text(func).replace("?.", ".")
            if dotted in builders.numbers or method in builders.numbers:
                return Value("float", expr=text)
            if dotted in builders.times:
                return Value("time", expr=text)
            return Value.dynamic(text)
        if func.type != "identifier":
            return Value.dynamic(text)
        name = ctx.text(func)
        arg_values = self.arguments(args, ctx) if args is not None else ()
        if name in builders.classes:
            if not arg_values:
                return Value("object", expr=text, keys=(), pos=ctx.column(node))
            inner = arg_values[0].value
            if inner.type == "object":
                return Value("object", expr=text, keys=inner.keys, pos=ctx.column(node))
            return Value.dynamic(text)
        if name in builders.maps:
            entries: list[tuple[str, Value]] = []
            for arg in args.named_children if args is not None else []:
                pair = arg.named_children[-1] if arg.named_child_count else None
                if pair is None or pair.type != "infix_expression" or pair.named_child_count != 3:
                    return Value.dynamic(text)
                key = self.value(pair.named_children[0], ctx, depth + 1)
                if key.type != "string":
                    return Value.dynamic(text)
                entries.append((str(key.literal), self.value(pair.named_children[2], ctx, depth + 1)))
            return Value("object", expr=text, keys=tuple(entries), pos=ctx.column(node))
        if name in builders.lists:
            if len(arg_values) == 1 and arg_values[0].value.type == "array":
                return arg_values[0].value
            return Value("array", expr=text, items=tuple(a.value for a in arg_values))
        if name in builders.numbers:
            return Value("float", expr=text)
        if name in builders.times:
            return Value("time", expr=text)
        return Value.dynamic(text)


KOTLIN = KotlinAdapter()
