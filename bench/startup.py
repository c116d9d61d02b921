"""Start-up time: `taxonomy --version` against `python -c "import click"`, in the same run (target <= 3x).

Run by hand: python bench/startup.py [--runs 30]. Uses the interpreter that runs this script.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    click = median_seconds([sys.executable, "-c", "import click"], args.runs)
    ours = median_seconds([sys.executable, "-m", "taxonomy", "--version"], args.runs)
    help_ = median_seconds([sys.executable, "-m", "taxonomy", "--help"], args.runs)
    print(f"python -c 'import click'  {click * 1000:7.1f} ms")
    print(f"taxonomy --version        {ours * 1000:7.1f} ms  ({ours / click:.2f}x, target <= 3x)")
    print(f"taxonomy --help           {help_ * 1000:7.1f} ms  ({help_ / click:.2f}x)")


if __name__ == "__main__":
    main()
