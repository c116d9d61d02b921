"""User rule sets: errors in a rule set are usage errors with a position; `taxonomy rules` lists packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write

CLEAN = "version: 1\nevents:\n  product_viewed: {description: x, owner: catalogue}\n"


@pytest.mark.parametrize(
    ("rules", "message", "where"),
    [
        (
            "extends: [recomended]\n",
            "no shipped rule pack `recomended` (did you mean `recommended`?)",
            "team.yaml:1:11",
        ),
        ("rules:\n  r1: {given: event, then: {function: casing}}\n", "`given` 'event' is not one of", "team.yaml:2:"),
        (
            "rules:\n  r1: {given: events, then: {function: casing}}\n",
            "casing` needs `functionOptions: {type:",
            "team.yaml:2:",
        ),
        ("rules:\n  r1: {given: events, then: {function: lowercase}}\n", "`function` must be one of", "team.yaml:2:"),
        (
            "rules:\n  r1: {given: events, then: {function: pattern, functionOptions: {match: '('}}}\n",
            "invalid regular expression",
            "team.yaml:2:",
        ),
        ("rules:\n  r1: {given: events, then: {function: required-field}}\n", "required-field needs", "team.yaml:2:"),
        ("rules:\n  nope: off\n", "rule `nope` is set to `off` but no extended pack", "team.yaml:2:3"),
        ("rules:\n  r1: {given: events, when: x, then: {function: casing}}\n", "unknown key `when`", "team.yaml:2:"),
        ("rule: {}\n", "unknown key `rule` in a rule set (did you mean `rules`?)", "team.yaml:1:1"),
    ],
)
def test_bad_rule_sets_are_usage_errors(tmp_path: Path, rules: str, message: str, where: str) -> None:
    write(tmp_path / "taxonomy.yaml", CLEAN)
    write(tmp_path / ".taxonomy.toml", '[lint]\nrules = "team.yaml"\n')
    write(tmp_path / "team.yaml", rules)
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 2, result.out
    assert message in result.err
    assert where in result.err
    assert "Traceback" not in result.err


def test_unknown_lint_setting(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", CLEAN)
    write(tmp_path / ".taxonomy.toml", "[lint]\nsimilarty = 80\n")
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 2
    assert "unknown setting `[lint] similarty` (did you mean `similarity`?)" in result.err


def test_bad_similarity(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", CLEAN)
    write(tmp_path / ".taxonomy.toml", '[lint]\nsimilarity = "high"\n')
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 2
    assert "similarity must be a number from 50 to 100" in result.err


def test_rules_file_extends_another_file_and_the_taxonomy_section_wins(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", CLEAN + "rules:\n  rules:\n    owner-known: off\n")
    write(tmp_path / ".taxonomy.toml", '[lint]\nrules = "rules/team.yaml"\n')
    write(
        tmp_path / "rules" / "base.yaml",
        "rules:\n  owner-known:\n    given: events\n"
        "    then: {field: owner, function: enum, functionOptions: {values: [growth]}}\n",
    )
    write(tmp_path / "rules" / "team.yaml", "extends: [./base.yaml, strict]\n")
    result = run_cli("lint", cwd=tmp_path)
    # strict wants platforms; owner-known is switched off by the taxonomy
    assert result.code == 1
    assert "[event-platforms]" in result.out
    assert "owner-known" not in result.out


def test_rules_lists_packs_and_project_rules(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", CLEAN + "rules:\n  extends: [recommended]\n  rules:\n    NAM002: warning\n")
    result = run_cli("rules", cwd=tmp_path)
    assert result.code == 0
    assert "pack `recommended`" in result.out and "pack `strict`" in result.out
    assert "project rules (pack:recommended, taxonomy.yaml)" in result.out
    data = json.loads(run_cli("rules", "--format", "json", cwd=tmp_path).out)
    assert {"recommended", "strict", "braze-naming"} <= set(data["packs"])
    assert any(r["id"] == "event-owner" for r in data["project_rules"])
    explained = run_cli("rule", "recommended:event-owner", cwd=tmp_path)
    assert explained.code == 0 and "required-field on `owner`" in explained.out
