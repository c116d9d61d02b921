"""Count the instructions of a cold one-process `taxonomy scan` of a generated tree, with valgrind: the same count on
every run, where wall-clock times on a shared machine move by a third from one minute to the next. For comparing two
versions of the code (a change worth 2% is invisible to timing here); byte loops in C count for more than they cost
on real hardware, Python's own work does not. Run by hand, never in CI.

    python bench/instructions.py --files 2000                     # this checkout
    python bench/instructions.py --files 2000 --src ../other/src  # another version of the code, same tree

Needs valgrind (apt-get install valgrind). Prints the start-up alone (a scan of an empty folder) and the whole scan.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def instructions(folder: Path, src: Path) -> int:
    """Instructions executed by `python -m taxonomy scan` in `folder` (one process, no cache: nothing left behind)."""
    valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    scan = ["-m", "taxonomy", "scan", ".", "--format", "json", "-o", os.devnull, "--no-cache", "-j", "1"]
    command = [*valgrind, sys.executable, *scan]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    for line in done.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.rsplit(":", 1)[1].replace(",", "").strip())
    raise SystemExit(f"valgrind gave no count (exit {done.returncode}):\n{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "taxonomy-bench")
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="the code to count (its src/ folder)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")
    out = args.out / str(args.files)
    if not (out / "truth.json").exists():
        generate(out, args.files, 7, 0.05)
    with tempfile.TemporaryDirectory() as empty:
        start = instructions(Path(empty), args.src.resolve())
    whole = instructions(out / "tree", args.src.resolve())
    print(f"{args.files} files, {args.src}: start-up {start / 1e9:.3f} G instructions, whole scan {whole / 1e9:.3f} G"
          f" (the files: {(whole - start) / 1e9:.3f} G)")  # fmt: skip


if __name__ == "__main__":
    main()
