"""The prefilter never drops a file with a call site: per-rule cases (tests/fixtures/prefilter/cases.yaml) and a
property test that shuffles lines of every scanner fixture and example source, with comment and string hazards
between them, and checks that whatever the full scan of a file without syntax errors finds, the prefilter kept.
(In a broken file the parser's error recovery may read a call where the language sees a string or a comment: an
unterminated `/*` or `"` on the line before; the prefilter follows the language.)"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, FIXTURES
from hypothesis import given
from hypothesis import strategies as st

from taxonomy.scan.languages import SUFFIXES
from taxonomy.scan.scanner import FileOutcome, candidate, scan_source
from taxonomy.scan.signatures import build

CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "prefilter" / "cases.yaml").read_text("utf-8"))
SPECS = {lang: spec for lang, spec in SUFFIXES.values()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['language']}: {c['why']}")
def test_case(case: dict[str, Any]) -> None:
    sigs = build()
    source = case["source"].encode("utf-8")
    assert candidate(source, sigs, case["language"]) is case["wants"]
    if not case["wants"]:  # the full scan agrees: nothing to find
        assert scan_source(source, FileOutcome("f", case["language"]), SPECS[case["language"]], sigs).sites == []


def _lines_by_language() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for path in sorted([*(FIXTURES / "scan").rglob("*"), *EXAMPLES.rglob("*")]):
        if path.suffix in SUFFIXES and path.is_file():
            text = path.read_text("utf-8", errors="replace")
            lines.setdefault(SUFFIXES[path.suffix][0], []).extend(line for line in text.splitlines() if line.strip())
    return lines


LINES = _lines_by_language()
HAZARDS = [""] * 20 + [
    "// ",
    "/* ",
    " */",
    "# ",
    '"',
    "'",
    "`",
    '"""',
    "${",
    "\\",
    "@",
    "#",
    "/",
    " = ",
    "(",
    ")",
    ".",
    "\n",
]


@pytest.mark.parametrize("language", sorted(LINES))
@given(data=st.data())
def test_a_file_with_a_call_site_is_never_dropped(language: str, data: st.DataObject) -> None:
    sigs = build()
    pieces = data.draw(st.lists(st.tuples(st.sampled_from(HAZARDS), st.sampled_from(LINES[language])), max_size=12))
    source = "\n".join(hazard + line for hazard, line in pieces).encode("utf-8")
    outcome = scan_source(source, FileOutcome("f", language), SPECS[language], sigs)
    if outcome.sites and not outcome.skipped:
        assert candidate(source, sigs, language), [(s.line, s.kind, s.name) for s in outcome.sites]
