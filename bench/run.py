"""Time `taxonomy scan` (cold and warm) beside ripgrep and ast-grep on the same generated tree, in the same run;
check recall and precision against the generator's truth; report peak memory. Run by hand, never in CI.

    python bench/run.py --files 20000            # generates $TMPDIR/taxonomy-bench/20000/ on first use
    python bench/run.py --files 2000 100000 --repeat 3

Needs /usr/bin/time (GNU time) for peak memory, `rg` (apt-get install ripgrep) and optionally `ast-grep`
(pip install ast-grep-cli). Languages the scanner does not parse yet are left out of recall/precision.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from generate import generate  # noqa: E402

METHODS = ["logCustomEvent", "logPurchase", "setCustomUserAttribute", "incrementCustomUserAttribute", "setEmail",
           "external_id", "LogCustomEvent", "send"]  # fmt: skip
# The same methods for every language ast-grep ships a grammar for (it has none for Dart and Objective-C), and the
# /users/track payload keys in Python dictionaries: equivalent rules, so ast-grep parses every file taxonomy may.
_AST_GREP_METHODS = {
    ("javascript", "typescript", "tsx"): ("logCustomEvent", "logPurchase", "setCustomUserAttribute",
                                          "incrementCustomUserAttribute", "setEmail", "send"),
    ("kotlin", "java"): ("logCustomEvent", "logPurchase", "setCustomUserAttribute", "setEmail"),
    ("swift",): ("logCustomEvent", "logPurchase", "setCustomAttribute"),
    ("csharp",): ("LogCustomEvent", "LogPurchase", "SetCustomUserAttribute"),
}  # fmt: skip
AST_GREP_RULES = "\n---\n".join(
    [
        f"id: {lang}-{method}\nlanguage: {lang}\nrule:\n  pattern: $R.{method}($$$A)"
        for langs, methods in _AST_GREP_METHODS.items()
        for lang in langs
        for method in methods
    ]
    + ["id: python-payload\nlanguage: python\nrule:\n  kind: pair\n  has:\n    field: key\n    regex: external_id"]
)


def timed(cmd: list[str], cwd: Path) -> tuple[float, int | None, subprocess.CompletedProcess[bytes]]:
    """Wall seconds, peak RSS in KB (GNU time), the finished process (CPU seconds in CPU_SECONDS)."""
    wrapped = ["/usr/bin/time", "-v", *cmd] if Path("/usr/bin/time").exists() else cmd
    start = time.perf_counter()
    proc = subprocess.run(wrapped, cwd=cwd, capture_output=True)
    wall = time.perf_counter() - start
    match = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    cpu = [float(m) for m in re.findall(rb"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr)]
    CPU_SECONDS.append(sum(cpu))
    return wall, int(match.group(1)) if match else None, proc


CPU_SECONDS: list[float] = []  # user + system seconds of each timed run (the machine may be shared)


def best(cmd: list[str], cwd: Path, repeat: int, before: object = None) -> tuple[float, int | None]:
    walls, peak = [], None
    CPU_SECONDS.clear()
    for _ in range(repeat):
        if callable(before):
            before()
        wall, rss, proc = timed(cmd, cwd)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{cmd[0]} failed: {proc.stderr[-2000:].decode(errors='replace')}")
        walls.append(wall)
        peak = max(peak or 0, rss or 0) or None
    return statistics.median(walls), peak


def rounds(commands: dict[str, tuple[list[str], object]], cwd: Path, repeat: int) -> dict[str, Any]:
    """`repeat` rounds, each running every command once in turn (rg, cold, warm): a machine whose speed drifts
    from one minute to the next (this one does, by a third) slows all of a round alike, so each round's ratio to rg
    holds where a ratio of medians taken minutes apart may not. Medians of walls, CPU seconds and ratios; peak RSS."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {}
    for _ in range(repeat):
        for name, (cmd, before) in commands.items():
            wall, peak = best(cmd, cwd, 1, before)
            walls[name].append(wall)
            cpus[name].append(CPU_SECONDS[0])
            peaks[name] = max(peaks.get(name, 0), peak or 0)
    out: dict[str, Any] = {}
    for name in commands:
        out[f"{name}_s"] = round(statistics.median(walls[name]), 3)
        out[f"{name}_cpu_s"] = round(statistics.median(cpus[name]), 2)
        out[f"{name}_peak_mb"] = round(peaks[name] / 1024) if peaks[name] else None
        if name != "rg" and "rg" in walls:
            ratios = [mine / rg for mine, rg in zip(walls[name], walls["rg"], strict=True)]
            out[f"{name}_ratio"] = round(statistics.median(ratios), 2)
            out[f"{name}_ratios"] = [round(r, 1) for r in ratios]
    return out


def accuracy(truth: list[dict[str, object]], scan_json: Path) -> tuple[float, float, int, int, int]:
    from taxonomy.scan.languages import SUFFIXES

    known = {lang for lang, _spec in SUFFIXES.values()}
    want = {(s["file"], s["line"], s["kind"], s["name"]) for s in truth if s["language"] in known}
    found_doc = json.loads(scan_json.read_text())
    got = {(s["file"], s["line"], s["kind"], s["name"]) for s in found_doc["call_sites"]}
    hit = len(want & got)
    recall = hit / len(want) if want else 1.0
    precision = hit / len(got) if got else 1.0
    return recall, precision, len(want), len(got), len(found_doc["skipped"])


def run(files: int, out_root: Path, taxonomy: list[str], repeat: int, ast_grep_max: int) -> dict[str, object]:
    out = out_root / str(files)
    if not (out / "truth.json").exists():
        generate(out, files, 7, 0.05)
    truth_doc = json.loads((out / "truth.json").read_text())
    tree = out / "tree"
    result: dict[str, object] = {"files": files, "megabytes": round(truth_doc["bytes"] / 1e6, 1)}
    rg = shutil.which("rg")
    cache = tree / ".taxonomy-cache"
    scan_json = out / "scan.json"
    cmd = [*taxonomy, "scan", ".", "--format", "json", "-o", str(scan_json)]
    commands: dict[str, tuple[list[str], object]] = {}
    if rg:  # (one untimed run first: the targets are for a warm page cache, and rg would pay for filling it)
        subprocess.run([rg, "-l", "-e", "|".join(METHODS), "."], cwd=tree, capture_output=True, check=False)
        commands["rg"] = ([rg, "-l", "-e", "|".join(METHODS), "."], None)
    commands["cold"] = (cmd, lambda: shutil.rmtree(cache, ignore_errors=True))
    commands["warm"] = (cmd, None)
    result.update(rounds(commands, tree, repeat))
    one = [*taxonomy, "scan", ".", "--format", "json", "-o", str(out / "scan-j1.json"), "--no-cache", "-j", "1"]
    result["cold_1core_s"], _ = best(one, tree, 1)
    recall, precision, want, got, skipped = accuracy(truth_doc["call_sites"], scan_json)
    result.update(recall=round(recall, 4), precision=round(precision, 4), truth=want, found=got, skipped=skipped)
    # not `sg`: on Linux that is usually the shadow-utils setgid command
    sg = shutil.which("ast-grep") or shutil.which("ast-grep", path=os.path.dirname(sys.executable))
    if sg and files <= ast_grep_max:
        result["ast_grep_s"], _ = best([sg, "scan", "--inline-rules", AST_GREP_RULES, "--json=stream", "."], tree, 1)
        result["ast_grep_cpu_s"] = round(statistics.median(CPU_SECONDS), 2)
    return result


def report(row: dict[str, Any]) -> str:
    rg = row.get("rg_s")

    def ratio(name: str) -> str:
        return f"{row[name + '_ratio']:.1f}x rg" if rg else "-"

    ast_grep = row.get("ast_grep_s")
    lines = [
        f"{row['files']:>7} files {row['megabytes']:>6} MB | rg {rg or 0:.2f}s"
        f" | cold {row['cold_s']:.2f}s ({ratio('cold')}, 1 core {row['cold_1core_s']:.2f}s,"
        f" peak {row['cold_peak_mb']} MB)"
        f" | warm {row['warm_s']:.2f}s ({ratio('warm')}, peak {row['warm_peak_mb']} MB)"
        f" | ast-grep {f'{ast_grep:.2f}s' if ast_grep else 'not run'}"
        f" | recall {row['recall']} precision {row['precision']}"
        f" ({row['found']}/{row['truth']}, {row['skipped']} skipped)",
        f"        cpu seconds: rg {row.get('rg_cpu_s')} cold {row['cold_cpu_s']} warm {row['warm_cpu_s']}"
        f" ast-grep {row.get('ast_grep_cpu_s')}",
    ]
    if rg:
        lines.append(f"        per round: cold/rg {row['cold_ratios']}, warm/rg {row['warm_ratios']}")
    if ast_grep:
        lines.append(f"        ast-grep / cold (median): {ast_grep / row['cold_s']:.1f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[20_000])
    # Outside the checkout: the scanner honours .gitignore, and a tree inside this repository would be ignored.
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "taxonomy-bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ast-grep-max-files", type=int, default=20_000, help="skip ast-grep on bigger trees")
    parser.add_argument("--taxonomy", default=f"{sys.executable} -m taxonomy", help="how to run the tool")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(HERE.parent / "src"))
    # An installed wheel has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE would recompile
    # every module on every run and time the compiler.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")], check=True)
    rows = [run(n, args.out, args.taxonomy.split(), args.repeat, args.ast_grep_max_files) for n in args.files]
    print(f"load average at the end: {os.getloadavg()}")
    for row in rows:
        print(report(row))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
