"""The byte-level prefilter: is a file worth parsing at all?

Parsing is most of a scan's cost, so a file is parsed only when one of its mentions of a method name (or payload key)
could be a call site. A mention is ruled out only on evidence that holds whatever the rest of the file says:

- it is part of a longer identifier (`logCustomEventually`);
- it sits on a line comment (`// braze.logCustomEvent(...)`) or inside a block comment opened at a line start;
- it sits inside a plain one-line string literal (`"braze.logCustomEvent('x')"`, no interpolation), on a line with
  nothing that could hide where strings begin (no regex, template, triple-quoted or raw string);
- it is called on a receiver chain (`logger.logCustomEvent`, `verify(mock).logCustomEvent`) that names no segment of
  any receiver pattern of that method, and whose identifiers appear nowhere else in the file, so no import, binding,
  parameter or type annotation can make them stand for an SDK object.

Anything the rules cannot decide keeps the file. `tests/scan/test_prefilter.py` checks that a file whose full scan
finds a call site always passes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from taxonomy.scan.signatures import SignatureSet, needles_of

_NAME = re.compile(rb"[A-Za-z0-9_$\x80-\xff]+")
IDENT_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$") | frozenset(
    range(0x80, 0x100)
)
# Names bound by the language itself (a lambda's `it`, Swift's `$0`, the enclosing object): never ruled out.
_IMPLICIT = frozenset({b"this", b"self", b"super", b"it", b"Self", b"base", b"field"})
_MAX_CHAIN = 400  # bytes walked back from a method name before giving up (and keeping the file)
_SPACE = b" \t\r\n"


@dataclass(frozen=True)
class Prefilter:
    """One language's prefilter, built from the enabled signatures."""

    needles: tuple[bytes, ...]
    automaton: Any  # ahocorasick_rs.BytesAhoCorasick over `needles`: one pass over the bytes finds them all
    receivers: dict[bytes, frozenset[bytes] | None]  # method needle -> literal receiver segments (None: any receiver)
    line_comment: bytes
    block_comments: bool
    quotes: bytes  # characters that open a one-line string literal
    opaque: bytes  # characters outside strings after which a line's strings cannot be told apart
    multiline: tuple[bytes, ...]  # string openers that may span lines: the string rule is off in such files

    def wants(self, data: bytes) -> bool:
        chains: list[list[tuple[int, bytes]]] = []
        strings_known: bool | None = None  # can a line's strings be told apart in this file? (decided on first need)
        for index, start, end in self.automaton.find_matches_as_indexes(data):
            if index >= len(self.needles):
                continue  # padding (see `prefilter`)
            needle = self.needles[index]
            if (start and data[start - 1] in IDENT_CHARS) or (
                end < len(data) and data[end] in IDENT_CHARS and needle[-1] in IDENT_CHARS
            ):
                continue  # part of a longer name
            if self._in_comment(data, start):
                continue
            if needle not in self.receivers:
                return True  # a payload key or a receiver name: string literals count
            if self._in_plain_string(data, start):
                if strings_known is None:
                    strings_known = self._strings_known(data)
                if strings_known:
                    continue
            literals = self.receivers[needle]
            if literals is None:
                return True
            chain = _receiver_chain(data, start, self.line_comment)
            if chain is None or any(name in literals or name in _IMPLICIT or name[:1] == b"$" for _, name in chain):
                return True
            chains.append(chain)
        if not chains:
            return False
        # Ruled out only when no identifier of those receivers is declared, imported or bound anywhere in the file.
        used = {offset for chain in chains for offset, _ in chain}
        for name in {name for chain in chains for _, name in chain}:
            at = data.find(name)
            while at >= 0:
                end = at + len(name)
                whole = not (at and data[at - 1] in IDENT_CHARS) and not (end < len(data) and data[end] in IDENT_CHARS)
                if whole and at not in used:
                    return True
                at = data.find(name, at + 1)
        return False

    def _in_comment(self, data: bytes, start: int) -> bool:
        line_start = data.rfind(b"\n", 0, start) + 1
        if data[line_start:start].lstrip(b" \t").startswith(self.line_comment):
            return True
        if not self.block_comments:
            return False
        opened = data.rfind(b"/*", 0, start)
        if opened < 0 or data.rfind(b"*/", 0, start) > opened or data.find(b"*/", start) < 0:
            return False  # no comment open here, or one never closed (a syntax error the parser recovers from)
        # Only an opener that starts its line is surely a comment (`"src/**/*.ts"` is a string).
        opener_line = data.rfind(b"\n", 0, opened) + 1
        return not data[opener_line:opened].strip(b" \t")

    def _strings_known(self, data: bytes) -> bool:
        """No line may begin inside a string: no multi-line string opener, and every quote closes on its line
        (parsers read an unterminated quote as a string running on; `// don't` is enough to stay careful)."""
        if any(marker in data for marker in self.multiline):
            return False
        rest = _closed_strings(self.quotes).sub(b"", data)
        return not any(quote in rest for quote in self.quotes)

    def _in_plain_string(self, data: bytes, start: int) -> bool:
        """Inside a one-line string literal without interpolation, on a line whose strings can be told apart."""
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", start)
        line = data[line_start : line_end if line_end >= 0 else len(data)]
        at = start - line_start
        if not any(quote in line[:at] for quote in self.quotes):
            return False  # no string opens before it
        index, opened, quote = 0, -1, 0
        while index < len(line):
            char = line[index]
            if opened < 0:
                if index >= at:
                    return False  # reached the mention outside any string
                if char in self.quotes:
                    if line[index : index + 3] == bytes([char]) * 3:
                        return False  # triple-quoted: may span lines
                    opened, quote = index, char
                elif char in self.opaque or (
                    char == ord("r") and index + 1 < len(line) and line[index + 1] in self.quotes
                ):
                    return False  # a template, regex, raw or verbatim string, a comment: too much to tell apart
            elif char == ord("\\"):
                index += 1
            elif char == quote:
                if opened < at < index:
                    return not re.search(rb"\$|\\\(|\{", line[opened:index])
                opened = -1
            index += 1
        return False


@functools.cache
def _closed_strings(quotes: bytes) -> re.Pattern[bytes]:
    """String literals that close on their line; a quote left over once they are gone opens one that does not."""
    # Unrolled (`"[^"\\\n]*(?:\\.[^"\\\n]*)*"`): the engine runs each character class in a tight loop.
    parts = []
    for quote in quotes:
        q = re.escape(bytes([quote]))
        plain = b"[^" + q + rb"\\\n]*"
        parts.append(q + plain + rb"(?:\\." + plain + b")*" + q)
    return re.compile(b"|".join(parts))


def _receiver_chain(data: bytes, start: int, line_comment: bytes) -> list[tuple[int, bytes]] | None:
    """The identifiers of `a.b(x).c` in `a.b(x).c.method(`, read backwards from the method name, with their offsets;
    None (the file is kept) when the name is not called on a receiver (`method(`, `[recv method:`, an import) or the
    receiver is not a plain chain (a cascade, a string, generics, a comment in between)."""
    index = _skip_space_back(data, start - 1, line_comment)
    if index is None or index < 0 or data[index] != ord("."):
        return None  # a bare call, an Objective-C send, an import: decided by the parser
    names: list[tuple[int, bytes]] = []
    limit = start - _MAX_CHAIN
    while True:
        index -= 1  # past the dot
        while index >= 0 and data[index] in b"?!":  # `?.`, `!!.`
            index -= 1
        if index >= 0 and data[index] == ord("."):
            return None  # a Dart cascade `..`
        found = _skip_space_back(data, index, line_comment)
        if found is None or found < 0 or found < limit:
            return None
        index = found
        while data[index] in b")]":
            opener = _group_start(data, index)
            if opener is None:
                return None
            # names inside count too: `verify(braze).logCustomEvent` may be read as a call on `braze`
            names.extend((m.start(), m.group()) for m in _NAME.finditer(data, opener, index))
            index = opener - 1
            found = _skip_space_back(data, index, line_comment)
            if found is None or found < 0:
                return None
            index = found
        end = index + 1
        while index >= 0 and data[index] in IDENT_CHARS:
            index -= 1
        if index + 1 == end:
            return None
        names.append((index + 1, data[index + 1 : end]))
        found = _skip_space_back(data, index, line_comment)
        if found is None or found < 0 or data[found] != ord("."):
            return names
        index = found


def _skip_space_back(data: bytes, index: int, line_comment: bytes) -> int | None:
    """The index of the last non-space byte at or before `index`; None when that crosses into a line that has a
    comment (the chain may continue inside it)."""
    crossed = False
    while index >= 0 and data[index] in _SPACE:
        crossed = crossed or data[index] == ord("\n")
        index -= 1
    if crossed and index >= 0:
        line_start = data.rfind(b"\n", 0, index) + 1
        if line_comment in data[line_start : index + 1] or b"*/" in data[line_start : index + 1]:
            return None
    return index


def _group_start(data: bytes, index: int) -> int | None:
    """From a closing `)` or `]`, the index of its opener; None when a string or comment is inside."""
    depth = 0
    while index >= 0:
        char = data[index]
        if char in b")]":
            depth += 1
        elif char in b"([":
            depth -= 1
            if depth == 0:
                return index
        elif char in b"\"'`/#":
            return None
        index -= 1
    return None


# language -> (line comment, block comments, string quotes, opaque characters, multi-line string openers). `@` starts
# a verbatim C# string, but only marks a string in Objective-C; Swift strings are double-quoted only (`#"` is raw).
# Multi-line strings: triple quotes, JS templates, C# verbatim strings, a backslash ending a line inside a string.
_CONTINUED = (b"\\\n", b"\\\r\n")
_C_FAMILY = (b"//", True, b"\"'", b"`/#@", (b'"""', *_CONTINUED))
_SYNTAX = {
    "python": (b"#", False, b"\"'", b"`/#@", (b'"""', b"'''", *_CONTINUED)),
    "javascript": (b"//", True, b"\"'", b"`/#@", (b"`", *_CONTINUED)),
    "typescript": (b"//", True, b"\"'", b"`/#@", (b"`", *_CONTINUED)),
    "dart": (b"//", True, b"\"'", b"`/#@", (b'"""', b"'''", *_CONTINUED)),
    "csharp": (b"//", True, b"\"'", b"`/#@", (b'"""', b'@"', b'@$"', *_CONTINUED)),
    "swift": (b"//", True, b'"', b"`/#@", (b'"""', *_CONTINUED)),
    "objc": (b"//", True, b"\"'", b"`/#", _CONTINUED),
}


def one_line_strings(language: str) -> re.Pattern[bytes]:
    """The language's string literals that close on their line."""
    return _closed_strings(_SYNTAX.get(language, _C_FAMILY)[2])


@functools.lru_cache(maxsize=32)  # keyed by the SignatureSet object: workers get their own copy per task
def prefilter(sigs: SignatureSet, language: str) -> Prefilter:
    needles = sigs.prefilter(language)
    methods: dict[bytes, set[bytes] | None] = {}
    keys: set[bytes] = set()  # needles that are not method names (property-assignment receivers)
    for group in sigs.by_method.values():
        for sig in group:
            if language not in sig.languages:
                continue
            for needle in needles_of(sig):
                if sig.method.endswith("="):
                    keys.add(needle)
                elif not sig.receivers or any(all("*" in seg for seg in p.split(".")) for p in sig.receivers):
                    methods[needle] = None  # any receiver (or none) may match
                elif needle not in methods or methods[needle] is not None:
                    segments = {seg.rstrip("()[]?!") for p in sig.receivers for seg in p.split(".") if "*" not in seg}
                    methods[needle] = (methods.get(needle) or set()) | {seg.encode() for seg in segments}
    receivers = {n: (frozenset(lit) if lit is not None else None) for n, lit in methods.items() if n not in keys}
    return Prefilter(needles, automaton(needles), receivers, *_SYNTAX.get(language, _C_FAMILY))


@functools.lru_cache(maxsize=64)
def automaton(needles: tuple[bytes, ...]) -> Any:
    """One pass over the bytes finds every needle (leftmost-longest, as `(index, start, end)`).

    With fewer than four patterns the automaton searches by its patterns' rarest bytes, which `_` defeats in Python
    code (240 µs per file instead of 3): patterns that cannot occur in text (a NUL inside) make it search by all of
    them at once. Their matches have indexes past `needles`: callers skip them."""
    from ahocorasick_rs import BytesAhoCorasick, MatchKind

    padding = [b"\0%c\0" % n for n in range(max(0, 4 - len(needles)))]
    return BytesAhoCorasick([*needles, *padding], matchkind=MatchKind.LeftmostLongest)
