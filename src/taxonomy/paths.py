"""How paths are shown: relative to the working folder when inside it, always with forward slashes."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | os.PathLike[str], cwd: Path | None = None) -> str:
    target = Path(path)
    base = cwd or Path.cwd()
    try:
        absolute = target if target.is_absolute() else base / target
        return Path(os.path.relpath(absolute, base)).as_posix() if _inside(absolute, base) else absolute.as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


def _inside(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True
