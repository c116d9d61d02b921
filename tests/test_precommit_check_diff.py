"""The taxonomy-check and taxonomy-diff hooks with the real pre-commit (try-repo pointed at this checkout).

These need the `check` (scanner) and `diff` commands; until they are merged, the hooks exit 2 ("No such command")
and these tests fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from precommit_repo import git, repo_from, try_repo

pytestmark = pytest.mark.slow


def test_check_hook_passes_when_code_matches_the_taxonomy(tmp_path: Path) -> None:
    result = try_repo(repo_from(tmp_path, "check-pass"), "taxonomy-check")
    assert result.code == 0, result.out + result.err
    assert "taxonomy check" in result.out and "Passed" in result.out


def test_check_hook_fails_on_an_undeclared_event_at_its_call_site(tmp_path: Path) -> None:
    result = try_repo(repo_from(tmp_path, "check-fail"), "taxonomy-check")
    assert result.code == 1, result.out + result.err
    assert "Failed" in result.out and "- exit code: 1" in result.out
    assert "web/src/signup.ts" in result.out
    assert "8:" in result.out  # the line of the call site
    assert "cart_abandonned" in result.out
    assert "signed_up" not in result.out.split("web/src/signup.ts", 1)[1].split("Found", 1)[0]


def test_check_hook_reads_the_taxonomy_from_settings_not_the_file_list(tmp_path: Path) -> None:
    repo = repo_from(tmp_path, "check-pass")
    (repo / "data").mkdir()
    git(repo, "mv", "taxonomy.yaml", "data/plan.yaml")
    (repo / ".taxonomy.toml").write_text('taxonomy = "data/plan.yaml"\n', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move the taxonomy")
    result = try_repo(repo, "taxonomy-check")
    assert result.code == 0, result.out + result.err


def _feature_branch(tmp_path: Path) -> Path:
    """`main` pushed to a bare `origin`; a `feature` branch tracking origin/main, as in a real clone."""
    repo = repo_from(tmp_path, "diff-base")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "fetch", "-q", "origin")
    git(repo, "checkout", "-q", "-b", "feature", "--track", "origin/main")
    return repo


def _commit_taxonomy(repo: Path, text: str) -> None:
    (repo / "taxonomy.yaml").write_text(text, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "change the taxonomy")


def test_diff_hook_passes_on_a_safe_change(tmp_path: Path) -> None:
    repo = _feature_branch(tmp_path)
    text = (repo / "taxonomy.yaml").read_text(encoding="utf-8")
    _commit_taxonomy(repo, text + "  order_placed:\n    description: User placed an order.\n")
    result = try_repo(repo, "taxonomy-diff")
    assert result.code == 0, result.out + result.err
    assert "Passed" in result.out
    assert "EVENT_ADDED" in result.out and "order_placed" in result.out


def test_diff_hook_fails_on_a_breaking_change_against_upstream(tmp_path: Path) -> None:
    repo = _feature_branch(tmp_path)
    text = (repo / "taxonomy.yaml").read_text(encoding="utf-8")
    _commit_taxonomy(repo, text.replace("  checkout_started:\n    description: User opened the checkout.\n", ""))
    result = try_repo(repo, "taxonomy-diff")
    assert result.code == 1, result.out + result.err
    assert "Failed" in result.out and "- exit code: 1" in result.out
    assert "EVENT_REMOVED" in result.out and "checkout_started" in result.out
    assert "origin/main" in result.out  # compared with the upstream branch, not with HEAD
