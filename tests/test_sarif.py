"""Every SARIF the tool can write validates against the official SARIF 2.1.0 schema (copied into fixtures)."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, run_cli, write
from shared_findings import every_code_report, shared_report

from taxonomy import codes
from taxonomy.findings import Span
from taxonomy.reporters import Report, renderer

BAD_TAXONOMY = """\
version: 1
events:
  signed_up: {descripton: User created an account.}
  checkout_begun: {status: deprecated, reason: renamed, renamed_to: checkout_stared, description: Old name.}
"""


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def valid(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert len(document["runs"]) == 1
    return document


def sarif(report: Report) -> dict[str, Any]:
    return valid(renderer("sarif")(report, color=False))


def test_shared_findings_validate() -> None:
    run = sarif(shared_report())["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SCH001", "SCH002", "SCH003", "SCH004", "SCH005"]
    spaced = next(r for r in run["results"] if r["ruleId"] == "SCH004")
    assert spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "teams/growth%20team.yaml"


def test_every_registered_code_validates_with_its_help_text() -> None:
    report = every_code_report()
    run = sarif(report)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == set(codes.load_all())
    families = {code[:3] for code in rules}
    assert families == set(codes.FAMILIES)
    for code, found in codes.REGISTRY.items():
        assert rules[code]["help"]["text"] == found.doc
        assert rules[code]["shortDescription"]["text"] == found.summary
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"], "code scanning needs a location for every result"


def test_empty_report_validates() -> None:
    run = sarif(Report("lint", (), ("taxonomy.yaml",), 0))["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


def test_absolute_paths_become_file_uris() -> None:
    report = shared_report()
    moved = dataclasses.replace(report.findings[1], span=Span("/srv/app/taxonomy.yaml", 3, 1))
    run = sarif(dataclasses.replace(report, findings=(moved,)))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file:///srv/app/taxonomy.yaml"}


def test_fingerprints_ignore_lines() -> None:
    report = shared_report()
    moved = tuple(
        dataclasses.replace(f, span=dataclasses.replace(f.span, line=f.span.line + 40, end_line=None)) if f.span else f
        for f in report.findings
    )
    before = [r["partialFingerprints"] for r in sarif(report)["runs"][0]["results"]]
    after = [r["partialFingerprints"] for r in sarif(dataclasses.replace(report, findings=moved))["runs"][0]["results"]]
    assert before == after
    assert len({json.dumps(f) for f in before}) == len(before), "two occurrences of one identity stay distinct"


@pytest.mark.parametrize("taxonomy", [BAD_TAXONOMY, "version: 1\nevents:\n  signed_up: {description: Hi.}\n"])
def test_lint_writes_valid_sarif_next_to_text(tmp_path: Path, taxonomy: str) -> None:
    write(tmp_path / "taxonomy.yaml", taxonomy)
    (tmp_path / "out").mkdir()
    result = run_cli("lint", "-f", "text", "-f", "sarif:out/results.sarif", cwd=tmp_path)
    assert result.code == (1 if taxonomy == BAD_TAXONOMY else 0)
    assert result.out.endswith("in 1 file.\n") and "$schema" not in result.out  # text on the terminal
    document = valid((tmp_path / "out" / "results.sarif").read_text(encoding="utf-8"))
    results = document["runs"][0]["results"]
    if taxonomy == BAD_TAXONOMY:
        assert [r["ruleId"] for r in results] == ["SCH002", "SCH005"]
        assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    else:
        assert results == []


def test_lint_sarif_with_baseline_notices_validates(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD_TAXONOMY)
    assert run_cli("lint", "--write-baseline", "base.json", cwd=tmp_path).code == 0
    write(tmp_path / "taxonomy.yaml", BAD_TAXONOMY.replace("descripton", "description"))
    result = run_cli("lint", "--baseline", "base.json", "-f", "sarif", "-o", "r.sarif", cwd=tmp_path)
    assert result.code == 0
    document = valid((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("fixed and can be removed" in n["message"]["text"] for n in notes)


def test_a_family_named_after_its_command_gives_unique_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    # e.g. diff.* rules run by `taxonomy diff`: the family tag and the scope tag are the same word.
    rule = codes.Rule("ZZZ001", "diff.field-removed", codes.Severity.ERROR, "Removed.", "Removed.\n\nMore.", "diff")
    monkeypatch.setitem(codes.REGISTRY, rule.code, rule)
    run = sarif(Report("diff", (rule.finding("gone", Span("taxonomy.yaml", 1, 1)),), ("taxonomy.yaml",), 1))["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["properties"]["tags"] == ["diff"]
