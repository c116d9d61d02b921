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
from conftest import FIXTURES
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
