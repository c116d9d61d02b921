"""Bad input never crashes the scanner: random text per language, binary files, invalid UTF-8, size limits,
syntax errors, symlink loops, unreadable files and folders. Each is skipped with a reason (or scanned partly)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, write
from hypothesis import given
from hypothesis import strategies as st

from taxonomy.config import Config
from taxonomy.scan import scan_paths, treesitter
from taxonomy.scan.languages import SUFFIXES, adapter_for
from taxonomy.scan.scanner import FileOutcome, scan_source
from taxonomy.scan.signatures import build

# One suffix per adapter: every registered language is fuzzed, including the ones added later.
ADAPTERS = sorted({spec: (lang, suffix) for suffix, (lang, spec) in SUFFIXES.items()}.items())
SNIPPETS = ["braze.", "logCustomEvent(", "getUser()", "?.", '"', "'", "`", "${", "{", "}", "(", ")", "[", "]", ",",
            ":", "=", "\n", "import ", " from ", "@braze/web-sdk", "const ", "events", "external_id", "#", "//",
            "/*", "*/", "\\", "setCustomUserAttribute", "logPurchase", "None", "null", "1.5", "+"]  # fmt: skip
# Swift, Objective-C, Dart (issue 5b), one line each
SNIPPETS += ["AppDelegate.braze?.", "user.set(email:", "name:", "\\(", "enum E: String { case a = "]  # fmt: skip
SNIPPETS += ["[Appboy sharedInstance]", " logCustomEvent:", '@"', "@{", "@[", "#define k @", ".email = "]  # fmt: skip
SNIPPETS += ["BrazePlugin()", "..", "properties: {", "'''", "\\$", "final braze = ", "<BrazePlugin>"]  # fmt: skip
SNIPPETS += ["?.let { ", "it.", " -> ", "BrazeProperties()", ".addProperty(", "AppboyBinding.", "Braze.getInstance(c)",
             "currentUser", "new Dictionary<string, object> { {", '$"', '@"', '"""', "every { ", "const val ", "${",
             "static final String ", "enum class E(val v: String) { A(", "import static a.B.C;", "[\"k\"] = ",
             "LogCustomEvent(", "apply { ", "with(", "verify { ", "getCurrentUser { u -> "]  # fmt: skip
source_text = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8)), max_size=40).map("".join)


@pytest.mark.parametrize(("spec", "language"), [(spec, lang) for spec, (lang, _suffix) in ADAPTERS])
@given(text=source_text)
def test_random_source_never_crashes(spec: str, language: str, text: str) -> None:
    sigs = build()
    outcome = scan_source(text.encode("utf-8"), FileOutcome("f", language), spec, sigs)
    for site in outcome.sites:
        assert site.line >= 1 and site.column >= 1
    adapter_for(spec).constants(text.encode("utf-8"))


@given(data=st.binary(max_size=200))
def test_random_bytes_never_crash(data: bytes) -> None:
    sigs = build()
    for spec, (language, _suffix) in ADAPTERS:
        scan_source(b"braze.logCustomEvent(" + data, FileOutcome("f", language), spec, sigs)


def _scan(tmp_path: Path, **kwargs: object) -> dict[str, str]:
    result = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, **kwargs)  # type: ignore[arg-type]
    return {s.file: s.reason for s in result.skipped}


def test_bad_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "blob.js").write_bytes(b"\x00\x01braze.logCustomEvent('x')\x00")
    (tmp_path / "latin1.ts").write_bytes(b"braze.logCustomEvent('caf\xe9');\n")
    write(tmp_path / "big.js", "braze.logCustomEvent('x');\n" + "//" + "x" * 3_000_000 + "\n")
    write(tmp_path / "broken.ts", "braze.logCustomEvent('before');\nconst = = ;\nbraze.logCustomEvent('after');\n")
    write(tmp_path / "broken.py", "def f(:\n    pass\n")
    write(tmp_path / "ok.js", "braze.logCustomEvent('fine');\n")
    skipped = _scan(tmp_path)
    assert skipped["blob.js"] == "binary file"
    assert skipped["latin1.ts"].startswith("not valid UTF-8")
    assert skipped["big.js"].startswith("larger than the size limit")
    assert skipped["broken.ts"].startswith("syntax error at")
    assert "ok.js" not in skipped
    result = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False)
    names = {s.name for s in result.call_sites if s.file == "broken.ts"}
    assert {"before", "after"} <= names  # tree-sitter recovers: the sites around the error are still there


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks and permissions")
def test_symlink_loops_and_unreadable_paths(tmp_path: Path) -> None:
    write(tmp_path / "src" / "a.js", "braze.logCustomEvent('a');\n")
    os.symlink(tmp_path / "src", tmp_path / "src" / "loop")
    os.symlink(tmp_path / "missing.js", tmp_path / "dangling.js")
    secret = write(tmp_path / "secret.js", "braze.logCustomEvent('s');\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    write(locked / "b.js", "braze.logCustomEvent('b');\n")
    secret.chmod(0)
    locked.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        skipped = _scan(tmp_path)
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)
    assert skipped["src/loop"].startswith("symlink loop")
    assert skipped["secret.js"].startswith("unreadable")
    assert skipped["locked"].startswith("unreadable folder")
    assert skipped["dangling.js"].startswith("unreadable")


def test_symlink_loop_as_root_too(tmp_path: Path) -> None:
    write(tmp_path / "src" / "a.js", "braze.logCustomEvent('a');\n")
    os.symlink(tmp_path / "src", tmp_path / "src" / "loop")
    skipped = _scan(tmp_path)
    assert skipped["src/loop"].startswith("symlink loop")


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    write(tmp_path / ".taxonomy.toml", '[scan]\nmax-file-size = "1KB"\n')
    write(tmp_path / "a.js", "braze.logCustomEvent('a');\n" + "// pad\n" * 300)
    result = run_cli("scan", "--format", "json", "--no-cache", cwd=tmp_path)
    assert result.code == 0
    assert '"reason": "larger than the size limit' in result.out


def test_text_output_shows_skipped_as_notes(tmp_path: Path) -> None:
    (tmp_path / "blob.js").write_bytes(b"\x00braze")
    result = run_cli("scan", "--no-cache", cwd=tmp_path)
    assert result.code == 0
    assert "note: skipped blob.js: binary file" in result.out


def test_deeply_nested_input_is_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path / "deep.js", "braze.logCustomEvent(" + "a." * 20000 + "b, " + "(" * 3000 + "1" + ")" * 3000 + ");\n")
    write(tmp_path / "deep.ts", 'braze.logCustomEvent("e", ' + "{a: " * 3000 + "1" + "}" * 3000 + ");\n")
    write(tmp_path / "deep.py", 'x = {"events": [{"external_id": 1, "name": ' + "[" * 3000 + "]" * 3000 + "}]}\n")
    result = run_cli("scan", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "deep.ts:1:7  event log  e" in result.out
    assert "note: skipped deep.py: syntax error" in result.out


def test_deeply_nested_jvm_and_csharp_input_is_not_a_crash(tmp_path: Path) -> None:
    nested = "".join(f"class C{i} {{ " for i in range(3000)) + "}" * 3000 + "\n"
    write(tmp_path / "deep.kt", "fun f() { braze.logCustomEvent(" + "a." * 20000 + "b) }\n" + nested)
    write(tmp_path / "deep.java", 'class A { void f() { braze.logCustomEvent("j"); } }\n' + nested)
    dictionary = 'new Dictionary<string, object> { {"a", ' * 2000 + "1" + "} }" * 2000
    write(
        tmp_path / "deep.cs",
        f'class A {{ void F() {{ AppboyBinding.LogCustomEvent("c", {dictionary}); }} }}\n' + nested,
    )
    result = run_cli("scan", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "deep.java:1:28  event log  j" in result.out
    assert "deep.cs:1:36  event log  c  (properties: a)" in result.out


def test_a_parse_that_runs_away_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tree-sitter-kotlin's error recovery spins for ever, memory growing, on this broken file (found by the skim
    property test): the parse is stopped at its time limit and the file skipped with a reason; the rest is scanned,
    the files after it too (the parser is reused: a parse stopped half way must not be resumed on the next file)."""
    monkeypatch.setattr(treesitter, "PARSE_SECONDS", 0.5)
    (tmp_path / "Spins.kt").write_bytes((FIXTURES / "scan_bad" / "kotlin_parser_spins.kt").read_bytes())
    write(tmp_path / "Ok.kt", 'fun f() {\n    Braze.getInstance(ctx).logCustomEvent("fine")\n}\n')
    write(tmp_path / "Then.kt", 'fun g() {\n    Braze.getInstance(ctx).logCustomEvent("after")\n}\n')
    result = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1)
    reason = (
        "the parser gave up after 0.5 s (the file most likely has a syntax error its grammar cannot recover from:"
        " fix it, or exclude the file); not scanned"
    )
    assert [(s.file, s.reason) for s in result.skipped] == [("Spins.kt", reason)]
    assert [(s.file, s.name) for s in result.call_sites] == [("Ok.kt", "fine"), ("Then.kt", "after")]
