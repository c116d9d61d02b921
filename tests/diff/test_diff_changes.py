"""Every change id has cases in tests/fixtures/diff/<ID>.yaml: an old and a new taxonomy, the expected changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import FIXTURES, write

from taxonomy.diff.changes import KINDS, Change, compare, units_in
from taxonomy.loader import load

CASES_DIR = FIXTURES / "diff"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            out.append(pytest.param(path.stem, case, id=f"{path.stem}-{case['name']}"))
    return out


def diff_texts(tmp_path: Path, old: str, new: str) -> list[Change]:
    old_loaded = load(write(tmp_path / "old" / "taxonomy.yaml", old))
    new_loaded = load(write(tmp_path / "new" / "taxonomy.yaml", new))
    assert not old_loaded.findings and not new_loaded.findings, "a case must be a valid taxonomy"
    return compare(old_loaded.taxonomy, new_loaded.taxonomy)


def _row(change: Change) -> dict[str, Any]:
    return {"id": change.id, "category": change.category, "path": change.dotted, "old": change.old, "new": change.new}


def _key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return (row["path"], row["id"], repr(row["old"]), repr(row["new"]))


@pytest.mark.parametrize(("change_id", "case"), _cases())
def test_case(tmp_path: Path, change_id: str, case: dict[str, Any]) -> None:
    changes = diff_texts(tmp_path, case["old"], case["new"])
    expected = [{k: row[k] for k in ("id", "category", "path", "old", "new")} for row in case["changes"]]
    assert sorted(map(_row, changes), key=_key) == sorted(expected, key=_key)
    by_key = {_key(_row(c)): c for c in changes}
    for row in case["changes"]:
        change = by_key[_key(row)]
        if "line" in row:  # the line in the new file, or in the old one for what is gone
            assert change.span is not None and change.span.line == row["line"]
            side = "old" if change.new_span is None else "new"
            assert Path(change.span.file).parent.name == side
        if "note" in row:
            assert change.note is not None and row["note"] in change.note
        else:
            assert change.note is None


def test_every_change_id_has_a_case() -> None:
    covered = {path.stem for path in CASES_DIR.glob("*.yaml")}
    assert set(KINDS) <= covered, f"no case for {sorted(set(KINDS) - covered)}"
    assert covered <= set(KINDS), f"cases for unknown ids {sorted(covered - set(KINDS))}"


def test_every_case_file_shows_its_own_id() -> None:
    for path in CASES_DIR.glob("*.yaml"):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any(row["id"] == path.stem for case in cases for row in case["changes"]), path.name


def test_inverses_are_declared_both_ways() -> None:
    for kind in KINDS.values():
        for other in kind.inverse:
            assert kind.id in KINDS[other].inverse, f"{kind.id} -> {other}"


def test_reasons_are_one_line() -> None:
    for kind in KINDS.values():
        assert kind.reason and "\n" not in kind.reason


def test_schema_lists_every_change_id() -> None:
    from taxonomy.resources import load_schema

    listed = load_schema()["properties"]["accepted_changes"]["items"]["properties"]["change"]["enum"]
    assert sorted(listed) == sorted(KINDS)


def test_moving_an_item_between_include_files_is_not_a_change(tmp_path: Path) -> None:
    old = write(
        tmp_path / "old" / "taxonomy.yaml",
        "version: 1\ninclude: [teams/growth.yaml]\nevents:\n  signed_up: {description: Account created.}\n",
    )
    write(tmp_path / "old" / "teams" / "growth.yaml", "events:\n  referral_sent: {owner: growth}\n")
    new = write(
        tmp_path / "new" / "taxonomy.yaml",
        "version: 1\ninclude: [teams/*.yaml]\nevents:\n  referral_sent: {owner: growth}\n",
    )
    write(tmp_path / "new" / "teams" / "identity.yaml", "events:\n  signed_up: {description: Account created.}\n")
    assert compare(load(old).taxonomy, load(new).taxonomy) == []


def test_units_come_from_the_rule_pack() -> None:
    assert units_in("Watch time in seconds.") == {"time": frozenset({"seconds"})}
    assert units_in("Total in the user's currency") == {"currency": frozenset({"local"})}
    assert units_in("Shows messages") == {}  # no unit inside another word
    assert units_in(None) == {}
