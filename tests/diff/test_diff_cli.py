"""`taxonomy diff` as a user runs it on two files: formats, acceptances, --fail-on, settings, usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli, write

from taxonomy.diff.changes import compare
from taxonomy.diff.review import downgrade, review
from taxonomy.loader import load

OLD = """version: 1
events:
  checkout_begun: {description: Checkout opened.}
  video_watched:
    properties:
      duration: {type: integer, description: Watch time in seconds.}
attributes:
  vip_tier: {type: string, enum: [bronze, silver, gold]}
"""
NEW = """version: 1
events:
  video_watched:
    properties:
      duration: {type: integer, description: Watch time in ms.}
  wishlist_shared: {description: User shared their wishlist.}
attributes:
  vip_tier: {type: string, enum: [bronze, silver, gold, platinum]}
"""
ACCEPT = """accepted_changes:
  - change: EVENT_REMOVED
    entity: events.checkout_begun
    ticket: SHOP-512
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    write(tmp_path / "old.yaml", OLD)
    write(tmp_path / "new.yaml", NEW)
    return tmp_path


def test_text_groups_by_category(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", cwd=files)
    assert result.code == 1
    assert result.out == (
        "taxonomy diff: old.yaml -> new.yaml\n"
        "\n"
        "Breaking (1)\n"
        "  EVENT_REMOVED  events.checkout_begun  removed  old.yaml:3\n"
        "      segments, Canvases and campaign filters on this event stop matching, warehouse models lose its table,"
        " and app versions in users' hands still send it\n"
        "\n"
        "Risky (2)\n"
        "  ENUM_VALUE_ADDED  attributes.vip_tier  enum: + platinum  new.yaml:8\n"
        "      segments, Canvases and warehouse CASE expressions that list every value miss the new one\n"
        "  UNIT_CHANGED      events.video_watched.properties.duration  description: Watch time in seconds. ->"
        " Watch time in ms.  new.yaml:5\n"
        "      warehouse models, segment thresholds and campaign filters compare numbers in the old unit\n"
        "\n"
        "Safe (1)\n"
        "  EVENT_ADDED  events.wishlist_shared  added  new.yaml:6\n"
        "      a new event: nothing reads it yet\n"
        "\n"
        "4 changes (1 breaking, 2 risky, 1 safe); fails on breaking (exit 1).\n"
    )


def test_colour_only_when_asked_for(files: Path) -> None:
    assert "\x1b[" not in run_cli("diff", "old.yaml", "new.yaml", cwd=files).out
    coloured = run_cli("diff", "old.yaml", "new.yaml", cwd=files, env={"FORCE_COLOR": "1"}).out
    assert "\x1b[1;31mBreaking (1)\x1b[0m" in coloured


def test_json_is_the_change_list(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", "-f", "json", cwd=files)
    document = json.loads(result.out)
    assert list(document) == ["version", "changes"]
    assert document["changes"][0] == {
        "id": "ENUM_VALUE_ADDED",
        "category": "risky",
        "entity": {"kind": "attribute", "name": "vip_tier", "path": "attributes.vip_tier"},
        "old": None,
        "new": "platinum",
        "reason": "segments, Canvases and warehouse CASE expressions that list every value miss the new one",
    }
    assert all(list(c) == ["id", "category", "entity", "old", "new", "reason"] for c in document["changes"])
    assert [c["id"] for c in document["changes"]] == [
        "ENUM_VALUE_ADDED",
        "EVENT_REMOVED",
        "UNIT_CHANGED",
        "EVENT_ADDED",
    ]


def test_markdown_summary_table(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", "-f", "markdown", cwd=files)
    lines = result.out.splitlines()
    assert lines[0] == "### Taxonomy changes: `old.yaml` → `new.yaml`"
    assert lines[2:5] == ["| Breaking | Risky | Safe | Accepted |", "|---:|---:|---:|---:|", "| 1 | 2 | 1 | 0 |"]
    assert lines[8].startswith("| 🔴 breaking | `EVENT_REMOVED` | `events.checkout_begun` | `checkout_begun` | – |")
    assert lines[-1] == "<sub>taxonomy diff ❌ fails with `--fail-on breaking`.</sub>"


def test_output_file_is_written(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", "-f", "markdown", "-o", "comment.md", cwd=files)
    assert result.code == 1 and result.out == ""
    assert (files / "comment.md").read_text(encoding="utf-8").startswith("### Taxonomy changes")


def test_fail_on(files: Path) -> None:
    write(files / "risky.yaml", OLD.replace("gold]", "gold, platinum]"))
    assert run_cli("diff", "old.yaml", "risky.yaml", cwd=files).code == 0
    assert run_cli("diff", "old.yaml", "risky.yaml", "--fail-on", "risky", cwd=files).code == 1
    assert run_cli("diff", "old.yaml", "new.yaml", "--fail-on", "none", cwd=files).code == 0
    assert run_cli("diff", "old.yaml", "new.yaml", "--fail-on", "error", cwd=files).code == 2
    write(files / ".taxonomy.toml", '[diff]\nfail-on = "risky"\n')
    assert run_cli("diff", "old.yaml", "risky.yaml", cwd=files).code == 1
    assert run_cli("diff", "old.yaml", "risky.yaml", "--fail-on", "breaking", cwd=files).code == 0


def test_unknown_diff_setting_is_a_usage_error(files: Path) -> None:
    write(files / ".taxonomy.toml", '[diff]\nfail_on = "risky"\n')
    result = run_cli("diff", "old.yaml", "new.yaml", cwd=files)
    assert result.code == 2
    assert "unknown setting `diff.fail_on` (did you mean `fail-on`?)" in result.err


def test_ignore_a_category(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", "-f", "json", "--ignore", "DIF003", cwd=files)
    assert "EVENT_ADDED" not in result.out and "EVENT_REMOVED" in result.out
    assert run_cli("diff", "old.yaml", "new.yaml", "--ignore", "DIF9", cwd=files).code == 2


def test_identical_files(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "old.yaml", cwd=files)
    assert result.code == 0
    assert result.out == "taxonomy diff: old.yaml -> old.yaml\n\nNo changes.\n"


def test_an_accepted_change_does_not_fail(files: Path) -> None:
    write(files / "new.yaml", NEW + ACCEPT)
    result = run_cli("diff", "old.yaml", "new.yaml", cwd=files)
    assert result.code == 0, result.out
    assert "Accepted (1)\n  EVENT_REMOVED  events.checkout_begun  removed  old.yaml:3\n      accepted: SHOP-512\n" in (
        result.out
    )
    assert "1 accepted" in result.out
    change = next(
        c
        for c in json.loads(run_cli("diff", "old.yaml", "new.yaml", "-f", "json", cwd=files).out)["changes"]
        if c["id"] == "EVENT_REMOVED"
    )
    assert change["category"] == "breaking" and change["accepted"] == "SHOP-512"


def test_a_stale_acceptance_is_reported(files: Path) -> None:
    write(files / "new.yaml", NEW + ACCEPT.replace("checkout_begun", "chekout_begun"))
    result = run_cli("diff", "old.yaml", "new.yaml", "--fail-on", "risky", cwd=files)
    assert result.code == 1
    assert "Stale acceptances (1)\n  EVENT_REMOVED  events.chekout_begun  new.yaml:10\n" in result.out
    document = json.loads(run_cli("diff", "old.yaml", "new.yaml", "-f", "json", cwd=files).out)
    assert document["stale_acceptances"] == [{"id": "EVENT_REMOVED", "entity": "events.chekout_begun"}]


def test_an_acceptance_without_reason_or_ticket_is_a_schema_problem(files: Path) -> None:
    write(files / "new.yaml", NEW + ACCEPT.replace("    ticket: SHOP-512\n", ""))
    result = run_cli("diff", "old.yaml", "new.yaml", cwd=files)
    assert "note: new.yaml has 1 schema problem; `taxonomy lint` lists them" in result.out
    lint = run_cli("lint", "new.yaml", cwd=files)
    assert lint.code == 1 and "is missing `reason`" in lint.out


def test_shared_reporters_get_findings_at_the_new_line(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from taxonomy.commands.diff import DiffOptions, diff
    from taxonomy.reporters import REPORTERS

    # Any format other than text/json/markdown goes through the shared table; register one the way others do.
    monkeypatch.setitem(REPORTERS, "findings-json", "taxonomy.reporters.json:render")
    monkeypatch.chdir(files)
    code = diff("old.yaml", "new.yaml", DiffOptions(format="findings-json", output_file="report.json"))
    assert code == 1
    document = json.loads((files / "report.json").read_text(encoding="utf-8"))
    rows = [(f["code"], f["severity"], f["file"], f["line"], f["message"].split(" ")[0]) for f in document["findings"]]
    assert rows == [
        ("DIF002", "warning", "new.yaml", 5, "UNIT_CHANGED"),
        ("DIF003", "info", "new.yaml", 6, "EVENT_ADDED"),
        ("DIF002", "warning", "new.yaml", 8, "ENUM_VALUE_ADDED"),
        ("DIF001", "error", "old.yaml", 3, "EVENT_REMOVED"),  # gone: the line in the old file
    ]
    assert document["command"] == "diff"


def test_severity_settings_apply_to_shared_findings(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from taxonomy.commands.diff import DiffOptions, diff
    from taxonomy.reporters import REPORTERS

    monkeypatch.setitem(REPORTERS, "findings-json", "taxonomy.reporters.json:render")
    write(files / ".taxonomy.toml", '[severity]\nDIF001 = "warning"\n')
    monkeypatch.chdir(files)
    assert diff("old.yaml", "new.yaml", DiffOptions(format="findings-json", output_file="r.json")) == 0


def test_code_paths_downgrade_removals_nothing_sends(files: Path) -> None:
    write(
        files / "web" / "player.ts",
        'import * as braze from "@braze/web-sdk";\nbraze.logCustomEvent("video_watched");\n',
    )
    result = run_cli("diff", "old.yaml", "new.yaml", "--code", "web", "-f", "json", cwd=files)
    assert result.code == 0, result.err  # the only breaking change is a removal that no call site sends
    removed = next(c for c in json.loads(result.out)["changes"] if c["id"] == "EVENT_REMOVED")
    assert removed["category"] == "risky" and removed["downgraded_from"] == "breaking"
    assert "no call site in the scanned code sends the event `checkout_begun`" in removed["reason"]
    text = run_cli("diff", "old.yaml", "new.yaml", "--code", "web", cwd=files).out
    assert "note: --code: 1 call site in 1 file" in text


def test_code_paths_keep_removals_that_are_still_sent(files: Path) -> None:
    write(
        files / "web" / "checkout.ts",
        'import * as braze from "@braze/web-sdk";\nbraze.logCustomEvent("checkout_begun");\n',
    )
    write(files / ".taxonomy.toml", '[diff]\ncode = ["web"]\n')
    result = run_cli("diff", "old.yaml", "new.yaml", "-f", "json", cwd=files)
    assert result.code == 1
    removed = next(c for c in json.loads(result.out)["changes"] if c["id"] == "EVENT_REMOVED")
    assert removed["category"] == "breaking" and "downgraded_from" not in removed


def test_a_dynamic_event_name_keeps_every_event_removal(files: Path) -> None:
    write(files / "web" / "any.ts", 'import * as braze from "@braze/web-sdk";\nbraze.logCustomEvent(name);\n')
    result = run_cli("diff", "old.yaml", "new.yaml", "--code", "web", "-f", "json", cwd=files)
    assert result.code == 1  # `name` could be checkout_begun


def test_removals_nothing_sends_are_downgraded(files: Path) -> None:
    changes = compare(load(files / "old.yaml").taxonomy, load(files / "new.yaml").taxonomy)
    removed = next(c for c in changes if c.id == "EVENT_REMOVED")
    still_sent = downgrade(removed, frozenset({("event", "checkout_begun")}))
    assert still_sent.category == "breaking"
    unused = downgrade(removed, frozenset({("event", "video_watched")}))
    assert unused.category == "risky"
    assert unused.reason.startswith("no call site in the scanned code sends the event `checkout_begun`")
    added = next(c for c in changes if c.id == "EVENT_ADDED")
    assert downgrade(added, frozenset()) is added  # only removals are downgraded
    new = load(files / "new.yaml").taxonomy
    reviewed = review(changes, new, frozenset())
    assert {e.change.id: e.change.category for e in reviewed.entries}["EVENT_REMOVED"] == "risky"


def test_property_removal_follows_its_usage(tmp_path: Path) -> None:
    old = load(write(tmp_path / "a.yaml", "version: 1\nevents:\n  e: {properties: {p: {type: string}}}\n")).taxonomy
    new = load(write(tmp_path / "b.yaml", "version: 1\nevents:\n  e: {}\n")).taxonomy
    (change,) = compare(old, new)
    assert downgrade(change, frozenset()).category == "risky"  # the event itself is not sent
    sent_without_p = downgrade(change, frozenset({("event", "e")}))
    assert sent_without_p.category == "risky"
    assert sent_without_p.reason.startswith("no call site in the scanned code sends the property `p` of the event `e`")
    assert downgrade(change, frozenset({("event", "e"), ("property", "e.p")})).category == "breaking"
    assert downgrade(change, frozenset({("event", "e"), ("property", "e.*")})).category == "breaking"
    assert downgrade(change, frozenset({("event", "*")})).category == "breaking"


def test_downgraded_changes_say_so_in_json(files: Path) -> None:
    from taxonomy.config import Config
    from taxonomy.diff.outcome import decide
    from taxonomy.diff.render import render_json

    old, new = load(files / "old.yaml").taxonomy, load(files / "new.yaml").taxonomy
    outcome = decide(review(compare(old, new), new, frozenset()), Config(), "breaking", "old", "new")
    assert outcome.exit_code == 0
    change = next(c for c in json.loads(render_json(outcome))["changes"] if c["id"] == "EVENT_REMOVED")
    assert change["category"] == "risky" and change["downgraded_from"] == "breaking"


def test_rules_explain_the_diff_codes() -> None:
    result = run_cli("rule", "DIF001")
    assert result.code == 0 and "EVENT_REMOVED" in result.out and "taxonomy diff" in result.out
    assert "DIF  diff: changes between two versions" in run_cli("rules").out


def test_a_missing_file_is_a_usage_error(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "nope.yaml", cwd=files)
    assert result.code == 2
    assert "Traceback" not in result.err


def test_several_formats_in_one_run(files: Path) -> None:
    result = run_cli(
        "diff", "old.yaml", "new.yaml", "-f", "text", "-f", "markdown:comment.md", "-f", "json:c.json", cwd=files
    )
    assert result.code == 1
    assert result.out.startswith("taxonomy diff: old.yaml -> new.yaml\n")
    assert (files / "comment.md").read_text(encoding="utf-8").startswith("### Taxonomy changes")
    assert json.loads((files / "c.json").read_text(encoding="utf-8"))["version"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "text", "-f", "json"), "only one format can go to the terminal"),
        (("-f", "jsno"), "unknown format 'jsno' (did you mean `json`?)"),
        (("-f", "json:"), "names no file"),
        (("-f", "json:a", "-f", "markdown:a"), "two formats would write to the same file"),
        (("-f", "json:a", "-o", "b"), "every format already names its file"),
    ],
)
def test_bad_format_routes_are_usage_errors(files: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", *args, cwd=files)
    assert result.code == 2
    assert message in result.err
    assert not (files / "a").exists()


def test_code_paths_that_do_not_exist_or_send_nothing_downgrade_nothing(files: Path) -> None:
    result = run_cli("diff", "old.yaml", "new.yaml", "--code", "nope", cwd=files)
    assert result.code == 2 and "--code nope: no such file or folder" in result.err
    write(files / "web" / "empty.ts", "export const x = 1;\n")
    result = run_cli("diff", "old.yaml", "new.yaml", "--code", "web", cwd=files)
    assert result.code == 1
    assert "note: --code: no Braze call site found in web, so no removal is downgraded" in result.out
