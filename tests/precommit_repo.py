"""Acceptance-test helpers: a throwaway git repository and the REAL `pre-commit try-repo` pointed at this checkout.

try-repo clones this checkout (uncommitted changes to tracked files included) and pip-installs the package
from it into a fresh environment, exactly as a user's pre-commit does from the published repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, Result

EXAMPLES = FIXTURES / "precommit"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def require_checkout() -> None:
    """try-repo clones git history: the hooks file must be committed in this checkout."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (e.g. an sdist): try-repo needs one")
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True
    )
    assert tracked.returncode == 0, "commit .pre-commit-hooks.yaml first: try-repo only sees tracked files"


def repo_from(tmp_path: Path, *examples: str, branch: str = "main") -> Path:
    """A new git repository holding the given example folders (copied in order), all committed."""
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q", "-b", branch)
    for example in examples:
        shutil.copytree(EXAMPLES / example, repo, dirs_exist_ok=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "example")
    return repo


def try_repo(repo: Path, hook: str, *extra: str) -> Result:
    """`pre-commit try-repo <this checkout> HOOK --all-files` in `repo`, as a developer would run it."""
    require_checkout()
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(repo.parent),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
    }
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files", "--verbose", *extra],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
