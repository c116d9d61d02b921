"""The records the scanner produces and the adapters hand to the engine.

An adapter (one per language) turns syntax into `RawCall`s whose arguments are `Value`s; the shared engine
matches them against the signatures (rules/sdk/*.yaml) and builds `CallSite`s. Nothing here knows a grammar.
"""

from __future__ import annotations

from typing import NamedTuple

# What a scan produces lives in results.py (a warm scan needs only those); here too for those who look here.
from taxonomy.scan.results import CallSite as CallSite
from taxonomy.scan.results import Literal as Literal
from taxonomy.scan.results import ScanResult as ScanResult
from taxonomy.scan.results import Skipped as Skipped
from taxonomy.scan.results import Suppressed as Suppressed

# Value types: the literal ones, plus the three that need the engine's help.
LITERAL_TYPES = ("string", "integer", "float", "boolean", "null", "object", "array", "time")
# "ref": a constant reference (dotted name) resolved later; "concat": parts joined with +; "dynamic": anything else.


class Value(NamedTuple):
    """What an adapter knows about one argument or literal, without evaluating any code. (These records are named
    tuples, not frozen dataclasses: a scan makes tens of thousands, and a tuple is made five times faster.)"""

    type: str  # one of LITERAL_TYPES, or "ref", "concat", "dynamic"
    literal: Literal = None  # for string / integer / float / boolean
    expr: str | None = None  # the source text, for anything that is not a plain literal
    keys: tuple[tuple[str, Value], ...] = ()  # object entries whose keys are literal
    items: tuple[Value, ...] = ()  # array items; or the parts of a "concat"
    ref: str | None = None  # dotted constant name for "ref" (e.g. "Events.SIGNED_UP")
    pos: tuple[int, int] | None = None  # line, column of an object literal (payload entries are reported there)
    key_pos: tuple[tuple[int, int], ...] = ()  # line, column of each key of `keys` (payload attributes point there)

    @staticmethod
    def dynamic(expr: str) -> Value:
        return Value("dynamic", expr=expr)

    def get(self, key: str) -> Value | None:
        for name, value in self.keys:
            if name == key:
                return value
        return None


class Arg(NamedTuple):
    label: str | None  # the argument label (Swift, Kotlin named, Python keyword, ObjC selector part) or None
    value: Value


class RawCall(NamedTuple):
    """A call as the adapter saw it: method name, normalised receiver path, arguments, position of the method."""

    method: str
    receiver: str | None  # e.g. "braze.getUser()", "window.braze"; None for a bare function call
    line: int  # 1-based, of the method name
    column: int  # 1-based, in characters
    args: tuple[Arg, ...]


def negate(inner: Value | None, expr: str) -> Value:
    """`-x`: the negated number when x is a numeric literal, else dynamic."""
    if inner is not None and inner.type in ("integer", "float") and isinstance(inner.literal, int | float):
        return Value(inner.type, -inner.literal)
    return Value.dynamic(expr)


def concat(left: Value, right: Value, expr: str) -> Value:
    """Join two values with `+`: literal when both are literal strings, pending when constants are involved."""
    if left.type == "string" and right.type == "string":
        return Value("string", f"{left.literal}{right.literal}")
    if left.type in ("string", "ref", "concat") and right.type in ("string", "ref", "concat", "integer"):
        parts = (
            *(left.items if left.type == "concat" else (left,)),
            *(right.items if right.type == "concat" else (right,)),
        )
        return Value("concat", expr=expr, items=parts)
    return Value.dynamic(expr)
