"""Every file the tool writes survives a kill in the middle of the write: the old file is found intact.

Each command runs in a child whose fsync blocks (the moment between writing the temp file and renaming it over
the target); the test SIGKILLs the child there and checks that the target holds exactly its old bytes and that
a later run cleans nothing up it should not. Writers: fmt, lint --fix, --output-file (lint, scan, diff),
--write-baseline, docs, init --force, pull.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import SRC, write
from hostile import SNAPSHOT, VALID
from test_adv_pull import _send, hostile_server

MESSY = "version: 1\nevents:\n  signed_up:\n    properties: {plan: {type: String}}\n    description: x\n"
OLD = b"old content: must survive\n"

HOOK = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {src!r})
    real = os.fsync
    def blocking_fsync(fd):
        import stat
        if stat.S_ISREG(os.fstat(fd).st_mode):  # the temp file, not the folder
            print("fsync", flush=True)
            sys.stdin.readline()  # wait here until killed
        real(fd)
    os.fsync = blocking_fsync
    from taxonomy.cli import main
    main(sys.argv[1:])
    """
)

# name -> (argv, the file it writes, files to prepare)
WRITERS: dict[str, tuple[list[str], str]] = {
    "fmt": (["fmt", "taxonomy.yaml"], "taxonomy.yaml"),
    "lint-fix": (["lint", "--fix", "taxonomy.yaml"], "taxonomy.yaml"),
    "lint-output-file": (["lint", "taxonomy.yaml", "--output-file", "report.txt"], "report.txt"),
    "lint-format-file": (["lint", "taxonomy.yaml", "--format", "sarif:report.sarif"], "report.sarif"),
    "write-baseline": (["lint", "taxonomy.yaml", "--write-baseline", "baseline.json"], "baseline.json"),
    "docs-html": (["docs", "taxonomy.yaml", "--output", "site"], "site/index.html"),
    "init": (["init", "snapshot.json", "--force", "--output", "new.yaml"], "new.yaml"),
    "scan-output-file": (["scan", "--no-cache", "src", "--output-file", "scan.txt"], "scan.txt"),
    "diff-output-file": (["diff", "base.yaml", "taxonomy.yaml", "--output-file", "diff.txt"], "diff.txt"),
    "pull": (["pull", "--allow-insecure-http", "--retries", "0", "--output", "braze-export.json"], "braze-export.json"),
}


def prepare(folder: Path) -> None:
    write(folder / "taxonomy.yaml", MESSY)
    write(folder / "base.yaml", VALID)
    write(folder / "snapshot.json", SNAPSHOT)
    write(folder / "src" / "app.js", 'braze.logCustomEvent("signed_up");\n')
    for _name, (_argv, target) in WRITERS.items():
        if target != "taxonomy.yaml":
            (folder / target).parent.mkdir(parents=True, exist_ok=True)
            (folder / target).write_bytes(OLD)
    # a baseline is read before it is rewritten (other commands' entries are kept): the old one must be valid
    (folder / "baseline.json").write_bytes(b'{"version": 1, "tool": "taxonomy", "findings": []}\n')


def _braze(conn: object, port: int) -> None:
    _send(conn, "200 OK", json.dumps({"attributes": [], "events": [], "products": []}).encode())  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_killed_mid_write_leaves_the_old_file(tmp_path: Path, name: str) -> None:
    prepare(tmp_path)
    argv, target = WRITERS[name]
    before = (tmp_path / target).read_bytes()
    with hostile_server(_braze) as port:
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "BRAZE_API_KEY": "k-0123456789",
            "BRAZE_REST_ENDPOINT": f"http://127.0.0.1:{port}",
        }
        with subprocess.Popen(
            [sys.executable, "-c", HOOK.format(src=str(SRC)), *argv],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            while line and line != "fsync\n":  # a report printed on stdout comes first
                line = proc.stdout.readline()
            assert line == "fsync\n", f"{name} never wrote a file: {proc.stderr.read() if proc.stderr else ''}"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert (tmp_path / target).read_bytes() == before, f"{name} damaged {target}"


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_completed_write_replaces_the_file_whole(tmp_path: Path, name: str) -> None:
    """The same commands left to finish: the target is new and complete, no temp file remains."""
    prepare(tmp_path)
    argv, target = WRITERS[name]
    before = (tmp_path / target).read_bytes()
    with hostile_server(_braze) as port:
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "BRAZE_API_KEY": "k-0123456789",
            "BRAZE_REST_ENDPOINT": f"http://127.0.0.1:{port}",
        }
        proc = subprocess.run(
            [sys.executable, "-m", "taxonomy", *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode in (0, 1), proc.stderr
    assert (tmp_path / target).read_bytes() != before
    assert not [p for p in tmp_path.rglob("*.tmp")], "a temp file was left behind"
