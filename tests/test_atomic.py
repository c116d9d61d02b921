"""Atomic writes: the old file survives any failure; permissions are kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import SRC

from taxonomy.atomic import write_atomic
from taxonomy.errors import TaxonomyError


def test_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["t.yaml"]  # no temp file left


def test_failure_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    target.write_text("old\n")

    class Boom(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, Boom("x"))
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.yaml"]


def test_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "t.yaml", "x")


def test_killed_mid_write_leaves_old_file(tmp_path: Path) -> None:
    """A process killed while writing a large file: the target still holds the old, whole content."""
    target = tmp_path / "t.yaml"
    target.write_text("old\n")
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(SRC)!r})
        import taxonomy.atomic as a
        real = os.fsync
        def slow(fd):
            print("writing", flush=True)
            sys.stdin.readline()  # wait here until killed
            real(fd)
        a.os.fsync = slow
        a.write_atomic({str(target)!r}, "new\\n" * 1_000_000)
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert target.read_text() == "old\n"
