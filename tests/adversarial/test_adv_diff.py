"""`taxonomy diff` in hostile git states: no repository, no commits, a detached HEAD, hostile revisions and blobs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import run_cli, write
from hostile import VALID, alias_bomb, assert_handled, run_bounded

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(folder: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    return tmp_path


def test_outside_any_repository(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", VALID)
    assert_handled(run_cli("diff", cwd=tmp_path), (2,), mention="git")
    assert_handled(run_cli("diff", "HEAD~1", cwd=tmp_path), (2,), mention="HEAD~1")


def test_repository_with_no_commits(repo: Path) -> None:
    write(repo / "taxonomy.yaml", VALID)
    for argv in (["diff"], ["diff", "HEAD"], ["diff", "HEAD", "taxonomy.yaml"], ["diff", "HEAD:taxonomy.yaml"]):
        assert_handled(run_cli(*argv, cwd=repo), (2,), mention="no commits")


def test_detached_head_without_upstream(repo: Path) -> None:
    write(repo / "taxonomy.yaml", VALID)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    write(repo / "taxonomy.yaml", VALID.replace("signed_up", "joined"))
    git(repo, "commit", "-qam", "two")
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    assert_handled(run_cli("diff", cwd=repo), (2,), mention="detached")
    assert_handled(run_cli("diff", "main", cwd=repo), (0, 1))  # naming the base works while detached
    assert_handled(run_cli("diff", "HEAD", "main", cwd=repo), (1,), mention="signed_up")


@pytest.mark.parametrize(
    "revision",
    ["--upload-pack=touch pwned", "-", "HEAD~999", "HEAD:", "HEAD:missing.yaml", "no/such/ref", "HEAD^{tree}", "@{u}"],
)
def test_hostile_revisions(repo: Path, revision: str) -> None:
    write(repo / "taxonomy.yaml", VALID)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    result = run_cli("diff", revision, cwd=repo)
    assert_handled(result, (0, 2))
    assert not (repo / "pwned").exists()


def test_a_hostile_blob_in_history(repo: Path) -> None:
    """The old side comes from git: a committed alias bomb, NUL bytes or invalid UTF-8 are errors, not crashes."""
    for content in (alias_bomb().encode(), b"version: 1\x00\n", b"version: 1\ndescription: \xff\n"):
        (repo / "taxonomy.yaml").write_bytes(content)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "hostile")
        write(repo / "taxonomy.yaml", VALID)
        result = run_bounded("diff", "HEAD", cwd=repo, timeout=60)
        assert_handled(result, (2,), mention="taxonomy.yaml")
        git(repo, "checkout", "-q", "taxonomy.yaml")
