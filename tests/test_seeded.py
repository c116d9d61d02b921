"""Done-when: the example taxonomies lint clean, and a taxonomy seeded with one instance of each mistake yields
exactly one finding per mistake, on the line marked `# expect: CODE`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import EXAMPLES, FIXTURES, run_cli

SEEDED = FIXTURES / "seeded" / "taxonomy.yaml"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{3}\d{3})")


def _expected() -> list[tuple[str, int]]:
    lines = SEEDED.read_text(encoding="utf-8").splitlines()
    return sorted((m.group(1), number) for number, line in enumerate(lines, 1) for m in _EXPECT.finditer(line))


def test_seeded_taxonomy_has_one_finding_per_mistake() -> None:
    result = run_cli("lint", "--format", "json", str(SEEDED))
    assert result.code == 1, result.err
    found = json.loads(result.out)["findings"]
    got = sorted((f["code"], f["line"]) for f in found)
    assert got == _expected(), "\n".join(f"{f['line']}: {f['code']} {f['message']}" for f in found)
    # every family of this issue is seeded at least once
    assert {code[:3] for code, _ in got} >= {"NAM", "BRZ", "WHS", "DUP", "USR", "SUP"}


def test_seeded_messages_say_what_to_do() -> None:
    result = run_cli("lint", str(SEEDED))
    assert "rename it to `product_shared`" in result.out
    assert "did you mean `product_viewed`?" in result.out
    assert "`checkout_started`" in result.out
    assert "matches no finding: remove it" in result.out


def test_shop_example_lints_clean() -> None:
    result = run_cli("lint", str(EXAMPLES / "shop" / "taxonomy.yaml"))
    assert result.code == 0, result.out + result.err
    assert "No problems found" in result.out


def test_user_rules_example_lints_clean_and_its_rules_run(tmp_path: Path) -> None:
    folder = tmp_path / "user-rules"
    shutil.copytree(EXAMPLES / "user-rules", folder)
    clean = run_cli("lint", cwd=folder)
    assert clean.code == 0, clean.out + clean.err
    taxonomy = folder / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("owner: growth", "owner: groth"), encoding="utf-8")
    broken = run_cli("lint", cwd=folder)
    assert broken.code == 1
    assert "`owner` `groth` is not one of catalogue, checkout, growth, identity" in broken.out
    assert "[known-owner]" in broken.out
