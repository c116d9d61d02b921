"""Hostile inputs for every command, and a way to run the tool on them with bounded time and memory.

Builders write into a folder the test owns (tmp_path) and return the path; nothing large is ever committed.
`run_bounded` runs the real command line in a child process with an address-space limit (RLIMIT_AS), so a
command that tried to read a 100 MB file into a tree of Python objects fails here instead of swapping the machine.
`assert_handled` is what every hostile run must satisfy: no traceback, no internal error (exit 3), an expected code.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from helpers import SRC, Result

MEMORY_LIMIT = 1_500_000_000  # bytes of address space for the child (tree-sitter + Python need ~300 MB)
TIMEOUT = 120.0  # seconds: generous, it only has to catch a hang, never to measure speed

VALID = """\
version: 1
workspace: hostile
events:
  signed_up:
    description: A user created an account.
    properties:
      plan: {type: string}
attributes:
  vip_tier: {type: string, description: Loyalty tier.}
"""

# ------------------------------------------------------------------------------------------- running


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
    memory: bool = True,
) -> Result:
    """`python -m taxonomy ARGS` in a child process with a timeout and (by default) a memory ceiling."""
    full_env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "taxonomy", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory if memory else None,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_handled(result: Result, codes: Iterable[int] = (0, 1, 2), *, mention: str | None = None) -> None:
    """Never a traceback, never an internal error; the exit code is one of `codes`; the message names `mention`."""
    where = f"exit {result.code}\n--- stdout\n{result.out[-2000:]}\n--- stderr\n{result.err[-2000:]}"
    assert "Traceback" not in result.err and "Traceback" not in result.out, where
    assert "internal error" not in result.err, where
    assert result.code in tuple(codes), where
    if mention is not None:
        assert mention in result.err + result.out, where


def tree_files(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` with its bytes (to prove nothing was half-written or left behind)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


# ------------------------------------------------------------------------------------------- YAML


def alias_bomb(levels: int = 10, width: int = 9) -> str:
    """Billion laughs: each anchor lists the previous one `width` times (width**levels nodes when expanded)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "version: 1\nworkspace: bomb\n" + "\n".join(lines) + "\n"


def alias_bomb_in_events(levels: int = 10) -> str:
    """The same bomb where the loader really reads it: as the properties of an event."""
    lines = ["x0: &x0 {p: {type: string}}"]
    for level in range(1, levels):
        keys = ", ".join(f"k{i}: *x{level - 1}" for i in range(9))
        lines.append(f"x{level}: &x{level} {{{keys}}}")
    anchors = "\n".join("    " + line for line in lines)
    return (
        f"version: 1\nevents:\n  bomb:\n    description: d\n    anchors:\n{anchors}\n    properties: *x{levels - 1}\n"
    )


def deep_flow(depth: int) -> str:
    """`[[[[...]]]]` `depth` deep as a property's value."""
    return VALID + f"workspace_extra: {'[' * depth}{']' * depth}\n"


def deep_block(depth: int) -> str:
    """Block mappings nested `depth` deep, one level per line."""
    return "version: 1\nevents:\n" + "".join(" " * (level + 1) + f"k{level}:\n" for level in range(depth))


def duplicate_key() -> str:
    return "version: 1\nevents:\n  signed_up:\n    description: first\n  signed_up:\n    description: second\n"


def big_taxonomy(path: Path, megabytes: int = 100) -> Path:
    """A syntactically valid taxonomy of about `megabytes` MB, written in chunks (never held whole in memory)."""
    item = (
        "  event_{n:08d}:\n"
        "    description: An event with a long enough description to make the file big quickly, number {n}.\n"
        "    properties:\n"
        "      amount: {{type: number}}\n"
    )
    target = megabytes * 1_000_000
    with path.open("w", encoding="utf-8") as handle:
        handle.write("version: 1\nevents:\n")
        written, n = 0, 0
        while written < target:
            chunk = "".join(item.format(n=n + i) for i in range(1000))
            handle.write(chunk)
            written += len(chunk)
            n += 1000
    return path


# ------------------------------------------------------------------------------------------- bytes and paths

# Text encodings a user's editor may produce: (name, bytes of a valid taxonomy in that shape or a broken one)
ENCODINGS: dict[str, bytes] = {
    "bom": b"\xef\xbb\xbf" + VALID.encode(),
    "crlf": VALID.replace("\n", "\r\n").encode(),
    "invalid-utf8": VALID.encode().replace(b"A user", b"A \xff\xfe user"),
    "latin1": VALID.replace("A user", "A café user").encode("latin-1"),
    "nul": VALID.encode().replace(b"A user", b"A \x00 user"),
    "utf16": VALID.encode("utf-16"),
    "binary": bytes(range(256)) * 64,
    "empty": b"",
    "only-bom": b"\xef\xbb\xbf",
    "lone-cr": VALID.replace("\n", "\r").encode(),
}
# Inputs that are still a valid taxonomy: the command must work on them, not merely refuse them cleanly.
READABLE = {"bom", "crlf", "lone-cr"}

UNICODE_DIR = "dossier é 日本 spaced"


def symlink_loop(folder: Path) -> Path:
    """a -> b -> a, plus a folder link pointing at its own parent."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loop_a.yaml").symlink_to("loop_b.yaml")
    (folder / "loop_b.yaml").symlink_to("loop_a.yaml")
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)
    return folder / "loop_a.yaml"


def fifo(path: Path) -> Path:
    """A named pipe: `open()` blocks until a writer comes (root or not), so it stands for 'unreadable'."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ------------------------------------------------------------------------------------------- exports

SNAPSHOT = (
    '{"format": "taxonomy-braze-snapshot", "version": 1, "workspace": "w", "instance": "https://rest.iad-01.braze.com",'
    ' "fetched_at": "2026-01-01T00:00:00Z", "endpoints": {"/events": 1},'
    ' "attributes": [], "events": [{"name": "signed_up", "description": null, "included_in_analytics_report": false,'
    ' "status": "Active", "tag_names": []}], "products": []}'
)

MALFORMED_EXPORTS: dict[str, bytes] = {
    "truncated.json": b'{"attributes": [{"name": "vip_tier", "data_type": "Str',
    "trailing-comma.json": b'{"events": [{"name": "a"},]}',
    "not-an-export.json": b'{"hello": "world"}',
    "array.json": b"[1, 2, 3]",
    "number-name.json": b'{"events": [{"name": 12}]}',
    "null-rows.json": b'{"attributes": [null, null]}',
    "huge-number.json": b'{"attributes": [{"name": "a", "array_length": 1e999}]}',
    "nan.json": b'{"attributes": [{"name": "a", "array_length": NaN}]}',
    "lone-surrogate.json": b'{"events": [{"name": "a\\ud800"}]}',
    "deep.json": b'{"events": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "bom.json": b'\xef\xbb\xbf{"events": [{"name": "a"}]}',
    "nul.json": b'{"events": [{"name": "a\x00"}]}',
    "invalid-utf8.json": b'{"events": [{"name": "caf\xe9"}]}',
    "truncated-snapshot.json": SNAPSHOT[:-30].encode(),
    "wrong-snapshot.json": SNAPSHOT.replace('"version": 1', '"version": 99').encode(),
    "events-truncated.csv": b'Event Name,Description\nsigned_up,"never closed\n',
    "attributes-no-header.csv": b"\n\n",
    "attributes-dup-columns.csv": b"Name,Attribute Name,Data Type\na,b,String\n",
    "attributes-inf-length.csv": b"Name,Data Type,Array Length\nfoo,Array,inf\n",
    "attributes-big-length.csv": b"Name,Data Type,Array Length\nfoo,Array,1e400\n",
    "attributes-negative-length.csv": b"Name,Data Type,Array Length\nfoo,Array,-5\n",
    "events-dup-rows.csv": b"Event Name\na\na\n",
    "events-huge-field.csv": b"Event Name,Description\na," + b"x" * 300_000 + b"\n",
    "events-nul.csv": b"Event Name\na\x00b\n",
    "events-crlf-bom.csv": b"\xef\xbb\xbfEvent Name,Description\r\nsigned_up,ok\r\n",
    "mystery.csv": b"Name\nsomething\n",
    "binary.csv": bytes(range(256)) * 16,
    "empty.json": b"",
}
