"""Every fixture under tests/fixtures/scan/<folder>/ announces its call sites: `expect:` on the line(s) above each
site, `ok:` above each near miss. The scanner must find exactly the announced sites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from taxonomy.config import Config, load_config
from taxonomy.scan import scan_paths
from taxonomy.scan.languages import SUFFIXES

SCAN = FIXTURES / "scan"
MARKER = re.compile(r"^\s*(?://|#|/\*)\s*(expect|ok):\s*(.*?)\s*(?:\*/)?\s*$")


def expectations(path: Path) -> tuple[set[tuple[int, str, str, str]], dict[int, dict[str, str]], set[int]]:
    """(line, kind, op, name) expected; options per site; lines that must have no site."""
    expected: set[tuple[int, str, str, str]] = set()
    options: dict[int, dict[str, str]] = {}
    quiet: set[int] = set()
    pending: list[tuple[str, str]] = []
    for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
        match = MARKER.match(text)
        if match:
            pending.append((match.group(1), match.group(2)))
            continue
        for marker, body in pending:
            if marker == "ok":
                quiet.add(number)
                continue
            kind, op, name, *rest = body.split()
            expected.add((number, kind, op, name))
            options[number * 1000 + len(expected)] = dict(opt.split("=", 1) for opt in rest) | {
                "_key": f"{kind} {op} {name}"
            }
        pending = []
    return expected, options, quiet


def fixture_files() -> list[Path]:
    return sorted(p for p in SCAN.rglob("*") if p.suffix in SUFFIXES and "expect:" in p.read_text("utf-8"))


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.relative_to(SCAN).as_posix())
def test_fixture(path: Path) -> None:
    folder = SCAN / path.relative_to(SCAN).parts[0]
    config = load_config(folder / ".taxonomy.toml") if (folder / ".taxonomy.toml").exists() else Config(root=folder)
    result = scan_paths([folder], config, use_cache=False)
    rel = path.relative_to(folder).as_posix()
    sites = [s for s in result.call_sites if s.file == rel]
    found = {(s.line, s.kind, s.op, s.name if s.name is not None else ("dynamic" if s.expr else "-")) for s in sites}
    expected, options, quiet = expectations(path)
    assert sorted(found - expected) == [], "reported but not expected"
    assert sorted(expected - found) == [], "expected but not reported"
    assert not {s.line for s in sites} & quiet, "a near miss was reported"
    by_key = {(s.line, s.kind, s.op, s.name or ("dynamic" if s.expr else "-")): s for s in sites}
    for key, opts in options.items():
        line = key // 1000
        kind, op, name = opts["_key"].split()
        site = by_key[(line, kind, op, name)]
        if "props" in opts:
            assert list(site.properties) == opts["props"].split(","), f"line {line}"
        if "sdk" in opts:
            assert site.sdk == opts["sdk"], f"line {line}"
        if "via" in opts:
            assert site.via == opts["via"], f"line {line}"
    assert not [s for s in result.skipped if s.file == rel], result.skipped
