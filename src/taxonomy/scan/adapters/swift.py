"""Swift (tree-sitter-swift): BrazeKit and the AppboyKit-compatible spellings.

Labels matter in Swift: arguments carry them (`logCustomEvent(name:properties:)`), and `user.set(email:)` is told
apart from `user.set(firstName:)` by its first label, so a method `set` is looked up as `set(email:)`.
"""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from taxonomy.scan.adapters.scopes import Scopes
from taxonomy.scan.records import Arg, Value, concat, negate
from taxonomy.scan.treesitter import Bindings, FileContext, TreeSitterAdapter, node_text

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\"}
_WRAPPERS = {"tuple_expression", "try_expression", "await_expression", "as_expression", "postfix_expression"}
_TYPES = {"class_declaration", "protocol_declaration"}  # struct, enum, class, extension, actor all parse as these
_MAX_DEPTH = 12
_FUNCTIONS = {"function_declaration", "init_declaration", "lambda_literal", "subscript_declaration"}
_BINDERS = frozenset(("property_declaration", "guard_statement", "if_statement", "if_let_binding", "parameter",
                      "lambda_parameter", "for_statement"))  # fmt: skip


def _unwrap(node: Node) -> Node:
    while node.type in _WRAPPERS:
        if node.type == "tuple_expression" and len(node.named_children) != 1:
            return node
        if node.type == "postfix_expression":  # `x!` or `x?`: keep `i++` as it is
            op = node.child_by_field_name("operation")
            if op is None or node_text(op) not in ("!", "?"):
                return node
        inner = node.child_by_field_name("expr") or node.child_by_field_name("target") or node.named_children[-1]
        if node.type == "tuple_expression":
            inner = node.named_children[0]
        if inner is None or inner == node:
            return node
        node = inner
    return node


def _suffix_name(nav: Node) -> str | None:
    suffix = nav.child_by_field_name("suffix")
    if suffix is None:
        return None
    name = suffix.child_by_field_name("suffix")
    return node_text(name) if name is not None else None


def _typed(node: Node, ctx: FileContext) -> str | None:
    """The receiver a declaration's type stands for (`user: Braze.User` -> `Braze().user`, rules/sdk `types:`)."""
    for child in node.named_children:
        if child.type == "type_annotation" and child.named_child_count:
            child = child.named_children[0]
        if child.type in ("user_type", "optional_type", "implicitly_unwrapped_type"):
            return ctx.modules.get("".join(ctx.text(child).split()).rstrip("?!"))
    return None


def _labels(args: Node) -> list[str | None]:
    out: list[str | None] = []
    for child in args.named_children:
        if child.type == "value_argument":
            label = child.child_by_field_name("name")
            out.append(node_text(label).strip() if label is not None else None)
    return out


class SwiftAdapter(TreeSitterAdapter):
    language = "swift"
    query_name = "swift"

    def __init__(self) -> None:
        self._scopes = Scopes()

    def load_grammar(self) -> Any:
        import tree_sitter_swift

        return tree_sitter_swift.language()

    # --- declarations -----------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        self._declarations(root, ctx, prefix="")
        self._scopes = scopes = Scopes()
        ctx.bindings = Bindings(ctx, lambda context, name: self._bind(name, context, scopes))

    def _bind(self, name: str, ctx: FileContext, scopes: Scopes) -> None:
        """The declarations of `name` (locals, `guard let` / `if let`, parameters, loop variables): its binding
        (one initializer, or None when declared twice, typed or also a parameter) and the scope of each one."""
        whole = len(ctx.source)
        inits: list[Node | None] = []
        parameter = False
        for node in ctx.holding(name, _BINDERS):
            kind = node.type
            if (kind == "property_declaration" and not self._is_constant_site(node)) or kind in (
                "guard_statement",
                "if_statement",
                "if_let_binding",
            ):
                scope = node if kind == "if_statement" else node.parent
                where = None if scope is None or scope.type == "source_file" else scope
                typed = _typed(node, ctx)  # `let user: Braze.User = …` reads as the type's receiver
                for bound, value in self._bound(node):
                    if bound == name:
                        inits.append(value)
                        parameter = parameter or typed is not None
                        scopes.add(bound, where, typed or value, whole)
            elif kind in ("parameter", "lambda_parameter"):
                param = node.child_by_field_name("name")
                if param is not None and param.type == "simple_identifier" and ctx.text(param) == name:
                    parameter = True
                    function = node.parent
                    while function is not None and function.type not in _FUNCTIONS:
                        function = function.parent
                    scopes.add(name, function, _typed(node, ctx), whole)
            elif kind == "for_statement":
                item = node.child_by_field_name("item")
                if item is not None and any(
                    c.type == "simple_identifier" and ctx.text(c) == name for c in item.named_children
                ):
                    parameter = True
        if inits:
            ctx.bindings[name] = inits[0] if len(inits) == 1 and not parameter else None
        elif parameter:
            ctx.bindings[name] = None

    @staticmethod
    def _is_constant_site(node: Node) -> bool:
        parent = node.parent
        if parent is None or parent.type == "source_file":
            return True
        if parent.type in ("class_body", "enum_class_body", "protocol_body"):
            return any(c.type == "modifiers" and "static" in node_text(c) for c in node.named_children)
        return False

    @staticmethod
    def _bound(node: Node) -> list[tuple[str, Node | None]]:
        """(name, initializer) pairs of `let x = e`, `guard let x = e`, `if let x = e`."""
        out: list[tuple[str, Node | None]] = []
        children = node.children
        for index, child in enumerate(children):
            name: Node | None = None
            if child.type == "pattern":
                name = child.child_by_field_name("bound_identifier")
            elif node.field_name_for_child(index) == "bound_identifier":
                name = child
            if name is None:
                continue
            value = None
            for follower in children[index + 1 :]:
                if follower.type == "=":
                    continue
                if follower.is_named and follower.type not in ("type_annotation", "pattern"):
                    value = follower
                break
            out.append((node_text(name), value))
        return out

    def _declarations(self, root: Node, ctx: FileContext, prefix: str) -> None:
        stack = [(root, prefix)]  # no recursion: types nest arbitrarily deep in hostile input
        while stack:
            node, prefix = stack.pop()
            for child in node.named_children:
                if child.type == "property_declaration" and self._is_constant_site(child):
                    binding = next((c for c in child.named_children if c.type == "value_binding_pattern"), None)
                    if binding is None or ctx.text(binding) != "let":
                        continue
                    for name, value_node in self._bound(child):
                        if value_node is None:
                            continue
                        value = self.value(value_node, ctx)
                        if value.type in ("string", "integer", "float", "boolean"):
                            self._record(f"{prefix}{name}", value, ctx)
                elif child.type in _TYPES:
                    name_node = child.child_by_field_name("name")
                    body = child.child_by_field_name("body")
                    if name_node is None or body is None:
                        continue
                    type_name = ctx.text(name_node)
                    if body.type == "enum_class_body":
                        self._enum(child, body, f"{prefix}{type_name}", ctx)
                    stack.append((body, f"{prefix}{type_name}."))

    def _record(self, name: str, value: Value, ctx: FileContext) -> None:
        ctx.constants[name] = value
        ctx.exported[name] = value  # no imports in Swift: every type member is visible module-wide
        short = name.split(".")
        if len(short) > 2:  # Analytics.Events.signedUp is also reachable as Events.signedUp
            ctx.constants.setdefault(".".join(short[-2:]), value)
            ctx.exported.setdefault(".".join(short[-2:]), value)

    def _enum(self, decl: Node, body: Node, name: str, ctx: FileContext) -> None:
        raw_string = any(
            c.type == "inheritance_specifier" and ctx.text(c).strip() == "String" for c in decl.named_children
        )
        for entry in body.named_children:
            if entry.type != "enum_entry":
                continue
            names = [c for i, c in enumerate(entry.children) if entry.field_name_for_child(i) == "name"]
            raws = [c for i, c in enumerate(entry.children) if entry.field_name_for_child(i) == "raw_value"]
            for index, case in enumerate(names):
                raw = raws[index] if index < len(raws) and len(raws) == len(names) else None
                if raw is not None:
                    value = self.value(raw, ctx)
                    if value.type == "string":
                        self._record(f"{name}.{ctx.text(case)}", value, ctx)
                elif raw_string:  # `case signedUp` in `enum E: String` has the raw value "signedUp"
                    self._record(f"{name}.{ctx.text(case)}", Value("string", ctx.text(case)), ctx)

    # --- hooks -------------------------------------------------------------------------------------------------
    def method_name(self, node: Node, captures: dict[str, list[Node]], ctx: FileContext) -> str:
        name = ctx.text(node)
        args = captures.get("args")
        if args:
            labels = _labels(args[0])
            if labels and labels[0]:
                qualified = f"{name}({labels[0]}:)"
                if qualified in ctx.methods:
                    return qualified
        return name

    def receiver_path(self, node: Node, ctx: FileContext, depth: int = 0) -> str:
        node = _unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return "?"
        if kind == "simple_identifier":
            name = ctx.text(node)
            if name in ctx.bindings:
                init = ctx.bindings[name]
                found: Node | str | None = init
                if found is None:  # declared more than once, or typed: the innermost declaration around this use
                    _found, found = self._scopes.resolve(name, node)
                if isinstance(found, str):
                    return found
                return name if found is None else self.receiver_path(found, ctx, depth + 1)
            return name
        if kind == "self_expression":
            return "self"
        if kind == "navigation_expression":
            target = node.child_by_field_name("target")
            member = _suffix_name(node)
            if target is None or member is None:
                return "?"
            return f"{self.receiver_path(target, ctx, depth + 1)}.{member}"
        if kind == "call_expression" and node.named_child_count:
            return f"{self.receiver_path(node.named_children[0], ctx, depth + 1)}()"
        return "?"

    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        out: list[Arg] = []
        for child in node.named_children:
            if child.type != "value_argument":
                continue
            label = child.child_by_field_name("name")
            value = child.child_by_field_name("value")
            if value is None:
                continue
            text = ctx.text(label).strip() if label is not None else None
            out.append(Arg(text if text and text != "_" else None, self.value(value, ctx)))
        return tuple(out)

    def value(self, node: Node, ctx: FileContext, depth: int = 0) -> Value:
        node = _unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return Value.dynamic(ctx.text(node))
        if kind in ("line_string_literal", "multi_line_string_literal", "raw_string_literal"):
            return self._string(node, ctx, depth)
        if kind == "integer_literal" or kind in ("hex_literal", "bin_literal", "oct_literal"):
            try:
                return Value("integer", int(ctx.text(node).replace("_", ""), 0))
            except ValueError:
                return Value.dynamic(ctx.text(node))
        if kind == "real_literal":
            try:
                return Value("float", float(ctx.text(node).replace("_", "")))
            except ValueError:
                return Value.dynamic(ctx.text(node))
        if kind == "prefix_expression" and ctx.text(node).startswith("-"):
            target = node.child_by_field_name("target")
            inner = self.value(target, ctx, depth + 1) if target is not None else None
            return negate(inner, ctx.text(node))
        if kind == "boolean_literal":
            return Value("boolean", ctx.text(node) == "true")
        if kind == "nil_literal":
            return Value("null")
        if kind == "dictionary_literal":
            entries: list[tuple[str, Value]] = []
            key: Node | None = None
            for index, child in enumerate(node.children):
                field = node.field_name_for_child(index)
                if field == "key":
                    key = child
                elif field == "value" and key is not None:
                    name = self.value(key, ctx, depth + 1)
                    if name.type == "string":
                        entries.append((str(name.literal), self.value(child, ctx, depth + 1)))
                    key = None
            return Value("object", expr=ctx.text(node), keys=tuple(entries), pos=ctx.column(node))
        if kind == "array_literal":
            items = tuple(self.value(c, ctx, depth + 1) for c in node.named_children if c.type != "comment")
            return Value("array", expr=ctx.text(node), items=items)
        if kind == "additive_expression":
            op = node.child_by_field_name("op")
            lhs = node.child_by_field_name("lhs")
            rhs = node.child_by_field_name("rhs")
            if op is not None and ctx.text(op) == "+" and lhs is not None and rhs is not None:
                return concat(self.value(lhs, ctx, depth + 1), self.value(rhs, ctx, depth + 1), ctx.text(node))
            return Value.dynamic(ctx.text(node))
        if kind == "call_expression" and node.named_child_count and ctx.text(node.named_children[0]) == "Date":
            return Value("time", expr=ctx.text(node))
        if kind in ("simple_identifier", "navigation_expression"):
            return self._name(node, ctx)
        return Value.dynamic(ctx.text(node))

    def _string(self, node: Node, ctx: FileContext, depth: int) -> Value:
        parts: list[Value] = []
        for index, child in enumerate(node.children):
            field = node.field_name_for_child(index)
            if field == "text":
                text = ctx.text(child)
                if child.type == "str_escaped_char":
                    text = _ESCAPES.get(text[1:2], text[1:])
                elif node.type == "multi_line_string_literal":
                    text = text.strip("\n")
                parts.append(Value("string", text))
            elif field == "interpolation":
                inner = child.child_by_field_name("value")
                parts.append(self.value(inner, ctx, depth + 1) if inner is not None else Value.dynamic("?"))
        if all(p.type == "string" for p in parts):
            return Value("string", "".join(str(p.literal) for p in parts))
        result = Value("string", "")
        for part in parts:
            result = concat(result, part, ctx.text(node))
        return result

    def _name(self, node: Node, ctx: FileContext) -> Value:
        name = self._dotted(node)
        if name is None:
            return Value.dynamic(ctx.text(node))
        for suffix in (".rawValue", ".description"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        if name.startswith("self."):
            name = name[5:]
        if name in ctx.constants:
            found = ctx.constants[name]
            return Value(found.type, found.literal, ctx.text(node))
        root = name.split(".", 1)[0]
        if root in ctx.bindings:  # a local variable or parameter: not a constant
            return Value.dynamic(ctx.text(node))
        return Value("ref", expr=ctx.text(node), ref=name)

    def _dotted(self, node: Node) -> str | None:
        node = _unwrap(node)
        if node.type in ("simple_identifier", "self_expression"):
            return node_text(node)
        if node.type == "navigation_expression":
            target = node.child_by_field_name("target")
            name = _suffix_name(node)
            if target is None or name is None:
                return None
            base = self._dotted(target)
            return f"{base}.{name}" if base else None
        return None


SWIFT = SwiftAdapter()
