"""`taxonomy lint --fix`: the fixes findings carry, applied through the round-trip writer."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from helpers import run_cli, write
from hypothesis import given, settings
from hypothesis import strategies as st

from taxonomy import fixer
from taxonomy.findings import Entity, Finding, Fix, Severity, Span
from taxonomy.fmt import FmtOptions
from taxonomy.loader import load
from taxonomy.model import TYPES
from taxonomy.resources import load_rule_pack

BROKEN = """\
version: 1
events:
  signed_up:
    description: User signed up.   # keep me
    status: deprecated
    properties:
      age: {type: int, minimum: 0}
      plan: {type: String, enum: [pro, basic]}
      when: {type: datetime}

attributes:
  # a list of tags
  tags_list: {type: list, items: str}
  tier: {type: strnig}
"""

FIXED = """\
version: 1
events:
  signed_up:
    description: User signed up.   # keep me
    status: deprecated
    reason: TODO
    properties:
      age: {type: integer, minimum: 0}
      plan: {type: string, enum: [pro, basic]}
      when: {type: time}

attributes:
  # a list of tags
  tags_list: {type: array, items: string}
  tier: {type: strnig}
"""


def test_lint_offers_the_fixes_without_writing(tmp_path: Path) -> None:
    target = write(tmp_path / "taxonomy.yaml", BROKEN)
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 1
    assert "note: 6 of these can be fixed with `taxonomy lint --fix`" in result.out
    assert "got 'int' (did you mean `integer`?)" in result.out
    assert target.read_text(encoding="utf-8") == BROKEN


def test_fix_applies_safe_fixes_and_reports_the_rest(tmp_path: Path) -> None:
    target = write(tmp_path / "taxonomy.yaml", BROKEN)
    result = run_cli("lint", "--fix", cwd=tmp_path)
    assert target.read_text(encoding="utf-8") == FIXED
    assert result.err.splitlines() == [
        "fixed taxonomy.yaml:3:3: SCH003 add `reason: TODO`",
        "fixed taxonomy.yaml:7:19: SCH001 `int` -> `integer`",
        "fixed taxonomy.yaml:8:20: SCH001 `String` -> `string`",
        "fixed taxonomy.yaml:9:20: SCH001 `datetime` -> `time`",
        "fixed taxonomy.yaml:13:21: SCH001 `list` -> `array`",
        "fixed taxonomy.yaml:13:34: SCH001 `str` -> `string`",
        "6 fixes applied",
    ]
    # a misspelling is not an alias: the tool does not guess, it reports
    assert result.code == 1
    assert "15:16  error    SCH001  `type` must be one of" in result.out
    assert "Found 1 problem (1 error) in 1 file." in result.out
    again = run_cli("lint", "--fix", cwd=tmp_path)
    assert again.err == "0 fixes applied\n"
    assert target.read_text(encoding="utf-8") == FIXED


def test_fix_keeps_json_output_clean(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BROKEN)
    result = run_cli("lint", "--fix", "--format", "json", cwd=tmp_path)
    document = json.loads(result.out)
    assert [f["code"] for f in document["findings"]] == ["SCH001"]
    assert "6 fixes applied" in result.err


def test_fix_writes_into_the_included_file(tmp_path: Path) -> None:
    root = write(tmp_path / "taxonomy.yaml", "version: 1\ninclude: [team.yaml]\n")
    team = write(tmp_path / "team.yaml", "attributes:\n  age: {type: int}\n")
    result = run_cli("lint", "--fix", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "fixed team.yaml:2:15: SCH001 `int` -> `integer`" in result.err
    assert team.read_text(encoding="utf-8") == "attributes:\n  age: {type: integer}\n"
    assert root.read_text(encoding="utf-8") == "version: 1\ninclude: [team.yaml]\n"


def test_enum_order_is_a_finding_and_a_fix_only_when_configured(tmp_path: Path) -> None:
    target = write(
        tmp_path / "taxonomy.yaml", "version: 1\nattributes:\n  theme: {type: string, enum: [system, dark]}\n"
    )
    assert run_cli("lint", cwd=tmp_path).code == 0
    write(tmp_path / ".taxonomy.toml", '[fmt]\nsort = ["enums"]\n')
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 1
    assert "FMT001  enum values of `theme` are not sorted: dark, system" in result.out
    fixed = run_cli("lint", "--fix", cwd=tmp_path)
    assert fixed.code == 0, fixed.out
    assert "fixed taxonomy.yaml:3:31: FMT001 sort the enum values" in fixed.err
    assert target.read_text(encoding="utf-8") == (
        "version: 1\nattributes:\n  theme: {type: string, enum: [dark, system]}\n"
    )


def _finding(fix: Fix, line: int = 3) -> Finding:
    return Finding("SCH003", "missing", Severity.ERROR, Span("taxonomy.yaml", line, 3), Entity("event", "a"), fix)


def test_any_check_can_attach_a_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The machinery knows no codes: a naming check's `owner: TODO` works like the built-in fixes."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "taxonomy.yaml", "version: 1\nevents:\n  a:\n    description: A.\n\n  b: {}\n")
    loaded = load(tmp_path / "taxonomy.yaml")
    changes = fixer.apply(
        [
            _finding(Fix("add `owner: TODO`", ("events", "a", "owner"), "TODO")),
            _finding(Fix("add a platform", ("events", "gone", "platforms"), ["web"])),
            _finding(Fix("rename it", ("events", "a"), "b", action="rename")),
        ],
        loaded.documents,
        FmtOptions(),
    )
    assert [(c.applied, c.note) for c in changes] == [
        (True, ""),
        (False, "the place no longer exists"),
        (False, "unknown action 'rename'"),
    ]
    assert (tmp_path / "taxonomy.yaml").read_text(encoding="utf-8") == (
        "version: 1\nevents:\n  a:\n    description: A.\n    owner: TODO\n\n  b: {}\n"
    )


ALIASES = ["int", "Integer", "str", "String", "bool", "double", "date", "datetime", "timestamp", "dict", "long"]


@settings(max_examples=40)
@given(
    st.lists(st.sampled_from([*ALIASES, "string", "integer", "strnig"]), min_size=1, max_size=6),
    st.booleans(),
)
def test_fixing_aliases_leaves_canonical_types_and_nothing_else_changed(types: list[str], flow: bool) -> None:
    lines = ["version: 1", "attributes:"]
    for i, kind in enumerate(types):
        lines += (
            [f"  a{i}: {{type: {kind}, owner: o{i}}}  # c{i}"] if flow else [f"  a{i}:  # c{i}", f"    type: {kind}"]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "taxonomy.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        before = load(path)
        fixer.apply(before.findings, before.documents, FmtOptions())
        after = load(path)
        text = path.read_text(encoding="utf-8")
        # every alias became its canonical type; a misspelling is left for a human
        written = {name: attr.type for name, attr in after.taxonomy.attributes.items()}
        for i, kind in enumerate(types):
            assert written[f"a{i}"] == ("string" if kind == "strnig" else fixer_canonical(kind))
            assert f"# c{i}" in text
        assert not fixer.fixable(after.findings)
        assert ("strnig" in text) == ("strnig" in types)
        # a second run changes nothing
        fixer.apply(after.findings, after.documents, FmtOptions())
        assert path.read_text(encoding="utf-8") == text


def fixer_canonical(kind: str) -> str:
    aliases = load_rule_pack("type-aliases.yaml")["aliases"]
    return kind.lower() if kind.lower() in TYPES else str(aliases[kind.lower()])
