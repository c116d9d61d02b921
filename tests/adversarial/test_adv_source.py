"""Every command that scans source code (scan, check, drift --code, init --code, diff --code) against hostile trees.

Binary files with source suffixes, invalid UTF-8, NUL bytes, BOM and CRLF, code nested thousands deep, symlink
loops, a named pipe with a source suffix (it used to hang the scan forever), unicode and spaces in paths, and a
100 MB source file. A bad file is a skipped-file notice; the rest of the tree is still scanned.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli, write
from hostile import SNAPSHOT, UNICODE_DIR, VALID, assert_handled, fifo, run_bounded, tree_files

from taxonomy.scan.languages import SUFFIXES

# One suffix per language the scanner knows (languages added later are covered automatically).
LANGUAGE_SUFFIXES = sorted({language: suffix for suffix, (language, _spec) in SUFFIXES.items()}.items())
NEEDLE = b"braze.logCustomEvent('x'); logCustomEvent setCustomUserAttribute logPurchase changeUser"


def hostile_tree(folder: Path) -> Path:
    """One bad file of each kind, for each language, plus one good call site that must still be found."""
    src = folder / "src"
    for language, suffix in LANGUAGE_SUFFIXES:
        (src / language).mkdir(parents=True, exist_ok=True)
        (src / language / f"binary{suffix}").write_bytes(bytes(range(256)) * 40 + NEEDLE)
        (src / language / f"latin1{suffix}").write_bytes(NEEDLE + b"\n// caf\xe9\n")
        (src / language / f"nul{suffix}").write_bytes(NEEDLE + b"\x00\n")
        (src / language / f"bom-crlf{suffix}").write_bytes(b"\xef\xbb\xbf" + NEEDLE.replace(b";", b";\r\n"))
        (src / language / f"deep{suffix}").write_bytes(NEEDLE + b"\nf(" + b"(" * 5000 + b")" * 5000 + b");\n")
        (src / language / f"brackets{suffix}").write_bytes(NEEDLE + b"\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n")
        (src / language / f"unclosed{suffix}").write_bytes(NEEDLE + b"\n" + b"{(\"'`" * 2000)
        (src / language / f"empty{suffix}").write_bytes(b"")
        fifo(src / language / f"pipe{suffix}")
    (src / "loop").mkdir()
    (src / "loop" / "self").symlink_to("..", target_is_directory=True)
    (src / "dangling.js").symlink_to("nowhere.js")
    (src / "ping.js").symlink_to("pong.js")
    (src / "pong.js").symlink_to("ping.js")
    write(src / UNICODE_DIR / "écran d'accueil.js", 'braze.logCustomEvent("signed_up", {plan: "pro"});\n')
    return src


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-tree")
    hostile_tree(folder)
    write(folder / "taxonomy.yaml", VALID)
    write(folder / "snapshot.json", SNAPSHOT)
    write(folder / "base.yaml", VALID)
    return folder


def test_scan_skips_bad_files_with_a_reason_and_finds_the_good_one(tree: Path) -> None:
    result = run_bounded("scan", "--no-cache", "--format", "json", "src", cwd=tree, timeout=180)
    assert_handled(result, (0,))
    document = json.loads(result.out)
    names = {(site["file"], site["name"]) for site in document["call_sites"]}
    assert (f"{UNICODE_DIR}/écran d'accueil.js", "signed_up") in names
    reasons = {entry["file"]: entry["reason"] for entry in document["skipped"]}
    for language, suffix in LANGUAGE_SUFFIXES:
        assert reasons[f"{language}/binary{suffix}"] == "binary file"
        assert reasons[f"{language}/nul{suffix}"] == "binary file"
        assert reasons[f"{language}/pipe{suffix}"].startswith("not a regular file")
        assert reasons.get(f"{language}/latin1{suffix}", "not valid UTF-8 (not a candidate)").startswith("not valid")


def test_scan_text_report_lists_the_skipped_files(tree: Path) -> None:
    result = run_bounded("scan", "--no-cache", "src", cwd=tree, timeout=180)
    assert_handled(result, (0,))
    suffix = dict(LANGUAGE_SUFFIXES)["javascript"]
    assert f"note: skipped javascript/pipe{suffix}: not a regular file" in result.out + result.err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--no-cache", "--taxonomy", "taxonomy.yaml", "src"],
        ["drift", "--taxonomy", "taxonomy.yaml", "--code", "src", "snapshot.json"],
        ["init", "--code", "src", "--output", "new.yaml"],
        ["diff", "base.yaml", "taxonomy.yaml", "--code", "src"],
    ],
    ids=["check", "drift", "init", "diff"],
)
def test_every_scanning_command_survives_the_tree(tree: Path, argv: list[str]) -> None:
    before = {k: v for k, v in tree_files(tree).items() if not k.startswith(".taxonomy-cache")}
    result = run_bounded(*argv, cwd=tree, timeout=180)
    assert_handled(result, (0, 1))
    after = {k: v for k, v in tree_files(tree).items() if not k.startswith(".taxonomy-cache")}
    after.pop("new.yaml", None)
    assert after == before  # nothing in the user's tree was touched
    (tree / "new.yaml").unlink(missing_ok=True)


def test_a_pipe_given_by_name(tmp_path: Path) -> None:
    fifo(tmp_path / "pipe.js")
    result = run_bounded("scan", "--no-cache", "pipe.js", cwd=tmp_path, timeout=60)
    assert_handled(result, (0, 2))
    assert "skipped pipe.js" in result.out + result.err


def test_scanning_a_missing_path(tmp_path: Path) -> None:
    result = run_cli("scan", "--no-cache", "no such folder", cwd=tmp_path)
    assert_handled(result, (0, 2), mention="no such folder")


def test_unreadable_folder_when_not_root(tmp_path: Path) -> None:
    from hostile import is_root

    if is_root():
        pytest.skip("running as root: permission bits are not enforced (the FIFO tests cover unreadable files)")
    locked = tmp_path / "locked"
    write(locked / "a.js", "braze.logCustomEvent('x');\n").chmod(0)
    locked.chmod(0)
    try:
        result = run_cli("scan", "--no-cache", ".", cwd=tmp_path)
        assert_handled(result, (0,), mention="locked")
    finally:
        locked.chmod(0o755)
        (locked / "a.js").chmod(0o644)


@pytest.mark.slow
def test_a_100_mb_source_file_is_bounded(tmp_path: Path) -> None:
    """Over the size limit by default: skipped with a notice, by scan and by check.

    Found by this suite: with `max-file-size = "200MB"` tree-sitter parsed it until it crashed (SIGSEGV under a
    1.5 GB ceiling; 10 MB of JS takes 800 MB). The setting is now capped at 16 MB with a clear error.
    """
    line = b"  braze.logCustomEvent('generated_event', {index: 1, label: 'some text to make it long'});\n"
    with (tmp_path / "huge.js").open("wb") as handle:
        block = line * 10_000
        for _ in range(100_000_000 // len(block) + 1):
            handle.write(block)
    result = run_bounded("scan", "--no-cache", ".", cwd=tmp_path, timeout=300)
    assert_handled(result, (0,), mention="huge.js: larger than the size limit")
    write(tmp_path / "taxonomy.yaml", VALID)
    result = run_bounded("check", "--no-cache", "--taxonomy", "taxonomy.yaml", ".", cwd=tmp_path, timeout=300)
    assert_handled(result, (0, 1))
    write(tmp_path / ".taxonomy.toml", '[scan]\nmax-file-size = "200MB"\n')
    result = run_bounded("scan", "--no-cache", "--format", "json", ".", cwd=tmp_path, timeout=300)
    assert_handled(result, (2,), mention="may be at most 16MB")
