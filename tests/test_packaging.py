"""The wheel carries schema/ and rules/: an installed copy, outside the checkout, finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT


@pytest.mark.slow
def test_wheel_installed_outside_the_checkout_lints(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    [wheel] = dist.glob("event_taxonomy-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    # Dependencies come from the test environment, appended after the venv's own site-packages, so the
    # `taxonomy` imported is the wheel's, not the checkout's.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "project"
    shutil.copytree(EXAMPLES / "shop", work)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = subprocess.run(
        [python, "-c", "import taxonomy.resources as r; print(r.data_root())"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)) and where.endswith("taxonomy/_data")
    assert (Path(where) / "schema" / "taxonomy.schema.json").is_file()
    assert (Path(where) / "rules").is_dir()
    result = subprocess.run([env_dir / "bin" / "taxonomy", "lint"], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found" in result.stdout
