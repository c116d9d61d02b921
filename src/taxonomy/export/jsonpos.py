"""JSON with positions: objects and arrays remember where they start, so findings can point into a file.

The standard library's pure-Python scanner is reused with its object and array parsers wrapped; exports hold
thousands of items, not millions, so its speed is ample.
"""

from __future__ import annotations

import bisect
import json
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.findings import Span

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<![0-9a-fA-F]{2})(?<!\\u[dD][89abAB])\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATES = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: Any) -> bool:
    """Python's json lets a lone surrogate through; it cannot be printed or written as UTF-8."""
    if isinstance(value, str):
        return _SURROGATES.search(value) is not None
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


class JObject(dict[str, Any]):
    __slots__ = ("offset",)
    offset: int


class JArray(list[Any]):
    __slots__ = ("offset",)
    offset: int


class _Decoder(json.JSONDecoder):
    def __init__(self) -> None:
        super().__init__(strict=False)
        this: Any = self
        plain_object: Callable[..., tuple[dict[str, Any], int]] = this.parse_object
        plain_array: Callable[..., tuple[list[Any], int]] = this.parse_array

        def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[JObject, int]:
            value, end = plain_object(s_and_end, *args)
            out = JObject(value)
            out.offset = s_and_end[1] - 1  # the scanner passes the index after `{`
            return out, end

        def parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[JArray, int]:
            value, end = plain_array(s_and_end, scan_once)
            out = JArray(value)
            out.offset = s_and_end[1] - 1
            return out, end

        this.parse_object = parse_object
        this.parse_array = parse_array
        # The pure-Python scanner reads the (wrapped) parsers from this object; the C one would not.
        this.scan_once = getattr(json.scanner, "py_make_scanner")(self)  # noqa: B009 - not in typeshed


class Located:
    """A parsed JSON document and a way to turn offsets into 1-based line:column spans."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        try:
            self.data: Any = _Decoder().decode(text)
        except json.JSONDecodeError as exc:
            raise TaxonomyError(f"invalid JSON: {exc.msg}", file=display, line=exc.lineno, column=exc.colno) from None
        except RecursionError:
            raise TaxonomyError("invalid JSON: nested too deeply", file=display) from None
        if _ESCAPED_SURROGATE.search(text) and _has_surrogate(self.data):
            found = _LONE.search(text)
            line, column = self.at_offset(found.start()) if found else (1, 1)
            raise TaxonomyError(
                "invalid JSON: a \\u escape is half of a UTF-16 pair (a lone surrogate)",
                file=display,
                line=line,
                column=column,
            )

    def at_offset(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def span(self, node: Any) -> Span:
        line, column = self.at_offset(getattr(node, "offset", 0))
        return Span(self.display, line, column)

    def at(self, node: Any) -> tuple[int, int]:
        found = self.span(node)
        return found.line, found.column


def parse(text: str, display: str) -> Located:
    return Located(text, display)
