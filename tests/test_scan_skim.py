"""Skimming (scan/skim.py) never changes what a scan finds: every scanner fixture and example source, and those files
with filler functions inserted anywhere (their bodies made of other files' lines: bindings that shadow receivers,
constants, comments, quotes, braces, mentions), scan to the same calls, payloads, constants and imports whether the
file is parsed whole or skimmed. A syntax error only inside a blanked body is not reported (the file reads as if that
body were empty), so a file whose whole parse has an error is compared only when the skimmed parse has one too."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, run_cli, write
from hypothesis import assume, given
from hypothesis import strategies as st
from tree_sitter import Node

from taxonomy.scan.adapter import FileScan, ParseGaveUp
from taxonomy.scan.languages import SUFFIXES, adapter_for
from taxonomy.scan.python_ast import PythonAdapter
from taxonomy.scan.signatures import build
from taxonomy.scan.skim import Guard, skim, skim_python
from taxonomy.scan.treesitter import TreeSitterAdapter

SOURCES = sorted(
    p for p in [*(FIXTURES / "scan").rglob("*"), *EXAMPLES.rglob("*")] if p.is_file() and p.suffix in SUFFIXES
)
# A function (a method in Java and C#) each language accepts wherever a declaration may stand.
FILLERS = {
    "kotlin": ("fun filler{n}(fillerArg: List<Int>): Int {{", "}}"),
    "java": ("  static int filler{n}(int fillerArg) {{", "  }}"),
    "swift": ("func filler{n}(fillerArg: Int) -> Int {{", "}}"),
    "javascript": ("function filler{n}(fillerArg) {{", "}}"),
    "typescript": ("function filler{n}(fillerArg: number): number {{", "}}"),
    "dart": ("int filler{n}(int fillerArg) {{", "}}"),
    "csharp": ("  static int Filler{n}(int fillerArg) {{", "  }}"),
    "objc": ("int filler{n}(int fillerArg) {{", "}}"),
    "python": ("def filler{n}(fillerArg):", ""),
}


def _adapter(path: Path) -> tuple[str, TreeSitterAdapter | PythonAdapter]:
    language, spec = SUFFIXES[path.suffix]
    adapter = adapter_for(spec)
    assert isinstance(adapter, TreeSitterAdapter | PythonAdapter)
    return language, adapter


def _found(scan: FileScan) -> tuple[object, ...]:
    return scan.calls, scan.payloads, scan.constants, scan.imports


def _same(source: bytes, language: str, adapter: TreeSitterAdapter | PythonAdapter) -> None:
    sigs = build(("segment", "mparticle"))
    try:
        whole = adapter._scan(source, sigs)
    except ParseGaveUp:  # (a broken file some grammar's error recovery never finishes: tests/test_scan_robust.py)
        return
    skimmed = adapter.scan(source, sigs)
    if whole.error is None or skimmed.error is not None:  # (a skimmed tree with an error is parsed again whole)
        assert (*_found(skimmed), skimmed.error) == (*_found(whole), whole.error)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_every_fixture_scans_the_same_skimmed(path: Path) -> None:
    language, adapter = _adapter(path)
    _same(path.read_bytes(), language, adapter)


@pytest.mark.parametrize("language", sorted(FILLERS))
def test_a_filler_function_is_blanked_and_fits(language: str) -> None:
    """The property below means something only if skimming happens: a plain function beside a fixture's code is
    blanked, and the parse confirms the blanked body is that function's."""
    sigs = build()
    path = next(p for p in SOURCES if SUFFIXES[p.suffix][0] == language)
    _, adapter = _adapter(path)
    opening, closing = FILLERS[language]
    lines = LINES[path]
    at = next(i for i in range(len(lines), 0, -1) if lines[i - 1].strip() not in ("}", "@end", ""))
    if language in ("java", "csharp"):  # a method goes inside the class: before the file's last closing brace
        at = max(i for i, line in enumerate(lines) if line.startswith("}"))
    if language == "python":  # at the top level
        at = len(lines)
    body = ["    total = 0", "    total += 2"] if language == "python" else ["    int total = 0;", "    total += 2;"]
    filler = [opening.format(n=0), *body, closing.format()]
    source = "\n".join([*lines[:at], *filler, *lines[at:]]).encode("utf-8")
    guard = Guard(sigs, language, ())
    skimmed = skim_python(source, guard) if language == "python" else skim(source, language, guard)
    assert skimmed is not None and b"total += 2" in skimmed.blanked
    assert _found(adapter._scan(skimmed, sigs)) == _found(adapter._scan(source, sigs))


LINES = {path: path.read_text("utf-8").splitlines() for path in SOURCES}
BY_LANGUAGE: dict[str, list[str]] = {}
for _path, _lines in LINES.items():
    BY_LANGUAGE.setdefault(SUFFIXES[_path.suffix][0], []).extend(line.strip() for line in _lines if line.strip())
BODY_EXTRAS = ["/* {", "}", "{", '"{"', "'}'", "`", '"""', "static let braze = 1", "const val X = 1", "// }", ""]


@given(data=st.data())
def test_filler_functions_change_nothing(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SOURCES))
    language, adapter = _adapter(path)
    lines = list(LINES[path])
    opening, closing = FILLERS[language]
    for n in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines)))
        body = data.draw(st.lists(st.sampled_from(BY_LANGUAGE[language] + BODY_EXTRAS), max_size=6))
        indent = opening[: len(opening) - len(opening.lstrip())] + "    "
        lines[at:at] = [opening.format(n=n), *(indent + line for line in body), closing.format()]
    _same("\n".join(lines).encode("utf-8"), language, adapter)


@given(data=st.data())
def test_a_skimmed_parse_reads_only_what_is_left(data: st.DataObject) -> None:
    """The parser skips the blanked spans (they are outside its ranges) and builds the very tree it builds from the
    blanked text: every node, its kind and its positions."""
    path = data.draw(st.sampled_from([p for p in SOURCES if SUFFIXES[p.suffix][0] != "python"]))
    language, adapter = _adapter(path)
    assert isinstance(adapter, TreeSitterAdapter)
    lines = list(LINES[path])
    opening, closing = FILLERS[language]
    for n in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines)))
        body = data.draw(st.lists(st.sampled_from(BY_LANGUAGE[language] + BODY_EXTRAS), max_size=6))
        lines[at:at] = [opening.format(n=n), *("        " + line for line in body), closing.format()]
    skimmed = skim("\n".join(lines).encode("utf-8"), language, Guard(build(), language, ()))
    assume(skimmed is not None and skimmed.gaps)
    assert skimmed is not None
    with contextlib.suppress(ParseGaveUp):
        assert _nodes(adapter.parse(skimmed)) == _nodes(adapter.parse(bytes(skimmed)))


def _nodes(root: Node) -> list[tuple[object, ...]]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append((node.type, node.start_byte, node.end_byte, node.start_point, node.end_point, node.is_missing))
        stack.extend(node.children)
    return out


def test_a_syntax_error_is_reported_unless_only_in_a_body_that_cannot_matter(tmp_path: Path) -> None:
    """What a user sees: the call sites either way; a syntax error near them is reported where the whole parse puts
    it, one inside another function's body (blanked: nothing there could be a call site) is not."""
    sends = 'function send() {\n  braze.logCustomEvent("x");\n}\n'
    write(tmp_path / "near.js", "function helper() {\n  return 1;\n}\n" + sends.replace('"x");', '"x";'))
    write(tmp_path / "far.js", "function helper() {\n  return (1;\n}\n" + sends)
    result = run_cli("scan", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    data = json.loads(result.out)
    assert [(s["file"], s["line"], s["name"]) for s in data["call_sites"]] == [("far.js", 5, "x"), ("near.js", 5, "x")]
    assert data["skipped"] == [
        {"file": "near.js", "reason": "syntax error at 5:27; call sites elsewhere in the file are still reported"}
    ]


@pytest.mark.parametrize(
    ("language", "source", "kept"),
    [
        (
            "kotlin",
            b"fun plain(n: Int): Int {\n    return n * 2\n}\n\n"
            b"@JvmStatic\nfun annotated(n: Int): Int {\n    return n\n}\n\n"
            b'fun sends(ctx: Context) {\n    Braze.getInstance(ctx).logCustomEvent("x")\n}\n',
            [b"@JvmStatic", b"fun annotated(n: Int): Int {", b"}", b"fun sends(ctx: Context) {",
             b'    Braze.getInstance(ctx).logCustomEvent("x")', b"}"],
        ),
        (
            "java",
            b"class A {\n  static int plain(int n) {\n    return n * 2;\n  }\n\n"
            b'  @Override\n  public String toString() {\n    return "a";\n  }\n\n'
            b'  void sends(Context ctx) {\n    if (ctx != null) {\n      Braze.getInstance(ctx).logCustomEvent("x");\n'
            b"    }\n  }\n}\n",
            [b"class A {", b"  @Override", b"  public String toString() {", b"  }", b"  void sends(Context ctx) {",
             b"    if (ctx != null) {", b'      Braze.getInstance(ctx).logCustomEvent("x");', b"    }", b"  }", b"}"],
        ),
        (
            "objc",
            b'@implementation Shop\n- (void)sends {\n    [[Appboy sharedInstance] logCustomEvent:@"x"];\n}\n\n'
            b"- (int)plain:(int)n {\n    return n * 2;\n}\n@end\n",
            [b"@implementation Shop", b"- (void)sends {", b'    [[Appboy sharedInstance] logCustomEvent:@"x"];', b"}",
             b"@end"],
        ),
        (
            "python",
            b"class Helpers:\n    def plain(self, n):\n        return n * 2\n\n"
            b"    @staticmethod\n    def decorated(n):\n        return n\n\n"
            b'def sends(client):\n    post(URL, json={"events": [{"external_id": client}]})\n',
            [b"class Helpers:", b"    pass", b"    @staticmethod", b"    def decorated(n):", b"        pass",
             b"def sends(client):", b'    post(URL, json={"events": [{"external_id": client}]})'],
        ),
    ],
)  # fmt: skip
def test_whole_functions_go_but_annotated_ones_keep_their_header(
    language: str, source: bytes, kept: list[bytes]
) -> None:
    """Functions whose one-line header says so (Kotlin `fun`, Swift `func`, JS and TS `function`, Java, C#, Dart and
    C `Type name(params)`, Objective-C `- (type)name`), and plain Python defs (one `pass` line), are blanked whole;
    one under an annotation or a decorator keeps its header (that must still annotate something), and one holding a
    mention stays. Every line stays where it was."""
    guard = Guard(build(), language, ())
    skimmed = skim_python(source, guard) if language == "python" else skim(source, language, guard)
    assert skimmed is not None and bytes(skimmed).count(b"\n") == source.count(b"\n")
    assert [line.rstrip() for line in bytes(skimmed).split(b"\n") if line.strip()] == kept
    if language == "python":  # (its name and parameters are among the text looked-up names are checked against)
        assert b"def plain(self, n):" in skimmed.blanked


@pytest.mark.parametrize(
    ("fixture", "at", "body"),
    [
        ("swift/Analytics.swift", 0, ["func viewed(product: Product, source: String) {"]),  # a brace left open
        ("mparticle/web.js", 0, ["}", "const body = {"]),  # the function closes before the layout says
    ],
)
def test_examples_the_property_found(fixture: str, at: int, body: list[str]) -> None:
    path = FIXTURES / "scan" / fixture
    language, adapter = _adapter(path)
    lines = list(LINES[path])
    opening, closing = FILLERS[language]
    lines[at:at] = [opening.format(n=0), *("    " + line for line in body), closing.format()]
    _same("\n".join(lines).encode("utf-8"), language, adapter)


def test_names_no_other_line_uses_leave_long_imports() -> None:
    """A long `from ... import` line keeps the names the file's other lines use (`ast` reads every name); the others
    are still among the file's imports. A line maybe inside a string, with an `as`, or holding a searched name stays."""
    names = ", ".join(f"EVENT_{n}" for n in range(12))
    source = (
        f"from shop.events import {names}\n"
        f"from .more import {names.replace('EVENT', 'MORE')}, SENT\n"
        f"from .other import {names.replace('EVENT', 'OTHER')}, OTHER_X as ALIASED\n"
        'NOTE = """\nfrom shop.other import A, B, C, D, E, F, G, H, I, J, K\n"""\n\n'
        "def helper(n):\n    return EVENT_5 * n\n\n"
        'def sends(client):\n    post(URL, json={"events": [{"external_id": client, "name": EVENT_3}]})\n'
        '    post(URL, json={"events": [{"external_id": client, "name": SENT}]})\n'
    ).encode()
    _language, adapter = _adapter(next(p for p in SOURCES if p.suffix == ".py"))
    skimmed = skim_python(source, Guard(build(), "python", ()))
    assert skimmed is not None and bytes(skimmed).count(b"\n") == source.count(b"\n")
    lines, original = bytes(skimmed).split(b"\n"), source.split(b"\n")
    assert lines[:2] == [b"from shop.events import EVENT_3", b"from .more import SENT"]
    assert lines[2:5] == original[2:5]  # (an `as`; inside a string)
    assert skimmed.imports["EVENT_5"] == "shop.events" and skimmed.imports["MORE_0"] == ".more"
    assert "EVENT_3" not in skimmed.imports and b"EVENT_11" in skimmed.blanked
    whole = adapter._scan(source, build())
    assert _found(adapter.scan(source, build())) == _found(whole) and whole.error is None
    assert len(whole.payloads) == 2 and len(whole.imports) == 12 + 13 + 13


@given(
    used=st.lists(st.integers(0, 11), max_size=4),
    hidden=st.lists(st.integers(0, 11), max_size=4),
    module=st.sampled_from(["shop.events", ".events", "..", "app.analytics.constants"]),
)
def test_long_imports_change_nothing(used: list[int], hidden: list[int], module: str) -> None:
    """Whatever names the kept code and the blanked functions use, the skimmed scan finds what the whole one does."""
    names = ", ".join(f"EVENT_{n}" for n in range(12))
    events = ", ".join(f'{{"external_id": u, "name": EVENT_{n}}}' for n in used) or '{"external_id": u}'
    source = (
        f"from {module} import {names}\n\n"
        + "".join(f"def helper{n}(x):\n    return EVENT_{n} + x\n\n" for n in hidden)
        + f'def sends(u):\n    post(URL, json={{"events": [{events}]}})\n'
    ).encode()
    _language, adapter = _adapter(next(p for p in SOURCES if p.suffix == ".py"))
    _same(source, "python", adapter)
