"""Every command that reads a taxonomy file, against hostile taxonomy files.

lint, lint --fix, fmt, fmt --check, docs, drift, check and diff each get: alias bombs, nesting 10,000 deep (and just
under the parser's own limit, where the pure-Python rewriter used to hit RecursionError), duplicate keys, broken and
unusual encodings, NUL bytes, a symlink loop, a named pipe, paths with spaces and unicode, and a 100 MB file.
Expected every time: exit 0/1/2 with a clear message, never a traceback, and the file left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run_cli, write
from hostile import (
    ENCODINGS,
    READABLE,
    SNAPSHOT,
    UNICODE_DIR,
    VALID,
    alias_bomb,
    alias_bomb_in_events,
    assert_handled,
    big_taxonomy,
    deep_block,
    deep_flow,
    duplicate_key,
    fifo,
    run_bounded,
    symlink_loop,
    tree_files,
)

# name -> argv given the taxonomy file (relative to the project folder)
COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "lint": lambda t: ["lint", t],
    "lint-fix": lambda t: ["lint", "--fix", t],
    "fmt": lambda t: ["fmt", t],
    "fmt-check": lambda t: ["fmt", "--check", t],
    "docs": lambda t: ["docs", t, "--output", "out-docs"],
    "drift": lambda t: ["drift", "--taxonomy", t, "snapshot.json"],
    "check": lambda t: ["check", "--taxonomy", t, "--no-cache", "src"],
    "diff": lambda t: ["diff", "base.yaml", t],
}


def project(folder: Path) -> Path:
    """What every command needs besides the taxonomy: an export, a source folder, a base to diff against."""
    write(folder / "snapshot.json", SNAPSHOT)
    write(folder / "src" / "app.js", 'braze.logCustomEvent("signed_up", {plan: "pro"});\n')
    write(folder / "base.yaml", VALID)
    return folder


def run_everywhere(folder: Path, taxonomy: str, *, mention: str | None = None, readable: bool = False) -> None:
    """Run every command on `taxonomy`; a file that is not readable as a taxonomy must come out unchanged."""
    target = folder / taxonomy
    before = target.read_bytes() if target.is_file() and not target.is_symlink() else None
    for name, argv in COMMANDS.items():
        result = run_cli(*argv(taxonomy), cwd=folder)
        assert_handled(result, (0, 1, 2) if readable else (2,), mention=None if readable else mention)
        if before is not None and not readable:
            assert target.read_bytes() == before, f"{name} changed a file it could not read"
        leftovers = [p.name for p in folder.rglob(".*.tmp")]
        assert not leftovers, f"{name} left temp files {leftovers}"


@pytest.mark.parametrize("depth", [10_000, 995, 300, 240])
def test_deep_flow_nesting(tmp_path: Path, depth: int) -> None:
    """10,000 levels hits libyaml's limit; 240-300 parse but once crashed fmt (ruamel recursion): now exit 2."""
    write(project(tmp_path) / "taxonomy.yaml", deep_flow(depth))
    for name, argv in COMMANDS.items():
        result = run_cli(*argv("taxonomy.yaml"), cwd=tmp_path)
        assert_handled(result)
        if result.code == 2:
            assert "taxonomy.yaml" in result.err and "nested too deeply" in result.err, (name, result.err)


@pytest.mark.parametrize("depth", [10_000, 900])
def test_deep_block_nesting(tmp_path: Path, depth: int) -> None:
    write(project(tmp_path) / "taxonomy.yaml", deep_block(depth))
    run_everywhere(tmp_path, "taxonomy.yaml", mention="taxonomy.yaml")  # too deep, or (10,000: 50 MB) too large


def test_fmt_regression_250_levels_is_an_error_with_the_file(tmp_path: Path) -> None:
    """Found by this suite: fmt on a file nested 300 deep died with RecursionError (exit 3)."""
    write(tmp_path / "taxonomy.yaml", deep_flow(300))
    result = run_cli("fmt", "taxonomy.yaml", cwd=tmp_path)
    assert_handled(result, (2,), mention="taxonomy.yaml: nested too deeply to rewrite")


def test_duplicate_keys_point_at_the_second_one(tmp_path: Path) -> None:
    write(project(tmp_path) / "taxonomy.yaml", duplicate_key())
    run_everywhere(tmp_path, "taxonomy.yaml", mention="taxonomy.yaml:5:3: duplicate key 'signed_up'")


@pytest.mark.parametrize("builder", [alias_bomb, alias_bomb_in_events], ids=["top-level", "in-events"])
def test_alias_bombs_stop_with_bounded_memory(tmp_path: Path, builder: Callable[[], str]) -> None:
    write(project(tmp_path) / "taxonomy.yaml", builder())
    before = tree_files(tmp_path)
    for argv in (COMMANDS["lint"], COMMANDS["fmt"], COMMANDS["docs"], COMMANDS["drift"]):
        result = run_bounded(*argv("taxonomy.yaml"), cwd=tmp_path)
        assert_handled(result, (2,), mention="alias bomb")
    assert tree_files(tmp_path) == before


@pytest.mark.parametrize("kind", sorted(ENCODINGS))
def test_encodings(tmp_path: Path, kind: str) -> None:
    (project(tmp_path) / "taxonomy.yaml").write_bytes(ENCODINGS[kind])
    mention = None if kind in READABLE else "taxonomy.yaml"
    run_everywhere(tmp_path, "taxonomy.yaml", mention=mention, readable=kind in READABLE)


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "taxonomy.yaml").write_bytes(ENCODINGS["invalid-utf8"])
    result = run_cli("lint", "taxonomy.yaml", cwd=tmp_path)
    assert_handled(result, (2,), mention="taxonomy.yaml:5:20: not valid UTF-8 (byte 0xff)")


def test_crlf_and_bom_survive_fmt(tmp_path: Path) -> None:
    """A CRLF file with a BOM is formatted and keeps both (the user's editor settings are not ours to change)."""
    (tmp_path / "taxonomy.yaml").write_bytes(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode())
    assert_handled(run_cli("fmt", "taxonomy.yaml", cwd=tmp_path), (0,))
    after = (tmp_path / "taxonomy.yaml").read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\r\n" in after and b"\n" not in after.replace(b"\r\n", b"")


def test_symlink_loop(tmp_path: Path) -> None:
    symlink_loop(project(tmp_path))
    run_everywhere(tmp_path, "loop_a.yaml", mention="loop_a.yaml")


def test_directory_instead_of_a_file(tmp_path: Path) -> None:
    (project(tmp_path) / "folder.yaml").mkdir()
    run_everywhere(tmp_path, "folder.yaml", mention="folder.yaml")


def test_missing_file(tmp_path: Path) -> None:
    run_everywhere(project(tmp_path), "missing.yaml", mention="missing.yaml")


def test_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    """Root ignores permission bits, so a FIFO stands in for an unreadable file: open() would block forever."""
    fifo(project(tmp_path) / "taxonomy.yaml")
    for name in ("lint", "fmt", "docs", "drift", "check", "diff"):
        result = run_bounded(*COMMANDS[name]("taxonomy.yaml"), cwd=tmp_path, timeout=60)
        assert_handled(result, (2,), mention="not a regular file")


@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_named_pipe_as_config_or_baseline(tmp_path: Path, option: str) -> None:
    write(tmp_path / "taxonomy.yaml", VALID)
    fifo(tmp_path / "pipe")
    result = run_bounded("lint", "taxonomy.yaml", option, "pipe", cwd=tmp_path, timeout=60)
    assert_handled(result, (2,), mention="pipe")


def test_config_with_invalid_utf8(tmp_path: Path) -> None:
    """Found by this suite: tomllib raised UnicodeDecodeError (exit 3)."""
    write(tmp_path / "taxonomy.yaml", VALID)
    (tmp_path / ".taxonomy.toml").write_bytes(b'taxonomy = "caf\xe9.yaml"\n')
    assert_handled(run_cli("lint", cwd=tmp_path), (2,), mention=".taxonomy.toml: not valid UTF-8")


def test_unicode_and_spaces_in_paths(tmp_path: Path) -> None:
    folder = project(tmp_path / UNICODE_DIR)
    write(folder / "tàxonomy ü.yaml", VALID.replace("signed_up", "inscrit_é"))
    for argv in COMMANDS.values():
        assert_handled(run_cli(*argv("tàxonomy ü.yaml"), cwd=folder), (0, 1))
    assert (folder / "out-docs" / "index.html").is_file()
    (folder / "tàxonomy ü.yaml").write_text(duplicate_key(), encoding="utf-8")
    result = run_cli("lint", "tàxonomy ü.yaml", cwd=folder)
    assert_handled(result, (2,), mention="tàxonomy ü.yaml:5:3: duplicate key")


def test_unreadable_file_when_not_root(tmp_path: Path) -> None:
    from hostile import is_root

    if is_root():
        pytest.skip("running as root: permission bits are not enforced (the FIFO tests cover unreadable files)")
    target = write(project(tmp_path) / "taxonomy.yaml", VALID)
    target.chmod(0)
    try:
        run_everywhere(tmp_path, "taxonomy.yaml", mention="permission denied")
    finally:
        target.chmod(0o644)


@pytest.mark.slow
def test_a_100_mb_taxonomy_is_refused_at_once(tmp_path: Path) -> None:
    """Found by this suite: lint on 100 MB ran 2.5 minutes and died with MemoryError under a 1.5 GB ceiling.

    Taxonomy files are now capped at 20 MB each (a real one is well under 1 MB): refused before reading.
    """
    big_taxonomy(tmp_path / "taxonomy.yaml", 100)
    for name in ("lint", "fmt", "docs", "drift", "check", "diff"):
        result = run_bounded(*COMMANDS[name]("taxonomy.yaml"), cwd=project(tmp_path), timeout=120)
        assert_handled(result, (2,), mention="taxonomy.yaml: cannot read: too large")


@pytest.mark.parametrize("name", ["\\0", "../braze", "../../../etc/hostname", "snowflake/../bigquery"])
def test_warehouse_names_are_never_paths(tmp_path: Path, name: str) -> None:
    """Found after merging the warehouse checks: `warehouses: ["\\0"]` was a ValueError and `../braze` loaded
    rules/braze.yaml as a dialect (KeyError): both internal errors. Unknown names are only schema findings now."""
    write(tmp_path / "taxonomy.yaml", f'version: 1\nwarehouses: ["{name}"]\nevents: {{}}\n')
    assert_handled(run_cli("lint", "taxonomy.yaml", cwd=tmp_path), (1,), mention="SCH001")
