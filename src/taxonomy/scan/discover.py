"""Which files a scan reads: source suffixes under the given paths, minus .gitignore'd and excluded ones.

.gitignore files are honoured from the repository root down to each folder (via pathspec's git-style matching);
config `include` / `exclude` patterns (gitignore syntax, relative to the project root) narrow further. Symlinked
folders are followed once: a loop is reported, not walked forever. Unreadable folders are reported too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from taxonomy.scan.languages import SUFFIXES

ALWAYS_SKIPPED = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".taxonomy-cache",
    "__pycache__",
    ".venv",
    ".tox",
    ".mypy_cache",
}


@dataclass
class Discovered:
    files: list[tuple[str, str, str]] = field(default_factory=list)  # absolute path, relative path, suffix
    skipped: list[tuple[str, str]] = field(default_factory=list)  # relative path, reason


def _spec(lines: Sequence[str]) -> pathspec.PathSpec[Any] | None:
    lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


def _gitignore(folder: Path) -> pathspec.PathSpec[Any] | None:
    try:
        return _spec((folder / ".gitignore").read_text("utf-8", "replace").splitlines())
    except OSError:
        return None


def _repo_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(
    paths: Sequence[Path],
    root: Path,
    *,
    project: Path,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    suffixes: Sequence[str] | None = None,
) -> Discovered:
    """Files under `paths`, relative to `root` for display; include/exclude are relative to `project`."""
    out = Discovered()
    wanted = set(suffixes if suffixes is not None else SUFFIXES)
    include_spec = _spec(include)
    exclude_spec = _spec(exclude)

    def narrowed(absolute: Path, is_dir: bool) -> bool:
        """Config include/exclude (relative to the project root)."""
        rel = relative(absolute, project)
        if rel.startswith("/") or rel.startswith(".."):
            return False
        if exclude_spec is not None and exclude_spec.match_file(rel + ("/" if is_dir else "")):
            return True
        return bool(not is_dir and include_spec is not None and not include_spec.match_file(rel))

    for given in paths:
        given = given.absolute()
        if not given.exists() and not given.is_symlink():
            out.skipped.append((relative(given, root), "no such file or folder"))
            continue
        if given.is_file():
            suffix = given.suffix.lower()
            if suffix in wanted:
                out.files.append((str(given), relative(given, root), suffix))
            continue
        out_files = _walk(given, root, wanted, out, narrowed if include_spec or exclude_spec else None)
        out.files.extend(out_files)
    return out


def _ancestor_specs(folder: Path) -> list[tuple[Path, pathspec.PathSpec[Any]]]:
    repo = _repo_root(folder)
    if repo is None:
        return []
    specs = []
    for ancestor in reversed([folder, *folder.parents]):
        if ancestor == folder:
            break
        if repo == ancestor or repo in ancestor.parents:
            spec = _gitignore(ancestor)
            if spec is not None:
                specs.append((ancestor, spec))
    return specs


def _walk(
    top: Path, root: Path, wanted: set[str], out: Discovered, narrowing: Callable[[Path, bool], bool] | None
) -> list[tuple[str, str, str]]:
    # Plain strings, not Path objects: this loop runs once per file of the tree.
    files: list[tuple[str, str, str]] = []
    seen: set[tuple[int, int]] = set()
    root_prefix = str(root).rstrip(os.sep) + os.sep
    # (folder, the gitignore specs that apply in it: (base folder + separator, spec))
    stack: list[tuple[str, list[tuple[str, pathspec.PathSpec[Any]]]]] = [
        (str(top), [(str(base).rstrip(os.sep) + os.sep, spec) for base, spec in _ancestor_specs(top)])
    ]

    def rel(path: str) -> str:
        text = path[len(root_prefix) :] if path.startswith(root_prefix) else path
        return text.replace(os.sep, "/")

    while stack:
        folder, specs = stack.pop()
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                out.skipped.append((rel(folder), "symlink loop (folder already scanned)"))
                continue
            seen.add(key)
            entries = list(os.scandir(folder))
        except OSError as exc:
            out.skipped.append((rel(folder), f"unreadable folder: {exc.strerror or exc}"))
            continue
        own = _gitignore(Path(folder))
        if own is not None:
            specs = [*specs, (folder.rstrip(os.sep) + os.sep, own)]
        entries.sort(key=lambda e: e.name)
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            path = entry.path
            if is_dir:
                if name in ALWAYS_SKIPPED or (specs and _ignored(path, specs, True)):
                    continue
                if narrowing is not None and narrowing(Path(path), True):
                    continue
                stack.append((path, specs))
                continue
            dot = name.rfind(".")
            suffix = name[dot:].lower() if dot > 0 else ""
            if suffix not in wanted:
                continue
            if specs and _ignored(path, specs, False):
                continue
            if narrowing is not None and narrowing(Path(path), False):
                continue
            files.append((path, rel(path), suffix))
    return files


def _ignored(path: str, specs: list[tuple[str, pathspec.PathSpec[Any]]], is_dir: bool) -> bool:
    for base, spec in specs:
        rel = path[len(base) :].replace(os.sep, "/") if path.startswith(base) else path
        if spec.match_file(rel + "/" if is_dir else rel):
            return True
    return False
