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

    def span(self, node: Any) -> Span:
        offset = getattr(node, "offset", 0)
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return Span(self.display, line + 1, offset - start + 1)

    def at(self, node: Any) -> tuple[int, int]:
        found = self.span(node)
        return found.line, found.column


def parse(text: str, display: str) -> Located:
    return Located(text, display)
