"""`taxonomy drift`: the shop example's export against its taxonomy, each check, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli, write

from taxonomy.config import Config
from taxonomy.driftcontext import DriftContext
from taxonomy.engine import run_checks
from taxonomy.export import merge, parse_export
from taxonomy.findings import Span
from taxonomy.loader import load

SHOP = EXAMPLES / "shop"


def findings_of(result_out: str) -> list[tuple[str, str, str, str, int]]:
    document = json.loads(result_out)
    return [(f["code"], f["entity"]["kind"], f["entity"]["name"], f["file"], f["line"]) for f in document["findings"]]


def test_shop_snapshot_drift() -> None:
    result = run_cli("drift", "braze-export.json", "--format", "json", cwd=SHOP)
    assert result.code == 1, result.err
    assert sorted(findings_of(result.out)) == sorted(
        [
            ("DRF008", "event", "Cart_Item_Added", "braze-export.json", 26),
            ("DRF002", "event", "prodcut_viewed", "braze-export.json", 38),
            ("DRF002", "event", "qa_test_event", "braze-export.json", 43),
            ("DRF007", "product", "premium_weekly", "braze-export.json", 51),
            ("DRF006", "event", "checkout_begun", "taxonomy.yaml", 77),
            ("DRF001", "event", "password_reset", "taxonomy.yaml", 128),
            ("DRF003", "attribute", "lifetime_orders", "taxonomy.yaml", 172),
            ("DRF005", "attribute", "app_theme", "taxonomy.yaml", 200),
        ]
    )
    messages = {f["entity"]["name"]: f["message"] for f in json.loads(result.out)["findings"]}
    assert "(did you mean `product_viewed`?)" in messages["prodcut_viewed"]
    assert "did you mean" not in messages["qa_test_event"]
    assert "integer in the taxonomy but string in Braze" in messages["lifetime_orders"]
    # planned items (store_located, preferred_store) are not reported missing
    assert "store_located" not in messages and "preferred_store" not in messages


def test_shop_csv_drift_text_output() -> None:
    result = run_cli("drift", "braze-custom-attributes.csv", cwd=SHOP)
    assert result.code == 1
    assert "braze-custom-attributes.csv\n  15:1  error    DRF008  attribute `Vip_Tier` in Braze differs" in result.out
    assert "DRF003" in result.out and "DRF005" in result.out
    assert "DRF001" not in result.out  # an attributes CSV says nothing about events


def test_several_exports_combine() -> None:
    result = run_cli("drift", "braze-custom-attributes.csv", "braze-export.json", "--format", "json", cwd=SHOP)
    codes = [f[0] for f in findings_of(result.out)]
    assert codes.count("DRF008") == 2 and codes.count("DRF003") == 1


def test_select_and_fail_on_work_on_drift_codes() -> None:
    result = run_cli("drift", "braze-export.json", "--select", "DRF002", "--format", "json", cwd=SHOP)
    assert {f[0] for f in findings_of(result.out)} == {"DRF002"}
    result = run_cli("drift", "braze-export.json", "--select", "DRF002", "--fail-on", "error", cwd=SHOP)
    assert result.code == 0


def _ctx(tmp_path: Path, taxonomy: str, export: str, name: str = "export.json", code: object = None) -> DriftContext:
    path = write(tmp_path / "taxonomy.yaml", taxonomy)
    parsed = parse_export(export, name)
    return DriftContext(load(path).taxonomy, merge([parsed]), (parsed,), Config(), code)  # type: ignore[arg-type]


def _codes(ctx: DriftContext) -> list[tuple[str, str, str]]:
    return sorted((f.code, f.message, f"{f.file}:{f.line}") for f in run_checks("drift", ctx, Config()))


def test_workspace_mismatch_is_a_warning(tmp_path: Path) -> None:
    snapshot = json.loads((SHOP / "braze-export.json").read_text())
    snapshot.update(workspace="shop-staging", attributes=[], events=[], products=[])
    ctx = _ctx(tmp_path, "version: 1\nworkspace: shop-production\n", json.dumps(snapshot), "staging.json")
    assert _codes(ctx) == [
        (
            "DRF009",
            "the export is from workspace `shop-staging` but the taxonomy describes `shop-production`",
            "staging.json:1",
        )
    ]


def test_unknown_data_type_is_a_finding_and_skips_the_type_check(tmp_path: Path) -> None:
    export = '{"attributes": [{"name": "score", "data_type": "Decimal128", "status": "Active"}]}'
    ctx = _ctx(tmp_path, "version: 1\nattributes:\n  score: {type: integer}\n", export)
    assert [c[0] for c in _codes(ctx)] == ["DRF004"]


@pytest.mark.parametrize(
    ("declared", "braze", "ok"),
    [
        ("{type: integer}", "Number (Automatically Detected)", True),
        ("{type: float}", "Number", True),
        ("{type: number}", "Number", True),
        ("{type: time}", "Time", True),
        ("{type: time}", "Date", True),
        ("{type: array}", "Array", True),
        ("{type: array, items: object}", "Object Array", True),
        ("{type: array, items: object}", "Array", False),
        ("{type: array}", "Object Array", False),
        ("{type: object}", "Object", True),
        ("{type: boolean}", "Boolean", True),
        ("{type: string}", "Number", False),
        ("{type: time}", "String (Automatically Detected)", False),
        ("{type: object}", "Array", False),
    ],
)
def test_type_compatibility(tmp_path: Path, declared: str, braze: str, ok: bool) -> None:
    export = json.dumps({"attributes": [{"name": "x", "data_type": braze, "status": "Active"}]})
    ctx = _ctx(tmp_path, f"version: 1\nattributes:\n  x: {declared}\n", export)
    assert [c[0] for c in _codes(ctx)] == ([] if ok else ["DRF003"])


def test_statuses(tmp_path: Path) -> None:
    taxonomy = """version: 1
events:
  planned_one: {status: planned}
  removed_one: {status: removed, reason: gone}
  deprecated_gone: {status: deprecated, reason: old}
  blocked_planned: {status: planned}
  blocked_active: {}
"""
    export = json.dumps(
        {
            "events": [
                {"name": "removed_one", "status": "Active"},
                {"name": "blocked_planned", "status": "Blocklisted"},
                {"name": "blocked_active", "status": "Blocklisted"},
                {"name": "stray_blocked", "status": "Blocklisted"},
            ]
        }
    )
    found = _codes(_ctx(tmp_path, taxonomy, export))
    assert sorted((c[0], c[2].rsplit("/", 1)[-1]) for c in found) == [
        ("DRF005", "taxonomy.yaml:6"),
        ("DRF005", "taxonomy.yaml:7"),
        ("DRF006", "taxonomy.yaml:4"),
    ]


def test_code_usage_adds_blocklisted_call_sites(tmp_path: Path) -> None:
    export = json.dumps(
        {
            "events": [
                {"name": "old_event", "status": "Blocklisted"},
                {"name": "stray", "status": "Active"},
            ]
        }
    )
    sites = {
        "event": {"old_event": (Span("src/app.ts", 12, 7),), "stray": (Span("src/a.kt", 3, 1), Span("b.kt", 9, 1))}
    }
    found = _codes(_ctx(tmp_path, "version: 1\n", export, code=sites))
    assert found == [
        (
            "DRF002",
            "event `stray` is in Braze but not in the taxonomy; still sent from src/a.kt:3 and 1 more place",
            "export.json:1",
        ),
        ("DRF005", "event `old_event` is blocklisted in Braze but still sent here: Braze drops it", "src/app.ts:12"),
    ]


def test_case_variant_is_not_also_undocumented(tmp_path: Path) -> None:
    export = json.dumps({"products": ["Premium", "premium"]})
    taxonomy = "version: 1\npurchases:\n  products:\n    premium: {}\n"
    assert [c[0] for c in _codes(_ctx(tmp_path, taxonomy, export))] == ["DRF008"]


def test_missing_mentions_the_case_twin(tmp_path: Path) -> None:
    found = _codes(_ctx(tmp_path, "version: 1\nevents:\n  signed_up: {}\n", '{"events": ["Signed_Up"]}'))
    assert found[0][0] == "DRF001" and "(Braze has `Signed_Up`, which differs only in case)" in found[0][1]


def test_bad_input_exits_2(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\n")
    result = run_cli("drift", cwd=tmp_path)
    assert result.code == 2 and "no export given" in result.err
    write(tmp_path / "bad.json", '{"attributes": [')
    result = run_cli("drift", "bad.json", cwd=tmp_path)
    assert result.code == 2 and "bad.json:1:17: invalid JSON" in result.err
    write(tmp_path / "dup.csv", "Name,Event Name\n")
    result = run_cli("drift", "dup.csv", cwd=tmp_path)
    assert result.code == 2 and "duplicated column" in result.err
    write(tmp_path / "empty.csv", "")
    result = run_cli("drift", "empty.csv", cwd=tmp_path)
    assert result.code == 2 and "the export is empty" in result.err
    assert "Traceback" not in result.err


def test_an_export_with_no_items_is_a_notice(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\nevents:\n  a: {}\n")
    write(tmp_path / "events.csv", "Event Name,Status\n")
    result = run_cli("drift", "events.csv", cwd=tmp_path)
    assert "note: events.csv lists no events, attributes or products" in result.out
    assert "DRF001" in result.out


def test_code_option_adds_call_sites_of_blocklisted_items() -> None:
    result = run_cli("drift", "braze-export.json", "--code", ".", "--format", "json", cwd=SHOP)
    assert result.code == 1, result.err
    found = findings_of(result.out)
    assert ("DRF005", "attribute", "app_theme", "web/src/account.tsx", 9) in found
    assert ("DRF005", "attribute", "app_theme", "taxonomy.yaml", 200) in found
    assert "web/src/account.tsx" not in [f[3] for f in found if f[0] != "DRF005"]
    missing = run_cli("drift", "braze-export.json", "--code", "no-such-dir", cwd=SHOP)
    assert missing.code == 2 and "--code: no such file or folder: no-such-dir" in missing.err


def test_taxonomy_option(tmp_path: Path) -> None:
    result = run_cli("drift", str(SHOP / "braze-export.json"), "--taxonomy", str(SHOP / "taxonomy.yaml"), cwd=tmp_path)
    assert result.code == 1 and "DRF003" in result.out


def test_rules_are_documented() -> None:
    result = run_cli("rule", "DRF003")
    assert result.code == 0 and "Bad (Braze says" in result.out and "run by: taxonomy drift" in result.out
    listing = run_cli("rules")
    assert "DRF  drift: the taxonomy against what Braze holds" in listing.out


def test_array_length(tmp_path: Path) -> None:
    export = json.dumps({"attributes": [{"name": "tags", "data_type": "Array", "array_length": 25}]})
    found = _codes(_ctx(tmp_path, "version: 1\nattributes:\n  tags: {type: array, max_items: 100}\n", export))
    assert [(c[0], c[1]) for c in found] == [
        ("DRF010", "attribute `tags` allows 100 items in the taxonomy but Braze keeps 25")
    ]
    assert _codes(_ctx(tmp_path, "version: 1\nattributes:\n  tags: {type: array, max_items: 25}\n", export)) == []


def test_drift_settings(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\nevents:\n  a: {}\n")
    write(tmp_path / "exports" / "events.csv", "Event Name\na\nqa_smoke\nqa_other\nstray\n")
    write(tmp_path / ".taxonomy.toml", '[drift]\nexports = ["exports/events.csv"]\nignore-undocumented = ["qa_*"]\n')
    result = run_cli("drift", "--format", "json", cwd=tmp_path)
    assert [f[2] for f in findings_of(result.out)] == ["stray"]
    write(tmp_path / ".taxonomy.toml", "[drift]\nexport = 'x'\n")
    result = run_cli("drift", cwd=tmp_path)
    assert result.code == 2 and "unknown setting `drift.export` (did you mean `exports`?)" in result.err
    write(tmp_path / ".taxonomy.toml", "[drift]\nexports = 3\n")
    assert "`drift.exports` must be a list of strings" in run_cli("drift", cwd=tmp_path).err


def test_retired_item_in_a_names_only_export(tmp_path: Path) -> None:
    taxonomy = "version: 1\nevents:\n  old: {status: removed, reason: gone}\n"
    found = _codes(_ctx(tmp_path, taxonomy, '{"events": ["old"]}'))
    assert [(c[0], c[1]) for c in found] == [
        ("DRF006", "event `old` is removed in the taxonomy but still listed by Braze")
    ]
