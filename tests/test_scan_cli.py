"""`taxonomy scan`: the JSON contract, discovery (.gitignore, include/exclude), the cache, workers, settings errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli, run_subprocess, write

from taxonomy.config import Config, load_config
from taxonomy.scan import scan_paths

CONTRACT_KEYS = ["file", "line", "column", "language", "sdk", "kind", "op", "name", "expr", "properties", "via"]


def test_json_contract(tmp_path: Path) -> None:
    write(tmp_path / "app" / "src" / "a.ts", 'const E = "x";\n\nbraze.logCustomEvent(E, { a: 1 });\n')
    result = run_cli("scan", "app", "--format", "json", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert list(document) == ["version", "call_sites", "skipped"] and document["version"] == 1
    (site,) = document["call_sites"]
    assert list(site) == CONTRACT_KEYS
    expected = {"file": "src/a.ts", "line": 3, "column": 7, "language": "typescript", "sdk": "braze", "kind": "event",
                "op": "log", "name": "x", "expr": "E", "properties": ["a"], "via": None}  # fmt: skip
    assert site == expected


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    write(tmp_path / "a.js", 'const s = "é"; braze.logCustomEvent("x");\n')
    (site,) = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False).call_sites
    assert site.column == 22


def test_gitignore_and_include_exclude(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "dist/\n*.gen.ts\n")
    write(tmp_path / "web" / ".gitignore", "legacy/\n")
    for rel in ("src/a.ts", "dist/b.js", "src/c.gen.ts", "web/legacy/d.js", "web/e.js", "node_modules/x/f.js",
                "tools/g.py"):  # fmt: skip
        write(tmp_path / rel, 'braze.logCustomEvent("x");\n')
    found = {s.file for s in scan_paths([tmp_path], Config(root=tmp_path), use_cache=False).call_sites}
    assert found == {"src/a.ts", "web/e.js"}  # tools/g.py: a Python call on `braze` is not a Braze SDK call
    write(tmp_path / ".taxonomy.toml", '[scan]\ninclude = ["src/**"]\nexclude = ["web/"]\n')
    config = load_config(tmp_path / ".taxonomy.toml")
    assert {s.file for s in scan_paths([tmp_path], config, use_cache=False).call_sites} == {"src/a.ts"}


def test_cache_skips_unchanged_files_and_is_invalidated_by_settings(tmp_path: Path) -> None:
    path = write(tmp_path / "a.js", 'braze.logCustomEvent("old");\n')
    config = Config(root=tmp_path)
    assert [s.name for s in scan_paths([tmp_path], config).call_sites] == ["old"]
    assert list((tmp_path / ".taxonomy-cache").glob("scan-*.json"))
    info = path.stat()
    path.write_text('braze.logCustomEvent("new");\n')  # same size, same mtime: the cache answers
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert [s.name for s in scan_paths([tmp_path], config).call_sites] == ["old"]
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))  # touched: read again
    assert [s.name for s in scan_paths([tmp_path], config).call_sites] == ["new"]
    info = path.stat()
    path.write_text('braze.logCustomEvent("neu");\n')
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    write(tmp_path / ".taxonomy.toml", '[scan]\npacks = ["segment"]\n')  # other settings: another cache
    assert [s.name for s in scan_paths([tmp_path], load_config(tmp_path / ".taxonomy.toml")).call_sites] == ["neu"]
    assert len(list((tmp_path / ".taxonomy-cache").glob("scan-*.json"))) == 1  # the stale one is gone


def test_workers_give_the_same_answer(tmp_path: Path) -> None:
    for index in range(60):
        write(tmp_path / f"m{index % 7}" / f"f{index}.ts", f'braze.logCustomEvent("e{index}");\n// filler\n')
    one = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1)
    two = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=2)
    assert one.call_sites == two.call_sites and len(one.call_sites) == 60


def test_without_fork_the_scan_stays_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no fork: asking for workers then scans here, with the same answer (and the cache a scan makes)."""
    from taxonomy.scan import pool

    for index in range(500):
        write(tmp_path / f"m{index % 7}" / f"f{index}.ts", f'braze.logCustomEvent("e{index}");\n' * (index % 2))
    forked = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=2)
    monkeypatch.setattr(pool, "available", lambda: False)
    monkeypatch.setattr(pool.Pool, "__init__", lambda *_args: pytest.fail("a pool was started"))
    cold = scan_paths([tmp_path], Config(root=tmp_path), jobs=2)
    assert cold.call_sites == forked.call_sites and len(cold.call_sites) == 250
    assert scan_paths([tmp_path], Config(root=tmp_path), jobs=2) == cold


def test_settings_errors_are_usage_errors(tmp_path: Path) -> None:
    write(tmp_path / ".taxonomy.toml", "[scan]\nexlude = []\n")
    result = run_cli("scan", cwd=tmp_path)
    assert result.code == 2 and "unknown setting (did you mean `exclude`?)" in result.err
    write(tmp_path / ".taxonomy.toml", '[scan]\npacks = ["segmnt"]\n')
    result = run_cli("scan", cwd=tmp_path)
    assert result.code == 2 and "did you mean `segment`" in result.err
    write(tmp_path / ".taxonomy.toml", '[[scan.wrappers]]\nmethod = "track"\nkind = "evnt"\n')
    result = run_cli("scan", cwd=tmp_path)
    assert result.code == 2 and "`kind` must be one of" in result.err
    assert "Traceback" not in result.err


def test_scan_as_a_real_process_with_a_missing_path(tmp_path: Path) -> None:
    result = run_subprocess("scan", "nope", "--format", "json", "--no-cache", cwd=tmp_path)
    assert result.code == 0
    assert json.loads(result.out)["skipped"] == [{"file": "nope", "reason": "no such file or folder"}]
