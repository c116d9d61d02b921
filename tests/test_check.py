"""`taxonomy check`: YAML cases under tests/cases/check/ (a taxonomy, source files, the expected findings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, run_cli, write

CASES = Path(__file__).parent / "cases" / "check"


def load_case(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return case


@pytest.mark.parametrize(
    "path", sorted(p for p in CASES.glob("*.yaml") if not p.name.startswith("_")), ids=lambda p: p.stem
)
def test_case(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    write(tmp_path / "taxonomy.yaml", case.get("taxonomy") or (CASES / "_taxonomy.yaml").read_text("utf-8"))
    for name, text in case["files"].items():
        write(tmp_path / name, text)
    result = run_cli("check", "--format", "json", "--no-cache", *case.get("args", []), cwd=tmp_path)
    assert result.code in (0, 1), result.err
    document = json.loads(result.out)
    found = sorted((f["code"], f["file"], f["line"], f["message"]) for f in document["findings"])
    expected = case.get("expect") or []
    assert sorted((f[0], f[1], f[2]) for f in found) == sorted((e["code"], e["file"], e["line"]) for e in expected)
    for want in expected:
        if "message" in want:
            messages = [
                m for code, file, line, m in found if (code, file, line) == (want["code"], want["file"], want["line"])
            ]
            assert any(want["message"] in m for m in messages), (want, messages)


def test_exit_codes_and_partial_scan_notice(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", (CASES / "_taxonomy.yaml").read_text("utf-8"))
    write(tmp_path / "src" / "a.ts", 'braze.logCustomEvent("product_viewed", { product_id: "1" });\n')
    clean = run_cli("check", "src", "--no-cache", cwd=tmp_path)
    assert clean.code == 0, clean.out
    assert "only part of the project was scanned" in clean.out
    write(tmp_path / "src" / "b.ts", 'braze.logCustomEvent("nope");\n')
    dirty = run_cli("check", "src", "--no-cache", cwd=tmp_path)
    assert dirty.code == 1
    assert "src/b.ts" in dirty.out and "COD001" in dirty.out


def test_example_shop_catches_its_deliberate_mistakes() -> None:
    result = run_cli("check", "--format", "json", "--no-cache", cwd=EXAMPLES / "shop")
    assert result.code == 1, result.err
    codes = {f["code"] for f in json.loads(result.out)["findings"]}
    assert {"COD001", "COD005", "COD007", "COD009", "COD012"} <= codes


def test_check_rules_are_documented() -> None:
    for code in ("COD001", "COD004", "COD014"):
        result = run_cli("rule", code)
        assert result.code == 0 and "Bad" in result.out
