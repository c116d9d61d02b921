"""The data packs under rules/: shapes the checks rely on, and no YAML surprises (NULL, ON, NO read as non-strings)."""

from __future__ import annotations

import re

import pytest

from taxonomy.resources import load_rule_pack, rules_dir

DIALECTS = ("snowflake", "bigquery", "redshift", "postgres", "databricks")


@pytest.mark.parametrize("name", DIALECTS)
def test_warehouse_pack(name: str) -> None:
    data = load_rule_pack(f"warehouses/{name}.yaml")
    assert data["name"] == name
    assert isinstance(data["max_length"], int) and data["max_length"] > 0
    assert data["length_unit"] in ("bytes", "characters")
    assert data["case_folding"] in ("upper", "lower", "none")
    re.compile(data["identifier_pattern"])
    words = data["reserved"]
    assert words and all(isinstance(w, str) and w == w.upper() for w in words)
    assert len(set(words)) == len(words)
    text = (rules_dir() / "warehouses" / f"{name}.yaml").read_text(encoding="utf-8")
    assert "Sources:" in text and "https://" in text  # every pack says where its facts come from


def test_warehouse_limits_as_documented() -> None:
    limits = {d: load_rule_pack(f"warehouses/{d}.yaml")["max_length"] for d in DIALECTS}
    assert limits == {"snowflake": 255, "bigquery": 300, "redshift": 127, "postgres": 63, "databricks": 255}
    assert "NULL" in load_rule_pack("warehouses/databricks.yaml")["reserved"]
    assert "ORDER" in load_rule_pack("warehouses/postgres.yaml")["reserved"]


def test_braze_pack() -> None:
    data = load_rule_pack("braze.yaml")
    assert data["limits"]["name_length"]["event"] == 255
    assert data["limits"]["properties_per_event"] == 256
    assert data["reserved_event_properties"] == ["time", "event_name"]
    assert set(data["reserved_purchase_properties"]) == {
        "time",
        "product_id",
        "quantity",
        "event_name",
        "price",
        "currency",
    }
    assert {"email", "first_name", "external_id"} <= set(data["standard_attributes"])
    events = data["ecommerce"]["events"]
    assert len(events) == 6 and all(name.startswith(data["ecommerce"]["prefix"]) for name in events)
    assert all(isinstance(p, str) for spec in events.values() for p in spec["required"])


def test_naming_pack_lists_are_strings() -> None:
    data = load_rule_pack("naming.yaml")
    for key in ("irregular_past", "not_past", "particles", "verbs", "prepositions"):
        assert all(isinstance(w, str) and w == w.lower() for w in data[key]), key
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data["past_of"].items())
