"""drift and init against malformed, truncated and hostile export files (REST JSON, dashboard CSV, snapshots).

Each one is a clear error naming the file (and its line where there is one) or a finding; never a traceback,
and init never writes a taxonomy it could not build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli, write
from hostile import MALFORMED_EXPORTS, SNAPSHOT, UNICODE_DIR, VALID, assert_handled, fifo, run_bounded, symlink_loop

# Inputs the readers accept (the export is odd but readable): anything else must be exit 2 naming the file.
# (A CSV quote left open at the end of the file reads as one long last field, as spreadsheets read it.)
ACCEPTED = {"bom.json", "events-crlf-bom.csv", "events-truncated.csv"}


@pytest.mark.parametrize("name", sorted(MALFORMED_EXPORTS))
def test_malformed_exports(tmp_path: Path, name: str) -> None:
    write(tmp_path / "taxonomy.yaml", VALID)
    (tmp_path / name).write_bytes(MALFORMED_EXPORTS[name])
    drift = run_cli("drift", "--taxonomy", "taxonomy.yaml", name, cwd=tmp_path)
    init = run_cli("init", name, "--output", "new.yaml", cwd=tmp_path)
    if name in ACCEPTED:
        assert_handled(drift, (0, 1))
        assert_handled(init, (0, 2))
    else:
        assert_handled(drift, (2,), mention=name)
        assert_handled(init, (2,), mention=name)
        assert not (tmp_path / "new.yaml").exists()


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("truncated.json", "truncated.json:1:"),
        ("trailing-comma.json", "trailing-comma.json:1:"),
        ("lone-surrogate.json", "lone-surrogate.json:1:"),
        ("attributes-inf-length.csv", "attributes-inf-length.csv:2:1: array length of `foo` is not a whole number"),
        ("attributes-big-length.csv", "attributes-big-length.csv:2:1:"),
        ("attributes-negative-length.csv", "attributes-negative-length.csv:2:1:"),
        ("events-dup-rows.csv", "events-dup-rows.csv:3:1: `a` is listed twice"),
        ("invalid-utf8.json", "invalid-utf8.json:1:"),
    ],
)
def test_errors_point_at_the_line(tmp_path: Path, name: str, where: str) -> None:
    """Regression: an `inf` or `1e400` array length was an OverflowError (exit 3); `-5` made init write an
    invalid taxonomy (exit 3)."""
    write(tmp_path / "taxonomy.yaml", VALID)
    (tmp_path / name).write_bytes(MALFORMED_EXPORTS[name])
    assert_handled(run_cli("drift", "--taxonomy", "taxonomy.yaml", name, cwd=tmp_path), (2,), mention=where)


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    write(tmp_path / "snapshot.json", SNAPSHOT)
    target = write(tmp_path / "taxonomy.yaml", "# mine\n")
    assert_handled(run_cli("init", "snapshot.json", cwd=tmp_path), (2,), mention="already exists")
    assert target.read_text() == "# mine\n"


def test_exports_that_are_pipes_loops_folders_or_missing(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", VALID)
    fifo(tmp_path / "pipe.json")
    symlink_loop(tmp_path / "links")
    (tmp_path / "folder.json").mkdir()
    for name in ("pipe.json", "links/loop_a.yaml", "folder.json", "missing.json"):
        for argv in (["drift", "--taxonomy", "taxonomy.yaml", name], ["init", name, "--output", "new.yaml"]):
            result = run_bounded(*argv, cwd=tmp_path, timeout=60)
            assert_handled(result, (2,), mention=name.split("/")[-1])


def test_unicode_paths_in_exports(tmp_path: Path) -> None:
    write(tmp_path / UNICODE_DIR / "taxonomy.yaml", VALID)
    write(tmp_path / UNICODE_DIR / "export é.json", SNAPSHOT)
    result = run_cli("drift", "export é.json", cwd=tmp_path / UNICODE_DIR)
    assert_handled(result, (0, 1))
    write(tmp_path / UNICODE_DIR / "brôken é.json", SNAPSHOT[:40])
    result = run_cli("drift", "brôken é.json", cwd=tmp_path / UNICODE_DIR)
    assert_handled(result, (2,), mention="brôken é.json:1:")


@pytest.mark.slow
def test_a_huge_export_is_refused_or_read_within_bounds(tmp_path: Path) -> None:
    """A 20 MB REST body is read within the memory ceiling; a file over the 200 MB cap is refused at once.

    (100 MB also passes within 1.5 GB but takes about four minutes on a busy 2-core machine: too slow for the suite.)
    """
    write(tmp_path / "taxonomy.yaml", VALID)
    row = '{"name": "event_%09d", "description": "a generated event with a description", "status": "Active"},\n'
    with (tmp_path / "events.json").open("w") as handle:
        handle.write('{"events": [\n')
        count = 20_000_000 // len(row % 0)
        for start in range(0, count, 10_000):
            handle.write("".join(row % n for n in range(start, min(start + 10_000, count))))
        handle.write('{"name": "last"}]}\n')
    result = run_bounded("drift", "--taxonomy", "taxonomy.yaml", "events.json", cwd=tmp_path, timeout=300)
    assert_handled(result, (0, 1, 2))
    with (tmp_path / "sparse.json").open("wb") as handle:  # 300 MB on paper, nothing on disk
        handle.truncate(300_000_000)
    result = run_bounded("drift", "--taxonomy", "taxonomy.yaml", "sparse.json", cwd=tmp_path, timeout=60)
    assert_handled(result, (2,), mention="too large for an export")
