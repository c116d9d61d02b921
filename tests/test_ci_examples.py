"""The CI examples run as written: every `taxonomy lint` line in them works here and writes what it promises."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, run_cli, write

CI = EXAMPLES / "ci"


def commands(path: Path) -> list[str]:
    """Every `taxonomy ...` command line in a workflow file's scripts."""
    text = path.read_text(encoding="utf-8")
    yaml.safe_load(text)  # the file is valid YAML
    return [m.group(1).strip() for m in re.finditer(r"(?:run:|- )\s*(taxonomy [^\n|]*)", text)]


def test_github_workflow_shape() -> None:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["taxonomy"]
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    uploads = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert {u["with"]["category"] for u in uploads} == {"taxonomy-lint", "taxonomy-check"}
    runs = "\n".join(s.get("run", "") for s in steps)
    for command in ("taxonomy lint", "taxonomy check", 'taxonomy diff "origin/$BASE_REF"'):
        assert command in runs
    for upload in uploads:
        assert upload["with"]["sarif_file"] in runs, "the workflow uploads a file it writes"


@pytest.mark.parametrize("example", ["github-actions.yml", "gitlab-ci.yml"])
def test_lint_lines_run_as_written(tmp_path: Path, example: str) -> None:
    lines = [c for c in commands(CI / example) if c.startswith("taxonomy lint")]
    assert lines
    write(tmp_path / "taxonomy.yaml", "version: 1\nevents:\n  signed_up: {description: User created an account.}\n")
    for line in lines:
        args = shlex.split(line.replace("$CI_JOB_NAME", "taxonomy-lint"))[1:]
        result = run_cli(*args, cwd=tmp_path)
        assert result.code == 0, (line, result.err)
        for spec in args:
            if ":" in spec and not spec.startswith("-"):
                written = tmp_path / spec.split(":", 1)[1]
                assert written.exists(), line
                if written.suffix in (".sarif", ".json"):
                    json.loads(written.read_text(encoding="utf-8"))
