"""Python, read with the standard library's `ast` (exact, fast, no grammar wheel needed), on the adapter contract.

Calls are `obj.method(...)` / `method(...)` with keyword arguments as labels; receivers are dotted paths with
module-level aliases substituted (`client = braze.Client()`); constants are module-level `NAME = "literal"` and class
attributes (`Events.SIGNED_UP`); `from app.events import SIGNED_UP` makes SIGNED_UP a project-wide reference.
"""

from __future__ import annotations

import ast
import functools
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator
from typing import Any

from taxonomy.scan.adapter import FileScan
from taxonomy.scan.records import Arg, RawCall, Value, concat
from taxonomy.scan.signatures import SignatureSet
from taxonomy.scan.skim import Guard, Skimmed, scan_skimmed, skim_python

_MAX_DEPTH = 12
_PAYLOAD_KEYS = frozenset(("events", "attributes", "purchases"))
_PAYLOAD_KEYS_BYTES = [k.encode() for k in sorted(_PAYLOAD_KEYS)]
_LONE_CR = re.compile(rb"\r(?!\n)")
_ESCAPE = re.compile(rb"\\[xuUN0-7\r\n]")  # an escape that can spell a letter, or a continued line
_ADJACENT = re.compile(rb"[\"'](?:[ \t\f]|\\?\r?\n|#[^\n]*)+[rRbBuUfF]{0,2}[\"']")  # "ev" "ents"
_EVERY_LINE: list[int] = []  # a marker: no pruning
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)


class PythonAdapter:
    language = "python"

    def scan(self, source: bytes, sigs: SignatureSet) -> FileScan:
        """The whole file's calls, parsing only what can matter when the file allows it (scan/skim.py)."""
        skimmed = None
        if _plain(source) and not (_ESCAPE.search(source) or _ADJACENT.search(source)):  # names spelled as written
            skimmed = skim_python(source, _guard(sigs))
        return scan_skimmed(source, skimmed, lambda data: self._scan(data, sigs))

    def _scan(self, source: bytes, sigs: SignatureSet) -> FileScan:
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            return FileScan(error=(exc.lineno or 1, exc.offset or 1), partial=False)
        except (ValueError, RecursionError, MemoryError):
            return FileScan(error=(1, 1), partial=False)
        ctx = _Context(source, sigs.methods(self.language))
        want_payloads = self.language in sigs.payloads
        calls, dicts = ctx.collect(tree, want_payloads)
        if type(source) is Skimmed:  # the names skimming left out of long imports (scan/skim.py)
            for name, module in source.imports.items():
                ctx.imported[name] = module
                ctx.from_imported.add(name)
        out = FileScan(constants=dict(ctx.constants))
        for node in calls:
            call = ctx.call(node)
            if call is not None:
                out.calls.append(call)
        for literal in dicts:
            out.payloads.append((literal.lineno, ctx.column(literal), ctx.value(literal)))
        out.imports = dict(ctx.imported)  # after the values: module attributes add their hints
        return out

    def constants(self, source: bytes) -> dict[str, Value]:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return {}
        ctx = _Context(source, frozenset())
        ctx.collect(tree, False, walk=False)
        return dict(ctx.constants)


class _Context:
    def __init__(self, source: bytes, methods: frozenset[str]) -> None:
        self.lines = source.split(b"\n")
        self.methods = methods
        self.constants: dict[str, Value] = {}
        self.imported: dict[str, str] = {}  # local name -> module (".events" for relative imports)
        self.from_imported: set[str] = set()  # names bound by `from module import name`
        self.bindings: dict[str, ast.expr | None] = {}  # filled per name on first need (`binding`)
        self._looked_up: set[str] = set()
        self._all_bound = False
        self._plain: bool | None = None  # ASCII, no lone CR: a name is found where its text is
        self.source = source
        self.tree = ast.Module(body=[], type_ignores=[])

    def column(self, node: Any) -> int:
        line = self.lines[node.lineno - 1] if node.lineno - 1 < len(self.lines) else b""
        return len(line[: node.col_offset].decode("utf-8", "replace")) + 1

    def text(self, node: ast.AST) -> str:
        """The node's source text (ast.get_source_segment re-splits the whole file on every call: too slow)."""
        start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if start is None or end is None:
            return str(ast.unparse(node))
        first: int = getattr(node, "col_offset", 0)
        last: int = getattr(node, "end_col_offset", 0)
        if start == end:
            return str(self.lines[start - 1][first:last].decode("utf-8", "replace"))
        parts = [self.lines[start - 1][first:], *self.lines[start : end - 1], self.lines[end - 1][:last]]
        return str(b"\n".join(parts).decode("utf-8", "replace"))

    def collect(
        self, tree: ast.Module, want_payloads: bool, *, walk: bool = True
    ) -> tuple[list[ast.Call], list[ast.Dict]]:
        """Module constants and imports; with `walk`, the calls of a signature method and the payload literals
        (in `ast.walk` order), and local bindings looked up when a receiver needs them."""
        for stmt in tree.body:
            if isinstance(stmt, ast.ImportFrom):
                module = "." * stmt.level + (stmt.module or "")
                for alias in stmt.names:
                    self.imported[alias.asname or alias.name] = module
                    self.from_imported.add(alias.asname or alias.name)
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    self.imported[(alias.asname or alias.name).split(".")[0]] = alias.name
            elif isinstance(stmt, ast.Assign | ast.AnnAssign):
                self._assign(stmt, "")
            elif isinstance(stmt, ast.ClassDef):
                for inner in stmt.body:
                    if isinstance(inner, ast.Assign | ast.AnnAssign):
                        self._assign(inner, stmt.name + ".")
        calls: list[ast.Call] = []
        dicts: list[ast.Dict] = []
        if not walk:
            return calls, dicts
        self.tree = tree
        words = [m.encode() for m in self.methods]
        if want_payloads:
            words += _PAYLOAD_KEYS_BYTES
        lines = self._lines_of(words, payloads=want_payloads)
        if lines is None:  # the source is not plain enough to find things by their text: read it all
            self.bindings = self._bind_all()
            self._all_bound = True
            lines = _EVERY_LINE
        methods = self.methods
        for node in _walk(tree, lines):
            kind = type(node)
            if kind is ast.Call:
                func = node.func  # type: ignore[attr-defined]
                name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None
                if name in methods:
                    calls.append(node)  # type: ignore[arg-type]
            elif kind is ast.Dict and want_payloads:
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}  # type: ignore[attr-defined]
                if keys & _PAYLOAD_KEYS:
                    dicts.append(node)  # type: ignore[arg-type]
        return calls, dicts

    def _lines_of(self, words: list[bytes], *, payloads: bool) -> list[int] | None:
        """The (sorted) line numbers where any of `words` occurs, as `ast` numbers lines; None when the text may
        spell a name or a key another way: non-ASCII identifiers (NFKC-normalised by the parser), lone `\\r` line
        ends, and, for payload keys, escapes or adjacent literals (`"\\x65vents"`, `"ev" "ents"`)."""
        source = self.source
        if self._plain is None:
            self._plain = _plain(source)
        if not self._plain or (payloads and (_ESCAPE.search(source) or _ADJACENT.search(source))):
            return None
        if type(source) is Skimmed:
            source.check(words)
        starts = sorted(at for word in words if word for at in _occurrences(source, word))
        lines: list[int] = []
        line, previous = 1, 0
        for at in starts:
            line += source.count(b"\n", previous, at)
            previous = at
            if not lines or lines[-1] != line:
                lines.append(line)
        return lines

    def _bind_all(self) -> dict[str, ast.expr | None]:
        counts: dict[str, list[ast.expr | None]] = {}
        for node in ast.walk(self.tree):
            _count(node, counts, None)
        return {name: values[0] if len(values) == 1 else None for name, values in counts.items()}

    def binding(self, name: str) -> ast.expr | None:
        """The value `name` is bound to when it is assigned exactly once (and is no parameter), else None."""
        if not self._all_bound and name not in self.bindings and name not in self._looked_up:
            self._looked_up.add(name)
            counts: dict[str, list[ast.expr | None]] = {}
            lines = self._lines_of([name.encode()], payloads=False)
            for node in _walk(self.tree, _EVERY_LINE if lines is None else lines):
                _count(node, counts, name)
            values = counts.get(name)
            if values:
                self.bindings[name] = values[0] if len(values) == 1 else None
        return self.bindings.get(name)

    def _assign(self, stmt: ast.Assign | ast.AnnAssign, prefix: str) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if stmt.value is None:
            return
        value = self.value(stmt.value)
        if value.type in ("dynamic", "ref", "concat"):
            return
        for target in targets:
            if isinstance(target, ast.Name):
                self.constants[prefix + target.id] = value

    def receiver(self, node: ast.expr, depth: int = 0) -> str:
        if depth > _MAX_DEPTH:
            return "?"
        if isinstance(node, ast.Name):
            bound = self.binding(node.id)
            if bound is not None:
                return self.receiver(bound, depth + 1)
            return node.id
        if isinstance(node, ast.Attribute):
            return f"{self.receiver(node.value, depth + 1)}.{node.attr}"
        if isinstance(node, ast.Call):
            return f"{self.receiver(node.func, depth + 1)}()"
        if isinstance(node, ast.Subscript):
            return f"{self.receiver(node.value, depth + 1)}[]"
        return "?"

    def call(self, node: ast.Call) -> RawCall | None:
        func = node.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            if method not in self.methods:
                return None
            receiver: str | None = self.receiver(func.value)
            line = func.end_lineno or node.lineno
            column = self._attr_column(func)
        elif isinstance(func, ast.Name):
            method = func.id
            if method not in self.methods:
                return None
            receiver, line, column = None, func.lineno, self.column(func)
        else:
            return None
        args = [Arg(None, self.value(a)) for a in node.args if not isinstance(a, ast.Starred)]
        args += [Arg(k.arg, self.value(k.value)) for k in node.keywords if k.arg is not None]
        return RawCall(method, receiver, line, column, tuple(args))

    def _attr_column(self, func: ast.Attribute) -> int:
        # the method name's own position: end of the attribute minus its length (same line)
        line = self.lines[(func.end_lineno or func.lineno) - 1]
        end = len(line[: func.end_col_offset or 0].decode("utf-8", "replace"))
        return end - len(func.attr) + 1

    def value(self, node: ast.expr, depth: int = 0) -> Value:
        if depth > _MAX_DEPTH:
            return Value.dynamic(self.text(node))
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return Value("boolean", v)
            if isinstance(v, str):
                return Value("string", v)
            if isinstance(v, int):
                return Value("integer", v)
            if isinstance(v, float):
                return Value("float", v)
            if v is None:
                return Value("null")
            return Value.dynamic(self.text(node))
        if isinstance(node, ast.Dict):
            entries = []
            places = []
            for key, val in zip(node.keys, node.values, strict=True):
                if key is None:
                    continue
                k = self.value(key, depth + 1)
                if k.type == "string":
                    entries.append((str(k.literal), self.value(val, depth + 1)))
                    places.append((key.lineno, self.column(key)))
            return Value(
                "object",
                expr=self.text(node),
                keys=tuple(entries),
                pos=(node.lineno, self.column(node)),
                key_pos=tuple(places),
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            entries = [(k.arg, self.value(k.value, depth + 1)) for k in node.keywords if k.arg]
            return Value("object", expr=self.text(node), keys=tuple(entries), pos=(node.lineno, self.column(node)))
        if isinstance(node, ast.List | ast.Tuple):
            return Value("array", expr=self.text(node), items=tuple(self.value(e, depth + 1) for e in node.elts))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return concat(self.value(node.left, depth + 1), self.value(node.right, depth + 1), self.text(node))
        if isinstance(node, ast.JoinedStr):
            parts = [
                self.value(v.value, depth + 1) if isinstance(v, ast.FormattedValue) else self.value(v, depth + 1)
                for v in node.values
            ]
            result = Value("string", "")
            for part in parts:
                result = concat(result, part, self.text(node))
            return result
        if isinstance(node, ast.Name | ast.Attribute):
            name = _dotted(node)
            if name is None:
                return Value.dynamic(self.text(node))
            if name in self.constants:
                found = self.constants[name]
                return Value(found.type, found.literal, self.text(node), found.keys, found.items)
            root, _, rest = name.partition(".")
            if root in self.imported:
                # `events.SIGNED_UP` (module imported) -> SIGNED_UP; `Events.X` (class imported) -> Events.X
                ref = rest if rest and root[:1].islower() else name
                if ref == rest:  # a module attribute: the constant lives in that module
                    module = self.imported[root]
                    if root in self.from_imported:
                        module = f"{module}.{root}" if not module.endswith(".") else f"{module}{root}"
                    self.imported.setdefault(rest.split(".", 1)[0], module)
                return Value("ref", expr=self.text(node), ref=ref)
            return Value.dynamic(self.text(node))
        return Value.dynamic(self.text(node))


@functools.lru_cache(maxsize=8)
def _guard(sigs: SignatureSet) -> Guard:
    """Skimming keeps the bodies that hold a method name or a payload key (what `_lines_of` searches for)."""
    return Guard(sigs, "python", (*(m.encode() for m in sigs.methods("python")), *_PAYLOAD_KEYS_BYTES))


def _plain(source: bytes) -> bool:
    """ASCII, no lone CR: a name is found where its text is (no NFKC spelling, no other line numbering)."""
    return source.isascii() and _LONE_CR.search(source) is None


def _occurrences(source: bytes, word: bytes) -> Iterator[int]:
    at = source.find(word)
    while at >= 0:
        yield at
        at = source.find(word, at + 1)


def _walk(tree: ast.AST, lines: list[int]) -> Iterator[ast.AST]:
    """`ast.walk` (breadth first, in the same order) over the nodes whose lines hold one of `lines`: a node that
    spans none of them holds nothing worth reading, so its whole subtree is skipped. `_EVERY_LINE`: every node.
    (A definition starts at its first decorator; what an f-string holds is always read, its positions being
    unreliable before Python 3.12.)"""
    every = lines is _EVERY_LINE
    todo: deque[tuple[ast.AST, bool]] = deque([(tree, not every)])
    while todo:
        node, prune = todo.popleft()
        if prune and type(node) is ast.JoinedStr:
            prune = False
        for field in node._fields:
            value = getattr(node, field, None)
            for child in value if isinstance(value, list) else (value,):
                if not isinstance(child, ast.AST) or isinstance(child, _LEAVES):
                    continue
                if prune and not _holds(child, lines):
                    continue
                todo.append((child, prune))
        yield node


def _holds(node: ast.AST, lines: list[int]) -> bool:
    """Whether one of `lines` (sorted) falls within the node's lines (a node without a position: maybe)."""
    end = getattr(node, "end_lineno", None)
    if end is None:
        return True
    start: int = node.lineno  # type: ignore[attr-defined]
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        start = min(start, *(d.lineno for d in decorators))
    index = bisect_left(lines, start)
    return index < len(lines) and lines[index] <= end


def _count(node: ast.AST, counts: dict[str, list[ast.expr | None]], only: str | None) -> None:
    """A binding `node` makes: each plain-name target of an assignment, each parameter (never a constant)."""
    kind = type(node)
    if kind is ast.Assign:
        for target in node.targets:  # type: ignore[attr-defined]
            if isinstance(target, ast.Name) and (only is None or target.id == only):
                counts.setdefault(target.id, []).append(node.value)  # type: ignore[attr-defined]
    elif kind is ast.arg and (only is None or node.arg == only):  # type: ignore[attr-defined]
        counts.setdefault(node.arg, []).append(None)  # type: ignore[attr-defined]


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


PYTHON = PythonAdapter()
