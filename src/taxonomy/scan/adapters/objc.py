"""Objective-C (tree-sitter-objc): message sends to BrazeKit and legacy AppboyKit.

`[recv logCustomEvent:@"x" properties:@{...}]` is reported as the method `logCustomEvent` (the first selector part,
whose position is the call site's) with an unlabelled first argument and the other arguments labelled by their
selector parts (`properties`). `[Appboy sharedInstance]` reads as the receiver path `Appboy.sharedInstance()`.
"""

from __future__ import annotations

import re
from typing import Any

from tree_sitter import Node

from taxonomy.scan.adapters.scopes import Scopes
from taxonomy.scan.records import Arg, Value, concat, negate
from taxonomy.scan.treesitter import Bindings, FileContext, TreeSitterAdapter, enclosing, kinds_in, node_text

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\"}
_WRAPPERS = {"parenthesized_expression", "cast_expression"}
_MAX_DEPTH = 12
_FUNCTIONS = {"method_definition", "function_definition", "block_literal"}
_TOP = ("translation_unit", "preproc_ifdef", "preproc_if")
_CONSTANT_SITES = frozenset(("preproc_def", "declaration"))
_PREPROCESSOR = frozenset(("preproc_def", "preproc_ifdef", "preproc_if"))
_BINDERS = frozenset(("declaration", "method_parameter", "parameter_declaration"))
_DEFINE_STRING = re.compile(r'^\s*@?"((?:[^"\\]|\\.)*)"\s*$')
_DEFINE_NUMBER = re.compile(r"^\s*@?\(?\s*(-?\d+)\s*\)?\s*$")


def _unwrap(node: Node) -> Node:
    while node.type in _WRAPPERS and node.named_child_count:
        inner = node.child_by_field_name("value") if node.type == "cast_expression" else node.named_children[0]
        if inner is None:
            return node
        node = inner
    return node


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text) if "\\" in text else text


def _top(declaration: Node) -> bool:
    return declaration.parent is not None and declaration.parent.type in _TOP


def _declarator_name(node: Node | None) -> str | None:
    while node is not None and node.type != "identifier":
        node = node.child_by_field_name("declarator")
    return node_text(node) if node is not None else None


def _typed(node: Node, ctx: FileContext) -> str | None:
    """The receiver a declaration's type stands for (`BRZUser *user` -> `Braze().user`, rules/sdk `types:`)."""
    holder = node
    if node.type == "method_parameter":
        holder = next((c for c in node.named_children if c.type == "method_type"), node)
        holder = next((c for c in holder.named_children if c.type == "type_name"), holder)
    type_node = holder.child_by_field_name("type") or next(
        (c for c in holder.named_children if c.type == "type_identifier"), None
    )
    return ctx.modules.get(ctx.text(type_node)) if type_node is not None else None


class ObjCAdapter(TreeSitterAdapter):
    language = "objc"
    query_name = "objc"

    def __init__(self) -> None:
        self._scopes = Scopes()

    def load_grammar(self) -> Any:
        import tree_sitter_objc

        return tree_sitter_objc.language()

    # --- declarations -----------------------------------------------------------------------------------------
    def prepare(self, root: Node, ctx: FileContext) -> None:
        """Constants (`#define`, initialised top-level declarations) now; local bindings when a name is used."""
        self._scopes = scopes = Scopes()
        folded: set[tuple[int, int]] = set()  # top-level declarators that became constants (never bindings)
        for node in self._constant_sites(root, ctx.source):
            if node.type == "preproc_def":
                self._define(node, ctx)
                continue
            for declarator in node.children_by_field_name("declarator"):
                if declarator.type != "init_declarator":
                    continue
                name = _declarator_name(declarator.child_by_field_name("declarator"))
                value = declarator.child_by_field_name("value")
                if name is None or value is None:
                    continue
                found = self.value(value, ctx)  # the constants read so far (walk order), no bindings yet
                if found.type in ("string", "integer", "float", "boolean"):
                    ctx.constants[name] = found
                    ctx.exported[name] = found  # `extern NSString *const` in a header: visible everywhere
                    folded.add((declarator.start_byte, declarator.end_byte))
        ctx.bindings = Bindings(ctx, lambda context, name: self._bind(name, context, scopes, folded))

    @staticmethod
    def _constant_sites(root: Node, source: bytes) -> list[Node]:
        """Every `#define` and every top-level declaration (in the file or directly in an `#if` / `#ifdef`), in
        walk order. Without syntax errors each preprocessor node starts at a `#`: find those rather than walk."""
        if root.has_error:
            return [n for n in kinds_in(root, _CONSTANT_SITES) if n.type == "preproc_def" or _top(n)]
        found = enclosing(root, source, "#", _PREPROCESSOR)
        holders = [root, *(n for n in found if n.type != "preproc_def")]
        sites = [n for n in found if n.type == "preproc_def"]
        sites += [c for holder in holders for c in holder.named_children if c.type == "declaration"]
        return sorted(set(sites), key=lambda n: (-n.end_byte, n.start_byte))

    def _bind(self, name: str, ctx: FileContext, scopes: Scopes, folded: set[tuple[int, int]]) -> None:
        """The declarations of `name` (locals, globals that are not constants, parameters): its binding (one
        initializer, or None when declared twice, typed or also a parameter) and the scope of each one."""
        whole = len(ctx.source)
        inits: list[Node | None] = []
        parameter = False
        for node in ctx.holding(name, _BINDERS):
            if node.type == "declaration":
                top = _top(node)
                for declarator in node.children_by_field_name("declarator"):
                    if declarator.type != "init_declarator":
                        continue
                    if _declarator_name(declarator.child_by_field_name("declarator")) != name:
                        continue
                    if top and (declarator.start_byte, declarator.end_byte) in folded:
                        continue
                    value = declarator.child_by_field_name("value")
                    inits.append(value)
                    typed = _typed(node, ctx)  # `BRZUser *user = [self currentUser];` reads as the type's receiver
                    parameter = parameter or typed is not None
                    scopes.add(name, None if top else node.parent, typed or value, whole)
                continue
            declared = _declarator_name(node.child_by_field_name("declarator"))
            if declared is None:
                declared = next((ctx.text(c) for c in node.named_children if c.type == "identifier"), None)
            if declared == name:
                parameter = True
                function = node.parent
                while function is not None and function.type not in _FUNCTIONS:
                    function = function.parent
                scopes.add(name, function, _typed(node, ctx), whole)
        if inits:
            ctx.bindings[name] = inits[0] if len(inits) == 1 and not parameter else None
        elif parameter:
            ctx.bindings[name] = None

    def _define(self, node: Node, ctx: FileContext) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None or value is None:
            return
        text = ctx.text(value)
        match = _DEFINE_STRING.match(text)
        if match:
            found = Value("string", _unescape(match.group(1)))
        elif (number := _DEFINE_NUMBER.match(text)) is not None:
            found = Value("integer", int(number.group(1)))
        else:
            return
        ctx.constants[ctx.text(name)] = found
        ctx.exported[ctx.text(name)] = found

    # --- hooks -------------------------------------------------------------------------------------------------
    def receiver_path(self, node: Node, ctx: FileContext, depth: int = 0) -> str:
        node = _unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return "?"
        if kind == "identifier":
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
        if kind == "self":
            return "self"
        if kind == "field_expression":
            target = node.child_by_field_name("argument")
            field = node.child_by_field_name("field")
            if target is None or field is None:
                return "?"
            return f"{self.receiver_path(target, ctx, depth + 1)}.{ctx.text(field)}"
        if kind == "message_expression":
            target = node.child_by_field_name("receiver")
            method = node.child_by_field_name("method")
            if target is None or method is None:
                return "?"
            return f"{self.receiver_path(target, ctx, depth + 1)}.{ctx.text(method)}()"
        if kind == "call_expression":
            func = node.child_by_field_name("function")
            return f"{self.receiver_path(func, ctx, depth + 1)}()" if func is not None else "?"
        return "?"

    def arguments(self, node: Node, ctx: FileContext) -> tuple[Arg, ...]:
        if node.type == "argument_list":  # a C function call (a declared wrapper)
            return tuple(Arg(None, self.value(c, ctx)) for c in node.named_children if c.type != "comment")
        out: list[Arg] = []
        label: str | None = None
        first = True
        seen_method = False
        for index, child in enumerate(node.children):
            field = node.field_name_for_child(index)
            if field == "receiver":
                continue
            if field == "method":
                label = None if first else ctx.text(child)
                first = False
                seen_method = True
                continue
            if not seen_method or not child.is_named or child.type == "comment":
                continue
            out.append(Arg(label, self.value(child, ctx)))
        return tuple(out)

    def value(self, node: Node, ctx: FileContext, depth: int = 0) -> Value:
        node = _unwrap(node)
        kind = node.type
        if depth > _MAX_DEPTH:
            return Value.dynamic(ctx.text(node))
        if kind == "string_literal":
            return Value("string", self._string(node))
        if kind == "concatenated_string":
            result = Value("string", "")
            for child in node.named_children:
                result = concat(result, self.value(child, ctx, depth + 1), ctx.text(node))
            return result
        if kind == "number_literal":
            text = ctx.text(node).rstrip("uUlLfF") if not ctx.text(node).lower().startswith("0x") else ctx.text(node)
            try:
                return Value("integer", int(text, 0))
            except ValueError:
                try:
                    return Value("float", float(text))
                except ValueError:
                    return Value.dynamic(ctx.text(node))
        if kind == "at_expression" and node.named_child_count:
            return self.value(node.named_children[0], ctx, depth + 1)
        if kind in ("true", "false"):
            return Value("boolean", kind == "true")
        if kind in ("null", "nil"):
            return Value("null")
        if kind == "unary_expression" and ctx.text(node).startswith("-"):
            inner = self.value(node.named_children[-1], ctx, depth + 1)
            return negate(inner, ctx.text(node))
        if kind == "dictionary_literal":
            entries: list[tuple[str, Value]] = []
            for pair in node.named_children:
                if pair.type != "dictionary_pair" or pair.named_child_count < 2:
                    continue
                key = self.value(pair.named_children[0], ctx, depth + 1)
                if key.type == "string":
                    entries.append((str(key.literal), self.value(pair.named_children[-1], ctx, depth + 1)))
            return Value("object", expr=ctx.text(node), keys=tuple(entries), pos=ctx.column(node))
        if kind == "array_literal":
            items = tuple(self.value(c, ctx, depth + 1) for c in node.named_children if c.type != "comment")
            return Value("array", expr=ctx.text(node), items=items)
        if kind == "message_expression":
            text = ctx.text(node).replace(" ", "")
            if text in ("[NSDatedate]", "[NSDatenew]"):
                return Value("time", expr=ctx.text(node))
            if text == "[NSNullnull]":
                return Value("null")
            return Value.dynamic(ctx.text(node))
        if kind == "identifier":
            name = ctx.text(node)
            if name in ("YES", "TRUE", "true"):
                return Value("boolean", True)
            if name in ("NO", "FALSE", "false"):
                return Value("boolean", False)
            if name in ("nil", "NULL", "Nil"):
                return Value("null")
            if name in ctx.constants:
                found = ctx.constants[name]
                return Value(found.type, found.literal, name)
            if name in ctx.bindings:
                return Value.dynamic(name)
            return Value("ref", expr=name, ref=name)  # `extern NSString *const kX` defined in another file
        return Value.dynamic(ctx.text(node))

    @staticmethod
    def _string(node: Node) -> str:
        parts = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(node_text(child))
            elif child.type == "escape_sequence":
                parts.append(_unescape(node_text(child)))
        return "".join(parts)


OBJC = ObjCAdapter()
