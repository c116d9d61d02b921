"""Every reporter against its golden file, all rendered from one shared set of findings (shared_findings.py).

Regenerate the golden files after an intended change with TAXONOMY_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, write
from hypothesis import given
from hypothesis import strategies as st
from shared_findings import shared_report

import taxonomy
from taxonomy.reporters import REPORTERS, outputs, renderer

GOLDEN = FIXTURES / "reporters" / "golden"
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "github": "txt", "gitlab": "json", "junit": "xml"}


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.{SUFFIX.get(name, 'md' if name == 'markdown' else 'out')}"


@pytest.fixture(autouse=True)
def fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taxonomy, "__version__", "0.0.0+golden")


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_golden(name: str) -> None:
    rendered = renderer(name)(shared_report(), color=False)
    path = golden_path(name)
    if os.environ.get("TAXONOMY_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert path.exists(), f"no golden file for {name}; create it with TAXONOMY_UPDATE_GOLDEN=1"
    assert rendered.encode("utf-8") == path.read_bytes()


def test_github_escapes_data_and_properties() -> None:
    lines = renderer("github")(shared_report(), color=False).splitlines()
    odd = next(line for line in lines if "SCH001" in line)
    assert odd.startswith("::notice file=taxonomy.yaml,line=20,col=7,title=SCH001 schema.invalid-value::")
    assert odd.endswith('::100%25 sure: value a,b | <c> & "d" is odd%0Asecond line: ü')
    assert "::warning " in "\n".join(lines)
    spaced = next(line for line in lines if "SCH004" in line)
    assert "file=teams/growth team.yaml," in spaced
    unplaced = next(line for line in lines if "SCH003" in line)
    assert unplaced == "::warning title=SCH003 schema.missing-key::the taxonomy declares no workspace"


def test_gitlab_fields_and_unique_fingerprints() -> None:
    issues = json.loads(renderer("gitlab")(shared_report(), color=False))
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_is_well_formed_with_a_suite_per_file() -> None:
    root = ET.fromstring(renderer("junit")(shared_report(), color=False))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"taxonomy lint", "taxonomy.yaml", "teams/growth team.yaml", "teams/clean.yaml"}
    assert suites["teams/clean.yaml"].get("failures") == "0"
    assert root.get("failures") == "6"


def test_markdown_table_escapes_pipes_and_html() -> None:
    text = renderer("markdown")(shared_report(), color=False)
    assert text.startswith("### ❌ taxonomy lint\n")
    assert "a,b \\| &lt;c&gt; &amp;" in text
    assert "<br>second line" in text


def test_markdown_folds_a_long_table() -> None:
    import dataclasses

    report = shared_report()
    many = dataclasses.replace(report, findings=report.findings * 5)
    assert "<details><summary>All 30 findings</summary>" in renderer("markdown")(many, color=False)


@pytest.mark.parametrize(
    ("formats", "output_file", "routed"),
    [
        ("text", None, [("text", None)]),
        (("text", "sarif:out.sarif"), None, [("text", None), ("sarif", "out.sarif")]),
        (("sarif",), "x.sarif", [("sarif", "x.sarif")]),
        (("text", "json:C:/reports/a.json"), None, [("text", None), ("json", "C:/reports/a.json")]),
        (("github", "junit:j.xml"), "m.md", [("github", "m.md"), ("junit", "j.xml")]),
    ],
)
def test_outputs_routing(formats: str | tuple[str, ...], output_file: str | None, routed: object) -> None:
    assert outputs(formats, output_file) == routed


@pytest.mark.parametrize(
    ("formats", "output_file", "message"),
    [
        (("text", "json"), None, "only one format can write to the terminal"),
        (("text", "json"), "x", "--output-file fits only one format"),
        (("json:a", "sarif:a"), None, "two formats would write to a"),
        (("sarif:",), None, "names no file"),
        (("sarf",), None, "unknown format 'sarf' (did you mean `sarif`?)"),
        (("sarif:a",), "b", "every format already names its file"),
    ],
)
def test_outputs_refuses_ambiguity(formats: tuple[str, ...], output_file: str | None, message: str) -> None:
    from taxonomy.errors import TaxonomyError

    with pytest.raises(TaxonomyError, match=re.escape(message)):
        outputs(formats, output_file)


BAD = "version: 1\nevents:\n  signed_up: {descripton: Hi.}\n"


def test_cli_writes_several_formats_in_one_run(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    (tmp_path / "reports").mkdir()
    result = run_cli("lint", "-f", "github", "-f", "junit:reports/j.xml", "-f", "markdown:comment.md", cwd=tmp_path)
    assert result.code == 1
    assert result.out.startswith("::error file=taxonomy.yaml,line=3,col=15,")
    assert (tmp_path / "comment.md").read_text().startswith("### ❌ taxonomy lint\n")
    assert ET.parse(tmp_path / "reports" / "j.xml").getroot().get("failures") == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comment.md", "reports", "taxonomy.yaml"]  # no temp files


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "text", "-f", "json"), "taxonomy: error: only one format can write to the terminal"),
        (("-f", "sarf"), "Invalid value for '--format' / '-f': 'sarf' is not one of"),
        (("-f", "sarif:missing/dir/r.sarif"), "taxonomy: error: cannot write missing/dir/r.sarif"),
    ],
)
def test_cli_format_errors_exit_2_before_or_without_partial_output(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    write(tmp_path / "taxonomy.yaml", BAD)
    result = run_cli("lint", *args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def _unescape(text: str) -> str:
    for raw, escaped in (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")):
        text = text.replace(escaped, raw)
    return text


def test_github_property_escaping() -> None:
    from taxonomy.reporters.github import escape_data, escape_property

    assert escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"
    assert escape_data("a:b,c%d\r\ne") == "a:b,c%25d%0D%0Ae"


@given(st.text())
def test_github_escaping_is_reversible_and_leaves_no_separators(text: str) -> None:
    from taxonomy.reporters.github import escape_data, escape_property

    prop = escape_property(text)
    assert not set(prop) & {":", ",", "\r", "\n"}
    assert "\n" not in escape_data(text) and "\r" not in escape_data(text)
    assert _unescape(prop) == text


@given(st.sampled_from(sorted(REPORTERS)), st.text(min_size=1).filter(lambda p: "\x00" not in p))
def test_outputs_parses_any_path(name: str, path: str) -> None:
    assert outputs((f"{name}:{path}",)) == [(name, path)]
    assert outputs(("text", f"{name}:{path}")) == [("text", None), (name, path)]
