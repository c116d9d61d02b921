"""`taxonomy diff` against real git repositories built in a temp folder with real commits."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from helpers import run_cli, run_subprocess, write
from hypothesis import given, settings
from hypothesis import strategies as st

from taxonomy.diff.gitsource import glob_match

ROOT_V1 = """version: 1
include: [teams/*.yaml]
events:
  checkout_begun: {description: Checkout opened.}
  signed_up: {description: Account created.}
"""
ROOT_V2 = ROOT_V1.replace("  checkout_begun: {description: Checkout opened.}\n", "")
GROWTH_V1 = "events:\n  referral_sent:\n    properties:\n      channel: {type: string, enum: [sms, email]}\n"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No user or system git config, and no repository above the temp folder, can change what these tests see.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: v1 (an include glob), then v2 removes an event and an enum value in the included file."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "taxonomy.yaml", ROOT_V1)
    write(root / "teams" / "growth.yaml", GROWTH_V1)
    commit(root, "v1")
    write(root / "taxonomy.yaml", ROOT_V2)
    write(root / "teams" / "growth.yaml", GROWTH_V1.replace("[sms, email]", "[sms]"))
    commit(root, "v2")
    return root


def ids(out: str) -> list[tuple[str, str]]:
    return [(c["id"], c["entity"]["path"]) for c in json.loads(out)["changes"]]


V1_TO_V2 = [
    ("EVENT_REMOVED", "events.checkout_begun"),
    ("ENUM_VALUE_REMOVED", "events.referral_sent.properties.channel"),
]


def test_two_refs_follow_includes_on_both_sides(repo: Path) -> None:
    result = run_cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert result.code == 1, result.err
    assert ids(result.out) == V1_TO_V2


def test_rev_path_form_and_a_file(repo: Path) -> None:
    result = run_cli("diff", "HEAD~1:taxonomy.yaml", "taxonomy.yaml", "--format", "json", cwd=repo)
    assert result.code == 1, result.err
    assert ids(result.out) == V1_TO_V2


def test_rev_dot_path_is_relative_to_the_current_folder(repo: Path) -> None:
    result = run_cli("diff", "HEAD~1:./growth.yaml", "HEAD:./growth.yaml", "--format", "json", cwd=repo / "teams")
    assert result.code == 1, result.err
    assert ids(result.out) == [("ENUM_VALUE_REMOVED", "events.referral_sent.properties.channel")]


def test_as_a_real_process(repo: Path) -> None:
    result = run_subprocess("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert result.code == 1, result.err
    assert "| 🔴 breaking | `EVENT_REMOVED` | `events.checkout_begun` |" in result.out


def test_one_ref_against_the_working_tree(repo: Path) -> None:
    write(
        repo / "teams" / "extra.yaml", "events:\n  wishlist_shared: {description: Shared.}\n"
    )  # picked up by the glob
    result = run_cli("diff", "HEAD", "--format", "json", cwd=repo)
    assert result.code == 0, result.err
    assert ids(result.out) == [("EVENT_ADDED", "events.wishlist_shared")]
    text = run_cli("diff", "HEAD", cwd=repo)
    assert text.out.startswith("taxonomy diff: HEAD -> working tree (taxonomy.yaml)\n")
    assert "EVENT_ADDED  events.wishlist_shared  added  teams/extra.yaml:2" in text.out


def test_no_arguments_without_upstream_compares_head_with_the_working_tree(repo: Path) -> None:
    assert run_cli("diff", "--format", "json", cwd=repo).out == '{\n  "version": 1,\n  "changes": []\n}\n'
    write(repo / "teams" / "growth.yaml", GROWTH_V1.replace("[sms, email]", "[]"))
    write(repo / "teams" / "growth.yaml", GROWTH_V1.replace("{type: string, enum: [sms, email]}", "{type: integer}"))
    result = run_cli("diff", "--format", "json", cwd=repo)
    assert result.code == 1, result.err
    assert ("TYPE_CHANGED", "events.referral_sent.properties.channel") in ids(result.out)
    assert "taxonomy diff: HEAD -> working tree" in run_cli("diff", cwd=repo).out


def test_no_arguments_uses_the_merge_base_with_the_upstream_branch(repo: Path) -> None:
    git(repo, "branch", "-q", "-m", "main")
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    git(repo, "branch", "-q", "--set-upstream-to=main")
    # The feature branch adds an event; main (v2) moved on, but its changes are not this branch's.
    write(repo / "taxonomy.yaml", ROOT_V1 + "  cart_viewed: {description: Cart opened.}\n")
    commit(repo, "feature")
    result = run_cli("diff", "--format", "json", cwd=repo)
    assert result.code == 0, result.err
    assert ids(result.out) == [("EVENT_ADDED", "events.cart_viewed")]
    base = git(repo, "merge-base", "HEAD", "main")[:7]
    assert (
        f"taxonomy diff: merge base with main ({base}) -> working tree (taxonomy.yaml)" in run_cli("diff", cwd=repo).out
    )


def test_a_subfolder_finds_the_repository_and_the_configured_file(repo: Path) -> None:
    write(repo / ".taxonomy.toml", 'taxonomy = "taxonomy.yaml"\n')
    write(repo / "taxonomy.yaml", ROOT_V2.replace("Account created.", "User created an account."))
    (repo / "src").mkdir()
    result = run_cli("diff", "--format", "json", cwd=repo / "src")
    assert result.code == 0, result.err
    assert ids(result.out) == [("DESCRIPTION_CHANGED", "events.signed_up")]


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("none", ("diff",), "is not inside a git repository"),
        ("none", ("diff", "taxonomy.yaml", "nope.yaml"), "nope.yaml: file not found (and this folder is not in a git"),
        ("empty", ("diff",), "the git repository has no commits yet"),
        ("repo", ("diff", "no-such-branch"), "'no-such-branch' is neither a file nor a git revision"),
        ("repo", ("diff", "HEAD~5:taxonomy.yaml"), "'HEAD~5' is neither a file nor a git revision"),
        ("repo", ("diff", "HEAD~1:missing.yaml"), "missing.yaml: does not exist at HEAD~1"),
        ("repo", ("diff", "HEAD:"), "name the file after the colon"),
        ("repo", ("diff", "HEAD:teams"), "teams: is a directory at HEAD"),
        ("detached", ("diff",), "HEAD is detached and has no upstream branch"),
        ("badyaml", ("diff", "HEAD"), "taxonomy.yaml:3:1: invalid YAML"),
    ],
)
def test_errors_are_clear_and_exit_2(
    tmp_path: Path, repo: Path, setup: str, args: tuple[str, ...], message: str
) -> None:
    where = repo
    if setup == "none":
        where = tmp_path / "plain"
        write(where / "taxonomy.yaml", ROOT_V1)
    elif setup == "empty":
        where = tmp_path / "empty"
        where.mkdir()
        git(where, "init", "-q")
        write(where / "taxonomy.yaml", "version: 1\n")
    elif setup == "detached":
        git(repo, "checkout", "-q", "--detach", "HEAD")
    elif setup == "badyaml":
        write(repo / "taxonomy.yaml", "version: 1\nevents: [\n")
        commit(repo, "broken")
        write(repo / "taxonomy.yaml", "version: 1\n")
    result = run_cli(*args, cwd=where)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err
    assert "Traceback" not in result.err


def test_a_broken_old_side_names_the_revision(repo: Path) -> None:
    write(repo / "taxonomy.yaml", "version: 1\nevents: [\n")
    commit(repo, "broken")
    write(repo / "taxonomy.yaml", ROOT_V1)
    result = run_cli("diff", "HEAD", cwd=repo)
    assert result.code == 2
    assert "(in HEAD)" in result.err


def test_an_include_missing_at_the_revision(repo: Path) -> None:
    write(repo / "taxonomy.yaml", "version: 1\ninclude: [teams/growth.yaml, teams/later.yaml]\n")
    git(repo, "add", "taxonomy.yaml")
    git(repo, "commit", "-q", "-m", "include a file that is not committed")
    write(repo / "teams" / "later.yaml", "events: {}\n")
    assert run_cli("diff", "HEAD~1", "taxonomy.yaml", cwd=repo).code == 1  # on disk, the include is there
    result = run_cli("diff", "HEAD", cwd=repo)
    assert result.code == 2
    assert "included file 'teams/later.yaml' does not exist (in HEAD)" in result.err


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("teams/*.yaml", "teams/growth.yaml", True),
        ("teams/*.yaml", "teams/sub/growth.yaml", False),
        ("teams/**/*.yaml", "teams/growth.yaml", True),
        ("teams/**/*.yaml", "teams/a/b/growth.yaml", True),
        ("teams/*.yaml", "teams/.hidden.yaml", False),
        ("*.yaml", "taxonomy.yml", False),
    ],
)
def test_glob_match_follows_glob_glob(pattern: str, path: str, matches: bool) -> None:
    assert glob_match(tuple(pattern.split("/")), tuple(path.split("/"))) is matches


SEGMENTS = st.sampled_from(["teams", "a", "b.yaml", "c.yml", ".hidden.yaml", "x.yaml"])
PATTERN_SEGMENTS = st.sampled_from(["teams", "a", "*.yaml", "*", "**", "?.yaml", "[ab]*", "x.yaml"])


@settings(max_examples=60)
@given(
    st.lists(st.lists(SEGMENTS, min_size=1, max_size=3), min_size=1, max_size=6),
    st.lists(PATTERN_SEGMENTS, min_size=1, max_size=3),
)
def test_glob_match_agrees_with_glob_glob_on_disk(files: list[list[str]], pattern: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        made: set[str] = set()
        for parts in files:
            target = root.joinpath(*parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.touch()
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue  # a name used both as a folder and as a file: skip it
            made.add("/".join(parts))
        on_disk = {
            Path(p).relative_to(root).as_posix()
            for p in glob.glob(str(root.joinpath(*pattern)), recursive=True)
            if not p.endswith(os.sep) and Path(p).is_file()  # "x/" is glob's answer for a folder
        }
        listed = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        matched = {name for name in listed if glob_match(tuple(pattern), tuple(name.split("/")))}
        assert matched == on_disk
