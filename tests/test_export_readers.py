"""Export readers: REST JSON bodies, dashboard CSVs, snapshots, and format detection by content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, write

from taxonomy.errors import TaxonomyError
from taxonomy.export import parse_export, read_export

ATTRIBUTES = {
    "message": "success",
    "attributes": [
        {
            "name": "vip_tier",
            "description": None,
            "data_type": "String (Automatically Detected)",
            "array_length": None,
            "status": "Active",
            "tag_names": ["crm", None],
        },
        {
            "name": "genres",
            "description": "Favourite genres",
            "data_type": "Array",
            "array_length": 500,
            "status": "Blocklisted",
            "tag_names": [],
        },
        {"name": "score", "data_type": "Decimal128", "status": "Active"},
    ],
}


def test_rest_custom_attributes_body() -> None:
    export = parse_export(json.dumps(ATTRIBUTES, indent=2), "attrs.json")
    assert export.format == "rest" and export.covers == {"attribute"}
    vip, genres, score = export.attributes
    assert (vip.name, vip.type, vip.data_type, vip.status, vip.tags) == (
        "vip_tier",
        "string",
        "String (Automatically Detected)",
        "active",
        ("crm",),
    )
    assert (genres.type, genres.array_length, genres.status, genres.raw_status) == (
        "array",
        500,
        "blocklisted",
        "Blocklisted",
    )
    assert score.type is None and score.data_type == "Decimal128"  # unknown: a drift finding, not a crash
    assert vip.pointer == "$.attributes[0]"
    assert (vip.source.line, vip.source.column) == (4, 5)  # type: ignore[union-attr]


def test_rest_events_legacy_lists_and_products() -> None:
    events = parse_export(
        '{"message": "success", "events": [{"name": "a", "included_in_analytics_report": true}]}', "e"
    )
    assert events.events[0].included_in_analytics_report is True and events.covers == {"event"}
    legacy = parse_export('{"message": "success", "events": ["Event A", "Event B"]}', "list.json")
    assert [e.name for e in legacy.events] == ["Event A", "Event B"]
    products = parse_export('{"products": ["p1", "p2"], "message": "success"}', "p.json")
    assert [p.name for p in products.products] == ["p1", "p2"] and products.covers == {"product"}


def test_many_pages_in_one_file() -> None:
    pages = [{"attributes": [{"name": "a"}]}, {"attributes": [{"name": "b"}]}, {"products": ["x"]}]
    export = parse_export(json.dumps(pages), "pages.json")
    assert [a.name for a in export.attributes] == ["a", "b"]
    assert export.attributes[1].pointer == "$[1].attributes[0]"
    assert export.covers == {"attribute", "product"}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"attributes": [{"name": "a"},\n  {"nam": "b"}]}', "$.attributes[1] has no `name` string", 2),
        ('{"attributes": {"name": "a"}}', "`attributes` in $ must be a list", 1),
        ('{"attributes": [{"name": "a", "array_length": "5"}]}', "`array_length` of $.attributes[0]", 1),
        ('{"attributes": [{"name": "a", "data_type": 3}]}', "`data_type` of $.attributes[0] must be a string", 1),
        ('{"attributes": ["a"]}', "must be an object with a `name`", 1),
        ('{"events": [1]}', "must be an object or a name; got a number", 1),
        ('{"message": "Invalid API key"}', "JSON, but neither a snapshot nor a Braze REST body", 1),
        ('[{"events": []}, 3]', "$[1] must be a JSON object", 1),
        ('{"attributes": [{"name": "a"}\n', "invalid JSON", 2),
        ("[]", "neither a snapshot nor a Braze REST body", 1),
        ("   \n", "the export is empty", None),
    ],
)
def test_bad_json_exports_are_clear_errors(text: str, message: str, line: int | None) -> None:
    with pytest.raises(TaxonomyError) as caught:
        parse_export(text, "bad.json")
    assert message in caught.value.message
    assert caught.value.line == line


def test_snapshot_example_reads() -> None:
    export = read_export(EXAMPLES / "shop" / "braze-export.json")
    assert export.format == "snapshot" and export.workspace == "shop-production"
    assert export.covers == {"event", "attribute", "product"}
    assert export.fetched_at == "2026-11-28T09:30:00Z"
    assert {a.type for a in export.attributes} >= {"string", "number", "time", "array", "object", "array_of_objects"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("fetched_at"), "'fetched_at' is a required property"),
        (lambda d: d.update(version=2), "$.version: 1 was expected"),
        (lambda d: d["attributes"][1].update(array_length=-1), "$.attributes[1].array_length"),
        (lambda d: d["events"].append({"description": "no name"}), "'name' is a required property"),
        (lambda d: d.update(products="p1"), "$.products: 'p1' is not of type 'array'"),
    ],
)
def test_invalid_snapshots_point_at_the_problem(change: object, message: str, tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "shop" / "braze-export.json").read_text())
    change(data)  # type: ignore[operator]
    path = write(tmp_path / "snap.json", json.dumps(data, indent=2))
    with pytest.raises(TaxonomyError) as caught:
        read_export(path)
    assert "not a valid snapshot" in caught.value.message and message in caught.value.message
    assert caught.value.line is not None


def test_format_is_detected_by_content_not_suffix(tmp_path: Path) -> None:
    snapshot = (EXAMPLES / "shop" / "braze-export.json").read_text()
    assert read_export(write(tmp_path / "export.txt", snapshot)).format == "snapshot"
    csv_named_json = write(tmp_path / "attributes.json", "Name,Data Type\nvip_tier,String\n")
    assert read_export(csv_named_json).attributes[0].type == "string"


# ---------------------------------------------------------------------------------------------------- CSV


def test_dashboard_csv_example() -> None:
    export = read_export(EXAMPLES / "shop" / "braze-custom-attributes.csv")
    assert export.format == "csv" and export.covers == {"attribute"}
    by_name = {a.name: a for a in export.attributes}
    assert by_name["app_theme"].is_blocklisted
    assert by_name["lifetime_value"].tags == ("checkout", "revenue")
    assert by_name["favorite_categories"].array_length == 25
    assert by_name["pets"].type == "array_of_objects"
    assert by_name["Vip_Tier"].source.line == 15  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("EVENT NAME;Status\nsigned_up;Active\n", "event"),
        ("custom_event_name\tdescription\nsigned_up\tx\n", "event"),
        ("Name,Data_Type\nsigned_up,Boolean\n", "attribute"),
        ("Product ID\npremium\n", "product"),
        ("\ufeffAttribute Name,Status\nvip,Active\r\n", "attribute"),
    ],
)
def test_csv_headers_and_kind(text: str, kind: str) -> None:
    export = parse_export(text, "export.csv")
    assert export.covers == {kind}
    assert len(export.of_kind(kind)) == 1


def test_csv_kind_from_file_name_and_row_numbers() -> None:
    text = 'Name,Description\nsigned_up,"two\nlines"\n\nlogged_in,\n'
    export = parse_export(text, "custom-events-2026.csv")
    assert [(e.name, e.source.line) for e in export.events] == [("signed_up", 2), ("logged_in", 5)]  # type: ignore[union-attr]


def test_csv_blocklisted_column() -> None:
    export = parse_export("Name,Blocklisted\na,true\nb,false\n", "attributes.csv")
    assert [a.status for a in export.attributes] == ["blocklisted", "active"]


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("Description,Status\nx,Active\n", "events.csv", "no name column in this CSV"),
        ("Name,Event Name\nx,y\n", "events.csv", "columns 1 ('Name') and 2 ('Event Name') both give the name"),
        ("Name,Type,Data Type\nx,a,b\n", "a.csv", "both give the data type"),
        ("Name,Status\nx,Active\n", "export.csv", "cannot tell whether this CSV lists events, attributes or products"),
        ("Name,Status\nx,Active\nx,Active\n", "events.csv", "`x` is listed twice (first at line 2)"),
        ("Name,Status\n,Active\n", "events.csv", "a row without a name"),
        ("Name,Array Length\nx,many\n", "attributes.csv", "array length of `x` is not a number"),
    ],
)
def test_bad_csv_is_a_clear_error(text: str, name: str, message: str) -> None:
    with pytest.raises(TaxonomyError) as caught:
        parse_export(text, name)
    assert message in caught.value.message
    assert caught.value.file == name and caught.value.line is not None


def test_unreadable_exports(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="export file not found"):
        read_export(tmp_path / "missing.json")
    with pytest.raises(TaxonomyError, match="is a directory"):
        read_export(tmp_path)
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"Name\n\xff\xfe\n")
    with pytest.raises(TaxonomyError, match="not valid UTF-8"):
        read_export(binary)
