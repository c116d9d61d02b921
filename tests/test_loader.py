"""The loader: positions, schema findings, includes, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES, run_cli, write
from hypothesis import given
from hypothesis import strategies as st

from taxonomy.errors import TaxonomyError
from taxonomy.loader import load
from taxonomy.yamlsource import parse


def codes_at(path: Path) -> list[tuple[str, int, int]]:
    return [(f.code, f.line or 0, f.column or 0) for f in load(path).findings]


def test_example_loads_into_model() -> None:
    loaded = load(EXAMPLES / "shop" / "taxonomy.yaml")
    tax = loaded.taxonomy
    assert loaded.findings == ()
    assert len(tax.events) >= 20 and len(tax.attributes) >= 15 and len(tax.products) >= 3
    assert [Path(f).name for f in tax.files] == ["taxonomy.yaml", "growth.yaml"]
    event = tax.events["checkout_started"]
    assert event.owner == "checkout" and event.platforms[0] == "web"
    assert {p.name for p in event.properties} == {"item_count", "cart_value", "currency"}
    assert tax.events["checkout_begun"].renamed_to == "checkout_started"
    assert tax.attributes["pets"].is_array_of_objects
    assert [p.name for p in tax.attributes["shipping_address"].properties] == ["city", "postal_code", "country_code"]
    assert tax.events["onboarding_completed"].span.file.endswith("teams/growth.yaml")


def test_positions_point_at_keys_and_values(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.yaml",
        "version: 1\nevents:\n  signed_up:\n    owner: growth\n    properties:\n      plan: {type: string}\n",
    )
    event = load(path).taxonomy.events["signed_up"]
    assert (event.span.line, event.span.column) == (3, 3)
    assert (event.at("owner").line, event.at("owner").column) == (4, 12)
    prop = event.properties[0]
    assert (prop.span.line, prop.span.column, prop.at("type").column) == (6, 7, 20)


def test_schema_findings_are_precise(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.yaml",
        "version: 1\n"
        "events:\n"
        "  signed_up:\n"
        "    descripton: x\n"  # unknown key, line 4
        "    status: activ\n"  # bad enum, line 5
        "attributes:\n"
        "  vip: {description: y}\n"  # missing type, line 7
        "  old: {type: string, status: deprecated}\n",  # deprecation without reason, line 8
    )
    findings = load(path).findings
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("SCH002", 4, 5),
        ("SCH001", 5, 13),
        ("SCH003", 7, 3),
        ("SCH003", 8, 3),
    ]
    messages = [f.message for f in findings]
    assert "did you mean `description`?" in messages[0]
    assert "did you mean `active`?" in messages[1]
    assert messages[2] == "attribute `vip` is missing `type`"
    assert "`reason` when status is deprecated" in messages[3]
    assert findings[0].entity is not None and findings[0].entity.name == "signed_up"


def test_wrong_type_of_nested_value(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.yaml", "version: 1\nevents:\n  a:\n    properties:\n      n: {type: integer, required: 'yes'}\n"
    )
    [finding] = load(path).findings
    assert (finding.code, finding.line) == ("SCH001", 5)
    assert finding.message == "`required` must be true or false; got the string 'yes'"


def test_invalid_regex_is_a_finding(tmp_path: Path) -> None:
    path = write(tmp_path / "t.yaml", "version: 1\nattributes:\n  a: {type: string, pattern: '([a-z'}\n")
    [finding] = load(path).findings
    assert finding.code == "SCH001" and "regular expression" in finding.message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path / "t.yaml", "version: 1\nevent:\n  a: {}\n")
    [finding] = load(path).findings
    assert (finding.code, finding.line, finding.column) == ("SCH002", 2, 1)
    assert "did you mean `events`?" in finding.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nevents:\n  a: {}\n  a: {}\n", "t.yaml:4:3: duplicate key 'a' (first defined at line 3)"),
        ("version: 1\nevents: [1,\n", "t.yaml:3:1: invalid YAML"),
        ("", "t.yaml: the file is empty"),
        ("- 1\n- 2\n", "t.yaml:1:1: the top level must be a mapping"),
        ("version: 1\n\xff\n", "t.yaml:2:1: not valid UTF-8"),
        ("version: 1\x00\n", "t.yaml:1: contains a NUL byte"),
        ("a: " + "[" * 2000 + "]" * 2000 + "\n", "nested too deeply"),
    ],
)
def test_bad_input_exits_2_with_position(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(text.encode("latin-1"))
    result = run_cli("lint", "t.yaml", cwd=tmp_path)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.err


def test_block_nesting_10000_deep_is_refused_quickly(tmp_path: Path) -> None:
    write(tmp_path / "t.yaml", "".join(" " * i + f"k{i}:\n" for i in range(4_000)))  # 8 MB: under the size cap
    result = run_cli("lint", "t.yaml", cwd=tmp_path)
    assert result.code == 2 and "nested too deeply" in result.err


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    write(tmp_path / "t.yaml", "version: 1\n" + "\n".join(lines) + "\n")
    result = run_cli("lint", "t.yaml", cwd=tmp_path)
    assert result.code == 2 and "alias bomb" in result.err


def test_small_aliases_and_merge_keys_work(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.yaml",
        "version: 1\nevents:\n  a:\n    properties: &common\n      sku: {type: string}\n"
        "  b:\n    properties:\n      <<: *common\n      qty: {type: integer}\n",
    )
    loaded = load(path)
    assert loaded.findings == ()
    assert [p.name for p in loaded.taxonomy.events["b"].properties] == ["qty", "sku"]


def test_bom_and_crlf_simply_work(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_bytes(b"\xef\xbb\xbfversion: 1\r\nevents:\r\n  a:\r\n    owner: x\r\n")
    event = load(tmp_path / "t.yaml").taxonomy.events["a"]
    assert event.owner == "x" and event.at("owner").line == 4


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "file not found" in run_cli("lint", "nope.yaml", cwd=tmp_path).err
    result = run_cli("lint", ".", cwd=tmp_path)
    assert result.code == 2 and "is a directory" in result.err


def test_no_taxonomy_in_folder(tmp_path: Path) -> None:
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 2 and "no taxonomy.yaml" in result.err and "taxonomy init" in result.err


def test_default_file_is_found(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yml", "version: 1\n")
    assert run_cli("lint", cwd=tmp_path).code == 0


# ------------------------------------------------------------------------------------------ includes


def test_include_merges_and_keeps_names_unique(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\ninclude: [teams/*.yaml]\nevents:\n  a: {}\n")
    write(tmp_path / "teams" / "one.yaml", "events:\n  b: {}\n")
    write(tmp_path / "teams" / "two.yaml", "events:\n  a: {}\nattributes:\n  c: {type: string}\n")
    loaded = load(tmp_path / "taxonomy.yaml")
    assert sorted(loaded.taxonomy.events) == ["a", "b"] and list(loaded.taxonomy.attributes) == ["c"]
    [dup] = loaded.findings
    assert dup.code == "SCH004" and dup.span is not None and dup.span.file.endswith("teams/two.yaml")
    assert dup.line == 2 and "already declared in" in dup.message


def test_include_fragment_is_validated(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\ninclude: [more.yaml]\n")
    write(tmp_path / "more.yaml", "version: 1\nevents:\n  a: {colour: red}\n")
    found = {(f.code, f.line) for f in load(tmp_path / "taxonomy.yaml").findings}
    assert found == {("SCH002", 1), ("SCH002", 3)}  # a fragment has no version; `colour` is unknown


def test_include_cycle(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\ninclude: [a.yaml]\n")
    write(tmp_path / "a.yaml", "include: [b.yaml]\n")
    write(tmp_path / "b.yaml", "include: [a.yaml]\n")
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 2 and "include cycle: a.yaml -> b.yaml -> a.yaml" in result.err


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../outside.yaml", "points outside the taxonomy's folder"),
        ("missing.yaml", "does not exist"),
        ("none/*.yaml", "matches no file"),
    ],
)
def test_include_errors(tmp_path: Path, entry: str, message: str) -> None:
    root = tmp_path / "repo"
    write(tmp_path / "outside.yaml", "events: {}\n")
    write(root / "taxonomy.yaml", f"version: 1\ninclude:\n  - {entry}\n")
    result = run_cli("lint", cwd=root)
    assert result.code == 2 and message in result.err and "taxonomy.yaml:3:5" in result.err


def test_unknown_reference(tmp_path: Path) -> None:
    write(
        tmp_path / "taxonomy.yaml",
        "version: 1\nevents:\n  old:\n    status: deprecated\n    reason: renamed\n"
        "    renamed_to: new_evnt\n  new_event: {}\n",
    )
    result = run_cli("lint", cwd=tmp_path)
    assert result.code == 1
    assert "6:17" in result.out and "SCH005" in result.out and "did you mean `new_event`?" in result.out


# ------------------------------------------------------------------------------------------ properties


@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    try:
        parse(text, "fuzz.yaml")
    except TaxonomyError as exc:
        assert exc.file == "fuzz.yaml"


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(
    st.dictionaries(
        st.sampled_from(
            ["version", "events", "attributes", "purchases", "include", "conventions", "warehouses", "workspace"]
        ),
        yaml_values,
        max_size=6,
    )
)
def test_arbitrary_documents_never_crash_the_loader(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, object]
) -> None:
    import yaml

    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "taxonomy.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = run_cli("lint", "--format", "json", cwd=folder)
    assert result.code in (0, 1, 2), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
