"""Parse less of a candidate file: blank the function bodies that cannot matter, parse the rest.

A file is parsed because one mention of a method name in it may be a call site; most of such a file is usually other
functions. A function body that mentions no method name holds no call site, and what it declares is its own. So its
interior lines are replaced by spaces (newlines kept: every line, column and byte offset stays where it was) and
tree-sitter parses what is left. Where a one-line header says it starts a function (Kotlin `fun`, Swift `func`, JS
and TS `function`, Java, C#, Dart and C `Type name(params)` with no statement keyword, Objective-C `- (type)name`),
the whole function goes, header included: headers are most of what would be left, and a run of such functions is
one span the parser skips.

The result is the whole parse's, because:
- a body is found by its layout (a line ending in `{`, the next line at the same indentation starting with `}`), and
  blanked only if its interior mentions no needle and, read without its one-line strings, closes every brace it
  opens and no other (so the closing line found is its own), its header is not a type's, an
  assignment's or a comment, and nothing inside can declare what other code sees (`static`, `const`, a class) or
  open a comment or a multi-line string that ends outside it;
- the parse must confirm every blanked body as exactly the body of a function (`Skimmed.fits`; a whole function
  leaves nothing to confirm: its header, the brace check and its closing line holding only `}` vouch);
- every name the adapter looks up (a binding, a declaration, a constant, a named import) is checked against the
  blanked text (`Skimmed.check`, called by the driver's searches);
- a skimmed tree with a syntax error is not used.
When any of these fails, the file is parsed whole: a layout that misleads costs a second parse, never a different
result (`tests/test_scan_skim.py` holds this against generated files). A syntax error only inside a blanked body is
not reported: the file reads as if that body were empty.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from taxonomy.scan.prefilter import IDENT_CHARS, one_line_strings, prefilter

if TYPE_CHECKING:
    from tree_sitter import Node

    from taxonomy.scan.adapter import FileScan
    from taxonomy.scan.signatures import SignatureSet

_BLANK = bytes(10 if byte == 10 else 32 for byte in range(256))  # every byte a space, newlines kept

# Strings that do not follow the usual escapes, lines continued, conditional compilation: files holding one are
# parsed whole. A body whose interior holds an odd number of multi-line string delimiters (or unequal comment
# openers and closers) is kept: its blanking could change what the text after it means.
_CONTINUED = (b"\\\n", b"\\\r\n")
_HAZARDS = {"swift": (b'#"', *_CONTINUED), "csharp": (b'@"', b"#if", *_CONTINUED), "objc": (b"#if", *_CONTINUED)}
_DELIMITERS = (b'"""', b"'''", b"`")
_TEMPLATES = frozenset({"kotlin", "dart"})  # their strings interpolate `${x}`
# What a function body's node hangs from, per grammar: a blanked body must turn out to be one of these.
_OWNERS = {
    "javascript": frozenset({"function_declaration", "generator_function_declaration", "method_definition"}),
    "typescript": frozenset({"function_declaration", "generator_function_declaration", "method_definition"}),
    "kotlin": frozenset({"function_body", "secondary_constructor"}),
    "java": frozenset({"method_declaration", "constructor_declaration"}),
    "swift": frozenset({"function_declaration", "init_declaration"}),
    "dart": frozenset({"function_body"}),
    "csharp": frozenset({"method_declaration", "constructor_declaration", "local_function_statement"}),
    "objc": frozenset({"method_definition", "function_definition"}),
}
# Words that make a header a type's or an initialiser's, or a body hold a declaration other code may see.
_TYPES = (b"class", b"interface", b"enum", b"struct", b"record", b"object", b"companion", b"extension", b"protocol",
          b"namespace", b"new")  # fmt: skip
_DECLARES = {
    "javascript": (b"export", b"class", b"enum"),
    "typescript": (b"export", b"class", b"enum", b"namespace", b"declare"),
    "kotlin": (b"const", b"object", b"companion", b"class", b"enum", b"interface"),
    "java": (b"static", b"class", b"enum", b"interface", b"record"),
    "swift": (b"static", b"class", b"struct", b"enum", b"extension", b"protocol"),
    "dart": (b"static", b"const", b"class", b"enum", b"mixin", b"extension"),
    "csharp": (b"const", b"static", b"class", b"struct", b"enum", b"record", b"interface"),
    "objc": (b"static", b"const", b"extern", b"#define", b"@interface", b"@implementation"),
}


def scan_skimmed(source: bytes, skimmed: Skimmed | None, scan: Callable[[bytes], FileScan]) -> FileScan:
    """`scan(skimmed)` where it stands for the whole file (no `Unskimmed` raised, no syntax error), else
    `scan(source)`."""
    if skimmed is not None:
        try:
            out = scan(skimmed)
        except Unskimmed:
            pass
        else:
            if out.error is None:
                return out
    return scan(source)


class Unskimmed(Exception):
    """The skimmed file cannot stand for the whole one (a blanked body is not a function's, or a name the adapter
    looks up occurs in the blanked text): the file must be parsed whole."""


class Skimmed(bytes):
    """A file's bytes with some function bodies blanked; `check` guards every search for a name in it."""

    blanked: bytes  # the original text of the blanked lines, joined by newlines (searched for looked-up names)
    bodies: list[tuple[int, int]]  # offsets of the opening and closing brace of each blanked body
    gaps: list[tuple[int, int]]  # the blanked spans (start, end), in order (with the blanks between them): the parse
    # need not read them
    owners: frozenset[str]
    absent: frozenset[bytes]  # names known not to occur in the blanked text (the mentions searched for)
    imports: dict[str, str]  # Python: the names left out of `from ... import` lines -> their module, as `ast` says

    def check(self, needles: Iterable[bytes]) -> None:
        for needle in needles:
            if needle not in self.absent and any(_whole_words(self.blanked, needle)):
                raise Unskimmed(needle.decode("utf-8", "replace"))

    def fits(self, root: Node) -> None:
        """Every blanked body is, in the parsed tree, exactly the body of a function (else `Unskimmed`)."""
        for opened, closed in self.bodies:
            brace = root.descendant_for_byte_range(opened, opened + 1)
            body = brace.parent if brace is not None and brace.type == "{" else None
            owner = body.parent if body is not None else None
            if (owner is None or body is None or body.start_byte != opened or body.end_byte != closed + 1
                    or owner.type not in self.owners):  # fmt: skip
                raise Unskimmed(f"{opened}")


class Guard:
    """What skimming must not blank, for one language: the prefilter's needles, and the names an adapter searches
    for beyond them (`set` of `set(email:)`, `email` of a setter `email=`): a body holding one is kept, else the
    adapter's search for it would send the file back to a whole parse."""

    def __init__(self, sigs: SignatureSet, language: str, searched: Iterable[bytes]) -> None:
        needles = sigs.prefilter(language)
        self.automaton = prefilter(sigs, language).automaton
        self.names = tuple(name for name in searched if name not in needles)
        self.absent = frozenset((*needles, *self.names))

    def mentions(self, data: bytes) -> list[int]:
        """The sorted offsets of every needle and of every whole-word occurrence of the other names."""
        found = [start for _, start, _ in self.automaton.find_matches_as_indexes(data)]
        extra = [at for name in self.names for at in _whole_words(data, name)]
        return sorted(found + extra) if extra else found


def _whole_words(data: bytes, name: bytes) -> Iterator[int]:
    """Where `name` occurs as a whole identifier (a `find` loop: a regex with a look-behind tries every offset)."""
    at = data.find(name)
    while at >= 0:
        end = at + len(name)
        if (not at or data[at - 1] not in IDENT_CHARS) and (end == len(data) or data[end] not in IDENT_CHARS):
            yield at
        at = data.find(name, at + 1)


@functools.cache
def _patterns(language: str) -> tuple[Any, re.Pattern[bytes], Any, re.Pattern[bytes]]:
    """For headers, then for bodies: an automaton finding, in one pass over a file, what makes one worth a closer
    look, and what makes that look rule it out (a type's header, an assignment, a comment; a declaration)."""
    from ahocorasick_rs import BytesAhoCorasick

    word = rb"(?<![\w$])(?:%s)(?![\w$])"
    words = _DECLARES[language]
    header = re.compile(rb"/|^\s*\*|(?<![=!<>])=(?![=>])|@\w|" + word % b"|".join(_TYPES))
    body = re.compile(word % b"|".join(re.escape(w) for w in words))
    return (BytesAhoCorasick([*_TYPES, b"/", b"*", b"=", b"@"]), header,
            BytesAhoCorasick([*words, *_DELIMITERS, b"/*", b"*/"]), body)  # fmt: skip


def skim(data: bytes, language: str, guard: Guard) -> Skimmed | None:
    """`data` with the function bodies that cannot matter blanked; None when there is nothing to blank or the file
    holds a construct that hides where bodies end."""
    owners = _OWNERS.get(language)
    if owners is None or any(hazard in data for hazard in _HAZARDS.get(language, _CONTINUED)):
        return None
    found = guard.mentions(data)
    header_automaton, bad_header, body_automaton, declaring = _patterns(language)
    header_doubts = [start for _, start, _ in header_automaton.find_matches_as_indexes(data)]
    doubts = [start for _, start, _ in body_automaton.find_matches_as_indexes(data)]
    newline = b"{\r\n" if b"\r\n" in data else b"{\n"
    whole = _whole(language)
    typed = whole is not None and whole.groups > 0  # (its type and name are checked against `_KEYWORDS`)
    strings = one_line_strings(language)
    # Does a one-line string hold a brace? Asked once, on the first body with one; in Kotlin and Dart (`"${x}"`) so
    # many do that the answer is yes.
    quoted: bool | None = True if language in _TEMPLATES else None
    bodies: list[tuple[int, int]] = []
    gaps: list[tuple[int, int]] = []  # blanked at the end (a run of functions is one span, one copy)
    bisect_left = bisect.bisect_left
    # (The loop below runs for every `{` ending a line of every candidate file: written for speed, inline.)
    at = 0
    while (brace := data.find(newline, at)) >= 0:
        at = brace + 1
        line_start = data.rfind(b"\n", 0, brace) + 1
        header = data[line_start:brace]
        code = header.lstrip(b" \t")
        if code:
            indent = header[: len(header) - len(code)]
            header_alone = False
        else:  # a brace on its own line: the header is the line before
            indent = header
            line_start = data.rfind(b"\n", 0, max(line_start - 1, 0)) + 1
            header = data[line_start:brace]
            header_alone = True
        closing = data.find(b"\n" + indent + b"}", at)
        first = brace + len(newline) - 1  # the newline ending the line of `{`
        if closing <= first:
            continue  # no closing line, or no whole line inside
        closed = closing + 1 + len(indent)
        index = bisect_left(found, line_start)
        if index < len(found) and found[index] < closed:
            continue  # a mention in the body or on its header: look inside
        index = bisect_left(header_doubts, line_start)
        if index < len(header_doubts) and header_doubts[index] < brace and bad_header.search(header):
            continue  # a type's header, an assignment, a comment
        interior = data[first + 1 : closing]
        braces = interior.translate(None, _NOT_BRACES)
        if braces:  # read without its one-line strings, the interior must close every brace it opens and no other
            if quoted is None:
                quoted = _quoted_braces(data, strings)
            if quoted and (b'"' in interior or b"'" in interior):
                braces = strings.sub(b"", interior).translate(None, _NOT_BRACES)
            while b"{}" in braces:  # (braces nest properly exactly when removing `{}` pairs leaves nothing)
                braces = braces.replace(b"{}", b"")
            if braces:
                continue  # the layout may not say where this body ends
        index = bisect_left(doubts, first)
        if index < len(doubts) and doubts[index] < closing and not _plain(interior, declaring):
            continue
        if whole is not None and not header_alone and (match := whole.match(data, line_start, brace)) is not None:
            if typed:
                kind, name = match.group("type", "name")
                if kind is not None and (kind.partition(b".")[0] in _KEYWORDS or name in _KEYWORDS):
                    match = None  # `else if (x)`, `return foo(x)`: a statement
            end = data.find(b"\n", closed)
            end = len(data) if end < 0 else end
            # Only blanks since the last gap: it was a function's, which ended on its `}` line (no annotation there).
            if match is not None and not data[closed + 1 : end].strip():
                joined = bool(gaps) and not data[gaps[-1][1] : line_start].strip()
                if joined or not _annotated(data, line_start):
                    if joined:  # (one gap for a run of functions: fewer ranges)
                        gaps[-1] = (gaps[-1][0], end)
                    else:
                        gaps.append((line_start, end))  # nothing left for the parse to confirm
                    at = closed
                    continue
        bodies.append((brace, closed))
        gaps.append((first + 1, closing))
        at = closed
    if not gaps:
        return None
    out = bytearray(data)
    for start, end in gaps:
        out[start:end] = data[start:end].translate(_BLANK)
    skimmed = Skimmed(out)
    skimmed.blanked = b"\n".join([data[start:end] for start, end in gaps])
    skimmed.bodies = bodies
    skimmed.gaps = gaps
    skimmed.owners = owners
    skimmed.absent = guard.absent
    skimmed.imports = {}
    return skimmed


# A one-line header that starts a function: the whole function (header and braces too) is blanked, since the headers
# are most of what is left to parse (and each blanked body would be a range of its own for the parser). Elsewhere
# only the body is, and the parse confirms it is a function's.
_MODIFIERS = (
    rb"(?:(?:private|fileprivate|public|internal|protected|open|override|static|final|suspend|inline|operator|infix"
    rb"|tailrec|mutating|nonmutating|async|export|default)[ \t]+)*"
)
# Java, C#, Dart and C functions have no keyword: a header is `[modifiers] [<T>] ReturnType name(params)` on one
# line, its parameters without parentheses, neither word a statement's keyword (`else if (x)`, `lock (x)`: checked
# on the match, `_KEYWORDS`), and a word before the name (a return type, or a modifier: `public Foo(...)`), so an
# enum constant with a body keeps its header; Objective-C methods start with `-` or `+`.
_KEYWORDS = frozenset(
    b"if for foreach while switch catch using lock fixed synchronized try else do return new throw on when await yield"
    b" case default assert sizeof typeof nameof checked unchecked unsafe goto in is as".split()
)
_TYPED = (
    rb"[ \t]*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|native|strictfp|default"
    rb"|override|virtual|sealed|async|extern|unsafe|partial|external|inline)[ \t]+)*(?:<[\w.<>\[\], ?]*>[ \t]+)?"
    rb"(?P<type>[A-Za-z_][\w.]*)(?:<[\w.<>\[\], ?]*>)?(?:\[\])*\??[ \t]+"
    rb"(?P<name>[A-Za-z_]\w*)[ \t]*\([^()]*\)(?:[ \t]+throws[ \t]+[\w., \t]+)?(?:[ \t]+async\*?)?[ \t]*$"
)
_WHOLE_PATTERNS = {
    "kotlin": rb"[ \t]*" + _MODIFIERS + rb"fun[ \t]",
    "swift": rb"[ \t]*" + _MODIFIERS + rb"func[ \t]",
    "javascript": rb"[ \t]*" + _MODIFIERS + rb"function[ \t*]",
    "typescript": rb"[ \t]*" + _MODIFIERS + rb"function[ \t*]",
    "java": _TYPED,
    "csharp": _TYPED,
    "dart": _TYPED,
    "objc": rb"[ \t]*[-+][ \t]*\([^()]*\)[^{};]*$|" + _TYPED,
}


@functools.cache
def _whole(language: str) -> re.Pattern[bytes] | None:
    """The language's function header pattern (compiled on first use: a worker compiles only its files' ones)."""
    pattern = _WHOLE_PATTERNS.get(language)
    return None if pattern is None else re.compile(pattern)


def _quoted_braces(data: bytes, strings: re.Pattern[bytes]) -> bool:
    """A one-line string of the file holds a brace. When none does, a body's braces need no string taken out:
    string matches never span a newline, so each line reads the same alone as in its file, and a body is lines."""
    held = b"".join(strings.findall(data))
    return b"{" in held or b"}" in held


_NOT_BRACES = bytes(b for b in range(256) if b not in b"{}")


def _annotated(data: bytes, line_start: int) -> bool:
    """The line before (blank lines aside) is an annotation or a decorator, which the header must keep."""
    end = line_start - 1  # the newline that ends the line before
    while end > 0:
        start = data.rfind(b"\n", 0, end) + 1
        line = data[start:end].strip()
        if line:
            return line.startswith(b"@")
        end = start - 1
    return False


def _plain(interior: bytes, declaring: re.Pattern[bytes]) -> bool:
    """No declaration others may see, and every comment and multi-line string opened inside closes inside."""
    if declaring.search(interior):
        return False
    return interior.count(b"/*") == interior.count(b"*/") and not any(interior.count(d) % 2 for d in _DELIMITERS)


# A module-level `from module import a, b as c, ...` on one line (no parentheses, no comment, nothing after it).
# A module-level `from module import a, b, ...` on one line (no parentheses, no `as`, no comment, nothing after it).
_FROM = re.compile(rb"^(from[ \t]+[\w.]+[ \t]+import[ \t]+)(\w+(?:[ \t]*,[ \t]*\w+)*)[ \t]*$", re.M)
_WORD = re.compile(rb"[A-Za-z_]\w*")
_MANY_NAMES = 8  # (a shorter list costs `ast` next to nothing)


def _unused_imports_out(text: bytes, guard: Guard, parts: list[bytes], imports: dict[str, str]) -> bytes:
    """`text` with the names that nothing else in it uses left out of its long `from ... import` lines (`ast` reads
    an imported name at the speed of a statement; the generated benchmark's Python files import 300 constants).
    Such a name is bound once and never looked up (only names in the code are); it goes into `imports` (name ->
    module, for the adapter to add back) and its text into `parts` (the blanked text). Lines, and the other lines'
    columns, stay as they were."""
    lines = [match for match in _FROM.finditer(text) if match.group(2).count(b",") >= _MANY_NAMES]
    if not lines:
        return text
    others, end = [], 0  # every other line's words: what the code uses
    for match in lines:
        others.append(text[end : match.start()])
        end = match.end()
    used = set(_WORD.findall(b"\n".join([*others, text[end:]])))
    out: list[bytes] = []
    kept = 0
    for match in lines:
        before = match.start()
        if guard.mentions(match.group()) or text.count(b'"""', 0, before) % 2 or text.count(b"'''", 0, before) % 2:
            continue  # a name searched for, or maybe inside a string: left as it is
        names = _WORD.findall(match.group(2))
        if len(set(names)) != len(names):
            continue  # (a name twice: left to `ast`)
        keep = [name for name in names if name in used] or names[:1]  # (`import` needs a name)
        if len(keep) == len(names):
            continue
        out += [text[kept : match.start(2)], b", ".join(keep)]
        chosen = set(keep)
        dropped = b" ".join([name for name in names if name not in chosen])
        parts.append(dropped)
        imports.update(dict.fromkeys(dropped.decode("ascii").split(), match.group(1).split()[1].decode("ascii")))
        kept = match.end(2)
    return b"".join([*out, text[kept:]]) if out else text


_DEF = re.compile(rb"^([ \t]*)(?:async[ \t]+)?def[ \t][^\n#]*:[ \t]*(?:#[^\n]*)?$", re.M)  # a one-line `def` header
_INNER = re.compile(rb"^([ \t]+)[^ \t\r\n]", re.M)  # the first line of a body, and its indentation


@functools.lru_cache(maxsize=64)
def _body(indent: bytes) -> re.Pattern[bytes]:
    """The lines after a header indented `indent` that are blank or indented deeper (starting with `indent`)."""
    return re.compile(rb"(?:[ \t]*\r?\n|" + re.escape(indent) + rb"[ \t]+[^ \t\r\n][^\n]*\n)*")


def skim_python(data: bytes, guard: Guard) -> Skimmed | None:
    """Python: a `def` whose header is one line becomes `pass` and empty lines, header and all (line numbers kept;
    `ast` positions are per line); only its body, when a decorator needs the header. The body is the run of lines
    after the header that are blank or indented deeper; the def is blanked only if it mentions no needle, its body
    balances its brackets, holds an even number of each triple quote and does not end on a continued line, so it is
    the function's whole body (or, before a comment written further left, the start of it). Names no other line uses
    leave long `from ... import` lines (`_unused_imports_out`)."""
    found = guard.mentions(data)
    out: list[bytes] = []
    parts: list[bytes] = []
    kept = 0  # data[:kept] is in `out` already
    at = 0
    while match := _DEF.search(data, at):
        start = match.end() + 1  # the first body line
        body = data[start : _body(match.group(1)).match(data, start).end()]  # type: ignore[union-attr]
        at = match.end()
        inner = _INNER.search(body)
        mention = bisect.bisect_left(found, match.start())
        if inner is None or (mention < len(found) and found[mention] < start + len(body)):
            continue  # nothing to blank, or a mention: look inside
        count = body.count
        if (count(b"(") + count(b"[") + count(b"{") != count(b")") + count(b"]") + count(b"}")
                or count(b'"""') % 2 or count(b"'''") % 2 or body.rstrip().endswith(b"\\")):  # fmt: skip
            continue
        if _annotated(data, match.start()):
            out.append(data[kept:start])
            out.append(inner.group(1) + b"pass" + b"\n" * body.count(b"\n"))
            parts.append(body)
        else:  # (a third less for `ast` to read, and the function's name and parameters are out of the way)
            out.append(data[kept : match.start()])
            out.append(match.group(1) + b"pass" + b"\n" * (1 + body.count(b"\n")))
            parts.append(data[match.start() : start + len(body)])
        kept = at = start + len(body)
    out.append(data[kept:])
    imports: dict[str, str] = {}
    text = _unused_imports_out(b"".join(out), guard, parts, imports)
    if not parts:
        return None
    skimmed = Skimmed(text)
    skimmed.imports = imports
    skimmed.blanked = b"\n".join(parts)
    skimmed.bodies = []
    skimmed.gaps = []
    skimmed.owners = frozenset()
    skimmed.absent = guard.absent
    return skimmed
