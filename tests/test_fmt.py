"""`taxonomy fmt`: the canonical layout, the --check diff, and the guarantees of the writer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from helpers import EXAMPLES, run_cli, write

from taxonomy.fmt import KEY_ORDER, FmtOptions, format_text
from taxonomy.resources import load_schema

MESSY = """\
# yaml-language-server: $schema=schema.json
events:   # the events
    # first event
    b_event:
        owner: growth   # who
        # about the description
        description: 'Something'
        properties:
            z: {description: "x", type: string}   # z prop
            a:
                required: true
                type: 'integer'

    # second event
    a_event:
        platforms:
        - ios
        - 'web'
        description: "it's"
        status: deprecated
        reason: 'yes'
attributes:
  'on': {owner: x, type: 'string', pattern: '^[a-z]+$'}
  notes:
    owner: me
    type: string
    description: |
      Free text.
        # not a comment: part of the text
      Second line.

version: 1
"""

CANONICAL = """\
# yaml-language-server: $schema=schema.json
version: 1
events:   # the events
  # first event
  b_event:
    # about the description
    description: Something
    owner: growth       # who
    properties:
      z: {type: string, description: x}           # z prop
      a:
        type: integer
        required: true

  # second event
  a_event:
    description: it's
    status: deprecated
    reason: "yes"
    platforms:
      - ios
      - web
attributes:
  "on": {type: string, pattern: "^[a-z]+$", owner: x}
  notes:
    type: string
    description: |
      Free text.
        # not a comment: part of the text
      Second line.
    owner: me
"""


def test_messy_file_gets_the_canonical_layout() -> None:
    assert format_text(MESSY) == CANONICAL


def test_canonical_layout_is_a_fixed_point() -> None:
    assert format_text(CANONICAL) == CANONICAL


def test_the_example_taxonomy_is_already_formatted() -> None:
    result = run_cli("fmt", "--check", cwd=EXAMPLES / "shop")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "2 files already formatted" in result.err


def test_key_order_lists_every_schema_key_once() -> None:
    defs = load_schema()["$defs"]
    for kind, order in KEY_ORDER.items():
        assert sorted(order) == sorted(defs[kind]["properties"]), kind
        assert len(set(order)) == len(order), kind


def test_check_shows_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    target = write(tmp_path / "taxonomy.yaml", MESSY)
    before = target.stat().st_mtime_ns
    result = run_cli("fmt", "--check", cwd=tmp_path)
    assert result.code == 1
    assert result.out.startswith("--- a/taxonomy.yaml\n+++ b/taxonomy.yaml\n")
    assert "-        description: 'Something'\n" in result.out
    assert "+    description: Something\n" in result.out
    assert "1 file would be reformatted, 0 files already formatted" in result.err
    assert target.read_text(encoding="utf-8") == MESSY
    assert target.stat().st_mtime_ns == before


def test_fmt_writes_and_reports(tmp_path: Path) -> None:
    target = write(tmp_path / "taxonomy.yaml", MESSY)
    result = run_cli("fmt", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "reformatted taxonomy.yaml" in result.err
    assert target.read_text(encoding="utf-8") == CANONICAL
    again = run_cli("fmt", cwd=tmp_path)
    assert "0 files reformatted, 1 file left unchanged" in again.err


def test_keeps_crlf_bom_and_permissions(tmp_path: Path) -> None:
    target = tmp_path / "taxonomy.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode())
    os.chmod(target, 0o640)
    assert run_cli("fmt", cwd=tmp_path).code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode() == CANONICAL.replace("\n", "\r\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["taxonomy.yaml"]  # no temp file left behind


def test_formats_included_files_with_the_fragment_order(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\ninclude: [teams/a.yaml]\n")
    included = write(
        tmp_path / "teams" / "a.yaml",
        "attributes:\n  tier:\n    owner: crm\n    type: string\n# end\ndescription: Team A.\n",
    )
    result = run_cli("fmt", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "reformatted teams/a.yaml" in result.err
    assert included.read_text(encoding="utf-8") == (
        "# end\ndescription: Team A.\nattributes:\n  tier:\n    type: string\n    owner: crm\n"
    )  # a comment line belongs to the key below it, and moves with it


def test_sorting_names_when_configured(tmp_path: Path) -> None:
    write(tmp_path / ".taxonomy.toml", '[fmt]\nsort = ["events", "enums"]\n')
    target = write(
        tmp_path / "taxonomy.yaml",
        "version: 1\nevents:\n  b_done: {description: B.}\n  # about a\n  a_done:\n"
        "    properties:\n      kind: {type: string, enum: [z, a, m]}\n",
    )
    assert run_cli("fmt", cwd=tmp_path).code == 0
    assert target.read_text(encoding="utf-8") == (
        "version: 1\nevents:\n  # about a\n  a_done:\n    properties:\n"
        "      kind: {type: string, enum: [a, m, z]}\n  b_done: {description: B.}\n"
    )


def test_bad_fmt_settings_are_usage_errors(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\n")
    write(tmp_path / ".taxonomy.toml", '[fmt]\nsrot = ["events"]\n')
    result = run_cli("fmt", cwd=tmp_path)
    assert result.code == 2
    assert "unknown setting `fmt.srot` (did you mean `sort`?)" in result.err
    write(tmp_path / ".taxonomy.toml", '[fmt]\nsort = ["event"]\n')
    result = run_cli("fmt", cwd=tmp_path)
    assert result.code == 2
    assert "`fmt.sort` cannot sort `event` (did you mean `events`?)" in result.err


def test_invalid_yaml_is_reported_with_its_place(tmp_path: Path) -> None:
    target = write(tmp_path / "taxonomy.yaml", "version: 1\nevents:\n  a: [1\n")
    result = run_cli("fmt", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("taxonomy: error: taxonomy.yaml:4:1: invalid YAML")
    assert target.read_text(encoding="utf-8") == "version: 1\nevents:\n  a: [1\n"


def test_an_empty_include_is_left_alone(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\ninclude: [empty.yaml]\n")
    empty = write(tmp_path / "empty.yaml", "# nothing yet\n")
    assert run_cli("fmt", "--check", cwd=tmp_path).code == 0
    assert empty.read_text(encoding="utf-8") == "# nothing yet\n"


def test_options_from_config_defaults() -> None:
    assert FmtOptions.from_config({}) == FmtOptions()


def test_anchors_and_merges_are_left_as_written(tmp_path: Path) -> None:
    text = (
        "version: 1\nattributes:\n  a:\n    <<: &d {owner: crm, type: 'string'}\n    description: A.\n"
        "  b: *d\n  c:\n    description: C.\n    <<: *d\n"
    )
    target = write(tmp_path / "taxonomy.yaml", text)
    assert run_cli("fmt", cwd=tmp_path).code == 0
    # merged keys are not copied in, the anchored mapping keeps its order; only the quoting is settled
    assert target.read_text(encoding="utf-8") == text.replace("'string'", "string")


def test_block_text_and_null_values(tmp_path: Path) -> None:
    text = "version: 1\nevents:\n  a:\n    description: >-\n      folded\n      # text, not a comment\n  b: ~\n"
    assert format_text(text) == (
        "version: 1\nevents:\n  a:\n    description: >-\n      folded\n      # text, not a comment\n  b:\n"
    )
