"""Baseline / ratchet: accepted findings are keyed by (code, entity, file), never by line."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from conftest import run_cli, write
from shared_findings import shared_report

from taxonomy import baseline
from taxonomy.codes import get
from taxonomy.findings import Entity, Severity, Span
from taxonomy.reporters import Report

LEGACY = """\
version: 1
events:
  signed_up: {descripton: User created an account.}
  checkout_begun: {status: deprecated, reason: renamed, renamed_to: checkout_stared, description: Old name.}
"""


def test_lint_fails_only_on_new_findings_and_survives_moves(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", LEGACY)
    first = run_cli("lint", "--write-baseline", "taxonomy-baseline.json", cwd=tmp_path)
    assert first.code == 0
    assert "wrote 2 findings to the baseline taxonomy-baseline.json" in first.out
    # Same findings, moved down by a comment block and a new clean event: still accepted.
    moved = LEGACY.replace("events:\n", "events:\n  # legacy names below\n  app_opened: {description: Hi.}\n")
    write(tmp_path / "taxonomy.yaml", moved)
    again = run_cli("lint", "--baseline", "taxonomy-baseline.json", cwd=tmp_path)
    assert again.code == 0, again.out
    assert "2 known findings hidden by the baseline taxonomy-baseline.json" in again.out
    assert "No problems found" in again.out
    # A new problem fails, and only it is listed.
    write(tmp_path / "taxonomy.yaml", moved + "  order_placed: {descriptoin: New.}\n")
    new = run_cli("lint", "--baseline", "taxonomy-baseline.json", cwd=tmp_path)
    assert new.code == 1
    assert "descriptoin" in new.out and "descripton" not in new.out


def test_fixed_findings_are_reported_as_removable(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", LEGACY)
    run_cli("lint", "--write-baseline", "base.json", cwd=tmp_path)
    write(tmp_path / "taxonomy.yaml", LEGACY.replace("descripton", "description"))
    result = run_cli("lint", "--baseline", "base.json", "-f", "text", "-f", "json:r.json", cwd=tmp_path)
    assert result.code == 0
    assert (
        "1 baselined finding is fixed and can be removed from base.json (rewrite it with --write-baseline "
        "base.json): SCH002 event `signed_up` in taxonomy.yaml" in result.out
    )
    assert json.loads((tmp_path / "r.json").read_text())["findings"] == []


def test_baseline_from_settings_file(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", LEGACY)
    write(tmp_path / ".taxonomy.toml", '[baseline]\nfile = "ci/baseline.json"\n')
    (tmp_path / "ci").mkdir()
    assert run_cli("lint", "--write-baseline", "ci/baseline.json", cwd=tmp_path).code == 0
    assert run_cli("lint", cwd=tmp_path).code == 0
    write(tmp_path / ".taxonomy.toml", '[baseline]\nfiel = "ci/baseline.json"\n')
    typo = run_cli("lint", cwd=tmp_path)
    assert typo.code == 2 and "unknown setting `baseline.fiel` (did you mean `file`?)" in typo.err


def test_bad_baseline_files_are_usage_errors(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", LEGACY)
    missing = run_cli("lint", "--baseline", "nope.json", cwd=tmp_path)
    assert missing.code == 2
    assert "taxonomy: error: nope.json: baseline file not found" in missing.err
    assert "--write-baseline nope.json" in missing.err
    write(tmp_path / "broken.json", '{"version": 1,\n "findings": [}\n')
    broken = run_cli("lint", "--baseline", "broken.json", cwd=tmp_path)
    assert broken.code == 2 and "broken.json:2:" in broken.err and "Traceback" not in broken.err
    write(tmp_path / "other.json", '{"version": 1, "findings": [{"code": 3}]}')
    other = run_cli("lint", "--baseline", "other.json", cwd=tmp_path)
    assert other.code == 2 and "not a taxonomy baseline entry" in other.err


def _callsite(line: int, name: str = "checkout_started", file: str = "web/src/cart.ts") -> Report:
    rule = get("SCH005")  # any registered code; the scanner's codes key the same way
    finding = rule.finding(f"`{name}` is not declared", Span(file, line, 5, line, 30), Entity("event", name))
    return Report("check", (finding,), (file,), 1)


def test_a_call_site_moved_to_another_line_stays_baselined(tmp_path: Path) -> None:
    path = str(tmp_path / "b.json")
    baseline.write(path, _callsite(10))
    assert baseline.apply(_callsite(250), path, Severity.WARNING).exit_code == 0
    assert baseline.apply(_callsite(250, file="web/src/other.ts"), path, Severity.WARNING).exit_code == 1
    assert baseline.apply(_callsite(10, name="checkout_stared"), path, Severity.WARNING).exit_code == 1


def test_counts_occurrences_and_keeps_other_commands(tmp_path: Path) -> None:
    path = str(tmp_path / "b.json")
    baseline.write(path, shared_report())  # lint entries
    baseline.write(path, _callsite(10))  # check entries join them
    entries = json.loads(Path(path).read_text())["findings"]
    assert {e["command"] for e in entries} == {"lint", "check"}
    twice = next(e for e in entries if e["code"] == "SCH001")
    assert twice["count"] == 2 and twice["entity"] == {"kind": "attribute", "name": "vip:tier,x"}
    report = shared_report()
    third = dataclasses.replace(report.findings[-1], span=Span("taxonomy.yaml", 99, 1))
    extra = dataclasses.replace(report, findings=(*report.findings, third))
    assert [f.code for f in baseline.apply(extra, path, Severity.INFO).findings] == [third.code]
    # lint does not call check's entries fixed: they belong to another command.
    assert baseline.apply(report, path, Severity.INFO).extra["baseline"]["fixed"] == []


def test_fixed_is_limited_to_the_files_checked(tmp_path: Path) -> None:
    path = str(tmp_path / "b.json")
    baseline.write(path, _callsite(10, file="a.ts"))
    elsewhere = Report("check", (), ("b.ts",), 0)
    assert baseline.apply(elsewhere, path, Severity.WARNING).extra["baseline"]["fixed"] == []
    here = Report("check", (), ("a.ts",), 0)
    assert len(baseline.apply(here, path, Severity.WARNING).extra["baseline"]["fixed"]) == 1
