"""The command line as a user meets it: help, version, rules, exit codes, output formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, run_cli, run_subprocess, write

BAD = "version: 1\nevents:\n  signed_up:\n    descripton: x\n"


def test_version_and_help() -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("taxonomy ")
    helped = run_cli("--help")
    assert helped.code == 0 and "lint" in helped.out and "rules" in helped.out
    assert "Exit codes" in helped.out
    assert run_cli("lint", "--help").code == 0


def test_unknown_command_and_option_exit_2() -> None:
    assert run_cli("lnit").code == 2
    result = run_cli("lint", "--no-such-option")
    assert result.code == 2 and "No such option" in result.err


def test_lint_example_clean_as_a_real_process() -> None:
    result = run_subprocess("lint", str(EXAMPLES / "shop" / "taxonomy.yaml"))
    assert result.code == 0, result.out + result.err
    assert "No problems found in 2 files." in result.out


def test_findings_exit_1_and_text_is_grouped_by_file(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == "taxonomy.yaml"
    assert "  4:5  error    SCH002  unknown key `descripton`" in result.out
    assert result.out.rstrip().endswith("Found 1 problem (1 error) in 1 file.")
    assert "\x1b[" not in result.out  # not a terminal: no colour


def test_json_format_contract(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    result = run_cli("lint", "--format", "json", cwd=tmp_path)
    doc = json.loads(result.out)
    assert doc["version"] == 1
    assert doc["findings"] == [
        {
            "code": "SCH002",
            "name": "schema.unknown-key",
            "severity": "error",
            "message": "unknown key `descripton` in event `signed_up` (did you mean `description`?)",
            "file": "taxonomy.yaml",
            "line": 4,
            "column": 5,
            "end_line": 4,
            "end_column": 15,
            "entity": {"kind": "event", "name": "signed_up"},
        }
    ]
    assert doc["summary"] == {"files": 1, "total": 1, "errors": 1, "warnings": 0, "info": 0}


def test_output_file_is_written(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    result = run_cli("lint", "-f", "json", "-o", "out/report.json", cwd=tmp_path)
    assert result.code == 2 and "cannot write" in result.err  # the folder does not exist: a clear error
    result = run_cli("lint", "-f", "json", "-o", "report.json", cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["total"] == 1


@pytest.mark.parametrize("selector", ["SCH002", "SCH", "schema.unknown-key", "schema", "schema.*"])
def test_ignore_by_code_prefix_or_name(tmp_path: Path, selector: str) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    assert run_cli("lint", "--ignore", selector, cwd=tmp_path).code == 0


def test_select_limits_and_unknown_selector_is_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    assert run_cli("lint", "--select", "SCH005", cwd=tmp_path).code == 0
    assert run_cli("lint", "--select", "SCH002", cwd=tmp_path).code == 1
    result = run_cli("lint", "--select", "SHC002", cwd=tmp_path)
    assert result.code == 2 and "did you mean `SCH002`?" in result.err


def test_severity_from_config_and_fail_on(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    write(tmp_path / ".taxonomy.toml", '[severity]\nSCH002 = "info"\n')
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 0 and "info     SCH002" in result.out
    assert run_cli("lint", "--fail-on", "info", cwd=tmp_path).code == 1


def test_config_in_pyproject_and_bad_config(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.taxonomy]\nignore = ["SCH"]\n')
    assert run_cli("lint", cwd=tmp_path).code == 0
    write(tmp_path / ".taxonomy.toml", "ignroe = []\n")
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 2 and ".taxonomy.toml: unknown setting `ignroe` (did you mean `ignore`?)" in result.err
    write(tmp_path / ".taxonomy.toml", "ignore = [\n")
    assert "invalid TOML" in run_cli("lint", cwd=tmp_path).err


def test_config_names_the_taxonomy(tmp_path: Path) -> None:
    write(tmp_path / "data" / "plan.yaml", BAD)
    write(tmp_path / ".taxonomy.toml", 'taxonomy = "data/plan.yaml"\n')
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 1 and "data/plan.yaml" in result.out


def test_rules_and_rule() -> None:
    listing = run_cli("rules")
    assert listing.code == 0 and "SCH002  schema.unknown-key" in listing.out
    rows = json.loads(run_cli("rules", "--format", "json").out)["rules"]
    assert all(r["summary"] and r["name"] for r in rows)
    explained = run_cli("rule", "schema.unknown-key")
    assert explained.code == 0 and "Bad:" in explained.out and "Good:" in explained.out
    unknown = run_cli("rule", "SCH02")
    assert unknown.code == 2 and "no rule 'SCH02'" in unknown.err


def test_every_rule_documents_a_bad_and_a_good_example() -> None:
    from taxonomy import codes

    for found in codes.load_all().values():
        assert "Bad" in found.doc and "Good" in found.doc, found.code


def test_colour_only_when_forced_and_never_with_no_color(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    assert "\x1b[" in run_cli("lint", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).out
    assert "\x1b[" not in run_cli("lint", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).out


def test_internal_error_is_exit_3_without_traceback(tmp_path: Path) -> None:
    # A copy of the package whose packaged schema is corrupt: the closest real-world internal failure.
    broken = tmp_path / "pkg"
    shutil.copytree(ROOT / "src" / "taxonomy", broken / "taxonomy")
    (broken / "taxonomy" / "_data" / "schema").mkdir(parents=True)
    (broken / "taxonomy" / "_data" / "rules").mkdir()
    (broken / "taxonomy" / "_data" / "schema" / "taxonomy.schema.json").write_text("{not json")
    write(tmp_path / "taxonomy.yaml", "version: 1\n")
    result = run_subprocess("lint", cwd=tmp_path, env={"PYTHONPATH": str(broken)})
    assert result.code == 3
    assert "internal error" in result.err and "Please report it" in result.err
    assert "Traceback" not in result.err
