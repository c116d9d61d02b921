"""`.pre-commit-hooks.yaml` with the real pre-commit: taxonomy-lint passes on a clean taxonomy, fails on a bad one.

The taxonomy-check and taxonomy-diff hooks are exercised in test_precommit_check_diff.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from precommit_repo import repo_from, try_repo

pytestmark = pytest.mark.slow

SOURCE_LANGUAGES = [
    "js",
    "jsx",
    "ts",
    "tsx",
    "mjs",
    "cjs",
    "py",
    "kt",
    "kts",
    "java",
    "swift",
    "m",
    "mm",
    "h",
    "dart",
    "cs",
]


def hooks() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def test_manifest_is_valid_and_batch_independent() -> None:
    from pre_commit.clientlib import load_manifest

    manifest = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert {hook["id"] for hook in manifest} >= {"taxonomy-lint", "taxonomy-check", "taxonomy-diff"}
    for hook in manifest:
        # One run over the whole project: results cannot depend on pre-commit's batching of file names.
        assert hook["pass_filenames"] is False and hook["require_serial"] is True, hook["id"]
        assert hook["language"] == "python"


@pytest.mark.parametrize(
    ("hook", "path", "runs"),
    [
        ("taxonomy-lint", "taxonomy.yaml", True),
        ("taxonomy-lint", "teams/growth.yml", True),
        ("taxonomy-lint", ".taxonomy.toml", True),
        ("taxonomy-lint", "web/src/app.ts", False),
        *[("taxonomy-check", f"src/app.{ext}", True) for ext in SOURCE_LANGUAGES],
        ("taxonomy-check", "taxonomy.yaml", True),
        ("taxonomy-check", "README.md", False),
        ("taxonomy-check", "src/app.rb", False),
        ("taxonomy-diff", "taxonomy.yaml", True),
        ("taxonomy-diff", "src/app.ts", False),
    ],
)
def test_files_patterns(hook: str, path: str, runs: bool) -> None:
    import re

    assert bool(re.search(str(hooks()[hook]["files"]), path)) is runs


def test_lint_hook_passes_on_a_clean_taxonomy(tmp_path: Path) -> None:
    result = try_repo(repo_from(tmp_path, "lint-pass"), "taxonomy-lint")
    assert result.code == 0, result.out + result.err
    assert "taxonomy lint" in result.out and "Passed" in result.out
    assert "No problems found in 1 file." in result.out


def test_lint_hook_fails_with_the_findings(tmp_path: Path) -> None:
    result = try_repo(repo_from(tmp_path, "lint-fail"), "taxonomy-lint")
    assert result.code == 1, result.out + result.err
    assert "Failed" in result.out
    assert "- exit code: 1" in result.out
    assert "SCH002  unknown key `descripton` in event `signed_up` (did you mean `description`?)" in result.out
    assert "SCH005  event `checkout_begun` is renamed to `checkout_stared`, which is not declared" in result.out
    assert "Found 2 problems (2 errors) in 1 file." in result.out


def test_lint_hook_passes_on_legacy_findings_accepted_by_the_baseline(tmp_path: Path) -> None:
    from conftest import run_cli
    from precommit_repo import git

    repo = repo_from(tmp_path, "lint-fail")
    (repo / ".taxonomy.toml").write_text('[baseline]\nfile = ".taxonomy-baseline.json"\n', encoding="utf-8")
    assert run_cli("lint", "--write-baseline", ".taxonomy-baseline.json", cwd=repo).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "adopt taxonomy with a baseline")
    result = try_repo(repo, "taxonomy-lint")
    assert result.code == 0, result.out + result.err
    assert "2 known findings hidden by the baseline .taxonomy-baseline.json" in result.out
