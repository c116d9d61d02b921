"""Policy: select / ignore / severity from config, the failing threshold."""

from __future__ import annotations

from taxonomy.config import Config
from taxonomy.engine import apply_policy, exit_code
from taxonomy.findings import Finding, Severity, Span


def finding(code: str = "SCH002", line: int = 1) -> Finding:
    return Finding(code, "m", Severity.ERROR, Span("t.yaml", line, 1))


def test_longest_selector_wins() -> None:
    config = Config(severity={"SCH": Severity.INFO, "SCH002": Severity.WARNING})
    [kept] = apply_policy([finding()], config)
    assert kept.severity is Severity.WARNING
    [other] = apply_policy([finding("SCH001")], config)
    assert other.severity is Severity.INFO


def test_ignore_wins_over_select_and_duplicates_collapse() -> None:
    assert apply_policy([finding()], Config(select=("SCH",), ignore=("schema.unknown-key",))) == []
    assert len(apply_policy([finding(), finding()], Config())) == 1


def test_sorted_by_file_line() -> None:
    kept = apply_policy([finding(line=9), finding("SCH001", line=2)], Config())
    assert [f.line for f in kept] == [2, 9]


def test_exit_code_threshold() -> None:
    warn = Finding("SCH001", "m", Severity.WARNING)
    assert exit_code([warn], Severity.WARNING) == 1
    assert exit_code([warn], Severity.ERROR) == 0
    assert exit_code([warn], None) == 0
    assert exit_code([], Severity.INFO) == 0
