"""Every check's YAML case file (tests/fixtures/checks/<CODE>.yaml), run through the real `taxonomy lint`.

A case file names its code and lists cases: a taxonomy snippet, optional settings, and the exact findings expected
(line, column, a piece of the message). Only the file's code is selected unless a case says otherwise, so each
case shows what its check alone reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, run_cli, write

CASES_DIR = FIXTURES / "checks"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["code"], case, id=f"{path.stem}-{case['name']}"))
    return params


def _toml(value: Any) -> str:
    return json.dumps(value)  # strings, numbers and lists of strings read the same in TOML


@pytest.mark.parametrize(("code", "case"), _cases())
def test_check_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", case["taxonomy"])
    for name, text in (case.get("files") or {}).items():
        write(tmp_path / name, text)
    lint = case.get("lint") or {}
    config = "".join(f"{key} = {_toml(value)}\n" for key, value in lint.items())
    write(tmp_path / ".taxonomy.toml", f"[lint]\n{config}" if config else "")
    select = ",".join(case.get("select") or [code])
    result = run_cli("lint", "--format", "json", "--select", select, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    found = json.loads(result.out)["findings"]
    got = [(f["code"], f["line"], f["column"]) for f in found]
    expected = [(f.get("code", code), f["line"], f["column"]) for f in case["findings"]]
    assert got == expected, "\n".join(f["message"] for f in found)
    for finding, want in zip(found, case["findings"], strict=True):
        assert want["message"] in finding["message"]
        if "severity" in want:
            assert finding["severity"] == want["severity"]
    assert result.code == (1 if found else 0)


def test_every_lint_code_has_a_case_file() -> None:
    from taxonomy import codes

    mine = ("NAM", "BRZ", "WHS", "DUP", "USR", "SUP")
    registered = {c for c in codes.load_all() if c.startswith(mine)}
    files = {p.stem for p in CASES_DIR.glob("*.yaml")}
    assert registered <= files, sorted(registered - files)
